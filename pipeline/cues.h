/* Attribution cues (models/cues.tsv): the verbs and phrases that introduce what a speaker
 * said, or carry the speaker's stance toward a target. */
#ifndef STANCE_CUES_H
#define STANCE_CUES_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

typedef enum {
	STANCE_CUE_SPEECH, /* the object is the utterance: "X said that ..." */
	STANCE_CUE_STANCE, /* the object is a target: "X condemned Y" */
	STANCE_CUE_SOURCE  /* names the source without a verb: "according to X" */
} stance_cue_kind;

typedef struct stance_cue {
	const char *lemma;
	int8_t polarity; /* toward the object: -1, 0, +1 */
	uint8_t kind;    /* stance_cue_kind */
} stance_cue;

/* Closed word classes the attribution grammar needs, besides the cues themselves. */
enum {
	STANCE_WC_PRONOUN = 1 << 0,     /* he, she, they: a whole subject */
	STANCE_WC_RELATIVE = 1 << 1,    /* who, which: a subject standing for the phrase before */
	STANCE_WC_DETERMINER = 1 << 2,  /* the, his: opens a noun phrase */
	STANCE_WC_INDEFINITE = 1 << 3,  /* a, one, some: the source is not named */
	STANCE_WC_AUXILIARY = 1 << 4,   /* has, also: joins the cue verb ("has also said") */
	STANCE_WC_PASSIVE = 1 << 5,     /* was, been: "was told" has no speaker before it */
	STANCE_WC_STOP = 1 << 6,        /* ends a noun phrase: verbs, conjunctions, prepositions */
	STANCE_WC_NP_PREPOSITION = 1 << 7, /* of, for: inside a noun phrase */
	STANCE_WC_TITLE = 1 << 8,       /* president, minister, senator: before a name */
	STANCE_WC_FEMALE = 1 << 9,      /* Mrs., she */
	STANCE_WC_MALE = 1 << 10,       /* Mr., he */
	STANCE_WC_INSTITUTION = 1 << 11, /* ministry, campaign: the phrase names a body */
	STANCE_WC_CLAUSE = 1 << 12,     /* while, but: opens another clause */
	STANCE_WC_OBJECT = 1 << 13,     /* him, reporters: the one addressed */
	STANCE_WC_ADDRESSEE = 1 << 14,  /* tell, assure: a cue whose object is the one addressed */
	STANCE_WC_ASIDE = 1 << 15,      /* Tuesday, however: may stand between a subject and its verb */
	STANCE_WC_NOUN = 1 << 16        /* support, attacks: a cue form that is as often a noun */
};

/* Which form of its lemma a cue word is, by its place in the forms column. */
typedef enum {
	STANCE_FORM_PAST,    /* said, accused, spoken */
	STANCE_FORM_THIRD,   /* says: also a plural noun for many ("attacks", "states") */
	STANCE_FORM_GERUND,  /* saying */
	STANCE_FORM_BASE     /* say: also a noun for many ("support", "call") */
} stance_cue_form;

/* What the attribution grammar knows of one lower-case word: its cue, if it is one, and its
 * word classes. */
typedef struct stance_cue_word {
	stance_cue cue;
	bool is_cue;
	uint8_t form;     /* stance_cue_form */
	uint32_t classes; /* STANCE_WC_* */
} stance_cue_word;

/* The entry for a lower-case word ("accused", "the"), or NULL when it is neither a cue nor in
 * a closed class. */
const stance_cue_word *stance_cues_word(const stance_cues *cues, const char *word, size_t n);

/* Like stance_cues_word for a word as written: "Accused", "THE" (ASCII case only). */
const stance_cue_word *stance_cues_word_any_case(const stance_cues *cues, const char *word,
						 size_t n);

/* The cue a lower-case surface form ("accused") belongs to, or NULL. */
const stance_cue *stance_cues_find(const stance_cues *cues, const char *form, size_t n);

#endif

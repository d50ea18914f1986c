/* The document: the input text and the layers each stage adds to it.
 *
 * All layer data lives in the document's arena and stays valid until stance_doc_free().
 * Spans are byte offsets into the normalised text (stance_doc_text), end exclusive;
 * stance_doc_original_offset() maps them back to the bytes the caller gave. */
#ifndef STANCE_DOC_H
#define STANCE_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "stance/arena.h"
#include "stance/error.h"

typedef struct stance_doc stance_doc;

typedef struct stance_span {
	uint32_t start, end;
} stance_span;

#define STANCE_NONE ((int32_t)-1)

/* --- segment layer --- */
typedef enum {
	STANCE_TOK_WORD,   /* letters, digits, inner apostrophes and hyphens: "pro-Russian", "don't" */
	STANCE_TOK_NUMBER, /* digits with inner . , : / "2.5", "1,000", "5:30" */
	STANCE_TOK_PUNCT,  /* . , ; : ! ? ( ) and runs such as "..." "--" "?!" */
	STANCE_TOK_QUOTE,  /* " or ' used as a quotation mark */
	STANCE_TOK_URL,    /* URLs and e-mail addresses */
	STANCE_TOK_SYMBOL  /* anything else: $ % & @ # emoji */
} stance_token_kind;

enum {
	STANCE_TOKF_SPACE_BEFORE = 1 << 0,     /* white space precedes the token */
	STANCE_TOKF_NEWLINE_BEFORE = 1 << 1,   /* a line break precedes the token */
	STANCE_TOKF_PARAGRAPH_BEFORE = 1 << 2, /* a blank line precedes the token */
	STANCE_TOKF_CAPITALISED = 1 << 3,      /* first letter upper case */
	STANCE_TOKF_ALLCAPS = 1 << 4,          /* two or more letters, all upper case */
	STANCE_TOKF_QUOTE_OPEN = 1 << 5,       /* a quotation mark that opens */
	STANCE_TOKF_QUOTE_CLOSE = 1 << 6       /* a quotation mark that closes */
};

typedef struct stance_token {
	uint32_t start, end;
	uint8_t kind;   /* stance_token_kind */
	uint8_t flags;  /* STANCE_TOKF_* */
} stance_token;

typedef struct stance_sentence {
	uint32_t start, end;         /* trimmed of surrounding white space */
	uint32_t tok_begin, tok_end; /* tokens [tok_begin, tok_end) */
	uint32_t paragraph;          /* 0-based paragraph number */
	uint8_t heading;             /* a headline or subhead rather than running text */
} stance_sentence;

/* --- actors layer --- */
typedef enum {
	STANCE_MENTION_NAME,    /* "Russia", "the United States", "NATO" */
	STANCE_MENTION_DEMONYM, /* "Russian officials" */
	STANCE_MENTION_SEAT,    /* "Moscow", "the Kremlin" used for the government */
	STANCE_MENTION_PERSON   /* a person known to belong to the party */
} stance_mention_kind;

typedef struct stance_mention {
	uint32_t start, end;
	uint32_t sentence;
	int32_t actor; /* index in the gazetteer (stance_models_actor_name) */
	uint8_t kind;  /* stance_mention_kind */
} stance_mention;

/* --- attribute layer --- */
typedef enum {
	STANCE_ENTITY_PERSON,
	STANCE_ENTITY_INSTITUTION, /* "the Kremlin", "Moscow", "the ministry" */
	STANCE_ENTITY_ANONYMOUS    /* "a senior US official" */
} stance_entity_kind;

/* One speaker across the article: every mention of Trump resolves to the same entity. */
typedef struct stance_entity {
	const char *name; /* canonical: the longest name the article uses, "Donald Trump" */
	int32_t party;    /* actor index, or STANCE_NONE */
	uint8_t kind;     /* stance_entity_kind */
} stance_entity;

typedef enum {
	STANCE_ATTR_DIRECT,   /* a whole quotation: "...," she said */
	STANCE_ATTR_PARTIAL,  /* a quoted fragment inside reported text */
	STANCE_ATTR_REPORTED, /* reported speech without quotation marks */
	STANCE_ATTR_STANCE    /* a stance verb toward an object: X accused Y of ... */
} stance_attribution_kind;

typedef struct stance_attribution {
	stance_span source;  /* the speaker as written nearest the cue; empty when none */
	stance_span cue;     /* the cue verb or phrase; empty when none */
	stance_span content; /* what was said */
	int32_t entity;      /* index into the entities, or STANCE_NONE */
	int8_t polarity;     /* the cue's stance toward its object: -1, 0, +1 */
	uint8_t kind;        /* stance_attribution_kind */
} stance_attribution;

/* --- score layer: one score per (sentence, speaker, target), in sentence order --- */
typedef struct stance_sentence_score {
	uint32_t sentence;
	int32_t speaker; /* entity index, or STANCE_NONE for the narrator */
	int32_t target;  /* actor index */
	float lexicon;   /* [-1, 1] */
	float svm;       /* [-1, 1], NaN when no SVM model is loaded */
	float tone;      /* [-1, 1], the combined score the CLI reports */
	float weight;    /* how strongly the sentence bears on the target, for ranking */
} stance_sentence_score;

/* Creates a document from bytes (copied). id may be NULL (then "-"). */
int stance_doc_new(stance_doc **out, const char *id, const char *bytes, size_t len,
		   stance_error *err);
void stance_doc_free(stance_doc *doc);

/* Largest input the text stage accepts (default STANCE_MAX_DOC_BYTES in stance/text.h). */
void stance_doc_set_max_bytes(stance_doc *doc, size_t max_bytes);

const char *stance_doc_id(const stance_doc *doc);
stance_arena *stance_doc_arena(stance_doc *doc);

/* The input as given, and the normalised text the layers point into. */
const char *stance_doc_original(const stance_doc *doc, size_t *len);
const char *stance_doc_text(const stance_doc *doc, size_t *len);

/* Byte offset in the original input of normalised offset pos (0..len). */
size_t stance_doc_original_offset(const stance_doc *doc, size_t pos);

/* The normalised offset of the original byte offset orig: the first normalised byte that
 * comes from orig or after it. */
size_t stance_doc_normalised_offset(const stance_doc *doc, size_t orig);

/* Unicode code point offset in the original input of normalised offset pos. */
size_t stance_doc_codepoint_offset(const stance_doc *doc, size_t pos);

const stance_token *stance_doc_tokens(const stance_doc *doc, size_t *n);
const stance_sentence *stance_doc_sentences(const stance_doc *doc, size_t *n);
const stance_mention *stance_doc_mentions(const stance_doc *doc, size_t *n);
const stance_entity *stance_doc_entities(const stance_doc *doc, size_t *n);
const stance_attribution *stance_doc_attributions(const stance_doc *doc, size_t *n);
const stance_sentence_score *stance_doc_scores(const stance_doc *doc, size_t *n);

/* Positive and negative lexicon words over the whole text, for a GDELT-style document tone. */
void stance_doc_word_counts(const stance_doc *doc, size_t *words, size_t *positive,
			    size_t *negative);

#endif

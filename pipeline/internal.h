/* What the stages share and callers do not see: the layouts of the document and the models,
 * and the string map the resources are built on. */
#ifndef STANCE_INTERNAL_H
#define STANCE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stance/stance.h"

#define STANCE_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* --- string map: open addressing, keys are byte strings (not NUL-terminated) --- */
typedef struct stance_strmap stance_strmap;

int stance_strmap_new(stance_strmap **out);
void stance_strmap_free(stance_strmap *map);
/* Finds key, or inserts it with a zeroed value of the map's value size and sets *inserted.
 * The key is copied. Returns the value slot, or NULL when out of memory. Values and keys stay
 * where they are while the map grows. */
void *stance_strmap_upsert(stance_strmap *map, const char *key, size_t len, size_t value_size,
			   bool *inserted);
void *stance_strmap_get(const stance_strmap *map, const char *key, size_t len);
/* False when key is surely absent: a test for a fraction of the cost of stance_strmap_get. */
bool stance_strmap_may_have(const stance_strmap *map, const char *key, size_t len);
size_t stance_strmap_count(const stance_strmap *map);
/* Iteration: i runs over 0..capacity; returns false at the end. Slots may be empty (key NULL). */
bool stance_strmap_entry(const stance_strmap *map, size_t i, const char **key, size_t *len,
			 void **value);
/* The map's 64-bit hash: a function of the bytes alone (and of the machine's byte order). */
uint64_t stance_hash(const char *s, size_t n);

/* MurmurHash3's finaliser: spreads every input bit over every output bit, so the low bits
 * alone can index a table. A bijection. */
static inline uint64_t stance_mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= UINT64_C(0xFF51AFD7ED558CCD);
	h ^= h >> 33;
	h *= UINT64_C(0xC4CEB9FE1A85EC53);
	return h ^ h >> 33;
}

/* --- gazetteer (pipeline/gazetteer.c) --- */
typedef struct stance_actor_info {
	const char *name;
	const char *kind;   /* country, observer, territory, organisation, or the user's word */
	int32_t parent;     /* actor index or STANCE_NONE */
} stance_actor_info;

typedef struct stance_alias {
	int32_t actor;
	uint8_t kind;       /* stance_mention_kind */
	uint8_t ambiguous;  /* needs context to count as the party */
} stance_alias;

/* What a run of words is in a map of names: a name (alias set), the beginning of a longer one
 * ("United" of "United Nations"), or both, so that one lookup tells a longest-match search
 * whether it has found something and whether to read on. */
typedef struct stance_phrase {
	stance_alias alias;
	bool named;  /* alias is set */
	bool longer; /* some name begins with these words followed by a space or hyphen */
} stance_phrase;

/* Finds or adds the phrase of the n bytes of name in map, and marks the runs of whole words
 * that begin it as longer. Returns name's phrase, its alias as it was, or NULL when out of
 * memory. */
stance_phrase *stance_phrase_add(stance_strmap *map, const char *name, size_t n);

typedef struct stance_gazetteer stance_gazetteer;

int stance_gazetteer_load(stance_gazetteer **out, const char *path, stance_error *err);
int stance_gazetteer_add_file(stance_gazetteer *gz, const char *path, stance_error *err);
void stance_gazetteer_free(stance_gazetteer *gz);
/* Exact-case lookup of an alias as written ("Moscow", "the Kremlin", "Putin"). */
const stance_alias *stance_gazetteer_find(const stance_gazetteer *gz, const char *s, size_t n);
/* Like stance_gazetteer_find, and sets *longer when some longer alias begins with these words
 * followed by a space or hyphen, so that a longest-match search can stop early. */
const stance_alias *stance_gazetteer_probe(const stance_gazetteer *gz, const char *s, size_t n,
					   bool *longer);
/* False when no alias is s nor begins with it: a test for a fraction of the cost of a lookup. */
bool stance_gazetteer_may_know(const stance_gazetteer *gz, const char *s, size_t n);
/* Case-insensitive lookup, for names people type (--actor russia). */
int32_t stance_gazetteer_find_any_case(const stance_gazetteer *gz, const char *s);
/* The most words in any alias, to bound the longest-match search. */
size_t stance_gazetteer_max_words(const stance_gazetteer *gz);
size_t stance_gazetteer_count(const stance_gazetteer *gz);
const stance_actor_info *stance_gazetteer_actor(const stance_gazetteer *gz, int32_t actor);

/* --- the shared, immutable models --- */
typedef struct stance_lexicon stance_lexicon; /* pipeline/lexicon.c */
typedef struct stance_cues stance_cues;       /* pipeline/cues.c */
typedef struct stance_svm stance_svm;         /* pipeline/svm.c */
typedef struct stance_embeddings stance_embeddings; /* pipeline/embeddings.c */

int stance_lexicon_load(stance_lexicon **out, const char *dir, stance_error *err);
void stance_lexicon_free(stance_lexicon *lex);
int stance_cues_load(stance_cues **out, const char *path, stance_error *err);
void stance_cues_free(stance_cues *cues);
/* *out stays NULL when dir holds no SVM model. The model's word vector features, if any, are
 * read with e (NULL: the models have none; then such a model is refused). */
int stance_svm_load(stance_svm **out, const char *dir, const stance_embeddings *e,
		    stance_error *err);
void stance_svm_free(stance_svm *svm);

struct stance_models {
	char *dir;
	stance_gazetteer *gazetteer;
	stance_lexicon *lexicon;
	stance_cues *cues;
	stance_svm *svm;
	stance_embeddings *embeddings; /* NULL when the models have no word vectors */
};

/* --- the document --- */
struct stance_doc {
	stance_arena *arena;
	char *id;
	size_t max_bytes;

	const char *original; /* the input bytes as given */
	size_t original_len;

	/* text layer */
	char *text;          /* normalised, NUL-terminated */
	size_t len;
	uint32_t *orig_off;  /* len + 1 entries: original byte offset of each normalised byte */

	/* segment layer */
	stance_token *tokens;
	size_t ntokens, tokens_cap;
	stance_sentence *sentences;
	size_t nsentences, sentences_cap;

	/* attribute layer */
	stance_entity *entities;
	size_t nentities, entities_cap;
	stance_attribution *attributions;
	size_t nattributions, attributions_cap;

	/* actors layer */
	stance_mention *mentions;
	size_t nmentions, mentions_cap;

	/* score layer */
	stance_sentence_score *scores;
	size_t nscores, scores_cap;
	size_t words, positive_words, negative_words;
	struct stance_feature_cache *feature_cache; /* while stance_score() runs, else NULL */

	/* aggregate layer */
	stance_agg *agg;
};

/* Appends to a layer array of doc: STANCE_PUSH(doc, tokens) returns a zeroed stance_token *. */
#define STANCE_PUSH(doc, layer)                                                              \
	((__typeof__((doc)->layer))stance_arena_push((doc)->arena, (void **)&(doc)->layer,      \
						     &(doc)->n##layer, &(doc)->layer##_cap,     \
						     sizeof(*(doc)->layer)))

#endif

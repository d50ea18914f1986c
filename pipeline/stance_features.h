/* The SVM's features of one target mention in a sentence.
 *
 * Training and prediction share one code path: stance_features_extract() names the features,
 * and a dictionary turns the names into the indices of the model. While training the
 * dictionary grows (stance_features_learn); a loaded model's dictionary is frozen and names it
 * does not know are dropped (stance_features_lookup), so the shared models stay immutable.
 *
 * The features: lower-cased word uni- and bigrams of the sentence with the target replaced by
 * one placeholder token, so that "criticised <t>" and "<t> criticised" differ, scaled to unit
 * length together; the words left and right of the target by distance bucket (1, 2, 3-4, 5-7,
 * 8-10), and the pair of words next to it on each side; the words of the target's clause; the
 * lexicon's score toward the target and of the whole sentence, with the counts in the target's
 * clause; each sentiment term's side, distance bucket and sign after negation; whether the
 * target stands in a quotation; the cue verbs of the sentence with their side, distance,
 * kind and polarity; where the target stands in the sentence, whether it is a pronoun and how
 * many tokens it has; and, when the models have word vectors (embeddings.h), the mean vector
 * of the words left of the target, right of it, both, and the five nearest on each side, a
 * block of dense features each, so that what the model learnt of a word reaches its
 * neighbours in the vector space. The target's own words never name a feature: the model
 * learns contexts, not people.
 */
#ifndef STANCE_FEATURES_H
#define STANCE_FEATURES_H

#include <stdbool.h>

#include "internal.h"

/* Receives each feature's name (not NUL-terminated) and value; returns non-zero to stop. A name
 * may come more than once: the vector keeps its largest value. */
typedef int (*stance_feature_sink)(void *ctx, const char *name, size_t len, double value);

/* Names the features of the target (bytes of doc's normalised text) within its sentence. The
 * doc must have been through the text and segment stages; scratch serves the lexicon, whose
 * score toward the target goes to *lexicon. */
int stance_features_extract(const stance_models *m, const stance_doc *doc, stance_span target,
			    stance_arena *scratch, stance_feature_sink sink, void *ctx,
			    double *lexicon, stance_error *err);

/* What the features of a document's targets share, kept in doc->feature_cache while
 * stance_score() runs: the lexicon's matches at every token (lexicon.h; NULL to look terms
 * up) and the views of the last sentence. From doc's arena; NULL when out of memory. */
typedef struct stance_feature_cache stance_feature_cache;
struct stance_token_match;

stance_feature_cache *stance_feature_cache_new(stance_doc *doc,
					       const struct stance_token_match *matches);

/* Offers the analysis of tokens [begin, end) with nothing masked (lexicon.h), for the targets
 * of that sentence; valid until the next call. NULL offers none. */
struct stance_analysis;
void stance_feature_cache_share(stance_feature_cache *cache,
				const struct stance_analysis *analysis, size_t begin, size_t end);

/* --- the dictionary: feature name <-> index, 1-based as libsvm wants --- */
typedef struct stance_dictionary stance_dictionary;

int stance_dictionary_new(stance_dictionary **out);
void stance_dictionary_free(stance_dictionary *dict);
size_t stance_dictionary_size(const stance_dictionary *dict);
/* The index of name, or 0 when unknown. */
uint32_t stance_dictionary_find(const stance_dictionary *dict, const char *name, size_t len);
/* The index of name, appended when new; 0 when out of memory or when another name has the
 * same 64-bit hash (never seen in practice; lookups rely on hashes alone). */
uint32_t stance_dictionary_add(stance_dictionary *dict, const char *name, size_t len);
/* The name of index i (1..size), NUL-terminated. */
const char *stance_dictionary_name(const stance_dictionary *dict, uint32_t i);
/* Indexes the word vector features the dictionary names, so that predictions with vectors of
 * dims components (0: no vectors) find them without names. STANCE_EMODEL when it names one
 * those vectors cannot fill; STANCE_EINTERNAL when out of memory. */
int stance_dictionary_bind_dense(stance_dictionary *dict, size_t dims);
/* The indices stance_dictionary_bind_dense found, in block order (0 where a feature is not in
 * the dictionary); *n of them, none (NULL) when the dictionary has no word vector features. */
const uint32_t *stance_dictionary_blocks(const stance_dictionary *dict, size_t *n);

/* --- the vector of one target --- */
typedef struct stance_feature {
	uint32_t index;
	double value;
} stance_feature;

/* Indices unique; ascending from stance_features_learn (libsvm needs the order, a dot
 * product does not). */
typedef struct stance_feature_vector {
	stance_feature *items;
	size_t n;
	double lexicon; /* the lexicon's score toward the target, a by-product of the features */
	const double *blocks; /* stance_features_lookup_blocks: word vector features, or NULL */
} stance_feature_vector;

/* The target's vector with unknown names added to dict; items come from scratch. */
int stance_features_learn(const stance_models *m, const stance_doc *doc, stance_span target,
			  stance_dictionary *dict, stance_arena *scratch,
			  stance_feature_vector *out, stance_error *err);

/* The target's vector over the names dict knows; items come from scratch. */
int stance_features_lookup(const stance_models *m, const stance_doc *doc, stance_span target,
			   const stance_dictionary *dict, stance_arena *scratch,
			   stance_feature_vector *out, stance_error *err);

/* The same vector with the word vector features apart, as out->blocks in the order of
 * stance_dictionary_blocks(), for a dot product that needs no index per feature. */
int stance_features_lookup_blocks(const stance_models *m, const stance_doc *doc,
				  stance_span target, const stance_dictionary *dict,
				  stance_arena *scratch, stance_feature_vector *out,
				  stance_error *err);

/* The bytes of doc's normalised text that code points [from, to) of its input cover, as data
 * sets give their targets. STANCE_EDATA when the span is empty or runs past the input. */
int stance_features_codepoint_span(const stance_doc *doc, size_t from, size_t to,
				   stance_span *out, stance_error *err);

#endif

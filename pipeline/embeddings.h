/* Word vectors (models/embeddings.bin): GloVe's vectors of the most frequent English words,
 * each scaled to unit length and stored as signed bytes with one scale for the file, read by
 * the SVM's dense features (stance_features.h). They let the model carry what it learnt about
 * a word to the words whose vectors lie near it: "slammed" to "blasted", "praised" to
 * "lauded", which n-grams of 8,700 training sentences cannot.
 *
 * The file (written by scripts/build-embeddings): a text line
 *   stance-embeddings 1 WORDS DIMS SCALE
 * then WORDS lines of one word each, then WORDS x DIMS signed bytes, row by row. */
#ifndef STANCE_EMBEDDINGS_H
#define STANCE_EMBEDDINGS_H

#include "internal.h"

#define STANCE_EMBEDDINGS_FILE "embeddings.bin"
#define STANCE_EMBEDDINGS_MAX_DIMS 1024

typedef struct stance_embeddings stance_embeddings;

/* Loads dir's embeddings.bin; *out stays NULL when dir has none. */
int stance_embeddings_load(stance_embeddings **out, const char *dir, stance_error *err);
void stance_embeddings_free(stance_embeddings *e);

size_t stance_embeddings_dims(const stance_embeddings *e);
/* What one unit of a stored byte is worth. */
double stance_embeddings_scale(const stance_embeddings *e);
/* The stored vector of a word as text writes it (ASCII letters lower-cased, a final "'s"
 * dropped, as GloVe's tokens have them), or NULL when the file has no such word. */
const int8_t *stance_embeddings_find(const stance_embeddings *e, const char *word, size_t len);

#endif

/* The document and read access to its layers. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int stance_doc_new(stance_doc **out, const char *id, const char *bytes, size_t len,
		   stance_error *err)
{
	stance_arena *arena;
	if (stance_arena_new(&arena) != 0)
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	stance_doc *doc = stance_arena_calloc(arena, 1, sizeof(*doc));
	char *copy = doc ? stance_arena_strndup(arena, bytes, len) : NULL;
	const char *name = id ? id : "-";
	char *id_copy = copy ? stance_arena_strndup(arena, name, strlen(name)) : NULL;
	if (!id_copy) {
		stance_arena_free(arena);
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", name);
	}
	doc->arena = arena;
	doc->id = id_copy;
	doc->original = copy;
	doc->original_len = len;
	doc->max_bytes = STANCE_MAX_DOC_BYTES;
	*out = doc;
	return STANCE_OK;
}

void stance_doc_free(stance_doc *doc)
{
	if (doc) {
		stance_agg_free(doc->agg);
		stance_arena_free(doc->arena); /* doc itself lives in the arena */
	}
}

void stance_doc_set_max_bytes(stance_doc *doc, size_t max_bytes)
{
	doc->max_bytes = max_bytes;
}

const char *stance_doc_id(const stance_doc *doc)
{
	return doc->id;
}

stance_arena *stance_doc_arena(stance_doc *doc)
{
	return doc->arena;
}

const char *stance_doc_original(const stance_doc *doc, size_t *len)
{
	*len = doc->original_len;
	return doc->original;
}

const char *stance_doc_text(const stance_doc *doc, size_t *len)
{
	*len = doc->len;
	return doc->text ? doc->text : "";
}

size_t stance_doc_original_offset(const stance_doc *doc, size_t pos)
{
	if (!doc->orig_off)
		return pos;
	return doc->orig_off[pos > doc->len ? doc->len : pos];
}

size_t stance_doc_normalised_offset(const stance_doc *doc, size_t orig)
{
	if (!doc->orig_off)
		return orig;
	size_t lo = 0, hi = doc->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (doc->orig_off[mid] < orig)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t stance_doc_codepoint_offset(const stance_doc *doc, size_t pos)
{
	size_t end = stance_doc_original_offset(doc, pos), cps = 0;
	for (size_t i = 0; i < end; i++)
		cps += ((unsigned char)doc->original[i] & 0xC0) != 0x80;
	return cps;
}

#define LAYER_ACCESSOR(type, layer)                                                          \
	const type *stance_doc_##layer(const stance_doc *doc, size_t *n)                     \
	{                                                                                    \
		*n = doc->n##layer;                                                          \
		return doc->layer;                                                           \
	}

LAYER_ACCESSOR(stance_token, tokens)
LAYER_ACCESSOR(stance_sentence, sentences)
LAYER_ACCESSOR(stance_mention, mentions)
LAYER_ACCESSOR(stance_entity, entities)
LAYER_ACCESSOR(stance_attribution, attributions)
LAYER_ACCESSOR(stance_sentence_score, scores)

void stance_doc_word_counts(const stance_doc *doc, size_t *words, size_t *positive,
			    size_t *negative)
{
	*words = doc->words;
	*positive = doc->positive_words;
	*negative = doc->negative_words;
}

const stance_agg *stance_doc_aggregate(const stance_doc *doc)
{
	return doc->agg;
}

/* The SVM's features of a target mention: one extractor for training and prediction, and the
 * dictionary that numbers the features. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cues.h"
#include "stance_features.h"
#include "lexicon.h"

#define NAME_MAX_BYTES 96
#define WINDOW 10            /* tokens each side of the target that name window features */
#define PLACEHOLDER "<t>"    /* the target, as one token of the sentence */

/* What one extraction reads and where its names go. Positions p run over the sentence with
 * the target's tokens [t0, t1) replaced by the placeholder: p < at are tokens begin + p, p == at
 * is the target, p > at are tokens t1 + (p - at - 1). */
typedef struct extraction {
	const stance_models *m;
	const char *text;
	const stance_token *tokens;
	size_t begin, end; /* the sentence's tokens */
	size_t t0, t1;     /* the target's tokens */
	size_t at, units;  /* the placeholder's position; positions in all */
	stance_feature_sink sink;
	void *ctx;
	char name[NAME_MAX_BYTES];
} extraction;

static size_t token_at(const extraction *x, size_t p)
{
	return p < x->at ? x->begin + p : x->t1 + (p - x->at - 1);
}

/* The form a token takes in feature names: numbers and URLs by class, words as written (names
 * lower-case them). */
static void token_form(const extraction *x, size_t i, const char **s, size_t *n)
{
	const stance_token *t = &x->tokens[i];
	if (t->kind == STANCE_TOK_NUMBER) {
		*s = "<num>", *n = 5;
	} else if (t->kind == STANCE_TOK_URL) {
		*s = "<url>", *n = 5;
	} else {
		*s = x->text + t->start;
		*n = t->end - t->start;
	}
}

static void unit_form(const extraction *x, size_t p, const char **s, size_t *n)
{
	if (p == x->at) {
		*s = PLACEHOLDER;
		*n = sizeof(PLACEHOLDER) - 1;
	} else {
		token_form(x, token_at(x, p), s, n);
	}
}

static size_t append_lower(char *dst, size_t at, const char *s, size_t n)
{
	for (size_t i = 0; i < n && at < NAME_MAX_BYTES; i++)
		dst[at++] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	return at;
}

/* Emits prefix + a, or prefix + a + ' ' + b when b is not NULL. */
static int emit2(extraction *x, const char *prefix, const char *a, size_t alen, const char *b,
		 size_t blen, double value)
{
	size_t n = append_lower(x->name, 0, prefix, strlen(prefix));
	n = append_lower(x->name, n, a, alen);
	if (b) {
		n = append_lower(x->name, n, " ", 1);
		n = append_lower(x->name, n, b, blen);
	}
	return x->sink(x->ctx, x->name, n, value);
}

static int emit(extraction *x, const char *name, double value)
{
	return emit2(x, name, "", 0, NULL, 0, value);
}

/* Distance buckets: 1, 2, 3-4, 5-7, 8 and more. */
static size_t bucket_of(size_t d)
{
	return d <= 2 ? d - 1 : d <= 4 ? 2 : d <= 7 ? 3 : 4;
}

static const char *bucket(size_t d)
{
	static const char *const names[] = {"1", "2", "3", "5", "8"};
	return names[bucket_of(d)];
}

/* Uni- and bigrams of the sentence with its boundaries, the block scaled to unit length so
 * that long sentences do not outweigh the features about the target. */
static int ngram_features(extraction *x)
{
	double value = 1.0 / sqrt((double)(2 * x->units + 1));
	const char *prev = "<s>";
	size_t prev_len = 3;
	int rc = 0;
	for (size_t p = 0; !rc && p <= x->units; p++) {
		const char *s = "</s>";
		size_t n = 4;
		if (p < x->units) {
			unit_form(x, p, &s, &n);
			rc = emit2(x, "u:", s, n, NULL, 0, value);
		}
		if (!rc)
			rc = emit2(x, "b:", prev, prev_len, s, n, value);
		prev = s, prev_len = n;
	}
	return rc;
}

/* The two words on each side of the target as a pair: "<t> was praised" turns on the pair. */
static int window_pairs(extraction *x)
{
	const char *a, *b;
	size_t na, nb;
	int rc = 0;
	if (x->at >= 2) {
		unit_form(x, x->at - 2, &a, &na);
		unit_form(x, x->at - 1, &b, &nb);
		rc = emit2(x, "lb:", a, na, b, nb, 1.0);
	}
	if (!rc && x->at + 2 < x->units) {
		unit_form(x, x->at + 1, &a, &na);
		unit_form(x, x->at + 2, &b, &nb);
		rc = emit2(x, "rb:", a, na, b, nb, 1.0);
	}
	return rc;
}

static int window_features(extraction *x)
{
	/* Spelled out: snprintf per window word would cost more than the rest of the feature. */
	static const char *const left[] = {"l1:", "l2:", "l3:", "l5:", "l8:"};
	static const char *const right[] = {"r1:", "r2:", "r3:", "r5:", "r8:"};
	int rc = window_pairs(x);
	for (size_t d = 1; !rc && d <= WINDOW; d++) {
		const char *s;
		size_t n;
		if (d <= x->at) {
			unit_form(x, x->at - d, &s, &n);
			rc = emit2(x, left[bucket_of(d)], s, n, NULL, 0, 1.0);
		}
		if (!rc && x->at + d < x->units) {
			unit_form(x, x->at + d, &s, &n);
			rc = emit2(x, right[bucket_of(d)], s, n, NULL, 0, 1.0);
		}
	}
	return rc;
}

static bool token_is(const extraction *x, size_t i, const char *s)
{
	const stance_token *t = &x->tokens[i];
	size_t n = strlen(s);
	return t->end - t->start == n && memcmp(x->text + t->start, s, n) == 0;
}

static bool ends_clause(const extraction *x, size_t i)
{
	const stance_token *t = &x->tokens[i];
	if (t->kind == STANCE_TOK_QUOTE)
		return true;
	static const char *const marks[] = {",", ";", ":", "--", "(", ")", "-"};
	for (size_t k = 0; t->kind == STANCE_TOK_PUNCT && k < STANCE_ARRAY_LEN(marks); k++)
		if (token_is(x, i, marks[k]))
			return true;
	return false;
}

/* The words between the punctuation marks that enclose the target. */
static int clause_features(extraction *x)
{
	size_t from = x->t0, to = x->t1;
	while (from > x->begin && !ends_clause(x, from - 1))
		from--;
	while (to < x->end && !ends_clause(x, to))
		to++;
	int rc = 0;
	for (size_t i = from; !rc && i < to; i++) {
		if (i >= x->t0 && i < x->t1)
			continue;
		const char *s;
		size_t n;
		token_form(x, i, &s, &n);
		rc = emit2(x, "c:", s, n, NULL, 0, 1.0);
	}
	return rc;
}

static double clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

static int score_features(extraction *x, const char *prefix, const stance_lexicon_result *r)
{
	struct {
		const char *suffix;
		double value;
	} f[] = {
		{"+", clamp01(r->lexicon)},
		{"-", clamp01(-r->lexicon)},
		{"ev", r->evidence / (1.0 + r->evidence)},
		{"pos", clamp01(r->positive / 3.0)},
		{"neg", clamp01(r->negative / 3.0)},
		{"not", clamp01(r->negated / 2.0)},
	};
	int rc = 0;
	for (size_t i = 0; !rc && i < STANCE_ARRAY_LEN(f); i++)
		if (f[i].value > 0)
			rc = emit2(x, prefix, f[i].suffix, strlen(f[i].suffix), NULL, 0, f[i].value);
	return rc;
}

/* The lexicon's view: toward the target, and of the sentence as a whole. */
static int lexicon_features(extraction *x, stance_span target, stance_arena *scratch,
			    double *lexicon, stance_error *err)
{
	stance_lexicon_result toward, whole;
	int rc = stance_lexicon_score_span(x->m->lexicon, x->text, x->tokens, x->begin, x->end,
					   target, scratch, &toward, err);
	if (!rc)
		rc = stance_lexicon_score_span(x->m->lexicon, x->text, x->tokens, x->begin, x->end,
					       (stance_span){0, 0}, scratch, &whole, err);
	if (rc)
		return rc;
	*lexicon = toward.lexicon;
	if (score_features(x, "lex:", &toward) || score_features(x, "slex:", &whole))
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	return STANCE_OK;
}

/* The sentiment terms around the target, after negation: on which side, how far, which sign.
 * "<t> lied" and "lied to <t>" weigh differently on the target. */
static int term_features(extraction *x, stance_span target, stance_arena *scratch,
			 stance_error *err)
{
	stance_analysis a = {0};
	size_t nmasked = target.end > target.start;
	if (stance_lexicon_analyse(x->m->lexicon, x->text, x->tokens, x->begin, x->end, &target,
				   nmasked, scratch, &a) != 0)
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	char name[16];
	for (size_t k = 0; k < a.nterms; k++) {
		const stance_term *t = &a.terms[k];
		if (t->valence == 0 || (t->token >= x->t0 && t->token < x->t1))
			continue;
		bool left = t->token < x->t0;
		size_t d = left ? x->t0 - t->end + 1 : t->token - x->t1 + 1;
		snprintf(name, sizeof(name), "v%c%s:%c%s", left ? 'l' : 'r', bucket(d),
			 t->valence > 0 ? '+' : '-', t->negated ? "n" : "");
		if (emit(x, name, clamp01(fabs(t->valence) / 3.0)))
			return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	}
	return STANCE_OK;
}

/* Whether the target stands inside a quotation, and whether one follows or precedes it. */
static int quote_features(extraction *x)
{
	bool open = false, any = false;
	for (size_t i = x->begin; i < x->end; i++) {
		if (x->tokens[i].kind != STANCE_TOK_QUOTE)
			continue;
		any = true;
		if (i < x->t0) {
			uint8_t flags = x->tokens[i].flags;
			open = (flags & STANCE_TOKF_QUOTE_OPEN) ? true
			       : (flags & STANCE_TOKF_QUOTE_CLOSE) ? false
								   : !open;
		}
	}
	int rc = any ? emit(x, "q:sentence", 1.0) : 0;
	if (!rc && open)
		rc = emit(x, "q:inside", 1.0);
	return rc;
}

static size_t lower_copy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n > cap)
		return 0;
	return append_lower(dst, 0, s, n);
}

/* Cue verbs of the sentence: on which side of the target, how far, and what they carry. A
 * stance verb before the target usually has it as its object ("condemned <t>"), after it as
 * its subject. */
static int cue_features(extraction *x)
{
	static const char *const kinds[] = {"speech", "stance", "source"};
	char form[NAME_MAX_BYTES / 2], prefix[32];
	int rc = 0;
	for (size_t i = x->begin; !rc && i < x->end; i++) {
		const stance_token *t = &x->tokens[i];
		if (t->kind != STANCE_TOK_WORD || (i >= x->t0 && i < x->t1))
			continue;
		size_t n = lower_copy(form, sizeof(form), x->text + t->start, t->end - t->start);
		const stance_cue *cue = n ? stance_cues_find(x->m->cues, form, n) : NULL;
		if (!cue)
			continue;
		char side = i < x->t0 ? 'l' : 'r';
		size_t d = i < x->t0 ? x->t0 - i : i - x->t1 + 1;
		snprintf(prefix, sizeof(prefix), "k%c%s:%s:%+d", side, bucket(d), kinds[cue->kind],
			 cue->polarity);
		rc = emit(x, prefix, 1.0);
		snprintf(prefix, sizeof(prefix), "k%c:", side);
		if (!rc)
			rc = emit2(x, prefix, cue->lemma, strlen(cue->lemma), NULL, 0, 1.0);
	}
	return rc;
}

static bool is_pronoun(const extraction *x)
{
	static const char *const pronouns[] = {"he", "she", "they", "him", "her", "them", "his",
					       "their", "i", "we", "you", "it"};
	if (x->t1 != x->t0 + 1)
		return false;
	const stance_token *t = &x->tokens[x->t0];
	char form[8];
	size_t n = lower_copy(form, sizeof(form) - 1, x->text + t->start, t->end - t->start);
	form[n] = '\0';
	for (size_t k = 0; n && k < STANCE_ARRAY_LEN(pronouns); k++)
		if (strcmp(form, pronouns[k]) == 0)
			return true;
	return false;
}

static int position_features(extraction *x)
{
	static const char *const fifths[] = {"p:0", "p:1", "p:2", "p:3", "p:4"};
	size_t n = x->end - x->begin;
	size_t fifth = n ? (x->t0 - x->begin) * 5 / n : 0;
	int rc = emit(x, fifths[fifth < 5 ? fifth : 4], 1.0);
	if (!rc && x->t0 == x->begin)
		rc = emit(x, "p:first", 1.0);
	if (!rc && is_pronoun(x))
		rc = emit(x, "t:pronoun", 1.0);
	if (!rc)
		rc = emit(x, x->t1 - x->t0 <= 1 ? "t:len1" : x->t1 - x->t0 == 2 ? "t:len2" : "t:len3",
			  1.0);
	return rc;
}

/* The sentences holding the target's first and last byte, or all tokens without sentences. */
static void sentence_bounds(const stance_doc *doc, stance_span target, size_t *begin,
			    size_t *end)
{
	const stance_sentence *s = doc->sentences;
	size_t lo = 0, hi = doc->nsentences;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s[mid].end <= target.start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == doc->nsentences) {
		*begin = 0, *end = doc->ntokens;
		return;
	}
	size_t last = lo;
	while (last + 1 < doc->nsentences && s[last].end < target.end)
		last++;
	*begin = s[lo].tok_begin, *end = s[last].tok_end;
}

static void target_tokens(extraction *x, stance_span target)
{
	size_t i = x->begin;
	while (i < x->end && x->tokens[i].end <= target.start)
		i++;
	x->t0 = i;
	while (i < x->end && x->tokens[i].start < target.end)
		i++;
	x->t1 = i;
	x->at = x->t0 - x->begin;
	x->units = (x->end - x->begin) - (x->t1 - x->t0) + 1;
}

int stance_features_extract(const stance_models *m, const stance_doc *doc, stance_span target,
			    stance_arena *scratch, stance_feature_sink sink, void *ctx,
			    double *lexicon, stance_error *err)
{
	if (target.end < target.start || target.end > doc->len)
		return stance_fail(err, STANCE_EDATA, "%s: target [%u, %u) is outside the text",
				   doc->id, target.start, target.end);
	extraction x = {.m = m, .text = doc->text, .tokens = doc->tokens, .sink = sink,
			.ctx = ctx};
	sentence_bounds(doc, target, &x.begin, &x.end);
	target_tokens(&x, target);
	int rc = lexicon_features(&x, target, scratch, lexicon, err);
	if (!rc)
		rc = term_features(&x, target, scratch, err);
	if (rc)
		return rc;
	if (ngram_features(&x) || window_features(&x) || clause_features(&x) ||
	    quote_features(&x) || cue_features(&x) || position_features(&x))
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", doc->id);
	return STANCE_OK;
}

/* --- dictionary --- */

/* An open-addressing table from a name's 64-bit hash to its index. A lookup touches one slot
 * and never the name: the names of a model differ in their hashes (stance_dictionary_add
 * refuses a second name with the same hash), and an unknown name has a chance of about
 * size / 2^64 to meet a known hash. Predictions look up every feature, so this matters. */
typedef struct slot {
	uint64_t hash;
	uint32_t index; /* 0: empty */
} slot;

struct stance_dictionary {
	slot *slots;
	size_t cap;           /* a power of two, at most half full */
	stance_arena *strings;
	const char **names;   /* names[i - 1] is the name of index i */
	size_t n, names_cap;
};

int stance_dictionary_new(stance_dictionary **out)
{
	stance_dictionary *d = calloc(1, sizeof(*d));
	if (d) {
		d->cap = 1024;
		d->slots = calloc(d->cap, sizeof(*d->slots));
	}
	if (!d || !d->slots || stance_arena_new(&d->strings) != 0) {
		stance_dictionary_free(d);
		return STANCE_EINTERNAL;
	}
	*out = d;
	return STANCE_OK;
}

void stance_dictionary_free(stance_dictionary *dict)
{
	if (!dict)
		return;
	free(dict->slots);
	stance_arena_free(dict->strings);
	free(dict->names);
	free(dict);
}

size_t stance_dictionary_size(const stance_dictionary *dict)
{
	return dict->n;
}

static slot *find_slot(const stance_dictionary *dict, uint64_t hash)
{
	size_t i = hash & (dict->cap - 1);
	while (dict->slots[i].index && dict->slots[i].hash != hash)
		i = (i + 1) & (dict->cap - 1);
	return &dict->slots[i];
}

uint32_t stance_dictionary_find(const stance_dictionary *dict, const char *name, size_t len)
{
	return find_slot(dict, stance_hash(name, len))->index;
}

static int grow_slots(stance_dictionary *dict)
{
	slot *old = dict->slots;
	size_t old_cap = dict->cap;
	dict->slots = calloc(old_cap * 2, sizeof(*dict->slots));
	if (!dict->slots) {
		dict->slots = old;
		return -1;
	}
	dict->cap = old_cap * 2;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].index)
			*find_slot(dict, old[i].hash) = old[i];
	free(old);
	return 0;
}

static int append_name(stance_dictionary *dict, const char *name, size_t len)
{
	if (dict->n == dict->names_cap) {
		size_t cap = dict->names_cap ? dict->names_cap * 2 : 1024;
		const char **names = realloc(dict->names, cap * sizeof(*names));
		if (!names)
			return -1;
		dict->names = names;
		dict->names_cap = cap;
	}
	const char *copy = stance_arena_strndup(dict->strings, name, len);
	if (!copy)
		return -1;
	dict->names[dict->n++] = copy;
	return 0;
}

uint32_t stance_dictionary_add(stance_dictionary *dict, const char *name, size_t len)
{
	uint64_t hash = stance_hash(name, len);
	slot *s = find_slot(dict, hash);
	if (s->index) {
		const char *known = dict->names[s->index - 1];
		bool same = strlen(known) == len && memcmp(known, name, len) == 0;
		return same ? s->index : 0;
	}
	if ((dict->n + 1) * 2 > dict->cap) {
		if (grow_slots(dict) != 0)
			return 0;
		s = find_slot(dict, hash);
	}
	if (append_name(dict, name, len) != 0)
		return 0;
	*s = (slot){hash, (uint32_t)dict->n};
	return s->index;
}

const char *stance_dictionary_name(const stance_dictionary *dict, uint32_t i)
{
	return i >= 1 && i <= dict->n ? dict->names[i - 1] : NULL;
}

/* --- vectors --- */
typedef struct builder {
	stance_dictionary *grow;         /* while training */
	const stance_dictionary *frozen; /* while predicting */
	stance_arena *scratch;
	stance_feature *items;
	size_t n, cap;
} builder;

static int collect(void *ctx, const char *name, size_t len, double value)
{
	builder *b = ctx;
	uint32_t index = b->grow ? stance_dictionary_add(b->grow, name, len)
				 : stance_dictionary_find(b->frozen, name, len);
	if (index == 0)
		return b->grow ? -1 : 0;
	stance_feature *f = stance_arena_push(b->scratch, (void **)&b->items, &b->n, &b->cap,
					      sizeof(*f));
	if (!f)
		return -1;
	*f = (stance_feature){index, value};
	return 0;
}

/* Keeps one item per index, with the largest value, in first-seen order: an open-addressing
 * set over the positions of kept items makes it linear. */
static int merge_duplicates(builder *b)
{
	size_t cap = 64;
	while (cap < 2 * b->n)
		cap *= 2;
	uint32_t *kept = stance_arena_calloc(b->scratch, cap, sizeof(*kept)); /* position + 1 */
	if (!kept)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++) {
		stance_feature f = b->items[i];
		size_t h = (f.index * 2654435761u) & (cap - 1);
		while (kept[h] && b->items[kept[h] - 1].index != f.index)
			h = (h + 1) & (cap - 1);
		if (kept[h]) {
			stance_feature *same = &b->items[kept[h] - 1];
			same->value = f.value > same->value ? f.value : same->value;
			continue;
		}
		b->items[n++] = f;
		kept[h] = (uint32_t)n;
	}
	b->n = n;
	return 0;
}

static int by_index(const void *a, const void *b)
{
	uint32_t x = ((const stance_feature *)a)->index, y = ((const stance_feature *)b)->index;
	return (x > y) - (x < y);
}

static int build(builder *b, const stance_models *m, const stance_doc *doc, stance_span target,
		 stance_feature_vector *out, stance_error *err)
{
	double lexicon = 0;
	int rc = stance_features_extract(m, doc, target, b->scratch, collect, b, &lexicon, err);
	if (!rc && merge_duplicates(b) != 0)
		rc = stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", doc->id);
	*out = (stance_feature_vector){.items = b->items, .n = b->n, .lexicon = lexicon};
	return rc;
}

int stance_features_learn(const stance_models *m, const stance_doc *doc, stance_span target,
			  stance_dictionary *dict, stance_arena *scratch,
			  stance_feature_vector *out, stance_error *err)
{
	builder b = {.grow = dict, .scratch = scratch};
	int rc = build(&b, m, doc, target, out, err);
	if (!rc)
		qsort(out->items, out->n, sizeof(*out->items), by_index); /* as libsvm wants */
	return rc;
}

int stance_features_lookup(const stance_models *m, const stance_doc *doc, stance_span target,
			   const stance_dictionary *dict, stance_arena *scratch,
			   stance_feature_vector *out, stance_error *err)
{
	builder b = {.frozen = dict, .scratch = scratch};
	return build(&b, m, doc, target, out, err);
}

static bool starts_codepoint(const stance_doc *doc, size_t i)
{
	return i == doc->original_len || ((unsigned char)doc->original[i] & 0xC0) != 0x80;
}

int stance_features_codepoint_span(const stance_doc *doc, size_t from, size_t to,
				   stance_span *out, stance_error *err)
{
	size_t byte_from = 0, cps = 0;
	for (size_t i = 0; from < to && doc->orig_off && i <= doc->original_len; i++) {
		if (!starts_codepoint(doc, i))
			continue;
		if (cps == from)
			byte_from = i;
		if (cps++ == to) {
			*out = (stance_span){(uint32_t)stance_doc_normalised_offset(doc, byte_from),
					     (uint32_t)stance_doc_normalised_offset(doc, i)};
			return STANCE_OK;
		}
	}
	size_t total = 0;
	for (size_t i = 0; i < doc->original_len; i++)
		total += starts_codepoint(doc, i);
	return stance_fail(err, STANCE_EDATA, "%s: target [%zu, %zu) is not a span of the "
			   "sentence's %zu code points", doc->id, from, to, total);
}

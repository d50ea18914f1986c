/* The SVM's features of a target mention: one extractor for training and prediction, and the
 * dictionary that numbers the features. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cues.h"
#include "embeddings.h"
#include "lexicon.h"
#include "stance_features.h"

#define NAME_MAX_BYTES 96
#define WINDOW 10            /* tokens each side of the target that name window features */
#define PLACEHOLDER "<t>"    /* the target, as one token of the sentence */
#define NEAR 5               /* tokens each side of the target in the near contexts */
/* Tokens each side that the wide contexts reach: their sums of byte vectors stay far within
 * int32_t, and no real sentence is that long. */
#define VECTOR_REACH 65536
/* What a mean word vector's components weigh against the sparse features, whose values are
 * about 1: chosen by cross-validation on the training set (2 to 6 score alike). */
#define VECTOR_WEIGHT 3.0

/* Names are hashed as lexicon keys are (stance_key_hash() in lexicon.h), and as they are
 * built: the sum of a token's bytes composes into every name that holds it. */
/* A feature name as it is built: its hash so far and, when the sink wants them, its bytes,
 * lower-cased and cut at NAME_MAX_BYTES. */
typedef struct feature_name {
	uint64_t sum;
	size_t len;
	char bytes[NAME_MAX_BYTES];
} feature_name;

/* A token as feature names write it, lower-cased: its length, the polynomial of its bytes
 * from 0, and STANCE_KEY_MULTIPLIER^len. */
typedef struct token_form {
	uint64_t sum, power;
	size_t len;
} token_form;

typedef int (*name_sink)(void *ctx, const feature_name *name, double value);

/* The contexts whose mean word vector is a block of dense features: all words left of the
 * target, all right of it, both, and the NEAR words on each side. Feature j of a block is
 * named by its prefix and j. */
enum { CONTEXT_LEFT, CONTEXT_RIGHT, CONTEXT_SENTENCE, CONTEXT_NEAR_LEFT, CONTEXT_NEAR_RIGHT,
       NCONTEXTS };
static const char *const context_prefixes[NCONTEXTS] = {"el:", "er:", "es:", "el5:", "er5:"};

/* Receives the block of one context at once, where names would cost a look-up apiece. */
typedef int (*dense_sink)(void *ctx, size_t context, const double *values, size_t dims);

/* Where an extraction's features go. */
typedef struct sinks {
	name_sink name;
	dense_sink dense;  /* NULL: word vector blocks go to name, feature by feature */
	void *ctx;
	bool spell;        /* whether name reads names, not just their hashes */
} sinks;

/* The prefixes every target names many features with, summed once per cache. */
enum {
	PREFIX_UNIGRAM,
	PREFIX_BIGRAM,
	PREFIX_LEFT_PAIR,
	PREFIX_RIGHT_PAIR,
	PREFIX_CLAUSE,
	PREFIX_LEFT,                /* + distance bucket */
	PREFIX_RIGHT = PREFIX_LEFT + 5,
	NPREFIXES = PREFIX_RIGHT + 5
};

static const char *const prefixes[NPREFIXES] = {
	[PREFIX_UNIGRAM] = "u:", [PREFIX_BIGRAM] = "b:", [PREFIX_LEFT_PAIR] = "lb:",
	[PREFIX_RIGHT_PAIR] = "rb:", [PREFIX_CLAUSE] = "c:",
	[PREFIX_LEFT] = "l1:", "l2:", "l3:", "l5:", "l8:",
	[PREFIX_RIGHT] = "r1:", "r2:", "r3:", "r5:", "r8:"};

/* What the targets of one document share: the lexicon's matches at every token, and the views
 * of the last sentence a target stood in, since targets come sentence by sentence. */
struct stance_feature_cache {
	const stance_token_match *matches; /* NULL: the analyses look terms up */
	stance_arena *arena;               /* of the buffers below */
	bool valid;                        /* whether the views below are of [begin, end) */
	size_t begin, end;
	const stance_analysis *unmasked;   /* of the sentence, nothing masked: analysis or shared */
	stance_analysis analysis;
	const stance_analysis *shared;     /* the scorer's, when it equals the unmasked one */
	size_t shared_begin, shared_end;
	stance_lexicon_result whole;       /* the lexicon's view of the sentence as a whole */
	const stance_cue **cues;           /* cues[i - begin]: the cue word token i is, or NULL */
	token_form *forms;                 /* forms[i - begin]: of token i */
	const int8_t **vectors;            /* vectors[i - begin]: of token i, or NULL */
	size_t cap;                        /* tokens the two can take */
	token_form prefixes[NPREFIXES];    /* each summed from STANCE_KEY_SEED */
};

static void cache_init(stance_feature_cache *c, stance_arena *arena,
		       const stance_token_match *matches)
{
	*c = (stance_feature_cache){.matches = matches, .arena = arena};
	for (size_t k = 0; k < NPREFIXES; k++) {
		token_form *f = &c->prefixes[k];
		f->len = strlen(prefixes[k]);
		f->sum = STANCE_KEY_SEED;
		for (size_t i = 0; i < f->len; i++)
			f->sum = stance_key_byte(f->sum, prefixes[k][i]);
	}
}

stance_feature_cache *stance_feature_cache_new(stance_doc *doc,
					       const stance_token_match *matches)
{
	stance_feature_cache *c = stance_arena_alloc(doc->arena, sizeof(*c));
	if (c)
		cache_init(c, doc->arena, matches);
	return c;
}

void stance_feature_cache_share(stance_feature_cache *cache, const stance_analysis *analysis,
				size_t begin, size_t end)
{
	cache->valid = false;
	cache->shared = analysis;
	cache->shared_begin = begin;
	cache->shared_end = end;
}

/* What one extraction reads and where its names go. Positions p run over the sentence with
 * the target's tokens [t0, t1) replaced by the placeholder: p < at are tokens begin + p, p == at
 * is the target, p > at are tokens t1 + (p - at - 1). */
typedef struct extraction {
	const stance_models *m;
	const char *text;
	const stance_token *tokens;
	stance_feature_cache *cache;
	stance_arena *scratch;
	size_t begin, end; /* the sentence's tokens */
	size_t t0, t1;     /* the target's tokens */
	size_t at, units;  /* the placeholder's position; positions in all */
	name_sink sink;
	dense_sink dense;  /* NULL: word vector features go to sink by name */
	void *ctx;
	bool spell;        /* whether the sink reads names, not just their hashes */
	feature_name name;
} extraction;

static size_t token_at(const extraction *x, size_t p)
{
	return p < x->at ? x->begin + p : x->t1 + (p - x->at - 1);
}

/* The form a token takes in feature names: numbers and URLs by class, words as written (names
 * lower-case them). */
static void token_spelling(const extraction *x, size_t i, const char **s, size_t *n)
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

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static void name_begin(extraction *x)
{
	x->name.sum = STANCE_KEY_SEED;
	x->name.len = 0;
}

static void name_add(extraction *x, const char *s, size_t n)
{
	feature_name *name = &x->name;
	if (n > NAME_MAX_BYTES - name->len)
		n = NAME_MAX_BYTES - name->len;
	uint64_t h = name->sum;
	char *out = name->bytes + name->len;
	for (size_t i = 0; i < n; i++) {
		char c = ascii_lower(s[i]);
		h = stance_key_byte(h, c);
		if (x->spell)
			out[i] = c;
	}
	name->sum = h;
	name->len += n;
}

/* Token i of the sentence, from its summed form unless the name would run past its end. */
static void name_add_token(extraction *x, size_t i)
{
	const token_form *f = &x->cache->forms[i - x->begin];
	const char *s;
	size_t n;
	if (x->name.len + f->len > NAME_MAX_BYTES || x->spell) {
		token_spelling(x, i, &s, &n);
		name_add(x, s, n);
		return;
	}
	x->name.sum = x->name.sum * f->power + f->sum;
	x->name.len += f->len;
}

/* Position p of the sentence with the placeholder; -1 and units are its boundaries. */
static void name_add_unit(extraction *x, ptrdiff_t p)
{
	if (p < 0)
		name_add(x, "<s>", 3);
	else if ((size_t)p == x->units)
		name_add(x, "</s>", 4);
	else if ((size_t)p == x->at)
		name_add(x, PLACEHOLDER, sizeof(PLACEHOLDER) - 1);
	else
		name_add_token(x, token_at(x, (size_t)p));
}

/* Starts a name with one of the prefixes. */
static void name_begin_with(extraction *x, size_t prefix)
{
	const token_form *f = &x->cache->prefixes[prefix];
	x->name.sum = f->sum;
	x->name.len = f->len;
	if (x->spell)
		memcpy(x->name.bytes, prefixes[prefix], f->len);
}

static void name_add_string(extraction *x, const char *s)
{
	name_add(x, s, strlen(s));
}

/* Appends v as printf's "%+d" writes it. */
static void name_add_signed(extraction *x, int v)
{
	char digits[16];
	size_t at = sizeof(digits);
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do
		digits[--at] = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	digits[--at] = v < 0 ? '-' : '+';
	name_add(x, digits + at, sizeof(digits) - at);
}

static int name_emit(extraction *x, double value)
{
	return x->sink(x->ctx, &x->name, value);
}

static int emit(extraction *x, const char *name, double value)
{
	name_begin(x);
	name_add_string(x, name);
	return name_emit(x, value);
}

/* Emits a prefix + the unit at p, or the prefix + units p and q joined by a space when
 * q >= -1. */
static int emit_units(extraction *x, size_t prefix, ptrdiff_t p, ptrdiff_t q, double value)
{
	name_begin_with(x, prefix);
	name_add_unit(x, p);
	if (q >= -1) {
		name_add(x, " ", 1);
		name_add_unit(x, q);
	}
	return name_emit(x, value);
}

#define ALONE (-2) /* no second unit */

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
	ptrdiff_t units = (ptrdiff_t)x->units;
	int rc = 0;
	for (ptrdiff_t p = 0; !rc && p <= units; p++) {
		if (p < units)
			rc = emit_units(x, PREFIX_UNIGRAM, p, ALONE, value);
		if (!rc)
			rc = emit_units(x, PREFIX_BIGRAM, p - 1, p, value);
	}
	return rc;
}

/* The two words on each side of the target as a pair: "<t> was praised" turns on the pair. */
static int window_pairs(extraction *x)
{
	ptrdiff_t at = (ptrdiff_t)x->at;
	int rc = 0;
	if (x->at >= 2)
		rc = emit_units(x, PREFIX_LEFT_PAIR, at - 2, at - 1, 1.0);
	if (!rc && x->at + 2 < x->units)
		rc = emit_units(x, PREFIX_RIGHT_PAIR, at + 1, at + 2, 1.0);
	return rc;
}

static int window_features(extraction *x)
{
	ptrdiff_t at = (ptrdiff_t)x->at;
	int rc = window_pairs(x);
	for (size_t d = 1; !rc && d <= WINDOW; d++) {
		if (d <= x->at)
			rc = emit_units(x, PREFIX_LEFT + bucket_of(d), at - (ptrdiff_t)d, ALONE, 1.0);
		if (!rc && x->at + d < x->units)
			rc = emit_units(x, PREFIX_RIGHT + bucket_of(d), at + (ptrdiff_t)d, ALONE, 1.0);
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
		name_begin_with(x, PREFIX_CLAUSE);
		name_add_token(x, i);
		rc = name_emit(x, 1.0);
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
		if (f[i].value > 0) {
			name_begin(x);
			name_add_string(x, prefix);
			name_add_string(x, f[i].suffix);
			rc = name_emit(x, f[i].value);
		}
	return rc;
}

/* The sentiment terms around the target, after negation: on which side, how far, which sign.
 * "<t> lied" and "lied to <t>" weigh differently on the target. */
static int term_features(extraction *x, const stance_analysis *a)
{
	int rc = 0;
	for (size_t k = 0; !rc && k < a->nterms; k++) {
		const stance_term *t = &a->terms[k];
		if (t->valence == 0 || (t->token >= x->t0 && t->token < x->t1))
			continue;
		bool left = t->token < x->t0;
		size_t d = left ? x->t0 - t->end + 1 : t->token - x->t1 + 1;
		name_begin(x);
		name_add(x, left ? "vl" : "vr", 2);
		name_add_string(x, bucket(d));
		name_add(x, t->valence > 0 ? ":+" : ":-", 2);
		if (t->negated)
			name_add(x, "n", 1);
		rc = name_emit(x, clamp01(fabs(t->valence) / 3.0));
	}
	return rc;
}

static stance_token_run sentence_run(const extraction *x)
{
	return (stance_token_run){x->text, x->tokens, x->cache->matches, x->begin, x->end};
}

/* The lexicon's view: toward the target, and of the sentence as a whole; and the terms the
 * view toward the target is made of. */
static int lexicon_features(extraction *x, stance_span target, double *lexicon,
			    stance_error *err)
{
	const stance_token_run run = sentence_run(x);
	stance_analysis masked = {0};
	const stance_analysis *a = x->cache->unmasked;
	if (!stance_lexicon_mask_is_inert(&run, x->t0, x->t1)) {
		if (stance_lexicon_analyse(x->m->lexicon, &run, &target, target.end > target.start,
					   x->scratch, &masked) != 0)
			return stance_fail(err, STANCE_EINTERNAL, "out of memory");
		a = &masked;
	}
	stance_lexicon_result toward;
	if (target.end > target.start && x->t0 < x->t1)
		stance_analysis_target(a, &(stance_span){(uint32_t)x->t0, (uint32_t)x->t1}, 1, 0,
				       &toward);
	else
		stance_analysis_whole(a, &toward);
	*lexicon = toward.lexicon;
	if (score_features(x, "lex:", &toward) || score_features(x, "slex:", &x->cache->whole) ||
	    term_features(x, a))
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
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
	for (size_t i = 0; i < n; i++)
		dst[i] = ascii_lower(s[i]);
	return n;
}

static const stance_cue *cue_of(const extraction *x, size_t i)
{
	const stance_token *t = &x->tokens[i];
	char form[NAME_MAX_BYTES / 2];
	if (t->kind != STANCE_TOK_WORD)
		return NULL;
	size_t n = lower_copy(form, sizeof(form), x->text + t->start, t->end - t->start);
	return n ? stance_cues_find(x->m->cues, form, n) : NULL;
}

static token_form form_of(const extraction *x, size_t i)
{
	const char *s;
	token_form f = {0, 1, 0};
	token_spelling(x, i, &s, &f.len);
	for (size_t k = 0; k < f.len; k++) {
		f.sum = stance_key_byte(f.sum, ascii_lower(s[k]));
		f.power *= STANCE_KEY_MULTIPLIER;
	}
	return f;
}

static const int8_t *vector_of(const extraction *x, size_t i)
{
	const stance_token *t = &x->tokens[i];
	if (!x->m->embeddings)
		return NULL;
	return stance_embeddings_find(x->m->embeddings, x->text + t->start, t->end - t->start);
}

/* The views of the sentence that every target in it shares, unless the cache has them. */
static int sentence_views(extraction *x, stance_error *err)
{
	stance_feature_cache *c = x->cache;
	if (c->valid && c->begin == x->begin && c->end == x->end)
		return STANCE_OK;
	c->valid = false;
	size_t n = x->end - x->begin;
	if (n > c->cap) {
		c->cues = stance_arena_alloc(c->arena, n * sizeof(*c->cues));
		c->forms = stance_arena_alloc(c->arena, n * sizeof(*c->forms));
		c->vectors = stance_arena_alloc(c->arena, n * sizeof(*c->vectors));
		c->cap = c->cues && c->forms && c->vectors ? n : 0;
	}
	const stance_token_run run = sentence_run(x);
	bool shared = c->shared && c->shared_begin == x->begin && c->shared_end == x->end;
	c->unmasked = shared ? c->shared : &c->analysis;
	if (n > c->cap || (!shared && stance_lexicon_analyse(x->m->lexicon, &run, NULL, 0,
							     c->arena, &c->analysis) != 0))
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	stance_analysis_whole(c->unmasked, &c->whole);
	for (size_t i = x->begin; i < x->end; i++) {
		c->cues[i - x->begin] = cue_of(x, i);
		c->forms[i - x->begin] = form_of(x, i);
		c->vectors[i - x->begin] = vector_of(x, i);
	}
	c->valid = true;
	c->begin = x->begin;
	c->end = x->end;
	return STANCE_OK;
}

/* Cue verbs of the sentence: on which side of the target, how far, and what they carry. A
 * stance verb before the target usually has it as its object ("condemned <t>"), after it as
 * its subject. */
static int cue_features(extraction *x)
{
	static const char *const kinds[] = {"speech:", "stance:", "source:"};
	int rc = 0;
	for (size_t i = x->begin; !rc && i < x->end; i++) {
		const stance_cue *cue = x->cache->cues[i - x->begin];
		if (!cue || (i >= x->t0 && i < x->t1))
			continue;
		const char *side = i < x->t0 ? "kl" : "kr";
		size_t d = i < x->t0 ? x->t0 - i : i - x->t1 + 1;
		name_begin(x);
		name_add(x, side, 2);
		name_add_string(x, bucket(d));
		name_add(x, ":", 1);
		name_add_string(x, kinds[cue->kind]);
		name_add_signed(x, cue->polarity);
		rc = name_emit(x, 1.0);
		if (!rc) {
			name_begin(x);
			name_add(x, side, 2);
			name_add(x, ":", 1);
			name_add_string(x, cue->lemma);
			rc = name_emit(x, 1.0);
		}
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

static int emit_block(extraction *x, size_t context, const double *values, size_t dims)
{
	if (x->dense)
		return x->dense(x->ctx, context, values, dims);
	int rc = 0;
	for (size_t j = 0; !rc && j < dims; j++) {
		if (values[j] == 0)
			continue;
		name_begin(x);
		name_add_string(x, context_prefixes[context]);
		name_add_signed(x, (int)j);
		rc = name_emit(x, values[j]);
	}
	return rc;
}

/* Adds the vectors of tokens [from, to) to sum; returns how many tokens had one. */
static size_t sum_vectors(const extraction *x, size_t from, size_t to, int32_t *sum,
			  size_t dims)
{
	size_t count = 0;
	memset(sum, 0, dims * sizeof(*sum));
	for (size_t i = from; i < to; i++) {
		const int8_t *v = x->cache->vectors[i - x->begin];
		if (!v)
			continue;
		for (size_t j = 0; j < dims; j++)
			sum[j] += v[j];
		count++;
	}
	return count;
}

/* The mean word vector of each context of the target, over the words that have one. */
static int vector_features(extraction *x)
{
	const stance_embeddings *e = x->m->embeddings;
	if (!e)
		return 0;
	size_t dims = stance_embeddings_dims(e), counts[NCONTEXTS];
	int32_t sums[NCONTEXTS][STANCE_EMBEDDINGS_MAX_DIMS];
	size_t left = x->t0 - x->begin > VECTOR_REACH ? x->t0 - VECTOR_REACH : x->begin;
	size_t right = x->end - x->t1 > VECTOR_REACH ? x->t1 + VECTOR_REACH : x->end;
	counts[CONTEXT_LEFT] = sum_vectors(x, left, x->t0, sums[CONTEXT_LEFT], dims);
	counts[CONTEXT_RIGHT] = sum_vectors(x, x->t1, right, sums[CONTEXT_RIGHT], dims);
	counts[CONTEXT_NEAR_LEFT] = sum_vectors(x, x->t0 - x->begin > NEAR ? x->t0 - NEAR : x->begin,
						x->t0, sums[CONTEXT_NEAR_LEFT], dims);
	counts[CONTEXT_NEAR_RIGHT] = sum_vectors(x, x->t1, x->end - x->t1 > NEAR ? x->t1 + NEAR
										   : x->end,
						 sums[CONTEXT_NEAR_RIGHT], dims);
	counts[CONTEXT_SENTENCE] = counts[CONTEXT_LEFT] + counts[CONTEXT_RIGHT];
	for (size_t j = 0; j < dims; j++)
		sums[CONTEXT_SENTENCE][j] = sums[CONTEXT_LEFT][j] + sums[CONTEXT_RIGHT][j];
	double values[STANCE_EMBEDDINGS_MAX_DIMS];
	int rc = 0;
	for (size_t k = 0; !rc && k < NCONTEXTS; k++) {
		double unit = counts[k] ? VECTOR_WEIGHT * stance_embeddings_scale(e) /
						  (double)counts[k]
					: 0;
		for (size_t j = 0; j < dims; j++)
			values[j] = sums[k][j] * unit;
		rc = emit_block(x, k, values, dims);
	}
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

/* Outside stance_score() no cache is kept: a fresh one serves the one target. */
static int extract(const stance_models *m, const stance_doc *doc, stance_span target,
		   stance_arena *scratch, const sinks *to, double *lexicon, stance_error *err)
{
	if (target.end < target.start || target.end > doc->len)
		return stance_fail(err, STANCE_EDATA, "%s: target [%u, %u) is outside the text",
				   doc->id, target.start, target.end);
	stance_feature_cache fresh;
	if (!doc->feature_cache)
		cache_init(&fresh, scratch, NULL);
	extraction x = {.m = m, .text = doc->text, .tokens = doc->tokens,
			.cache = doc->feature_cache ? doc->feature_cache : &fresh,
			.scratch = scratch, .sink = to->name, .dense = to->dense, .ctx = to->ctx,
			.spell = to->spell};
	sentence_bounds(doc, target, &x.begin, &x.end);
	target_tokens(&x, target);
	int rc = sentence_views(&x, err);
	if (!rc)
		rc = lexicon_features(&x, target, lexicon, err);
	if (rc)
		return rc;
	if (ngram_features(&x) || window_features(&x) || clause_features(&x) ||
	    quote_features(&x) || cue_features(&x) || position_features(&x) ||
	    vector_features(&x))
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", doc->id);
	return STANCE_OK;
}

typedef struct named {
	stance_feature_sink sink;
	void *ctx;
} named;

static int pass_name(void *ctx, const feature_name *name, double value)
{
	const named *n = ctx;
	return n->sink(n->ctx, name->bytes, name->len, value);
}

int stance_features_extract(const stance_models *m, const stance_doc *doc, stance_span target,
			    stance_arena *scratch, stance_feature_sink sink, void *ctx,
			    double *lexicon, stance_error *err)
{
	named n = {sink, ctx};
	const sinks to = {.name = pass_name, .ctx = &n, .spell = true};
	return extract(m, doc, target, scratch, &to, lexicon, err);
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
	uint32_t *dense;      /* dense[context * dense_dims + j]: index of block feature j, or 0 */
	size_t dense_dims;
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
	free(dict->dense);
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
	return find_slot(dict, stance_key_hash(name, len))->index;
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
	uint64_t hash = stance_key_hash(name, len);
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

/* The context and component a word vector feature's name holds; false for other names. */
static bool parse_block_name(const char *name, size_t *context, unsigned long *j)
{
	for (size_t k = 0; k < NCONTEXTS; k++) {
		size_t n = strlen(context_prefixes[k]);
		if (strncmp(name, context_prefixes[k], n) != 0)
			continue;
		char *end;
		*context = k;
		*j = strtoul(name + n + 1, &end, 10);
		return name[n] == '+' && *end == '\0';
	}
	return false;
}

const uint32_t *stance_dictionary_blocks(const stance_dictionary *dict, size_t *n)
{
	*n = dict->dense ? NCONTEXTS * dict->dense_dims : 0;
	return dict->dense;
}

int stance_dictionary_bind_dense(stance_dictionary *dict, size_t dims)
{
	free(dict->dense);
	dict->dense = NULL;
	dict->dense_dims = dims;
	for (uint32_t i = 1; i <= dict->n; i++) {
		size_t context;
		unsigned long j;
		if (!parse_block_name(dict->names[i - 1], &context, &j))
			continue;
		if (j >= dims)
			return STANCE_EMODEL;
		if (!dict->dense && !(dict->dense = calloc(NCONTEXTS * dims, sizeof(*dict->dense))))
			return STANCE_EINTERNAL;
		dict->dense[context * dims + j] = i;
	}
	return STANCE_OK;
}

/* --- vectors --- */
typedef struct builder {
	stance_dictionary *grow;         /* while training */
	const stance_dictionary *frozen; /* while predicting */
	stance_arena *scratch;
	stance_feature *items;
	size_t n, cap;
	stance_feature *blocks; /* word vector features, apart: their indices never repeat */
	size_t nblocks;
	bool blocks_dense;      /* word vector blocks go to block_values, not to items */
	double *block_values;   /* NCONTEXTS x dims, in the dictionary's block order */
} builder;

/* A target has a few hundred features: the vector starts that large, and doubles. */
static int grow_items(builder *b)
{
	size_t cap = b->cap ? 2 * b->cap : 256;
	stance_feature *items = stance_arena_alloc(b->scratch, cap * sizeof(*items));
	if (!items)
		return -1;
	if (b->n)
		memcpy(items, b->items, b->n * sizeof(*items));
	b->items = items;
	b->cap = cap;
	return 0;
}

static int append_item(builder *b, uint32_t index, double value)
{
	if (b->n == b->cap && grow_items(b) != 0)
		return -1;
	b->items[b->n++] = (stance_feature){index, value};
	return 0;
}

/* A frozen dictionary knows the indices of a block's features (stance_dictionary_bind_dense). */
static int collect_block(void *ctx, size_t context, const double *values, size_t dims)
{
	builder *b = ctx;
	if (!b->frozen->dense || dims != b->frozen->dense_dims)
		return 0;
	if (b->blocks_dense) {
		if (!b->block_values && !(b->block_values = stance_arena_alloc(
						  b->scratch, NCONTEXTS * dims * sizeof(double))))
			return -1;
		memcpy(b->block_values + context * dims, values, dims * sizeof(*values));
		return 0;
	}
	if (!b->blocks && !(b->blocks = stance_arena_alloc(b->scratch, NCONTEXTS * dims *
							     sizeof(*b->blocks))))
		return -1;
	const uint32_t *index = b->frozen->dense + context * dims;
	for (size_t j = 0; j < dims; j++)
		if (index[j] && values[j] != 0)
			b->blocks[b->nblocks++] = (stance_feature){index[j], values[j]};
	return 0;
}

/* After the merge, which they need not go through. */
static int append_blocks(builder *b)
{
	while (b->n + b->nblocks > b->cap)
		if (grow_items(b) != 0)
			return -1;
	if (b->nblocks)
		memcpy(b->items + b->n, b->blocks, b->nblocks * sizeof(*b->items));
	b->n += b->nblocks;
	return 0;
}

static int collect(void *ctx, const feature_name *name, double value)
{
	builder *b = ctx;
	uint32_t index = b->grow ? stance_dictionary_add(b->grow, name->bytes, name->len)
				 : find_slot(b->frozen, stance_mix64(name->sum))->index;
	if (index == 0)
		return b->grow ? -1 : 0;
	return append_item(b, index, value);
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
	const sinks to = {.name = collect, .dense = b->frozen ? collect_block : NULL, .ctx = b,
			  .spell = b->grow != NULL};
	int rc = extract(m, doc, target, b->scratch, &to, &lexicon, err);
	if (!rc && (merge_duplicates(b) != 0 || append_blocks(b) != 0))
		rc = stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", doc->id);
	*out = (stance_feature_vector){.items = b->items, .n = b->n, .lexicon = lexicon,
				       .blocks = b->block_values};
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

int stance_features_lookup_blocks(const stance_models *m, const stance_doc *doc,
				  stance_span target, const stance_dictionary *dict,
				  stance_arena *scratch, stance_feature_vector *out,
				  stance_error *err)
{
	builder b = {.frozen = dict, .scratch = scratch, .blocks_dense = true};
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

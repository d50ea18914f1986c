/* Stage 6, aggregate: sufficient statistics per (speaker, speaker party, target), and what a
 * reader takes from them: means, standard deviation, a Student-t interval and a label. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct stance_agg {
	stance_arena *strings;
	stance_strmap *index; /* "target\x1fparty\x1fspeaker" -> uint32_t position in pairs */
	stance_pair *pairs;
	uint32_t *order;      /* pair positions sorted by target, party, speaker */
	size_t n, cap;
	bool sorted;          /* order is up to date */
};

const char *stance_label(double tone)
{
	static const char *const labels[] = {"negative", "neutral", "positive"};
	return labels[stance_label_value(tone) + 1];
}

int stance_label_value(double tone)
{
	return tone < -STANCE_NEUTRAL_BAND ? -1 : tone > STANCE_NEUTRAL_BAND ? 1 : 0;
}

static int64_t fixed(double x)
{
	return llround(x * STANCE_FIXED_ONE);
}

void stance_stats_add_score(stance_stats *stats, double lexicon, double svm, double tone)
{
	stats->n++;
	stats->sum_lexicon += fixed(lexicon);
	stats->sumsq_lexicon += fixed(lexicon * lexicon);
	if (!isnan(svm)) {
		stats->n_svm++;
		stats->sum_svm += fixed(svm);
		stats->sumsq_svm += fixed(svm * svm);
	}
	stats->sum_tone += fixed(tone);
	stats->sumsq_tone += fixed(tone * tone);
	int label = stance_label_value(tone);
	stats->n_negative += label < 0;
	stats->n_positive += label > 0;
}

void stance_stats_merge(stance_stats *into, const stance_stats *from)
{
	into->n += from->n;
	into->n_svm += from->n_svm;
	into->n_negative += from->n_negative;
	into->n_positive += from->n_positive;
	into->sum_lexicon += from->sum_lexicon;
	into->sumsq_lexicon += from->sumsq_lexicon;
	into->sum_svm += from->sum_svm;
	into->sumsq_svm += from->sumsq_svm;
	into->sum_tone += from->sum_tone;
	into->sumsq_tone += from->sumsq_tone;
}

void stance_stats_summarise(const stance_stats *stats, stance_summary *out)
{
	double n = (double)stats->n;
	out->lexicon = n ? stats->sum_lexicon / STANCE_FIXED_ONE / n : NAN;
	out->svm = stats->n_svm ? stats->sum_svm / STANCE_FIXED_ONE / (double)stats->n_svm : NAN;
	out->tone = n ? stats->sum_tone / STANCE_FIXED_ONE / n : NAN;
	out->share_negative = n ? stats->n_negative / n : NAN;
	out->share_positive = n ? stats->n_positive / n : NAN;
	out->label = stance_label(n ? out->tone : 0);
	out->sd = out->ci_low = out->ci_high = NAN;
	if (stats->n < 2)
		return;
	double ss = stats->sumsq_tone / STANCE_FIXED_ONE - n * out->tone * out->tone;
	out->sd = sqrt(fmax(ss, 0) / (n - 1));
	double half = gsl_cdf_tdist_Pinv(0.975, n - 1) * out->sd / sqrt(n);
	out->ci_low = out->tone - half;
	out->ci_high = out->tone + half;
}

int stance_agg_new(stance_agg **out)
{
	stance_agg *agg = calloc(1, sizeof(*agg));
	if (!agg || stance_arena_new(&agg->strings) != 0 || stance_strmap_new(&agg->index) != 0) {
		stance_agg_free(agg);
		return STANCE_EINTERNAL;
	}
	*out = agg;
	return STANCE_OK;
}

void stance_agg_free(stance_agg *agg)
{
	if (!agg)
		return;
	stance_arena_free(agg->strings);
	stance_strmap_free(agg->index);
	free(agg->pairs);
	free(agg->order);
	free(agg);
}

static int compare_pairs(const stance_pair *a, const stance_pair *b)
{
	int c = strcmp(a->target, b->target);
	if (!c)
		c = strcmp(a->party, b->party);
	if (!c)
		c = strcmp(a->speaker, b->speaker);
	return c;
}

static int compare_positions(const void *a, const void *b, void *agg)
{
	const stance_pair *pairs = ((const stance_agg *)agg)->pairs;
	return compare_pairs(&pairs[*(const uint32_t *)a], &pairs[*(const uint32_t *)b]);
}

/* Sorting once when the pairs are read costs O(n log n), where keeping them sorted on every
 * insertion would cost O(n^2) over a large batch. */
static void sort_pairs(stance_agg *agg)
{
	for (size_t i = 0; i < agg->n; i++)
		agg->order[i] = (uint32_t)i;
	qsort_r(agg->order, agg->n, sizeof(*agg->order), compare_positions, agg);
	agg->sorted = true;
}

static int grow(stance_agg *agg)
{
	size_t cap = agg->cap ? agg->cap * 2 : 16;
	stance_pair *pairs = realloc(agg->pairs, cap * sizeof(*pairs));
	if (!pairs)
		return -1;
	agg->pairs = pairs;
	uint32_t *order = realloc(agg->order, cap * sizeof(*order));
	if (!order)
		return -1;
	agg->order = order;
	agg->cap = cap;
	return 0;
}

enum { TARGET, PARTY, SPEAKER, PARTS };

/* "target\x1fparty\x1fspeaker" into key, which has room for the lengths and the separators. */
static void join_key(char *key, const char *const parts[PARTS], const size_t lens[PARTS])
{
	for (int i = 0; i < PARTS; i++) {
		memcpy(key, parts[i], lens[i]);
		key += lens[i];
		*key++ = i + 1 < PARTS ? '\x1f' : '\0';
	}
}

static stance_pair *add_pair(stance_agg *agg, const char *const parts[PARTS],
			     const size_t lens[PARTS])
{
	if (agg->n == agg->cap && grow(agg) != 0)
		return NULL;
	stance_pair *p = &agg->pairs[agg->n];
	*p = (stance_pair){
		.speaker = stance_arena_strndup(agg->strings, parts[SPEAKER], lens[SPEAKER]),
		.party = stance_arena_strndup(agg->strings, parts[PARTY], lens[PARTY]),
		.target = stance_arena_strndup(agg->strings, parts[TARGET], lens[TARGET]),
	};
	if (!p->speaker || !p->party || !p->target)
		return NULL;
	agg->sorted = false;
	return p;
}

static stance_pair *find_or_add(stance_agg *agg, const char *speaker, const char *party,
				const char *target)
{
	const char *const parts[PARTS] = {[TARGET] = target, [PARTY] = party, [SPEAKER] = speaker};
	size_t lens[PARTS], len = PARTS - 1;
	for (int i = 0; i < PARTS; i++)
		len += lens[i] = strlen(parts[i]);
	char small[512], *key = small;
	if (len >= sizeof(small) && !(key = malloc(len + 1)))
		return NULL;
	join_key(key, parts, lens);
	bool inserted;
	uint32_t *pos = stance_strmap_upsert(agg->index, key, len, sizeof(*pos), &inserted);
	if (key != small)
		free(key);
	if (!pos)
		return NULL;
	if (!inserted)
		return &agg->pairs[*pos];
	stance_pair *p = add_pair(agg, parts, lens);
	if (p)
		*pos = (uint32_t)agg->n++;
	return p;
}

int stance_agg_add(stance_agg *agg, const char *speaker, const char *party, const char *target,
		   const stance_stats *stats, stance_error *err)
{
	stance_pair *p = find_or_add(agg, speaker, party, target);
	if (!p)
		return stance_fail(err, STANCE_EINTERNAL, "aggregate: out of memory");
	stance_stats_merge(&p->stats, stats);
	return STANCE_OK;
}

int stance_agg_merge(stance_agg *into, const stance_agg *from, stance_error *err)
{
	for (size_t i = 0; i < from->n; i++) {
		const stance_pair *p = &from->pairs[i];
		int rc = stance_agg_add(into, p->speaker, p->party, p->target, &p->stats, err);
		if (rc)
			return rc;
	}
	return STANCE_OK;
}

size_t stance_agg_count(const stance_agg *agg)
{
	return agg ? agg->n : 0;
}

const stance_pair *stance_agg_pair(const stance_agg *agg, size_t i)
{
	if (i >= agg->n)
		return NULL;
	if (!agg->sorted)
		sort_pairs((stance_agg *)agg);
	return &agg->pairs[agg->order[i]];
}

static const char *speaker_name(const stance_doc *doc, int32_t speaker)
{
	return speaker == STANCE_NONE ? "" : doc->entities[speaker].name;
}

static const char *speaker_party(const stance_doc *doc, const stance_models *m, int32_t speaker)
{
	if (speaker == STANCE_NONE || doc->entities[speaker].party == STANCE_NONE)
		return "";
	return stance_models_actor_name(m, doc->entities[speaker].party);
}

/* The sentence a reader should see for a pair: the one whose score weighs most. */
static void note_best_sentence(stance_pair *p, const stance_sentence_score *s, float *best_weight)
{
	float w = s->weight * fabsf(s->tone) + s->weight * 1e-3f;
	if (p->stats.n == 1 || w > *best_weight) {
		*best_weight = w;
		p->best_sentence = s->sentence;
	}
}

int stance_aggregate(stance_doc *doc, const stance_models *models, stance_error *err)
{
	if (!doc->agg && stance_agg_new(&doc->agg) != STANCE_OK)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", doc->id);
	float *best = stance_arena_calloc(doc->arena, doc->nscores + 1, sizeof(float));
	if (!best)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", doc->id);
	for (size_t i = 0; i < doc->nscores; i++) {
		const stance_sentence_score *s = &doc->scores[i];
		stance_pair *p = find_or_add(doc->agg, speaker_name(doc, s->speaker),
					     speaker_party(doc, models, s->speaker),
					     stance_models_actor_name(models, s->target));
		if (!p)
			return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", doc->id);
		stance_stats_add_score(&p->stats, s->lexicon, s->svm, s->tone);
		note_best_sentence(p, s, &best[p - doc->agg->pairs]);
	}
	return STANCE_OK;
}

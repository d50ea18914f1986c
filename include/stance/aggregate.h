/* Stage 6, aggregate: per (speaker, speaker party, target) statistics, mergeable across
 * documents, shards and runs.
 *
 * Every aggregate is kept as sufficient statistics (counts, sums, sums of squares), so
 * merging two aggregates gives exactly what one pass over both inputs would give. */
#ifndef STANCE_AGGREGATE_H
#define STANCE_AGGREGATE_H

#include <stdint.h>

#include "stance/doc.h"
#include "stance/models.h"

typedef struct stance_agg stance_agg;

/* Sums are fixed point, in units of 1/STANCE_FIXED_ONE: integer addition is associative, so
 * shards merged in any order give the same bits (floating-point sums would not). */
#define STANCE_FIXED_ONE 4294967296.0

/* Sufficient statistics of a set of scores. */
typedef struct stance_stats {
	uint64_t n;                      /* scored sentences */
	uint64_t n_svm;                  /* of which with an SVM score */
	uint64_t n_negative, n_positive; /* by label */
	int64_t sum_lexicon, sumsq_lexicon;
	int64_t sum_svm, sumsq_svm;
	int64_t sum_tone, sumsq_tone;
} stance_stats;

/* What a person reads off the statistics. */
typedef struct stance_summary {
	double lexicon, svm, tone; /* means; svm is NaN when n_svm is 0 */
	double sd;                 /* standard deviation of tone; NaN when n < 2 */
	double ci_low, ci_high;    /* 95% Student-t interval of the tone mean; NaN when n < 2 */
	double share_negative, share_positive;
	const char *label;         /* "negative", "neutral" or "positive" */
} stance_summary;

/* A tone's label: negative below -STANCE_NEUTRAL_BAND, positive above it. */
#define STANCE_NEUTRAL_BAND 0.05
const char *stance_label(double tone);
int stance_label_value(double tone); /* -1, 0, +1 */

typedef struct stance_pair {
	const char *speaker; /* "" for the narrator */
	const char *party;   /* "" when unknown or the narrator */
	const char *target;
	stance_stats stats;
	uint32_t best_sentence; /* in the document: the sentence that weighs most (per-doc only) */
} stance_pair;

int stance_agg_new(stance_agg **out);
void stance_agg_free(stance_agg *agg);

/* Adds one score under (speaker, party, target). */
int stance_agg_add(stance_agg *agg, const char *speaker, const char *party, const char *target,
		   const stance_stats *stats, stance_error *err);

/* Adds every pair of from into into. */
int stance_agg_merge(stance_agg *into, const stance_agg *from, stance_error *err);

/* Pairs in a stable order: target, then party, then speaker (bytewise). The first call after
 * a change sorts the pairs: do not make it from two threads at once on one aggregate. */
size_t stance_agg_count(const stance_agg *agg);
const stance_pair *stance_agg_pair(const stance_agg *agg, size_t i);

void stance_stats_add_score(stance_stats *stats, double lexicon, double svm, double tone);
void stance_stats_merge(stance_stats *into, const stance_stats *from);
void stance_stats_summarise(const stance_stats *stats, stance_summary *out);

/* The stage: builds the document's own aggregate from its scores. */
int stance_aggregate(stance_doc *doc, const stance_models *models, stance_error *err);

/* The document's aggregate, built by stance_aggregate(). */
const stance_agg *stance_doc_aggregate(const stance_doc *doc);

#endif

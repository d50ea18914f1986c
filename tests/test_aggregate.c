/* Stage 6: statistics a reader can trust, and merges that equal one pass. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static stance_stats stats_of(const double *tones, size_t n)
{
	stance_stats s = {0};
	for (size_t i = 0; i < n; i++)
		stance_stats_add_score(&s, tones[i], NAN, tones[i]);
	return s;
}

static void mean_sd_and_student_t_interval(void **state)
{
	(void)state;
	const double tones[] = {-0.5, 0.0, 0.5};
	stance_stats s = stats_of(tones, 3);
	stance_summary sum;
	stance_stats_summarise(&s, &sum);
	assert_float_equal(sum.tone, 0.0, 1e-9);
	assert_float_equal(sum.sd, 0.5, 1e-9);
	/* t(0.975, 2 df) = 4.302653: half width 4.302653 * 0.5 / sqrt(3) */
	assert_float_equal(sum.ci_low, -1.242069, 1e-5);
	assert_float_equal(sum.ci_high, 1.242069, 1e-5);
	assert_true(isnan(sum.svm));
	assert_float_equal(sum.share_negative, 1.0 / 3, 1e-9);
	assert_float_equal(sum.share_positive, 1.0 / 3, 1e-9);
	assert_string_equal(sum.label, "neutral");
}

static void one_score_has_no_interval(void **state)
{
	(void)state;
	const double tone = -0.4;
	stance_stats s = stats_of(&tone, 1);
	stance_summary sum;
	stance_stats_summarise(&s, &sum);
	assert_float_equal(sum.tone, -0.4, 1e-9);
	assert_true(isnan(sum.ci_low) && isnan(sum.ci_high) && isnan(sum.sd));
	assert_string_equal(sum.label, "negative");
}

static void labels_follow_the_neutral_band(void **state)
{
	(void)state;
	assert_string_equal(stance_label(-0.3), "negative");
	assert_string_equal(stance_label(0.0), "neutral");
	assert_string_equal(stance_label(STANCE_NEUTRAL_BAND / 2), "neutral");
	assert_string_equal(stance_label(0.3), "positive");
}

/* Adds tones[from..to) to agg under one pair, one score at a time. */
static void add_range(stance_agg *agg, const double *tones, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		stance_stats one = {0};
		stance_stats_add_score(&one, tones[i], tones[i] / 2, tones[i]);
		assert_int_equal(stance_agg_add(agg, "Jo Bloggs", "Freedonia", "Sylvania", &one, NULL),
				 STANCE_OK);
	}
}

static void shards_merged_in_any_order_equal_one_pass(void **state)
{
	(void)state;
	enum { N = 1000 };
	double tones[N];
	srand(7);
	for (size_t i = 0; i < N; i++)
		tones[i] = (rand() / (double)RAND_MAX) * 2 - 1;
	stance_agg *whole, *a, *b, *ab, *ba;
	assert_int_equal(stance_agg_new(&whole), 0);
	assert_int_equal(stance_agg_new(&a), 0);
	assert_int_equal(stance_agg_new(&b), 0);
	assert_int_equal(stance_agg_new(&ab), 0);
	assert_int_equal(stance_agg_new(&ba), 0);
	add_range(whole, tones, 0, N);
	add_range(a, tones, 0, 337);
	add_range(b, tones, 337, N);
	assert_int_equal(stance_agg_merge(ab, a, NULL), 0);
	assert_int_equal(stance_agg_merge(ab, b, NULL), 0);
	assert_int_equal(stance_agg_merge(ba, b, NULL), 0);
	assert_int_equal(stance_agg_merge(ba, a, NULL), 0);
	const stance_pair *w = stance_agg_pair(whole, 0);
	assert_memory_equal(&w->stats, &stance_agg_pair(ab, 0)->stats, sizeof(stance_stats));
	assert_memory_equal(&w->stats, &stance_agg_pair(ba, 0)->stats, sizeof(stance_stats));
	assert_int_equal(w->stats.n, N);
	stance_agg *all[] = {whole, a, b, ab, ba};
	for (size_t i = 0; i < 5; i++)
		stance_agg_free(all[i]);
}

static void pairs_come_sorted_by_target_party_speaker(void **state)
{
	(void)state;
	stance_agg *agg;
	assert_int_equal(stance_agg_new(&agg), 0);
	stance_stats one = {0};
	stance_stats_add_score(&one, 0.1, NAN, 0.1);
	const char *keys[][3] = {{"B", "P", "Z"}, {"A", "Q", "Z"}, {"", "", "Y"}, {"A", "P", "Z"},
				 {"B", "P", "Z"}};
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(stance_agg_add(agg, keys[i][0], keys[i][1], keys[i][2], &one, NULL), 0);
	assert_int_equal(stance_agg_count(agg), 4);
	const char *expected[][3] = {{"", "", "Y"}, {"A", "P", "Z"}, {"B", "P", "Z"}, {"A", "Q", "Z"}};
	for (size_t i = 0; i < 4; i++) {
		const stance_pair *p = stance_agg_pair(agg, i);
		assert_string_equal(p->speaker, expected[i][0]);
		assert_string_equal(p->party, expected[i][1]);
		assert_string_equal(p->target, expected[i][2]);
	}
	assert_int_equal(stance_agg_pair(agg, 2)->stats.n, 2);
	stance_agg_free(agg);
}

static void long_names_are_kept_whole(void **state)
{
	(void)state;
	char name[5001];
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	stance_agg *agg;
	assert_int_equal(stance_agg_new(&agg), 0);
	stance_stats one = {0};
	stance_stats_add_score(&one, 0.1, NAN, 0.1);
	assert_int_equal(stance_agg_add(agg, name, "P", "T", &one, NULL), STANCE_OK);
	assert_int_equal(stance_agg_add(agg, name, "P", "T", &one, NULL), STANCE_OK);
	assert_int_equal(stance_agg_count(agg), 1);
	assert_string_equal(stance_agg_pair(agg, 0)->speaker, name);
	stance_agg_free(agg);
}

/* Speakers whose names differ only late (say, by a number) keep their own pairs. */
static void many_speakers_keep_their_own_pairs(void **state)
{
	(void)state;
	stance_agg *agg;
	assert_int_equal(stance_agg_new(&agg), 0);
	stance_stats one = {0};
	stance_stats_add_score(&one, -0.2, NAN, -0.2);
	char name[32];
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 1500; i++) {
			snprintf(name, sizeof(name), "Delegate %d", i);
			assert_int_equal(stance_agg_add(agg, name, "P", "T", &one, NULL), STANCE_OK);
		}
	assert_int_equal(stance_agg_count(agg), 1500);
	for (size_t i = 0; i < 1500; i++)
		assert_int_equal(stance_agg_pair(agg, i)->stats.n, 2);
	stance_agg_free(agg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mean_sd_and_student_t_interval),
		cmocka_unit_test(one_score_has_no_interval),
		cmocka_unit_test(labels_follow_the_neutral_band),
		cmocka_unit_test(shards_merged_in_any_order_equal_one_pass),
		cmocka_unit_test(pairs_come_sorted_by_target_party_speaker),
		cmocka_unit_test(long_names_are_kept_whole),
		cmocka_unit_test(many_speakers_keep_their_own_pairs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

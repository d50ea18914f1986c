/* Stage 5, score: the lexicon's rules, target scoping, speakers and the lexicon loader. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"
#include "lexicon.h"
#include "internal.h"
#include "svm.h"

/* ---- helpers ---- */

/* The lexicon's score of a whole text, with no target. */
static double text_score(const char *text)
{
	stance_doc *doc = test_doc(text, "segment");
	size_t ntokens, len;
	const stance_token *tokens = stance_doc_tokens(doc, &ntokens);
	const char *normalised = stance_doc_text(doc, &len);
	stance_lexicon_result r;
	stance_error err;
	int rc = stance_lexicon_score_span(test_models()->lexicon, normalised, tokens, 0, ntokens,
					   (stance_span){0, 0}, stance_doc_arena(doc), &r, &err);
	stance_doc_free(doc);
	assert_int_equal(rc, STANCE_OK);
	return r.lexicon;
}

/* The lexicon's result toward the first occurrence of target in text. */
static stance_lexicon_result target_result(const char *text, const char *target)
{
	stance_doc *doc = test_doc(text, "segment");
	size_t ntokens, len;
	const stance_token *tokens = stance_doc_tokens(doc, &ntokens);
	const char *normalised = stance_doc_text(doc, &len);
	const char *at = strstr(normalised, target);
	assert_non_null(at);
	stance_span span = {(uint32_t)(at - normalised), (uint32_t)(at - normalised + strlen(target))};
	stance_lexicon_result r;
	stance_error err;
	int rc = stance_lexicon_score_span(test_models()->lexicon, normalised, tokens, 0, ntokens,
					   span, stance_doc_arena(doc), &r, &err);
	stance_doc_free(doc);
	assert_int_equal(rc, STANCE_OK);
	return r;
}

/* text scored with every party spoken of by the narrator: the attributions are dropped, so
 * that what is tested is the lexicon's reach, whatever the attribute stage finds. */
static stance_doc *narrated_doc(const char *text)
{
	stance_doc *doc = test_doc(text, "actors");
	doc->nattributions = 0;
	stance_error err;
	if (stance_score(doc, test_models(), &err) != STANCE_OK)
		fail_msg("%s", err.message);
	return doc;
}

static const char *speaker_name(const stance_doc *doc, int32_t speaker)
{
	size_t n;
	const stance_entity *entities = stance_doc_entities(doc, &n);
	if (speaker == STANCE_NONE)
		return "the narrator";
	assert_true((size_t)speaker < n);
	return entities[speaker].name;
}

/* The score toward target in sentence s, whoever speaks; fails when there is none or several. */
static const stance_sentence_score *score_of(const stance_doc *doc, uint32_t s, const char *target)
{
	size_t n;
	const stance_sentence_score *scores = stance_doc_scores(doc, &n);
	const stance_sentence_score *found = NULL;
	for (size_t i = 0; i < n; i++) {
		if (scores[i].sentence != s || scores[i].target != test_actor(target))
			continue;
		if (found)
			fail_msg("sentence %u has two scores toward %s", s, target);
		found = &scores[i];
	}
	if (!found)
		fail_msg("sentence %u has no score toward %s", s, target);
	return found;
}

static size_t scores_toward(const stance_doc *doc, const char *target)
{
	size_t n, count = 0;
	const stance_sentence_score *scores = stance_doc_scores(doc, &n);
	for (size_t i = 0; i < n; i++)
		count += scores[i].target == test_actor(target);
	return count;
}

static double mean_tone(const stance_doc *doc)
{
	size_t n;
	const stance_sentence_score *scores = stance_doc_scores(doc, &n);
	assert_true(n > 0);
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += scores[i].tone;
	return sum / (double)n;
}

static double gdelt_tone(const stance_doc *doc)
{
	size_t words, positive, negative;
	stance_doc_word_counts(doc, &words, &positive, &negative);
	assert_true(words > 0);
	return 100.0 * ((double)positive - (double)negative) / (double)words;
}

/* ---- the rules, one sentence-level case each ---- */

static void test_negation_turns_and_softens(void **state)
{
	(void)state;
	assert_true(text_score("The plan is good.") > 0);
	assert_true(text_score("The plan is not good.") < 0);
	assert_true(text_score("They never liked the plan.") < 0);
	assert_true(text_score("There is no problem with the ferry.") > 0);
	/* A negated negative is only mildly positive. */
	double not_worst = text_score("This is not the worst harvest.");
	assert_true(not_worst > 0);
	assert_true(not_worst < text_score("This is a good harvest."));
}

static void test_negation_scope_ends_at_punctuation_and_contrast(void **state)
{
	(void)state;
	assert_true(text_score("Not yet, but the bridge is wonderful.") > 0);
	assert_true(text_score("It was not cheap, the bridge is wonderful.") > 0);
	assert_true(text_score("It did not open yesterday but the view was wonderful.") > 0);
}

static void test_boosters_and_dampeners(void **state)
{
	(void)state;
	double plain = text_score("The harvest was good.");
	assert_true(text_score("The harvest was extremely good.") > plain);
	assert_true(text_score("The harvest was somewhat good.") < plain);
	assert_true(text_score("The harvest was somewhat good.") > 0);
	assert_true(text_score("The harvest was very bad.") < text_score("The harvest was bad."));
}

static void test_contrast_weighs_what_follows(void **state)
{
	(void)state;
	assert_true(text_score("The rooms were lovely but the staff were rude.") < 0);
	assert_true(text_score("The staff were rude but the rooms were lovely.") > 0);
	assert_true(text_score("Although the staff were rude, the rooms were lovely.") > 0);
}

static void test_caps_and_exclamation_emphasise(void **state)
{
	(void)state;
	double plain = text_score("The new bridge is great, residents say.");
	assert_true(text_score("The new bridge is GREAT, residents say.") > plain);
	assert_true(text_score("The new bridge is great, residents say!") > plain);
	assert_true(text_score("The new bridge is great, residents say!!!") >
		    text_score("The new bridge is great, residents say!"));
	/* A text shouted throughout stresses nothing. */
	assert_true(fabs(text_score("THE NEW BRIDGE IS GREAT.") - text_score("The new bridge is great.")) <
		    1e-9);
}

static void test_idioms_override_their_words(void **state)
{
	(void)state;
	assert_true(text_score("The band was a bomb.") < 0);
	assert_true(text_score("The band was the bomb.") > 0);
}

static void test_multiword_terms_match_longest(void **state)
{
	(void)state;
	/* "stand" alone carries nothing; the phrase does. */
	assert_true(fabs(text_score("They stand by the river.")) < 1e-9);
	assert_true(text_score("They can't stand the river.") < 0);
	assert_true(text_score("The old pump does not work.") < 0);
	/* AFINN's whole "not good" is left to the negation rule, so both spellings agree. */
	assert_true(fabs(text_score("The soup is not good.") - text_score("The soup isn't good.")) <
		    1e-9);
}

static void test_shifters_turn_their_object(void **state)
{
	(void)state;
	assert_true(text_score("The new drug reduces the risk of disease.") > 0);
	assert_true(text_score("The cuts reduced support for farmers.") < 0);
}

static void test_prepositional_like_carries_nothing(void **state)
{
	(void)state;
	assert_true(fabs(text_score("Cities like Lyon have trams.")) < 1e-9);
	assert_true(text_score("We like Lyon.") > 0);
}

static void test_long_text_does_not_saturate(void **state)
{
	(void)state;
	const char *one = "The harvest failed and farmers are angry. ";
	char many[2048] = "";
	for (int i = 0; i < 20; i++)
		strcat(many, one);
	double once = text_score(one), twenty = text_score(many);
	assert_true(once < 0);
	assert_true(fabs(once - twenty) < 1e-6);
}

/* The same words weigh less in a longer sentence, in which they say less of its tone; the
 * spelling of a modifier does not make a sentence longer. */
static void test_long_sentences_weigh_their_terms_less(void **state)
{
	(void)state;
	double short_one = text_score("The harvest was good.");
	double long_one = text_score("The harvest that the farmers of the northern valley brought "
				     "in last autumn after the rains was good.");
	assert_true(long_one > 0 && long_one < short_one);
	assert_true(text_score("The harvest was very good.") > short_one);
}

/* ---- target scoping ---- */

static void test_target_scope_prefers_nearby_terms(void **state)
{
	(void)state;
	const char *text = "The mayor praised the volunteers, while the storm destroyed the harbour.";
	assert_true(target_result(text, "volunteers").lexicon > 0);
	assert_true(target_result(text, "harbour").lexicon < 0);
	stance_lexicon_result r = target_result(text, "volunteers");
	assert_int_equal(r.positive, 1);
	assert_int_equal(r.negative, 0);
}

static void test_each_party_gets_its_own_tone(void **state)
{
	(void)state;
	stance_doc *doc = narrated_doc("Russia's veto was a disgrace, while the United States showed "
				       "admirable restraint.");
	const stance_sentence_score *russia = score_of(doc, 0, "Russia");
	const stance_sentence_score *us = score_of(doc, 0, "United States");
	assert_true(russia->lexicon < 0 && us->lexicon > 0);
	assert_true(russia->tone < 0 && us->tone > russia->tone);
	/* The SVM speaks exactly when a model is loaded; without one the tone is the lexicon. */
	assert_int_equal(isnan(russia->svm), !stance_models_has_svm(test_models()));
	if (!stance_models_has_svm(test_models()))
		assert_true(russia->tone == russia->lexicon);
	assert_true(us->weight > 0 && us->weight < 1);
	stance_doc_free(doc);
}

static void test_mentions_of_one_target_make_one_score(void **state)
{
	(void)state;
	stance_doc *doc = narrated_doc("Russia, and Moscow above all, suffered a terrible defeat.");
	assert_int_equal(scores_toward(doc, "Russia"), 1);
	assert_true(score_of(doc, 0, "Russia")->tone < 0);
	stance_doc_free(doc);
}

static void test_party_names_carry_no_sentiment(void **state)
{
	(void)state;
	/* "United" is positive in the lexicon; in a party's name it says nothing. */
	stance_doc *doc = narrated_doc("The United States held talks in Geneva.");
	assert_true(fabs(score_of(doc, 0, "United States")->lexicon) < 1e-9);
	size_t words, positive, negative;
	stance_doc_word_counts(doc, &words, &positive, &negative);
	assert_int_equal(positive, 0);
	stance_doc_free(doc);
}

static void test_document_tone_does_not_depend_on_length(void **state)
{
	(void)state;
	const char *one = "Russia made a terrible mistake in a tragic war. ";
	char many[2048] = "";
	for (int i = 0; i < 20; i++)
		strcat(many, one);
	stance_doc *short_doc = narrated_doc(one);
	stance_doc *long_doc = narrated_doc(many);
	assert_true(mean_tone(short_doc) < 0);
	assert_true(fabs(mean_tone(short_doc) - mean_tone(long_doc)) < 1e-6);
	assert_true(gdelt_tone(short_doc) < 0);
	assert_true(fabs(gdelt_tone(short_doc) - gdelt_tone(long_doc)) < 1e-6);
	stance_doc_free(short_doc);
	stance_doc_free(long_doc);
}

/* ---- speakers and stance verbs ---- */

static void test_quoted_party_is_spoken_of_by_the_speaker(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("\"The United States is a reckless and dangerous partner,\" Russian "
				   "Foreign Minister Sergei Lavrov said.\n\nGermany hosted the talks.",
				   "score");
	const stance_sentence_score *us = score_of(doc, 0, "United States");
	assert_string_equal(speaker_name(doc, us->speaker), "Sergei Lavrov");
	assert_true(us->tone < 0);
	/* "Russian" in the speaker's title is not a target. */
	assert_int_equal(scores_toward(doc, "Russia"), 0);
	assert_int_equal(score_of(doc, 1, "Germany")->speaker, STANCE_NONE);
	stance_doc_free(doc);
}

static void test_stance_verb_reaches_its_object(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Moscow accused the United States of breaking international law.",
				   "score");
	const stance_sentence_score *us = score_of(doc, 0, "United States");
	assert_true(us->speaker != STANCE_NONE);
	assert_true(us->lexicon < -0.5 && us->tone < 0);
	stance_doc_free(doc);
}

/* A stance verb's polarity counts however neutral the words: the same sentence, rescored with
 * a hand-made attribution "Berlin <verb> Poland ..." of each polarity. */
static double tone_with_stance(int8_t polarity)
{
	const char *text = "Berlin mentioned Poland in the annual report.";
	stance_doc *doc = test_doc(text, "actors");
	doc->nattributions = 0;
	stance_attribution *a = STANCE_PUSH(doc, attributions);
	assert_non_null(a);
	*a = (stance_attribution){.source = {0, 6}, .cue = {7, 16},
				  .content = {17, (uint32_t)strlen(text) - 1},
				  .entity = STANCE_NONE, .polarity = polarity,
				  .kind = STANCE_ATTR_STANCE};
	stance_error err;
	assert_int_equal(stance_score(doc, test_models(), &err), STANCE_OK);
	double tone = score_of(doc, 0, "Poland")->lexicon;
	assert_int_equal(scores_toward(doc, "Germany"), 0); /* Berlin speaks */
	stance_doc_free(doc);
	return tone;
}

static void test_stance_polarity_sets_the_tone(void **state)
{
	(void)state;
	assert_true(tone_with_stance(-1) < -0.5);
	assert_true(tone_with_stance(1) > 0.5);
	assert_true(fabs(tone_with_stance(0)) < 1e-9);
}

/* ---- the loader ---- */

/* A fresh directory holding files names[0..n) with bodies[0..n). */
static char *files_dir(const char *const *names, const char *const *bodies, size_t n)
{
	static char dir[] = "/tmp/stance-test-models-XXXXXX";
	strcpy(dir, "/tmp/stance-test-models-XXXXXX");
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < n; i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(bodies[i], f);
		fclose(f);
	}
	return dir;
}

static void remove_files_dir(const char *dir, const char *const *names, size_t n)
{
	char path[512];
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static const char *const lexicon_files[] = {"lexicon.tsv", "modifiers.tsv"};

static char *model_dir(const char *lexicon, const char *modifiers)
{
	const char *const bodies[] = {lexicon, modifiers};
	return files_dir(lexicon_files, bodies, 2);
}

static void remove_model_dir(const char *dir)
{
	remove_files_dir(dir, lexicon_files, 2);
}

static void assert_load_fails(const char *lexicon, const char *modifiers, const char *where)
{
	char *dir = model_dir(lexicon, modifiers);
	stance_lexicon *lex = NULL;
	stance_error err;
	int rc = stance_lexicon_load(&lex, dir, &err);
	remove_model_dir(dir);
	assert_int_equal(rc, STANCE_EMODEL);
	assert_null(lex);
	if (!strstr(err.message, where))
		fail_msg("want \"%s\" in: %s", where, err.message);
	assert_null(strchr(err.message, '\n'));
}

static const char good_modifiers[] = "# kinds\nnot\tnegation\t1\nvery\tbooster\t0.293\n";

static void test_malformed_model_lines_fail_naming_file_and_line(void **state)
{
	(void)state;
	assert_load_fails("# c\ngood\t1.9\tvader\nbad\tminus two\tvader\n", good_modifiers,
			  "lexicon.tsv:3");
	assert_load_fails("good\t1.9\n", good_modifiers, "lexicon.tsv:1");
	assert_load_fails("good\t9\tvader\n", good_modifiers, "lexicon.tsv:1");
	assert_load_fails("good\t1.9\tvader\n", "not\tnegation\t1\nvery\tamplifier\t0.3\n",
			  "modifiers.tsv:2");
}

static void test_missing_model_file_fails(void **state)
{
	(void)state;
	stance_lexicon *lex = NULL;
	stance_error err;
	assert_int_equal(stance_lexicon_load(&lex, "/nonexistent-stance-models", &err),
			 STANCE_EMODEL);
	assert_non_null(strstr(err.message, "lexicon.tsv"));
}

/* A lexicon of these terms and good_modifiers. */
static stance_lexicon *lexicon_of(const char *terms)
{
	char *dir = model_dir(terms, good_modifiers);
	stance_lexicon *lex = NULL;
	stance_error err;
	int rc = stance_lexicon_load(&lex, dir, &err);
	remove_model_dir(dir);
	if (rc)
		fail_msg("%s", err.message);
	return lex;
}

static void test_negated_phrases_defer_to_the_rule(void **state)
{
	(void)state;
	stance_lexicon *lex = lexicon_of("good\t2\tvader\nnot good\t-3.5\tafinn\n"
					 "not working\t-2\tafinn\nkind of\t0\tafinn\n");
	stance_doc *doc = test_doc("not good not working kind of", "segment");
	size_t n, len;
	const stance_token *tokens = stance_doc_tokens(doc, &n);
	const char *text = stance_doc_text(doc, &len);
	size_t ntok;
	/* "not good": the rule negates "good"; the phrase is not matched whole. */
	const stance_lexeme *e = stance_lexicon_match(lex, text, tokens, 0, n, &ntok);
	assert_true(e && (e->flags & STANCE_LEX_NEGATION) && ntok == 1);
	/* "not working": "working" has no valence, so the phrase stands. */
	e = stance_lexicon_match(lex, text, tokens, 2, n, &ntok);
	assert_true(e && (e->flags & STANCE_LEX_SENTIMENT) && ntok == 2);
	assert_true(e->valence < 0);
	/* A zero valence carries nothing. */
	assert_null(stance_lexicon_match(lex, text, tokens, 4, n, &ntok));
	stance_doc_free(doc);
	stance_lexicon_free(lex);
}

/* An analysis reuses the matches found once for the whole document, except where its run ends
 * inside a term the document's lookup read past: "so good" cut after "so" scores nothing. */
static void test_terms_cut_by_the_end_of_a_run_do_not_count(void **state)
{
	(void)state;
	stance_lexicon *lex = lexicon_of("so good\t3\tvader\nfine\t1\tvader\n");
	stance_doc *doc = test_doc("It was fine and so good", "segment");
	size_t n, len;
	const stance_token *tokens = stance_doc_tokens(doc, &n);
	const char *text = stance_doc_text(doc, &len);
	stance_arena *arena = stance_doc_arena(doc);
	const stance_token_match *matches = stance_lexicon_match_all(lex, text, tokens, n, arena);
	assert_non_null(matches);
	stance_analysis whole = {0}, cut = {0}, looked_up = {0};
	const stance_token_run all = {text, tokens, matches, 0, n};
	const stance_token_run before_good = {text, tokens, matches, 0, n - 1};
	const stance_token_run no_matches = {text, tokens, NULL, 0, n - 1};
	assert_int_equal(stance_lexicon_analyse(lex, &all, NULL, 0, arena, &whole), 0);
	assert_int_equal(stance_lexicon_analyse(lex, &before_good, NULL, 0, arena, &cut), 0);
	assert_int_equal(stance_lexicon_analyse(lex, &no_matches, NULL, 0, arena, &looked_up), 0);
	assert_int_equal(whole.nterms, 2);
	assert_true(whole.terms[1].valence > whole.terms[0].valence);
	assert_int_equal(cut.nterms, 1); /* "fine" alone */
	assert_int_equal(looked_up.nterms, 1);
	assert_true(cut.terms[0].valence == looked_up.terms[0].valence);
	stance_doc_free(doc);
	stance_lexicon_free(lex);
}

/* Scoring a document shares work between its targets; each SVM score must still be what
 * classifying that sentence toward that party alone gives. */
static void test_scored_targets_agree_with_classify(void **state)
{
	(void)state;
	if (!test_models()->svm)
		skip();
	stance_doc *doc = narrated_doc("Germany warmly thanked France for its help, while critics "
				       "blamed Italy. Spain was not happy with Germany at all.");
	size_t nscores, nmentions;
	const stance_sentence_score *scores = stance_doc_scores(doc, &nscores);
	const stance_mention *mentions = stance_doc_mentions(doc, &nmentions);
	assert_true(nscores >= 4);
	for (size_t i = 0; i < nscores; i++) {
		const stance_sentence *sent = &doc->sentences[scores[i].sentence];
		size_t m = 0;
		while (m < nmentions && (mentions[m].actor != scores[i].target ||
					 mentions[m].start < sent->start))
			m++;
		assert_true(m < nmentions);
		stance_classification alone;
		stance_error err;
		assert_int_equal(stance_classify(doc, test_models(),
						 (stance_span){mentions[m].start, mentions[m].end},
						 &alone, &err),
				 STANCE_OK);
		assert_true((float)alone.svm == scores[i].svm);
	}
	stance_doc_free(doc);
}

/* --- the SVM model's numbers --- */
static const char *const svm_files[] = {STANCE_SVM_MODEL, STANCE_SVM_FEATURES};

/* A two-class model whose one feature (a one-token target) weighs value in each vector. */
static stance_svm *svm_with_value(const char *value, stance_error *err, int *rc)
{
	char model[1024];
	snprintf(model, sizeof(model),
		 "svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 2\nrho 0.25\n"
		 "label 1 -1\nprobA -2\nprobB 0\nnr_sv 1 1\nSV\n0.5 1:%s\n-0.25 1:%s\n",
		 value, value);
	const char *const bodies[] = {model, "stance-svm-features 1\ntone 0 0 0\ncount 1\n"
					     "t:len1\n"};
	char *dir = files_dir(svm_files, bodies, 2);
	stance_svm *svm = NULL;
	*rc = stance_svm_load(&svm, dir, NULL, err);
	remove_files_dir(dir, svm_files, 2);
	return svm;
}

static double positive_probability(const char *value)
{
	stance_error err;
	int rc;
	stance_svm *svm = svm_with_value(value, &err, &rc);
	if (rc)
		fail_msg("%s: %s", value, err.message);
	stance_doc *doc = test_doc("Farmers thanked Okafor.", "segment");
	stance_svm_result r;
	assert_int_equal(stance_svm_predict(svm, test_models(), doc, (stance_span){16, 22},
					    stance_doc_arena(doc), &r, &err),
			 STANCE_OK);
	stance_doc_free(doc);
	stance_svm_free(svm);
	return r.p[2];
}

static void test_model_numbers_mean_the_same_in_any_notation(void **state)
{
	(void)state;
	double p = positive_probability("0.75");
	assert_true(p > 0 && p < 1);
	const char *const same[] = {"7.5e-1", "+0.75", ".75", "0.750000000000000000000000",
				    "75E-2", "0.75 "};
	for (size_t i = 0; i < STANCE_ARRAY_LEN(same); i++)
		if (positive_probability(same[i]) != p)
			fail_msg("%s reads differently from 0.75", same[i]);
	assert_true(positive_probability("0.7500001") != p);
}

static void test_malformed_model_numbers_fail_naming_the_line(void **state)
{
	(void)state;
	const char *const bad[] = {"0x", "0.75e", "0.75.1", "nan", "1e999", "abc", ""};
	for (size_t i = 0; i < STANCE_ARRAY_LEN(bad); i++) {
		stance_error err;
		int rc;
		stance_svm *svm = svm_with_value(bad[i], &err, &rc);
		assert_null(svm);
		assert_int_equal(rc, STANCE_EMODEL);
		if (!strstr(err.message, "svm.model:11"))
			fail_msg("\"%s\": want the line in: %s", bad[i], err.message);
		assert_null(strchr(err.message, '\n'));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_negation_turns_and_softens),
		cmocka_unit_test(test_negation_scope_ends_at_punctuation_and_contrast),
		cmocka_unit_test(test_boosters_and_dampeners),
		cmocka_unit_test(test_contrast_weighs_what_follows),
		cmocka_unit_test(test_caps_and_exclamation_emphasise),
		cmocka_unit_test(test_idioms_override_their_words),
		cmocka_unit_test(test_multiword_terms_match_longest),
		cmocka_unit_test(test_shifters_turn_their_object),
		cmocka_unit_test(test_prepositional_like_carries_nothing),
		cmocka_unit_test(test_long_text_does_not_saturate),
		cmocka_unit_test(test_long_sentences_weigh_their_terms_less),
		cmocka_unit_test(test_target_scope_prefers_nearby_terms),
		cmocka_unit_test(test_each_party_gets_its_own_tone),
		cmocka_unit_test(test_mentions_of_one_target_make_one_score),
		cmocka_unit_test(test_party_names_carry_no_sentiment),
		cmocka_unit_test(test_document_tone_does_not_depend_on_length),
		cmocka_unit_test(test_quoted_party_is_spoken_of_by_the_speaker),
		cmocka_unit_test(test_stance_verb_reaches_its_object),
		cmocka_unit_test(test_stance_polarity_sets_the_tone),
		cmocka_unit_test(test_malformed_model_lines_fail_naming_file_and_line),
		cmocka_unit_test(test_missing_model_file_fails),
		cmocka_unit_test(test_negated_phrases_defer_to_the_rule),
		cmocka_unit_test(test_terms_cut_by_the_end_of_a_run_do_not_count),
		cmocka_unit_test(test_scored_targets_agree_with_classify),
		cmocka_unit_test(test_model_numbers_mean_the_same_in_any_notation),
		cmocka_unit_test(test_malformed_model_numbers_fail_naming_the_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

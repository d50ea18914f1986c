/* Stage 2: tokens and sentences. The sentence cases live in tests/fixtures/segment_*.tsv. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The shared seed article, reached from the fixtures directory of the source tree. */
#define SEED_ARTICLE "../../../shared/seeds/000_3e6ee3186738343a.txt"

/* ---- the sentence table ---- */

/* Undoes the escapes \n \r \t \\ of the case files, in place. */
static void unescape(char *s)
{
	char *out = s;
	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			*out++ = *s;
			continue;
		}
		s++;
		*out++ = *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s == 't' ? '\t' : *s;
	}
	*out = '\0';
}

/* The sentences of doc as the caller wrote them (original bytes), joined by " || ". */
static char *joined_sentences(const stance_doc *doc)
{
	size_t n, len;
	const stance_sentence *s = stance_doc_sentences(doc, &n);
	const char *orig = stance_doc_original(doc, &len);
	char *out = malloc(len + 4 * n + 1);
	assert_non_null(out);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		size_t b = stance_doc_original_offset(doc, s[i].start);
		size_t e = stance_doc_original_offset(doc, s[i].end);
		if (i > 0) {
			memcpy(out + o, " || ", 4);
			o += 4;
		}
		memcpy(out + o, orig + b, e - b);
		o += e - b;
	}
	out[o] = '\0';
	return out;
}

typedef struct tally {
	int passed, failed, ambiguous_passed, ambiguous_failed;
} tally;

static void run_case(const char *name, char *input, char *expected, tally *t)
{
	unescape(input);
	unescape(expected);
	stance_doc *doc = test_doc(input, "segment");
	char *got = joined_sentences(doc);
	bool ambiguous = strncmp(name, "ambiguous_", 10) == 0;
	bool ok = strcmp(got, expected) == 0;
	if (!ok)
		printf("%s %s\n  got:      %s\n  expected: %s\n", ambiguous ? "AMBIGUOUS" : "FAIL",
		       name, got, expected);
	if (ambiguous && ok)
		t->ambiguous_passed++;
	else if (ambiguous)
		t->ambiguous_failed++;
	else if (ok)
		t->passed++;
	else
		t->failed++;
	free(got);
	stance_doc_free(doc);
}

static void run_case_file(const char *file, tally *t)
{
	size_t len;
	char *data = test_fixture(file, &len);
	for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *input = strchr(line, '\t');
		char *expected = input ? strchr(input + 1, '\t') : NULL;
		if (!expected)
			fail_msg("%s: malformed line: %s", file, line);
		*input++ = '\0';
		*expected++ = '\0';
		run_case(line, input, expected, t);
	}
	free(data);
}

static void sentence_cases_split_as_an_editor_would(void **state)
{
	(void)state;
	tally t = {0};
	run_case_file("segment_cases.tsv", &t);
	if (access(STANCE_TEST_FIXTURES "/segment_extra.tsv", R_OK) == 0)
		run_case_file("segment_extra.tsv", &t);
	printf("segment cases: %d/%d passed; ambiguous: %d/%d\n", t.passed, t.passed + t.failed,
	       t.ambiguous_passed, t.ambiguous_passed + t.ambiguous_failed);
	assert_true(t.passed > 0);
	assert_int_equal(t.failed, 0);
}

/* ---- tokens ---- */

static size_t count_tokens(const stance_doc *doc)
{
	size_t n;
	stance_doc_tokens(doc, &n);
	return n;
}

static const stance_token *token(const stance_doc *doc, size_t i)
{
	size_t n;
	const stance_token *t = stance_doc_tokens(doc, &n);
	assert_true(i < n);
	return &t[i];
}

static const char *token_text(const stance_doc *doc, size_t i)
{
	const stance_token *t = token(doc, i);
	return test_span(doc, (stance_span){t->start, t->end});
}

/* The index of the token spelled text, failing the test when there is none. */
static size_t find_token(const stance_doc *doc, const char *text)
{
	for (size_t i = 0; i < count_tokens(doc); i++)
		if (strcmp(token_text(doc, i), text) == 0)
			return i;
	fail_msg("no token \"%s\"", text);
	return 0;
}

static void assert_token(const stance_doc *doc, const char *text, stance_token_kind kind)
{
	size_t i = find_token(doc, text);
	if (token(doc, i)->kind != kind)
		fail_msg("token \"%s\" has kind %d, not %d", text, token(doc, i)->kind, kind);
}

static void words_keep_their_inner_punctuation(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("The pro-Russian envoy didn't see the U.S.-led plan, e.g. its "
				   "maps, or O'Neill's notes.",
				   "segment");
	assert_token(doc, "pro-Russian", STANCE_TOK_WORD);
	assert_token(doc, "didn't", STANCE_TOK_WORD);
	assert_token(doc, "U.S.-led", STANCE_TOK_WORD);
	assert_token(doc, "e.g.", STANCE_TOK_WORD);
	assert_token(doc, "O'Neill's", STANCE_TOK_WORD);
	assert_token(doc, ",", STANCE_TOK_PUNCT);
	assert_token(doc, "notes", STANCE_TOK_WORD);
	assert_token(doc, ".", STANCE_TOK_PUNCT);
	stance_doc_free(doc);
}

static void abbreviations_keep_their_period_and_plain_words_do_not(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Mr. Lund met Gen. Ortiz at 9 a.m. in St. Paul, Minn. on Jan. 4 "
				   "and left.",
				   "segment");
	assert_token(doc, "Mr.", STANCE_TOK_WORD);
	assert_token(doc, "Gen.", STANCE_TOK_WORD);
	assert_token(doc, "a.m.", STANCE_TOK_WORD);
	assert_token(doc, "St.", STANCE_TOK_WORD);
	assert_token(doc, "Minn.", STANCE_TOK_WORD);
	assert_token(doc, "Jan.", STANCE_TOK_WORD);
	assert_token(doc, "left", STANCE_TOK_WORD);
	assert_token(doc, ".", STANCE_TOK_PUNCT);
	stance_doc_free(doc);
}

static void numbers_keep_their_separators(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("About 1,000 troops, 2.5 percent, at 5:30 on 24/7 duty, app "
				   "v1.2.3, in 2022-2023.",
				   "segment");
	assert_token(doc, "1,000", STANCE_TOK_NUMBER);
	assert_token(doc, "2.5", STANCE_TOK_NUMBER);
	assert_token(doc, "5:30", STANCE_TOK_NUMBER);
	assert_token(doc, "24/7", STANCE_TOK_NUMBER);
	assert_token(doc, "v1.2.3", STANCE_TOK_NUMBER);
	assert_token(doc, "2022-2023", STANCE_TOK_WORD);
	assert_token(doc, "troops", STANCE_TOK_WORD);
	stance_doc_free(doc);
}

static void urls_and_addresses_are_one_token(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("See https://example.org/a/b.html?x=1, www.example.com and "
				   "press@example.co.uk (or example.net/news).",
				   "segment");
	assert_token(doc, "https://example.org/a/b.html?x=1", STANCE_TOK_URL);
	assert_token(doc, "www.example.com", STANCE_TOK_URL);
	assert_token(doc, "press@example.co.uk", STANCE_TOK_URL);
	assert_token(doc, "example.net/news", STANCE_TOK_URL);
	assert_token(doc, ")", STANCE_TOK_PUNCT);
	stance_doc_free(doc);
}

static void punctuation_runs_are_one_token(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Really?! He waited... then -- at last -- spoke . . . softly.",
				   "segment");
	assert_token(doc, "?!", STANCE_TOK_PUNCT);
	assert_token(doc, "...", STANCE_TOK_PUNCT);
	assert_token(doc, "--", STANCE_TOK_PUNCT);
	assert_token(doc, ". . .", STANCE_TOK_PUNCT);
	stance_doc_free(doc);
}

static void assert_quote(const stance_doc *doc, size_t i, int flag)
{
	const stance_token *t = token(doc, i);
	if (t->kind != STANCE_TOK_QUOTE || !(t->flags & flag))
		fail_msg("token %zu \"%s\" is not an %s quotation mark", i, token_text(doc, i),
			 flag == STANCE_TOKF_QUOTE_OPEN ? "opening" : "closing");
}

static void quotation_marks_open_and_close_by_context(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("\"Never,\" she said of the 'deal.' The countries' ports "
				   "(\"no\") stayed shut.",
				   "segment");
	assert_quote(doc, 0, STANCE_TOKF_QUOTE_OPEN);
	assert_quote(doc, 3, STANCE_TOKF_QUOTE_CLOSE);
	size_t deal = find_token(doc, "deal");
	assert_quote(doc, deal - 1, STANCE_TOKF_QUOTE_OPEN);
	assert_quote(doc, deal + 2, STANCE_TOKF_QUOTE_CLOSE);
	assert_token(doc, "countries'", STANCE_TOK_WORD);
	size_t no = find_token(doc, "no");
	assert_quote(doc, no - 1, STANCE_TOKF_QUOTE_OPEN);
	assert_quote(doc, no + 1, STANCE_TOKF_QUOTE_CLOSE);
	stance_doc_free(doc);
}

static void glued_and_stray_quotation_marks_follow_the_open_quotation(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Ruiz said,\"Wait here,\" then left. He wrote \" hold on \" twice.",
				   "segment");
	size_t wait = find_token(doc, "Wait");
	assert_quote(doc, wait - 1, STANCE_TOKF_QUOTE_OPEN);
	assert_quote(doc, wait + 3, STANCE_TOKF_QUOTE_CLOSE);
	size_t hold = find_token(doc, "hold");
	assert_quote(doc, hold - 1, STANCE_TOKF_QUOTE_OPEN);
	assert_quote(doc, hold + 2, STANCE_TOKF_QUOTE_CLOSE);
	stance_doc_free(doc);
}

static void curly_quotes_are_quotation_marks_after_normalising(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("\xE2\x80\x9CRussia\xE2\x80\x99s move,\xE2\x80\x9D he said.",
				   "segment");
	assert_quote(doc, 0, STANCE_TOKF_QUOTE_OPEN);
	assert_token(doc, "Russia's", STANCE_TOK_WORD);
	assert_quote(doc, 4, STANCE_TOKF_QUOTE_CLOSE);
	stance_doc_free(doc);
}

static void token_offsets_cover_their_text(void **state)
{
	(void)state;
	const char *text = "  K\xC3\xB6ln's mayor,\n\nZ\xC3\xBCrich.";
	stance_doc *doc = test_doc(text, "segment");
	static const char *const expected[] = {"K\xC3\xB6ln's", "mayor", ",", "Z\xC3\xBCrich", "."};
	assert_int_equal(count_tokens(doc), ARRAY_LEN(expected));
	for (size_t i = 0; i < ARRAY_LEN(expected); i++)
		assert_string_equal(token_text(doc, i), expected[i]);
	assert_int_equal(token(doc, 0)->start, 2);
	assert_true(token(doc, 0)->flags & STANCE_TOKF_CAPITALISED);
	assert_true(token(doc, 3)->flags & STANCE_TOKF_PARAGRAPH_BEFORE);
	assert_true(token(doc, 3)->flags & STANCE_TOKF_NEWLINE_BEFORE);
	assert_false(token(doc, 2)->flags & STANCE_TOKF_SPACE_BEFORE);
	stance_doc_free(doc);
}

static void case_flags_follow_the_letters(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("NATO and the EU told Kyiv, \xC3\x89lys\xC3\xA9" "e and I.",
				   "segment");
	assert_true(token(doc, find_token(doc, "NATO"))->flags & STANCE_TOKF_ALLCAPS);
	assert_true(token(doc, find_token(doc, "Kyiv"))->flags & STANCE_TOKF_CAPITALISED);
	assert_false(token(doc, find_token(doc, "Kyiv"))->flags & STANCE_TOKF_ALLCAPS);
	assert_true(token(doc, find_token(doc, "\xC3\x89lys\xC3\xA9" "e"))->flags &
		    STANCE_TOKF_CAPITALISED);
	assert_false(token(doc, find_token(doc, "and"))->flags &
		     (STANCE_TOKF_CAPITALISED | STANCE_TOKF_ALLCAPS));
	stance_doc_free(doc);
	/* the possessive after a kept period is not part of the capitals */
	doc = test_doc("The U.S.'s envoy met McCain and the ALL-CAPS crowd.", "segment");
	assert_true(token(doc, find_token(doc, "U.S.'s"))->flags & STANCE_TOKF_ALLCAPS);
	assert_true(token(doc, find_token(doc, "ALL-CAPS"))->flags & STANCE_TOKF_ALLCAPS);
	assert_true(token(doc, find_token(doc, "McCain"))->flags & STANCE_TOKF_CAPITALISED);
	assert_false(token(doc, find_token(doc, "McCain"))->flags & STANCE_TOKF_ALLCAPS);
	stance_doc_free(doc);
}

/* Runs without spaces made of many word starts must not be searched for URLs once per word
 * start: quadratic work would take minutes here, and the test would time out. */
static void long_runs_without_spaces_stay_linear(void **state)
{
	(void)state;
	static const char *const units[] = {"a_", "x@", "Ab.", " - A -", "c/"};
	enum { REPEAT = 300000 };
	for (size_t u = 0; u < ARRAY_LEN(units); u++) {
		size_t n = strlen(units[u]);
		char *text = malloc(n * REPEAT + 1);
		assert_non_null(text);
		for (size_t i = 0; i < REPEAT; i++)
			memcpy(text + i * n, units[u], n);
		text[n * REPEAT] = '\0';
		stance_doc *doc = test_doc(text, "segment");
		assert_true(count_tokens(doc) >= REPEAT);
		stance_doc_free(doc);
		free(text);
	}
}

/* ---- sentences: token ranges, paragraphs, headings ---- */

static void sentences_cover_their_tokens(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("  Talks ended.  \"We left,\" she said.  ", "segment");
	size_t n;
	const stance_sentence *s = stance_doc_sentences(doc, &n);
	assert_int_equal(n, 2);
	assert_string_equal(test_sentence(doc, 0), "Talks ended.");
	assert_int_equal(s[0].tok_begin, 0);
	assert_int_equal(s[0].tok_end, 3);
	assert_int_equal(s[1].tok_begin, 3);
	assert_int_equal(s[1].tok_end, count_tokens(doc));
	assert_int_equal(token(doc, s[1].tok_begin)->start, s[1].start);
	stance_doc_free(doc);
}

static void paragraphs_count_blank_lines_and_headings_are_marked(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Ports reopen after talks\n\n"
				   "Ships left at dawn. Crews were\nrelieved.\n\n"
				   "Insurers\n\n"
				   "Premiums fell. - Next steps - A meeting is set.",
				   "segment");
	static const struct {
		const char *text;
		uint32_t paragraph;
		uint8_t heading;
	} expected[] = {
		{"Ports reopen after talks", 0, 1},
		{"Ships left at dawn.", 1, 0},
		{"Crews were\nrelieved.", 1, 0},
		{"Insurers", 2, 1},
		{"Premiums fell.", 3, 0},
		{"- Next steps -", 3, 1},
		{"A meeting is set.", 3, 0},
	};
	size_t n;
	const stance_sentence *s = stance_doc_sentences(doc, &n);
	assert_int_equal(n, ARRAY_LEN(expected));
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(test_sentence(doc, i), expected[i].text);
		assert_int_equal(s[i].paragraph, expected[i].paragraph);
		assert_int_equal(s[i].heading, expected[i].heading);
	}
	stance_doc_free(doc);
}

static void headline_on_its_own_line_is_a_heading(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Ceasefire holds in the south\nThe guns fell silent on Sunday.",
				   "segment");
	size_t n;
	const stance_sentence *s = stance_doc_sentences(doc, &n);
	assert_int_equal(n, 2);
	assert_int_equal(s[0].heading, 1);
	assert_int_equal(s[1].heading, 0);
	assert_int_equal(s[1].paragraph, 0);
	stance_doc_free(doc);
}

/* ---- a real article ---- */

static void seed_article_splits_into_its_sentences(void **state)
{
	(void)state;
	if (access(STANCE_TEST_FIXTURES "/" SEED_ARTICLE, R_OK) != 0)
		skip();
	size_t len;
	char *text = test_fixture(SEED_ARTICLE, &len);
	stance_doc *doc = test_doc(text, "segment");
	size_t n, headings = 0;
	const stance_sentence *s = stance_doc_sentences(doc, &n);
	for (size_t i = 0; i < n; i++)
		headings += s[i].heading;
	/* a headline, two " - Subhead - " lines standing alone, 37 sentences of running text */
	assert_int_equal(n, 40);
	assert_int_equal(headings, 3);
	assert_int_equal(s[0].heading, 1);
	assert_int_equal(s[n - 1].paragraph, 1);
	free(text);
	stance_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sentence_cases_split_as_an_editor_would),
		cmocka_unit_test(words_keep_their_inner_punctuation),
		cmocka_unit_test(abbreviations_keep_their_period_and_plain_words_do_not),
		cmocka_unit_test(numbers_keep_their_separators),
		cmocka_unit_test(urls_and_addresses_are_one_token),
		cmocka_unit_test(punctuation_runs_are_one_token),
		cmocka_unit_test(quotation_marks_open_and_close_by_context),
		cmocka_unit_test(glued_and_stray_quotation_marks_follow_the_open_quotation),
		cmocka_unit_test(curly_quotes_are_quotation_marks_after_normalising),
		cmocka_unit_test(token_offsets_cover_their_text),
		cmocka_unit_test(case_flags_follow_the_letters),
		cmocka_unit_test(long_runs_without_spaces_stay_linear),
		cmocka_unit_test(sentences_cover_their_tokens),
		cmocka_unit_test(paragraphs_count_blank_lines_and_headings_are_marked),
		cmocka_unit_test(headline_on_its_own_line_is_a_heading),
		cmocka_unit_test(seed_article_splits_into_its_sentences),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Stage 1: validation and normalisation, with offsets back into the input. */
#include <string.h>

#include "support.h"

/* Runs the text stage on len bytes; returns its code and leaves the document in *out. */
static int text_stage(const char *bytes, size_t len, stance_doc **out, stance_error *err)
{
	assert_int_equal(stance_doc_new(out, "in.txt", bytes, len, err), STANCE_OK);
	return stance_text(*out, test_models(), err);
}

static const char *normalised(stance_doc *doc)
{
	size_t len;
	return stance_doc_text(doc, &len);
}

static void punctuation_becomes_plain_ascii(void **state)
{
	(void)state;
	const char *in = "\xEF\xBB\xBF\xE2\x80\x9CNo,\xE2\x80\x9D she said\xE2\x80\x94twice\xE2\x80\xA6 "
			 "It\xE2\x80\x99s 2014\xE2\x80\x93" "15.\xC2\xA0" "Done.";
	stance_doc *doc;
	stance_error err;
	assert_int_equal(text_stage(in, strlen(in), &doc, &err), STANCE_OK);
	assert_string_equal(normalised(doc), "\"No,\" she said--twice... It's 2014-15. Done.");
	stance_doc_free(doc);
}

static void line_ends_become_newlines(void **state)
{
	(void)state;
	stance_doc *doc;
	stance_error err;
	assert_int_equal(text_stage("a\r\nb\rc\n", 7, &doc, &err), STANCE_OK);
	assert_string_equal(normalised(doc), "a\nb\nc\n");
	stance_doc_free(doc);
}

static void offsets_lead_back_to_the_input(void **state)
{
	(void)state;
	/* BOM (3 bytes), curly quote (3), "Hi" then an em dash (3 bytes -> 2) and "yo". */
	const char *in = "\xEF\xBB\xBF\xE2\x80\x9CHi\xE2\x80\x94yo";
	stance_doc *doc;
	stance_error err;
	assert_int_equal(text_stage(in, strlen(in), &doc, &err), STANCE_OK);
	assert_string_equal(normalised(doc), "\"Hi--yo");
	assert_int_equal(stance_doc_original_offset(doc, 0), 3); /* the quote after the BOM */
	assert_int_equal(stance_doc_original_offset(doc, 1), 6); /* H */
	assert_int_equal(stance_doc_original_offset(doc, 3), 8); /* first byte of the dash */
	assert_int_equal(stance_doc_original_offset(doc, 5), 11); /* y */
	assert_int_equal(stance_doc_original_offset(doc, 7), strlen(in));
	assert_int_equal(stance_doc_codepoint_offset(doc, 5), 5); /* BOM, quote, H, i, dash */
	stance_doc_free(doc);
}

/* Plain ASCII is copied in runs; what stops a run (a tab, a line end, a curly quote) may fall
 * anywhere in it, and every byte after it must still lead back to its own input byte. */
static void long_plain_runs_keep_every_offset(void **state)
{
	(void)state;
	const char *in = "The new minister\tspoke at length.\r\nShe then said \xE2\x80\x9Cnever"
			 "\xE2\x80\x9D and left the hall.";
	stance_doc *doc;
	stance_error err;
	assert_int_equal(text_stage(in, strlen(in), &doc, &err), STANCE_OK);
	const char *text = normalised(doc);
	assert_string_equal(text, "The new minister spoke at length.\nShe then said \"never\" and "
				  "left the hall.");
	for (size_t i = 0; i < 33; i++) /* up to the line end, one byte for one */
		assert_int_equal(stance_doc_original_offset(doc, i), i);
	assert_int_equal(stance_doc_original_offset(doc, 33), 33); /* the \r of \r\n */
	assert_int_equal(stance_doc_original_offset(doc, 34), 35); /* S */
	const char *quote = strchr(text, '"');
	size_t q = (size_t)(quote - text);
	assert_int_equal(stance_doc_original_offset(doc, q), q + 1);
	assert_int_equal(stance_doc_original_offset(doc, q + 1), q + 4); /* n, after 3 bytes */
	assert_int_equal(stance_doc_original_offset(doc, strlen(text) - 1), strlen(in) - 1);
	stance_doc_free(doc);
}

static void invalid_utf8_is_refused_at_its_byte(void **state)
{
	(void)state;
	static const struct {
		const char *bytes;
		size_t len, offset;
	} cases[] = {
		{"abc\xFF" "def", 7, 3},          /* never valid */
		{"ab\xC3", 3, 2},                 /* truncated sequence */
		{"x\xC0\xAF", 3, 1},              /* overlong "/" */
		{"xy\xED\xA0\x80", 5, 2},         /* UTF-16 surrogate */
		{"\xF4\x90\x80\x80", 4, 0},       /* past U+10FFFF */
		{"ok \xE2\x82", 6, 3},            /* cut in the middle */
		{"A fairly long line of text\xFF", 27, 26}, /* after many plain bytes */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		stance_doc *doc;
		stance_error err;
		assert_int_equal(text_stage(cases[i].bytes, cases[i].len, &doc, &err), STANCE_EDATA);
		char expected[64];
		snprintf(expected, sizeof(expected), "in.txt: invalid UTF-8 at byte %zu",
			 cases[i].offset);
		assert_string_equal(err.message, expected);
		stance_doc_free(doc);
	}
}

static void binary_empty_and_huge_inputs_are_refused(void **state)
{
	(void)state;
	stance_doc *doc;
	stance_error err;
	assert_int_equal(text_stage("PNG\0\1\2", 6, &doc, &err), STANCE_EDATA);
	assert_string_equal(err.message, "in.txt: binary data (NUL byte at byte 3)");
	stance_doc_free(doc);
	assert_int_equal(text_stage("Plain words, then a\0NUL", 23, &doc, &err), STANCE_EDATA);
	assert_string_equal(err.message, "in.txt: binary data (NUL byte at byte 19)");
	stance_doc_free(doc);
	assert_int_equal(text_stage("", 0, &doc, &err), STANCE_EDATA);
	assert_non_null(strstr(err.message, "no text"));
	stance_doc_free(doc);
	assert_int_equal(text_stage(" \r\n\t \xC2\xA0\n", 8, &doc, &err), STANCE_EDATA);
	assert_non_null(strstr(err.message, "no text"));
	stance_doc_free(doc);
	assert_int_equal(stance_doc_new(&doc, "big.txt", "0123456789", 10, &err), STANCE_OK);
	stance_doc_set_max_bytes(doc, 9);
	assert_int_equal(stance_text(doc, test_models(), &err), STANCE_EDATA);
	assert_string_equal(err.message, "big.txt: 10 bytes is over the limit of 9 bytes");
	stance_doc_free(doc);
}

static void the_validator_agrees_with_the_stage(void **state)
{
	(void)state;
	size_t bad = 0;
	assert_true(stance_utf8_valid("Z\xC3\xBCrich \xF0\x9F\x98\x80", 12, &bad));
	assert_false(stance_utf8_valid("Z\xC3", 2, &bad));
	assert_int_equal(bad, 1);
	assert_false(stance_utf8_valid("Seventeen letters\0 then", 23, &bad));
	assert_int_equal(bad, 17);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(punctuation_becomes_plain_ascii),
		cmocka_unit_test(line_ends_become_newlines),
		cmocka_unit_test(offsets_lead_back_to_the_input),
		cmocka_unit_test(long_plain_runs_keep_every_offset),
		cmocka_unit_test(invalid_utf8_is_refused_at_its_byte),
		cmocka_unit_test(binary_empty_and_huge_inputs_are_refused),
		cmocka_unit_test(the_validator_agrees_with_the_stage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

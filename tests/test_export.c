/* Stage 7: output that spreadsheets and JSON readers take as meant. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* What f wrote into an open_memstream buffer, closed and returned (caller frees). */
static char *captured(FILE *f, char **buf)
{
	fclose(f);
	return *buf;
}

static char *csv_of(const char *field)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	stance_csv_field(f, field);
	return captured(f, &buf);
}

static void assert_csv(const char *field, const char *expected)
{
	char *got = csv_of(field);
	assert_string_equal(got, expected);
	free(got);
}

static void csv_fields_follow_rfc4180(void **state)
{
	(void)state;
	assert_csv("Russia", "Russia");
	assert_csv("Moscow, Russia", "\"Moscow, Russia\"");
	assert_csv("the \"bulwark\"", "\"the \"\"bulwark\"\"\"");
	assert_csv("two\nlines", "\"two\nlines\"");
	assert_csv("", "");
}

static void csv_fields_never_run_as_formulas(void **state)
{
	(void)state;
	assert_csv("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
	assert_csv("+1", "\"'+1\"");
	assert_csv("-cmd", "\"'-cmd\"");
	assert_csv("@SUM(A1)", "\"'@SUM(A1)\"");
	assert_csv("\tx", "\"'\tx\"");
}

static void csv_header_with_and_without_excel(void **state)
{
	(void)state;
	stance_export_options opts = {.format = STANCE_FORMAT_CSV, .actor = STANCE_NONE};
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	stance_export_begin(f, &opts);
	char *plain = captured(f, &buf);
	assert_string_equal(plain, "doc_id,speaker,speaker_party,target,n,lexicon,svm,tone,sd,"
				   "ci_low,ci_high,label\n");
	free(plain);
	opts.excel = 1;
	f = open_memstream(&buf, &len);
	stance_export_begin(f, &opts);
	char *excel = captured(f, &buf);
	assert_memory_equal(excel, "\xEF\xBB\xBF" "doc_id,", 10);
	assert_non_null(strstr(excel, "label\r\n"));
	free(excel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_fields_follow_rfc4180),
		cmocka_unit_test(csv_fields_never_run_as_formulas),
		cmocka_unit_test(csv_header_with_and_without_excel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

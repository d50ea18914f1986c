/* Stage 7: output that spreadsheets and JSON readers take as meant. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

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

/* The whole pipeline on text, exported in format: the caller frees the result. */
static char *export_text(const char *text, stance_format format, const char *actor)
{
	stance_doc *doc = test_doc(text, NULL);
	stance_export_options opts = {.format = format, .width = 100,
				      .actor = actor ? test_actor(actor) : STANCE_NONE};
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	stance_export_begin(f, &opts);
	assert_int_equal(stance_export(f, doc, test_models(), &opts, NULL), STANCE_OK);
	stance_doc_free(doc);
	return captured(f, &buf);
}

static const char sample[] = "Freedom House praised Canada for its generous aid. "
			     "\"Ottawa has been a wonderful partner,\" Jane Roe said.";

static void json_holds_the_documents_pairs(void **state)
{
	(void)state;
	char *out = export_text(sample, STANCE_FORMAT_JSON, NULL);
	json_error_t jerr;
	json_t *root = json_loads(out, 0, &jerr);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "schema")), "stance/1");
	json_t *pairs = json_object_get(root, "pairs");
	assert_true(json_array_size(pairs) >= 1);
	int speaker_found = 0;
	size_t i;
	json_t *p;
	json_array_foreach(pairs, i, p) {
		assert_string_equal(json_string_value(json_object_get(p, "target")), "Canada");
		const char *speaker = json_string_value(json_object_get(p, "speaker"));
		if (speaker && strcmp(speaker, "Jane Roe") == 0) {
			speaker_found = 1;
			assert_true(json_real_value(json_object_get(p, "tone")) > 0);
			assert_string_equal(json_string_value(json_object_get(p, "label")), "positive");
		}
	}
	assert_true(speaker_found);
	json_decref(root);
	free(out);
}

static void csv_rows_carry_the_document_id(void **state)
{
	(void)state;
	char *out = export_text(sample, STANCE_FORMAT_CSV, "Canada");
	char *row = strchr(out, '\n') + 1;
	assert_true(strncmp(row, "test,", 5) == 0);
	assert_non_null(strstr(row, ",Canada,"));
	free(out);
}

static void the_table_aligns_names_with_accents(void **state)
{
	(void)state;
	char *out = export_text("\"Canada is a wonderful friend,\" said Zoë Müller.", STANCE_FORMAT_TABLE,
				NULL);
	char *header = strstr(out, "SPEAKER");
	char *row = strstr(out, "Zoë Müller");
	assert_non_null(header);
	assert_non_null(row);
	/* TARGET starts in the same column in the header and in the row: count code points. */
	const char *target_in_header = strstr(header, "TARGET");
	const char *target_in_row = strstr(row, "Canada");
	size_t header_cols = 0, row_cols = 0;
	for (const char *c = header; c < target_in_header; c++)
		header_cols += ((unsigned char)*c & 0xC0) != 0x80;
	for (const char *c = row; c < target_in_row; c++)
		row_cols += ((unsigned char)*c & 0xC0) != 0x80;
	assert_int_equal(header_cols, row_cols);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_fields_follow_rfc4180),
		cmocka_unit_test(csv_fields_never_run_as_formulas),
		cmocka_unit_test(csv_header_with_and_without_excel),
		cmocka_unit_test(json_holds_the_documents_pairs),
		cmocka_unit_test(csv_rows_carry_the_document_id),
		cmocka_unit_test(the_table_aligns_names_with_accents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

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

/* CSV numbers read as printf's "%.4f" writes them: halves, signs, zeros and huge values. */
static void csv_numbers_round_as_printf_does(void **state)
{
	(void)state;
	const double values[] = {0,	 -0.0,	   0.00005,   -0.00005, 0.00015, 0.99995,
				 -1,	 2.5e-5,   1.23456789, -0.12345, 42.00004, 100,
				 1e9,	 -3.5e12,  1e300,     0.1 + 0.2, 1.0 / 3, -2.0 / 3};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char want[STANCE_FIXED4_MAX], got[STANCE_FIXED4_MAX];
		snprintf(want, sizeof(want), "%.4f", values[i]);
		assert_int_equal(stance_format_fixed4(got, values[i]), strlen(want));
		assert_string_equal(got, want);
	}
	for (int k = -200000; k <= 200000; k++) { /* every tie of the fifth decimal near [-2, 2] */
		char want[STANCE_FIXED4_MAX], got[STANCE_FIXED4_MAX];
		double x = (k + 0.5) / 1e5;
		snprintf(want, sizeof(want), "%.4f", x);
		stance_format_fixed4(got, x);
		assert_string_equal(got, want);
	}
}

/* The sentences layer keeps its members, in the documented order. */
static void json_sentences_list_their_targets(void **state)
{
	(void)state;
	stance_doc *doc = test_doc(sample, NULL);
	stance_export_options opts = {.format = STANCE_FORMAT_JSON, .sentences = 1,
				      .actor = STANCE_NONE};
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(stance_export(f, doc, test_models(), &opts, NULL), STANCE_OK);
	stance_doc_free(doc);
	char *out = captured(f, &buf);
	assert_non_null(strstr(out, "\"sentences\":[{\"index\":0,\"start\":0,\"end\":"));
	assert_non_null(strstr(out, "\"heading\":false,\"targets\":[{\"target\":\"Canada\","
				    "\"speaker\":"));
	assert_non_null(strstr(out, "\"speaker\":\"Jane Roe\",\"lexicon\":"));
	assert_int_equal(out[strlen(out) - 1], '\n');
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
		cmocka_unit_test(csv_numbers_round_as_printf_does),
		cmocka_unit_test(json_sentences_list_their_targets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

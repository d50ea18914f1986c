/* The JSON Lines commands that expose one layer each, for measurement and for other tools:
 * segment (sentences), quotes (attributions) and classify (stance toward a target). */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "internal.h"
#include "stance_features.h"

typedef struct jsonl_ctx {
	cli_common common;
	stance_models *models;
	const char *text_field; /* "text", or "sentence" for classify */
	const char *last_stage;
	/* The output object for one record, or NULL with err filled when the record is bad. */
	json_t *(*layer)(stance_doc *doc, const json_t *in, const stance_models *m,
			 stance_error *err);
} jsonl_ctx;

static void write_line(FILE *out, json_t *obj)
{
	json_dumpf(obj, out, JSON_COMPACT | JSON_REAL_PRECISION(10));
	fputc('\n', out);
}

/* The error goes to stdout as the record's line, and to stderr for the person watching. */
static void write_error(FILE *out, json_t *id, size_t lineno, const char *message)
{
	fprintf(stderr, "stance: <stdin>:%zu: %s\n", lineno, message);
	/* A parser's message may quote part of a UTF-8 character: keep its valid prefix. */
	size_t valid = strlen(message);
	stance_utf8_valid(message, valid, &valid);
	json_t *obj = json_pack("{s:O?, s:I, s:s#}", "id", id, "line", (json_int_t)lineno, "error",
				message, (int)valid);
	write_line(out, obj);
	json_decref(obj);
}

/* Code point offsets of every byte of the original input, so spans convert in O(1). */
static uint32_t *codepoint_table(const stance_doc *doc)
{
	size_t len;
	const char *s = stance_doc_original(doc, &len);
	uint32_t *cp = stance_arena_alloc(stance_doc_arena((stance_doc *)doc),
					  (len + 1) * sizeof(uint32_t));
	if (!cp)
		return NULL;
	uint32_t count = 0;
	for (size_t i = 0; i <= len; i++) {
		cp[i] = count;
		count += i < len && ((unsigned char)s[i] & 0xC0) != 0x80;
	}
	return cp;
}

static json_t *original_text(const stance_doc *doc, stance_span span)
{
	size_t len;
	const char *s = stance_doc_original(doc, &len);
	size_t from = stance_doc_original_offset(doc, span.start);
	size_t to = stance_doc_original_offset(doc, span.end);
	return json_stringn(s + from, to - from);
}

static json_t *span_json(const stance_doc *doc, const uint32_t *cp, stance_span span)
{
	if (span.end <= span.start)
		return json_null();
	return json_pack("{s:I, s:I, s:o}", "from",
			 (json_int_t)cp[stance_doc_original_offset(doc, span.start)], "to",
			 (json_int_t)cp[stance_doc_original_offset(doc, span.end)], "text",
			 original_text(doc, span));
}

static json_t *sentences_layer(stance_doc *doc, const json_t *in, const stance_models *m,
			       stance_error *err)
{
	(void)in;
	(void)m;
	(void)err;
	size_t n;
	const stance_sentence *s = stance_doc_sentences(doc, &n);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, original_text(doc, (stance_span){s[i].start, s[i].end}));
	return json_pack("{s:o}", "sentences", list);
}

static const char *const attribution_kinds[] = {"direct", "partial", "reported", "stance"};

static json_t *attributions_layer(stance_doc *doc, const json_t *in, const stance_models *m,
				  stance_error *err)
{
	(void)in;
	(void)err;
	size_t n, nentities;
	const stance_attribution *a = stance_doc_attributions(doc, &n);
	const stance_entity *e = stance_doc_entities(doc, &nentities);
	uint32_t *cp = codepoint_table(doc);
	json_t *list = json_array();
	for (size_t i = 0; cp && i < n; i++) {
		const stance_entity *who = a[i].entity == STANCE_NONE ? NULL : &e[a[i].entity];
		const char *party = who && who->party != STANCE_NONE
					    ? stance_models_actor_name(m, who->party)
					    : NULL;
		json_array_append_new(
			list, json_pack("{s:o, s:o, s:o, s:s?, s:s?, s:s, s:i}", "source",
					span_json(doc, cp, a[i].source), "cue",
					span_json(doc, cp, a[i].cue), "content",
					span_json(doc, cp, a[i].content), "speaker",
					who ? who->name : NULL, "party", party, "kind",
					attribution_kinds[a[i].kind], "polarity", a[i].polarity));
	}
	return json_pack("{s:o}", "attributions", list);
}

/* The target's span in the normalised text, from the input's code point offsets; an empty
 * span when the record has none. */
static int target_span(stance_doc *doc, const json_t *in, stance_span *out, stance_error *err)
{
	json_t *from = json_object_get(in, "from"), *to = json_object_get(in, "to");
	*out = (stance_span){0, 0};
	if (!from && !to)
		return STANCE_OK;
	if (!json_is_integer(from) || !json_is_integer(to) || json_integer_value(from) < 0 ||
	    json_integer_value(from) >= json_integer_value(to))
		return stance_fail(err, STANCE_EDATA,
				   "\"from\" and \"to\" must be code point offsets with from < to");
	return stance_features_codepoint_span(doc, (size_t)json_integer_value(from),
					      (size_t)json_integer_value(to), out, err);
}

static json_t *classification_layer(stance_doc *doc, const json_t *in, const stance_models *m,
				    stance_error *err)
{
	stance_span target;
	stance_classification c;
	if (target_span(doc, in, &target, err) || stance_classify(doc, m, target, &c, err))
		return NULL;
	json_t *p = isnan(c.p[0]) ? json_null()
				  : json_pack("[f, f, f]", round(c.p[0] * 1e4) / 1e4,
					      round(c.p[1] * 1e4) / 1e4, round(c.p[2] * 1e4) / 1e4);
	json_t *svm = isnan(c.svm) ? json_null() : json_real(round(c.svm * 1e4) / 1e4);
	return json_pack("{s:i, s:f, s:o, s:f, s:o}", "label", c.label, "lexicon",
			 round(c.lexicon * 1e4) / 1e4, "svm", svm, "tone", round(c.tone * 1e4) / 1e4,
			 "p", p);
}

/* Runs one input object through the pipeline and writes its layer, or its error line. */
static int handle_object(jsonl_ctx *ctx, json_t *in, size_t lineno, FILE *out)
{
	json_t *id = json_object_get(in, "id");
	const char *text = json_string_value(json_object_get(in, ctx->text_field));
	if (!text) {
		char message[64];
		snprintf(message, sizeof(message), "no \"%s\" string", ctx->text_field);
		write_error(out, id, lineno, message);
		return STANCE_EDATA;
	}
	char name[64];
	snprintf(name, sizeof(name), "line %zu", lineno);
	stance_doc *doc = NULL;
	stance_error err;
	int rc = stance_doc_new(&doc, name, text, json_string_length(json_object_get(in, ctx->text_field)),
				&err);
	if (!rc) {
		stance_doc_set_max_bytes(doc, ctx->common.max_bytes);
		rc = stance_run(doc, ctx->models, ctx->last_stage, &err);
	}
	json_t *result = rc ? NULL : ctx->layer(doc, in, ctx->models, &err);
	if (!result) {
		rc = err.code;
		write_error(out, id, lineno, err.message);
	} else {
		json_object_set(result, "id", id ? id : json_null());
		write_line(out, result);
		json_decref(result);
	}
	stance_doc_free(doc);
	return rc;
}

/* Reads stdin line by line; a bad line costs only its own record. */
static int run_jsonl(jsonl_ctx *ctx, int argc, char **argv)
{
	ctx->common.max_bytes = STANCE_MAX_DOC_BYTES;
	static const struct option longopts[] = {CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
	int opt;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if (cli_common_option(&ctx->common, opt, optarg) != 1)
			return cli_usage("%s takes only --models, --actors and --max-bytes", argv[0]);
	if (optind != argc)
		return cli_usage("%s reads JSON Lines on stdin and takes no file", argv[0]);
	int rc = cli_load_models(&ctx->common, &ctx->models);
	if (rc)
		return rc;
	char *line = NULL;
	size_t cap = 0, lineno = 0, bad = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, stdin)) != -1) {
		lineno++;
		json_error_t jerr;
		json_t *in = json_loadb(line, (size_t)len, JSON_DISABLE_EOF_CHECK, &jerr);
		if (!in && strspn(line, " \t\r\n") == (size_t)len)
			continue; /* a blank line */
		if (!in || !json_is_object(in)) {
			write_error(stdout, NULL, lineno, in ? "not a JSON object" : jerr.text);
			bad++;
		} else if (handle_object(ctx, in, lineno, stdout) != STANCE_OK) {
			bad++;
		}
		json_decref(in);
	}
	free(line);
	stance_models_free(ctx->models);
	stance_error err;
	stance_output out = {.f = stdout};
	if (stance_output_commit(&out, &err) != STANCE_OK)
		return cli_report(&err);
	return bad ? STANCE_EDATA : STANCE_OK;
}

int cli_segment(int argc, char **argv)
{
	jsonl_ctx ctx = {.text_field = "text", .last_stage = "segment", .layer = sentences_layer};
	return run_jsonl(&ctx, argc, argv);
}

int cli_quotes(int argc, char **argv)
{
	jsonl_ctx ctx = {.text_field = "text", .last_stage = "attribute", .layer = attributions_layer};
	return run_jsonl(&ctx, argc, argv);
}

int cli_classify(int argc, char **argv)
{
	jsonl_ctx ctx = {.text_field = "sentence", .last_stage = "segment",
			 .layer = classification_layer};
	return run_jsonl(&ctx, argc, argv);
}

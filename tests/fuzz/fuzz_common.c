/* What the libFuzzer targets share: the models, a scratch directory, the pipeline run and the
 * invariants of its layers. */
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"

_Noreturn void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "fuzz: %s:%d: invariant broken: %s\n", file, line, what);
	abort();
}

const stance_models *fuzz_models(void)
{
	static stance_models *models;
	if (!models) {
		stance_error err;
		if (stance_models_load(&models, NULL, &err) != STANCE_OK) {
			fprintf(stderr, "fuzz: cannot load the models: %s\n", err.message);
			exit(1);
		}
	}
	return models;
}

static char scratch[4096];

static void remove_scratch(void)
{
	DIR *d = opendir(scratch);
	if (!d)
		return;
	char path[sizeof(scratch) + 256];
	for (struct dirent *e; (e = readdir(d));) {
		snprintf(path, sizeof(path), "%s/%s", scratch, e->d_name);
		if (e->d_name[0] != '.')
			unlink(path);
	}
	closedir(d);
	rmdir(scratch);
}

const char *fuzz_scratch_dir(void)
{
	if (!scratch[0]) {
		const char *base = getenv("TMPDIR");
		if (!base || !*base)
			base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(scratch, sizeof(scratch), "%s/stance-fuzz-XXXXXX", base);
		if (!mkdtemp(scratch)) {
			perror("fuzz: mkdtemp");
			exit(1);
		}
		atexit(remove_scratch);
	}
	return scratch;
}

const char *fuzz_write_scratch(const char *name, const void *bytes, size_t len)
{
	static char path[sizeof(scratch) + 64];
	snprintf(path, sizeof(path), "%s/%s", fuzz_scratch_dir(), name);
	FILE *f = fopen(path, "wb");
	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(fwrite(bytes, 1, len, f) == len);
	FUZZ_CHECK(fclose(f) == 0);
	return path;
}

static int has_ascii_alnum(const uint8_t *bytes, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (bytes[i] < 0x80 && isalnum(bytes[i]))
			return 1;
	return 0;
}

/* The text stage may refuse bad bytes and blank text, with one line naming the input, and
 * nothing else: valid UTF-8 that holds a letter or digit is a document. */
static void check_refusal(int rc, const stance_error *err, const uint8_t *bytes, size_t len)
{
	size_t bad;
	int expected = rc == STANCE_EDATA && err->code == rc &&
		       strncmp(err->message, "fuzz", 4) == 0 && !strchr(err->message, '\n') &&
		       (!stance_utf8_valid((const char *)bytes, len, &bad) ||
			!has_ascii_alnum(bytes, len));
	if (!expected)
		fprintf(stderr, "fuzz: refused with %d: %s\n", rc, err->message);
	FUZZ_CHECK(expected);
}

static int in_unit_range(double x)
{
	return isfinite(x) && x >= -1.0 - 1e-6 && x <= 1.0 + 1e-6;
}

static void check_text(const stance_doc *doc)
{
	size_t len, original_len;
	const char *text = stance_doc_text(doc, &len);
	stance_doc_original(doc, &original_len);
	FUZZ_CHECK(text[len] == '\0');
	FUZZ_CHECK(stance_doc_original_offset(doc, len) == original_len);
	for (size_t i = 1; i <= len; i++)
		FUZZ_CHECK(stance_doc_original_offset(doc, i - 1) <= stance_doc_original_offset(doc, i));
}

static void check_segments(const stance_doc *doc)
{
	size_t len, ntok, nsent;
	stance_doc_text(doc, &len);
	const stance_token *t = stance_doc_tokens(doc, &ntok);
	const stance_sentence *s = stance_doc_sentences(doc, &nsent);
	for (size_t i = 0; i < ntok; i++) {
		FUZZ_CHECK(t[i].start < t[i].end && t[i].end <= len);
		FUZZ_CHECK(i == 0 || t[i - 1].end <= t[i].start);
		FUZZ_CHECK(t[i].kind <= STANCE_TOK_SYMBOL);
	}
	for (size_t i = 0; i < nsent; i++) {
		FUZZ_CHECK(s[i].start <= s[i].end && s[i].end <= len);
		FUZZ_CHECK(i == 0 || s[i - 1].end <= s[i].start);
		FUZZ_CHECK(s[i].tok_begin <= s[i].tok_end && s[i].tok_end <= ntok);
		if (s[i].tok_begin < s[i].tok_end) {
			FUZZ_CHECK(t[s[i].tok_begin].start >= s[i].start);
			FUZZ_CHECK(t[s[i].tok_end - 1].end <= s[i].end);
		}
	}
}

static int valid_actor(const stance_models *models, int32_t actor)
{
	return actor >= 0 && (size_t)actor < stance_models_actor_count(models);
}

static int valid_span(stance_span span, size_t len)
{
	return span.start <= span.end && span.end <= len;
}

static void check_speakers(const stance_doc *doc, const stance_models *models)
{
	size_t len, nent, nattr;
	stance_doc_text(doc, &len);
	const stance_entity *e = stance_doc_entities(doc, &nent);
	const stance_attribution *a = stance_doc_attributions(doc, &nattr);
	for (size_t i = 0; i < nent; i++) {
		FUZZ_CHECK(e[i].name != NULL);
		FUZZ_CHECK(e[i].party == STANCE_NONE || valid_actor(models, e[i].party));
		FUZZ_CHECK(e[i].kind <= STANCE_ENTITY_ANONYMOUS);
	}
	for (size_t i = 0; i < nattr; i++) {
		FUZZ_CHECK(valid_span(a[i].source, len) && valid_span(a[i].cue, len));
		FUZZ_CHECK(valid_span(a[i].content, len));
		FUZZ_CHECK(a[i].entity == STANCE_NONE || (a[i].entity >= 0 && (size_t)a[i].entity < nent));
		FUZZ_CHECK(a[i].polarity >= -1 && a[i].polarity <= 1);
		FUZZ_CHECK(a[i].kind <= STANCE_ATTR_STANCE);
	}
}

static void check_mentions(const stance_doc *doc, const stance_models *models)
{
	size_t len, n, nsent;
	stance_doc_text(doc, &len);
	stance_doc_sentences(doc, &nsent);
	const stance_mention *m = stance_doc_mentions(doc, &n);
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(m[i].start < m[i].end && m[i].end <= len);
		FUZZ_CHECK(m[i].sentence < nsent);
		FUZZ_CHECK(valid_actor(models, m[i].actor));
		FUZZ_CHECK(m[i].kind <= STANCE_MENTION_PERSON);
	}
}

static void check_scores(const stance_doc *doc, const stance_models *models)
{
	size_t n, nsent, nent, words, positive, negative;
	stance_doc_sentences(doc, &nsent);
	stance_doc_entities(doc, &nent);
	const stance_sentence_score *s = stance_doc_scores(doc, &n);
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(s[i].sentence < nsent);
		FUZZ_CHECK(i == 0 || s[i - 1].sentence <= s[i].sentence);
		FUZZ_CHECK(s[i].speaker == STANCE_NONE ||
			   (s[i].speaker >= 0 && (size_t)s[i].speaker < nent));
		FUZZ_CHECK(valid_actor(models, s[i].target));
		FUZZ_CHECK(in_unit_range(s[i].lexicon) && in_unit_range(s[i].tone));
		FUZZ_CHECK(isnan(s[i].svm) || in_unit_range(s[i].svm));
		FUZZ_CHECK(isfinite(s[i].weight));
	}
	stance_doc_word_counts(doc, &words, &positive, &negative);
	FUZZ_CHECK(positive + negative <= words);
}

static void check_aggregate(const stance_doc *doc)
{
	const stance_agg *agg = stance_doc_aggregate(doc);
	size_t nsent;
	stance_doc_sentences(doc, &nsent);
	for (size_t i = 0; agg && i < stance_agg_count(agg); i++) {
		const stance_pair *p = stance_agg_pair(agg, i);
		FUZZ_CHECK(p->speaker && p->party && p->target);
		FUZZ_CHECK(p->stats.n >= 1 && p->stats.n_svm <= p->stats.n);
		FUZZ_CHECK(p->stats.n_negative + p->stats.n_positive <= p->stats.n);
		FUZZ_CHECK(p->best_sentence < nsent);
		stance_summary sum;
		stance_stats_summarise(&p->stats, &sum);
		FUZZ_CHECK(in_unit_range(sum.tone) && in_unit_range(sum.lexicon));
		FUZZ_CHECK(sum.label != NULL);
	}
}

void fuzz_check_layers(const stance_doc *doc, const stance_models *models)
{
	check_text(doc);
	check_segments(doc);
	check_speakers(doc, models);
	check_mentions(doc, models);
	check_scores(doc, models);
	check_aggregate(doc);
}

/* JSON output must parse back, one object per document, counting its sentences. */
static void check_json(const char *out, size_t len, const stance_doc *doc)
{
	json_error_t jerr;
	json_t *root = json_loadb(out, len, 0, &jerr);
	if (!root)
		fprintf(stderr, "fuzz: JSON export does not parse: %s at %d:%d\n", jerr.text,
			jerr.line, jerr.column);
	FUZZ_CHECK(json_is_object(root));
	size_t nsent;
	stance_doc_sentences(doc, &nsent);
	json_t *n = json_object_get(json_object_get(root, "document"), "sentences");
	FUZZ_CHECK(json_is_integer(n) && (size_t)json_integer_value(n) == nsent);
	json_decref(root);
}

static void export_as(const stance_doc *doc, const stance_models *models,
		      const stance_export_options *opts)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	FUZZ_CHECK(f != NULL);
	stance_error err;
	stance_export_begin(f, opts);
	FUZZ_CHECK(stance_export(f, doc, models, opts, &err) == STANCE_OK);
	FUZZ_CHECK(fclose(f) == 0);
	if (opts->format == STANCE_FORMAT_JSON)
		check_json(out, len, doc);
	free(out);
}

static void export_every_format(const stance_doc *doc, const stance_models *models)
{
	size_t nscores;
	const stance_sentence_score *s = stance_doc_scores(doc, &nscores);
	int32_t some_actor = nscores ? s[0].target : 0;
	const stance_export_options variants[] = {
		{.format = STANCE_FORMAT_JSON, .actor = STANCE_NONE},
		{.format = STANCE_FORMAT_JSON, .actor = some_actor, .sentences = 1},
		{.format = STANCE_FORMAT_CSV, .actor = STANCE_NONE, .excel = 1},
		{.format = STANCE_FORMAT_TABLE, .actor = STANCE_NONE, .width = 40},
		{.format = STANCE_FORMAT_TABLE, .actor = some_actor, .width = 200},
	};
	for (size_t i = 0; i < STANCE_ARRAY_LEN(variants); i++)
		export_as(doc, models, &variants[i]);
}

void fuzz_pipeline(const stance_models *models, const uint8_t *bytes, size_t len,
		   fuzz_doc_check extra)
{
	stance_doc *doc;
	stance_error err;
	FUZZ_CHECK(stance_doc_new(&doc, "fuzz", (const char *)bytes, len, &err) == STANCE_OK);
	int rc = stance_run(doc, models, NULL, &err);
	if (rc == STANCE_OK) {
		fuzz_check_layers(doc, models);
		export_every_format(doc, models);
		if (extra)
			extra(doc, models);
	} else {
		check_refusal(rc, &err, bytes, len);
	}
	stance_doc_free(doc);
}

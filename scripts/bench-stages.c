/* Times each stage of the pipeline over a JSON Lines corpus ({"id", "text"} per line), for
 * scripts/bench, which builds it against build-bench/libstance.a.
 *
 * Usage: bench-stages CORPUS.jsonl [MODELS_DIR]
 * Prints "key value" lines: docs, refused, bytes, sentences, tokens, "stage NAME SECONDS" for
 * every stage of stance_stages[] and for the JSON export, "parse SECONDS" for reading the
 * corpus (not part of the pipeline) and maxrss_kb, the process's peak resident set. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "stance/stance.h"

#define MAX_STAGES 16

typedef struct totals {
	size_t docs, refused, bytes, sentences, tokens;
	double stage[MAX_STAGES + 1]; /* the stages, then the export */
	double parse;
} totals;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs one document stage by stage, then exports it; returns the failing code, if any. */
static int run_timed(stance_doc *doc, const stance_models *models, FILE *sink, totals *t)
{
	stance_error err;
	const stance_export_options opts = {.format = STANCE_FORMAT_JSON, .actor = STANCE_NONE};
	size_t i = 0;
	for (; stance_stages[i].name; i++) {
		double start = now();
		int rc = stance_stages[i].run(doc, models, &err);
		t->stage[i] += now() - start;
		if (rc)
			return rc;
	}
	double start = now();
	int rc = stance_export(sink, doc, models, &opts, &err);
	t->stage[i] += now() - start;
	return rc;
}

static void count_layers(const stance_doc *doc, totals *t)
{
	size_t n;
	stance_doc_sentences(doc, &n);
	t->sentences += n;
	stance_doc_tokens(doc, &n);
	t->tokens += n;
}

static int bench_line(const char *line, size_t len, const stance_models *models, FILE *sink,
		      totals *t)
{
	double start = now();
	json_t *obj = json_loadb(line, len, 0, NULL);
	json_t *text = json_object_get(obj, "text");
	t->parse += now() - start;
	if (!json_is_string(text)) {
		json_decref(obj);
		return 0; /* not a document */
	}
	stance_doc *doc;
	stance_error err;
	size_t n = json_string_length(text);
	if (stance_doc_new(&doc, json_string_value(json_object_get(obj, "id")), json_string_value(text),
			   n, &err) != STANCE_OK) {
		fprintf(stderr, "bench-stages: %s\n", err.message);
		json_decref(obj);
		return -1;
	}
	if (run_timed(doc, models, sink, t) == STANCE_OK) {
		t->docs++;
		t->bytes += n;
		count_layers(doc, t);
	} else {
		t->refused++;
	}
	stance_doc_free(doc);
	json_decref(obj);
	return 0;
}

static void report(const totals *t)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("docs %zu\nrefused %zu\nbytes %zu\nsentences %zu\ntokens %zu\n", t->docs, t->refused,
	       t->bytes, t->sentences, t->tokens);
	size_t i = 0;
	for (; stance_stages[i].name; i++)
		printf("stage %s %.6f\n", stance_stages[i].name, t->stage[i]);
	printf("stage export %.6f\nparse %.6f\nmaxrss_kb %ld\n", t->stage[i], t->parse, ru.ru_maxrss);
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fputs("usage: bench-stages CORPUS.jsonl [MODELS_DIR]\n", stderr);
		return 64;
	}
	size_t nstages = 0;
	while (stance_stages[nstages].name)
		nstages++;
	FILE *in = fopen(argv[1], "r");
	FILE *sink = fopen("/dev/null", "w");
	stance_models *models;
	stance_error err;
	if (nstages > MAX_STAGES || !in || !sink) {
		fprintf(stderr, "bench-stages: cannot open %s\n", argv[1]);
		return 66;
	}
	if (stance_models_load(&models, argc > 2 ? argv[2] : NULL, &err) != STANCE_OK) {
		fprintf(stderr, "bench-stages: %s\n", err.message);
		return err.code;
	}
	totals t = {0};
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;
	while (!rc && (len = getline(&line, &cap, in)) > 0)
		rc = bench_line(line, (size_t)len, models, sink, &t);
	free(line);
	fclose(in);
	fclose(sink);
	stance_models_free(models);
	report(&t);
	return rc ? 70 : 0;
}

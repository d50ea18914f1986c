/* stance train: the SVM stance model from JSON Lines of labelled target mentions. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "svm.h"

#define MAX_C_VALUES 16

/* One usable line of the data: the sentence run through text and segment, and its target. */
typedef struct example {
	const stance_doc *doc;
	stance_span target;
	int polarity;
} example;

static int parse_example(const stance_models *m, json_t *in, const char *name, stance_doc **doc,
			 example *ex, stance_error *err)
{
	json_t *sentence = json_object_get(in, "sentence"), *from = json_object_get(in, "from"),
	       *to = json_object_get(in, "to"), *polarity = json_object_get(in, "polarity");
	if (!json_is_string(sentence) || !json_is_integer(from) || !json_is_integer(to) ||
	    json_integer_value(from) < 0 || json_integer_value(to) < 0)
		return stance_fail(err, STANCE_EDATA,
				   "%s: expected \"sentence\" (a string), \"from\" and \"to\" (code "
				   "point offsets)", name);
	if (!json_is_integer(polarity) || json_integer_value(polarity) < -1 ||
	    json_integer_value(polarity) > 1)
		return stance_fail(err, STANCE_EDATA, "%s: \"polarity\" is not -1, 0 or 1", name);
	int rc = stance_doc_new(doc, name, json_string_value(sentence),
				json_string_length(sentence), err);
	if (!rc)
		rc = stance_run(*doc, m, "segment", err);
	if (!rc)
		rc = stance_features_codepoint_span(*doc, (size_t)json_integer_value(from),
						    (size_t)json_integer_value(to), &ex->target,
						    err);
	ex->doc = *doc;
	ex->polarity = (int)json_integer_value(polarity);
	return rc;
}

/* Adds every usable line of path to the trainer; a malformed line is reported and skipped. */
static int read_examples(const char *path, const stance_models *m, stance_svm_trainer *t,
			 size_t *skipped)
{
	FILE *in = fopen(path, "r");
	if (!in) {
		fprintf(stderr, "stance: %s: cannot open: %s\n", path, strerror(errno));
		return STANCE_ENOINPUT;
	}
	char *line = NULL, name[64];
	size_t cap = 0, lineno = 0;
	ssize_t len;
	int rc = STANCE_OK;
	*skipped = 0;
	while (!rc && (len = getline(&line, &cap, in)) != -1) {
		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)len)
			continue;
		json_error_t jerr;
		json_t *obj = json_loadb(line, (size_t)len, JSON_DISABLE_EOF_CHECK, &jerr);
		stance_doc *doc = NULL;
		stance_error err;
		example ex;
		snprintf(name, sizeof(name), "%s:%zu", path, lineno);
		int line_rc = !json_is_object(obj)
				      ? stance_fail(&err, STANCE_EDATA, "%s: not a JSON object", name)
				      : parse_example(m, obj, name, &doc, &ex, &err);
		if (!line_rc)
			line_rc = stance_svm_trainer_add(t, m, ex.doc, ex.target, ex.polarity, &err);
		if (line_rc == STANCE_EDATA) {
			fprintf(stderr, "stance: %s (line skipped)\n", err.message);
			++*skipped;
		} else if (line_rc) {
			rc = cli_report(&err);
		}
		stance_doc_free(doc);
		json_decref(obj);
	}
	free(line);
	fclose(in);
	return rc;
}

static int parse_c_list(const char *s, double *c, size_t *n)
{
	*n = 0;
	for (const char *p = s; *p;) {
		char *end;
		errno = 0;
		double v = strtod(p, &end);
		if (end == p || errno || v <= 0 || *n == MAX_C_VALUES || (*end && *end != ','))
			return -1;
		c[(*n)++] = v;
		p = *end ? end + 1 : end;
	}
	return *n ? 0 : -1;
}

static int parse_count(const char *s, long lo, long *out)
{
	char *end;
	errno = 0;
	*out = strtol(s, &end, 10);
	return errno || *end || end == s || *out < lo ? -1 : 0;
}

typedef struct train_args {
	cli_common common;
	const char *data, *out;
	double c[MAX_C_VALUES];
	stance_svm_train_options o;
} train_args;

static int parse_args(train_args *a, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},      {"out", required_argument, NULL, 'o'},
		{"folds", required_argument, NULL, 'k'},     {"seed", required_argument, NULL, 's'},
		{"c", required_argument, NULL, 'c'},         {"min-count", required_argument, NULL, 'm'},
		CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0}};
	long v;
	int opt;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		int common = cli_common_option(&a->common, opt, optarg);
		if (common < 0)
			return cli_usage("bad value for an option: %s", optarg);
		if (common)
			continue;
		switch (opt) {
		case 'd': a->data = optarg; break;
		case 'o': a->out = optarg; break;
		case 'k':
			if (parse_count(optarg, 2, &v) != 0 || v > 100)
				return cli_usage("--folds takes a number from 2 to 100");
			a->o.folds = (int)v;
			break;
		case 's':
			if (parse_count(optarg, 0, &v) != 0 || v > (long)UINT32_MAX)
				return cli_usage("--seed takes a non-negative number");
			a->o.seed = (unsigned)v;
			break;
		case 'm':
			if (parse_count(optarg, 1, &v) != 0 || v > (long)UINT32_MAX)
				return cli_usage("--min-count takes a positive number");
			a->o.min_count = (unsigned)v;
			break;
		case 'c':
			if (parse_c_list(optarg, a->c, &a->o.nc) != 0)
				return cli_usage("--c takes up to %d positive numbers, comma-separated",
						 MAX_C_VALUES);
			break;
		default: return cli_usage("unknown option");
		}
	}
	if (optind != argc || !a->data || !a->out)
		return cli_usage("train takes --data FILE.jsonl --out DIR [--folds K] [--seed N] "
				 "[--c LIST] [--min-count N]");
	return STANCE_OK;
}

static void report_training(const stance_svm_train_report *r, size_t examples, size_t skipped,
			    double seconds)
{
	fprintf(stderr,
		"train: %zu examples (%zu lines skipped), %zu features, C=%g, %zu support vectors, "
		"%.0f s\n"
		"train: cross-validated macro-F1: SVM %.4f (libsvm labels), out of fold: "
		"SVM %.4f, lexicon %.4f, tone %.4f\n"
		"train: tone: lexicon weight %.4g, negative bias %.4g, positive bias %.4g\n",
		examples, skipped, r->features, r->c, r->support_vectors, seconds, r->cv_f1, r->oof_svm_f1,
		r->oof_lexicon_f1, r->oof_tone_f1, r->tone.lexicon_weight, r->tone.negative_bias,
		r->tone.positive_bias);
}

static int train(train_args *a, const stance_models *m)
{
	stance_svm_trainer *t;
	if (stance_svm_trainer_new(&t) != STANCE_OK) {
		fputs("stance: out of memory\n", stderr);
		return STANCE_EINTERNAL;
	}
	time_t began = time(NULL);
	size_t skipped;
	int rc = read_examples(a->data, m, t, &skipped);
	if (!rc) {
		stance_svm_train_report report;
		stance_error err;
		if (mkdir(a->out, 0777) != 0 && errno != EEXIST)
			rc = stance_fail(&err, STANCE_EIO, "%s: cannot create: %s", a->out,
					 strerror(errno));
		else
			rc = stance_svm_train(t, &a->o, a->out, &report, &err);
		if (rc)
			cli_report(&err);
		else
			report_training(&report, stance_svm_trainer_count(t), skipped,
					difftime(time(NULL), began));
	}
	stance_svm_trainer_free(t);
	return rc;
}

int cli_train(int argc, char **argv)
{
	train_args a = {.common = {.max_bytes = STANCE_MAX_DOC_BYTES},
			.c = {0.01, 0.03, 0.1},
			.o = {.folds = 5, .seed = 1, .nc = 3, .min_count = 2, .log = stderr}};
	a.o.c = a.c;
	int rc = parse_args(&a, argc, argv);
	if (rc)
		return rc;
	stance_models *models;
	rc = cli_load_models(&a.common, &models);
	if (rc)
		return rc;
	rc = train(&a, models);
	stance_models_free(models);
	return rc;
}

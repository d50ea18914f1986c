/* The stance command line: a thin client of libstance. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "internal.h"

static const char usage_text[] =
	"usage: stance [score] FILE... [options]   score articles (FILE - is stdin)\n"
	"       stance segment  < in.jsonl            sentences of {\"id\",\"text\"} lines\n"
	"       stance quotes   < in.jsonl            attributions of {\"id\",\"text\"} lines\n"
	"       stance classify < in.jsonl            stance of {\"id\",\"sentence\",\"from\",\"to\"} lines\n"
	"       stance batch --input PATH --out DIR [--jobs N] [--resume]   score many documents\n"
	"       stance merge --out DIR RUN...         merge batch outputs (shards, runs)\n"
	"       stance train --data FILE.jsonl --out DIR   train the SVM stance model\n"
	"\n"
	"score options:\n"
	"  --actor NAME        keep pairs whose target or speaker party is NAME (an alias\n"
	"                      such as Moscow or Russian names its actor)\n"
	"  --format FMT        table (default on a terminal), json (default otherwise) or csv\n"
	"  --sentences         JSON: add every sentence with its speaker and scores\n"
	"  --excel             CSV: a byte-order mark and CRLF line ends\n"
	"  -o, --output FILE   write to FILE (through a temporary file renamed at the end)\n"
	"common options:\n"
	"  --models DIR        models directory (default: $STANCE_MODELS, the source tree's\n"
	"                      models/, or the installed one)\n"
	"  --actors FILE.json  extra or overriding actors and people (format: README.md)\n"
	"  --max-bytes N       largest document accepted (default 16777216)\n"
	"  -h, --help          this help;  -V, --version  the version\n"
	"\n"
	"exit codes: 0 ok, 64 usage, 65 bad input data, 66 input missing or unreadable,\n"
	"70 internal error, 74 I/O error, 78 model or resource error\n";

int cli_report(const stance_error *err)
{
	fprintf(stderr, "stance: %s\n", err->message);
	return err->code;
}

int cli_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("stance: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs(" (stance --help for usage)\n", stderr);
	va_end(ap);
	return STANCE_EUSAGE;
}

int cli_common_option(cli_common *c, int opt, const char *arg)
{
	char *end;
	switch (opt) {
	case 'M':
		c->models_dir = arg;
		return 1;
	case 'A':
		c->actors = arg;
		return 1;
	case 'B':
		errno = 0;
		c->max_bytes = strtoull(arg, &end, 10);
		return (errno || *end || c->max_bytes == 0) ? -1 : 1;
	default:
		return 0;
	}
}

int cli_load_models(const cli_common *c, stance_models **out)
{
	stance_error err;
	if (stance_models_load(out, c->models_dir, &err) != STANCE_OK)
		return cli_report(&err);
	if (c->actors && stance_models_add_actors(*out, c->actors, &err) != STANCE_OK) {
		stance_models_free(*out);
		return cli_report(&err);
	}
	return STANCE_OK;
}

static int terminal_width(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *cols = getenv("COLUMNS");
	return cols && atoi(cols) > 0 ? atoi(cols) : 100;
}

static int parse_format(const char *s, stance_format *out)
{
	static const char *const names[] = {"table", "json", "csv"};
	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (stance_format)i;
			return 0;
		}
	return -1;
}

/* Scores one file; a failure is reported and returned, and the caller goes on. */
static int score_file(const char *path, const cli_common *c, const stance_models *models,
		      const stance_export_options *opts, FILE *out)
{
	char *bytes;
	size_t len;
	stance_error err;
	stance_doc *doc = NULL;
	int rc = stance_read_file(path, c->max_bytes, &bytes, &len, &err);
	if (!rc) {
		rc = stance_doc_new(&doc, path, bytes, len, &err);
		free(bytes);
	}
	if (!rc) {
		stance_doc_set_max_bytes(doc, c->max_bytes);
		rc = stance_run(doc, models, NULL, &err);
	}
	if (!rc)
		rc = stance_export(out, doc, models, opts, &err);
	stance_doc_free(doc);
	return rc ? cli_report(&err) : STANCE_OK;
}

static int cli_score(int argc, char **argv)
{
	cli_common c = {.max_bytes = STANCE_MAX_DOC_BYTES};
	stance_export_options opts = {
		.format = isatty(STDOUT_FILENO) ? STANCE_FORMAT_TABLE : STANCE_FORMAT_JSON,
		.actor = STANCE_NONE,
		.width = terminal_width(),
	};
	const char *actor = NULL, *output = NULL;
	static const struct option longopts[] = {
		{"actor", required_argument, NULL, 'a'},  {"format", required_argument, NULL, 'f'},
		{"sentences", no_argument, NULL, 's'},    {"excel", no_argument, NULL, 'x'},
		{"output", required_argument, NULL, 'o'}, CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0}};
	int opt;
	while ((opt = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		int common = cli_common_option(&c, opt, optarg);
		if (common < 0)
			return cli_usage("bad value for an option: %s", optarg);
		if (common)
			continue;
		switch (opt) {
		case 'a': actor = optarg; break;
		case 'f':
			if (parse_format(optarg, &opts.format) != 0)
				return cli_usage("--format takes table, json or csv, not %s", optarg);
			break;
		case 's': opts.sentences = 1; break;
		case 'x': opts.excel = 1; break;
		case 'o': output = optarg; break;
		default: return cli_usage("unknown option");
		}
	}
	stance_models *models;
	int rc = cli_load_models(&c, &models);
	if (rc)
		return rc;
	if (actor && (opts.actor = stance_models_find_actor(models, actor)) == STANCE_NONE) {
		stance_models_free(models);
		return cli_usage("--actor %s: no such actor in the gazetteer", actor);
	}
	stance_error err;
	stance_output out;
	rc = stance_output_open(&out, output, &err);
	if (rc) {
		stance_models_free(models);
		return cli_report(&err);
	}
	stance_export_begin(out.f, &opts);
	int worst = STANCE_OK;
	if (optind == argc)
		worst = score_file("-", &c, models, &opts, out.f);
	for (int i = optind; i < argc && !ferror(out.f); i++) {
		int file_rc = score_file(argv[i], &c, models, &opts, out.f);
		worst = worst ? worst : file_rc;
	}
	stance_models_free(models);
	if (stance_output_commit(&out, &err) != STANCE_OK)
		return cli_report(&err);
	return worst;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{"score", cli_score},
	{"segment", cli_segment},
	{"quotes", cli_quotes},
	{"classify", cli_classify},
	{"train", cli_train},
	{"batch", cli_batch},
	{"merge", cli_merge},
};

int main(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc > 1 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("stance %s\n", STANCE_VERSION);
		return 0;
	}
	for (size_t i = 0; argc > 1 && i < STANCE_ARRAY_LEN(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	return cli_score(argc, argv);
}

/* stance batch and stance merge: thin clients of the batch API (stance/batch.h). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "stance/batch.h"

/* What the progress line needs between calls. */
typedef struct progress_view {
	int terminal;          /* draw the line: stderr is a terminal */
	int drawn;             /* a line is on screen and needs its end */
	double last_drawn;
	uint64_t pause_after;  /* test hook: stop after this many new records, for a kill */
} progress_view;

static void draw_progress(progress_view *v, const stance_batch_progress *p)
{
	uint64_t fresh = p->done - p->resumed;
	double rate = p->elapsed > 0 ? (double)fresh / p->elapsed : 0;
	fprintf(stderr, "\rstance: %llu", (unsigned long long)p->done);
	if (p->total)
		fprintf(stderr, "/%llu", (unsigned long long)p->total);
	fprintf(stderr, " documents, %.0f/s", rate);
	if (p->total > p->done && rate > 0) {
		unsigned long eta = (unsigned long)((double)(p->total - p->done) / rate + 0.5);
		fprintf(stderr, ", ETA %lu:%02lu:%02lu", eta / 3600, eta / 60 % 60, eta % 60);
	}
	fputs("\033[K", stderr); /* clear what a longer line left */
	v->drawn = 1;
	v->last_drawn = p->elapsed;
}

static void show_progress(void *ctx, const stance_batch_progress *p)
{
	progress_view *v = ctx;
	if (v->pause_after && p->done - p->resumed >= v->pause_after) {
		fprintf(stderr, "stance: paused after %llu documents (STANCE_TEST_PAUSE_AFTER)\n",
			(unsigned long long)v->pause_after);
		/* Waits for the test's kill, but not forever should the test die first. */
		for (unsigned left = 600; left;)
			left = sleep(left);
		_exit(STANCE_EINTERNAL);
	}
	if (v->terminal && (p->elapsed - v->last_drawn >= 0.2 || p->done == p->total))
		draw_progress(v, p);
}

static int parse_count(const char *s, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(s, &end, 10);
	if (errno || *end || !*s || n == 0 || n > 256)
		return -1;
	*out = (unsigned)n;
	return 0;
}

static void report_totals(const char *dir, const stance_batch_totals *t)
{
	fprintf(stderr, "stance: %s: %llu documents, %llu scored, %llu errors", dir,
		(unsigned long long)t->documents, (unsigned long long)t->scored,
		(unsigned long long)t->errors);
	if (t->resumed)
		fprintf(stderr, ", %llu from an earlier run", (unsigned long long)t->resumed);
	if (t->errors)
		fprintf(stderr, " (see %s/errors.jsonl)", dir);
	fputc('\n', stderr);
}

static int run_batch(const char *input, const char *dir, const stance_models *models,
		     const stance_batch_options *opts, progress_view *view)
{
	stance_error err;
	stance_batch *batch;
	stance_batch_totals totals;
	int rc = stance_batch_open(&batch, dir, models, opts, &err);
	if (rc)
		return cli_report(&err);
	rc = stance_batch_add_input(batch, input, &err);
	if (!rc)
		rc = stance_batch_finish(batch, &totals, &err);
	stance_batch_free(batch);
	if (view->drawn)
		fputc('\n', stderr);
	if (rc)
		return cli_report(&err);
	report_totals(dir, &totals);
	return STANCE_OK;
}

int cli_batch(int argc, char **argv)
{
	cli_common c = {.max_bytes = STANCE_MAX_DOC_BYTES};
	progress_view view = {.terminal = isatty(STDERR_FILENO)};
	stance_batch_options opts = {.progress = show_progress, .progress_ctx = &view};
	const char *input = NULL, *dir = NULL, *pause_after = getenv("STANCE_TEST_PAUSE_AFTER");
	if (pause_after)
		view.pause_after = strtoull(pause_after, NULL, 10);
	static const struct option longopts[] = {
		{"input", required_argument, NULL, 'i'}, {"out", required_argument, NULL, 'o'},
		{"jobs", required_argument, NULL, 'j'},  {"resume", no_argument, NULL, 'r'},
		{"excel", no_argument, NULL, 'x'},       CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0}};
	int opt;
	while ((opt = getopt_long(argc, argv, "i:o:j:", longopts, NULL)) != -1) {
		int common = cli_common_option(&c, opt, optarg);
		if (common < 0)
			return cli_usage("bad value for an option: %s", optarg);
		if (common)
			continue;
		switch (opt) {
		case 'i': input = optarg; break;
		case 'o': dir = optarg; break;
		case 'j':
			if (parse_count(optarg, &opts.jobs) != 0)
				return cli_usage("--jobs takes a number from 1 to 256, not %s", optarg);
			break;
		case 'r': opts.resume = 1; break;
		case 'x': opts.excel = 1; break;
		default: return cli_usage("unknown option");
		}
	}
	if (!input || !dir || optind != argc)
		return cli_usage("batch takes --input PATH and --out DIR, and no other argument");
	opts.max_bytes = c.max_bytes;
	stance_models *models;
	int rc = cli_load_models(&c, &models);
	if (rc)
		return rc;
	rc = run_batch(input, dir, models, &opts, &view);
	stance_models_free(models);
	return rc;
}

int cli_merge(int argc, char **argv)
{
	const char *dir = NULL;
	int excel = 0;
	static const struct option longopts[] = {{"out", required_argument, NULL, 'o'},
						 {"excel", no_argument, NULL, 'x'},
						 {NULL, 0, NULL, 0}};
	int opt;
	while ((opt = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o': dir = optarg; break;
		case 'x': excel = 1; break;
		default: return cli_usage("unknown option");
		}
	}
	if (!dir || optind == argc)
		return cli_usage("merge takes --out DIR and one or more batch directories");
	stance_error err;
	stance_batch_totals totals;
	if (stance_batch_merge(dir, (const char *const *)argv + optind, (size_t)(argc - optind),
			       excel, &totals, &err) != STANCE_OK)
		return cli_report(&err);
	report_totals(dir, &totals);
	return STANCE_OK;
}

/* What the CLI's commands share: options common to all, model loading and error reports. */
#ifndef STANCE_CLI_H
#define STANCE_CLI_H

#include <stdio.h>

#include "stance/stance.h"

typedef struct cli_common {
	const char *models_dir; /* --models */
	const char *actors;     /* --actors */
	size_t max_bytes;       /* --max-bytes */
} cli_common;

/* Options every command takes, as getopt_long entries and their handler. */
#define CLI_COMMON_OPTIONS                                                                   \
	{"models", required_argument, NULL, 'M'}, {"actors", required_argument, NULL, 'A'},   \
		{"max-bytes", required_argument, NULL, 'B'}

/* Handles a common option; returns 1 when opt was one, 0 when not, -1 on a bad value. */
int cli_common_option(cli_common *c, int opt, const char *arg);

int cli_load_models(const cli_common *c, stance_models **out);

/* Prints "stance: message" on stderr and returns the error's code. */
int cli_report(const stance_error *err);
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cli_segment(int argc, char **argv);
int cli_quotes(int argc, char **argv);
int cli_classify(int argc, char **argv);
int cli_train(int argc, char **argv);
int cli_batch(int argc, char **argv);
int cli_merge(int argc, char **argv);

#endif

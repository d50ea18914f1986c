/* Output files that appear only when complete: written under a temporary name, synced and
 * renamed, so that a killed run never leaves a half file that looks finished. */
#ifndef STANCE_OUTPUT_H
#define STANCE_OUTPUT_H

#include <stdio.h>

#include "stance/error.h"

typedef struct stance_output {
	FILE *f;    /* write here */
	char *path; /* NULL for standard output */
	char *tmp;
} stance_output;

/* Opens path ("-" or NULL: standard output) for writing. */
int stance_output_open(stance_output *o, const char *path, stance_error *err);

/* Flushes and checks every write; a file is synced and renamed into place. On failure the
 * temporary file is removed and STANCE_EIO names the output. */
int stance_output_commit(stance_output *o, stance_error *err);

/* Abandons the output: the temporary file is removed. */
void stance_output_discard(stance_output *o);

/* Flushes, syncs and closes f, reporting the first failure against name. */
int stance_close_synced(FILE *f, const char *name, stance_error *err);

#endif

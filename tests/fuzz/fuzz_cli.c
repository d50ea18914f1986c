/* Fuzz target: JSON Lines on the standard input of `stance segment`, `stance quotes` and
 * `stance classify`, through the CLI's own code (pipeline/cli.c, built here with its main
 * renamed stance_cli_main, and pipeline/cli_jsonl.c): the per-line parsing and error lines
 * are not library functions, so this is the only way to reach them.
 *
 * Loading the models for every input would make this target a model-loading benchmark, so the
 * link wraps stance_models_load and stance_models_free (-Wl,--wrap): the CLI gets models
 * loaded once and its free leaves them alone.
 *
 * Each command must write exactly one JSON object line per line of input that is not blank. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int stance_cli_main(int argc, char **argv);
int __real_stance_models_load(stance_models **out, const char *dir, stance_error *err);
int __wrap_stance_models_load(stance_models **out, const char *dir, stance_error *err);
void __wrap_stance_models_free(stance_models *models);

int __wrap_stance_models_load(stance_models **out, const char *dir, stance_error *err)
{
	static stance_models *shared;
	if (!shared && __real_stance_models_load(&shared, dir, err) != STANCE_OK)
		return err->code;
	*out = shared;
	return STANCE_OK;
}

void __wrap_stance_models_free(stance_models *models)
{
	(void)models;
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(" \t\r\n", s[i]) || s[i] == '\0')
			return 0;
	return 1;
}

/* Lines as getline() sees them: the last may lack its newline. */
static size_t count_lines_with_text(const uint8_t *data, size_t size)
{
	size_t lines = 0;
	for (size_t i = 0; i < size;) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t end = nl ? (size_t)(nl - data) + 1 : size;
		lines += !is_blank((const char *)data + i, end - i);
		i = end;
	}
	return lines;
}

static void check_output(const char *out, size_t len, size_t expected_lines)
{
	size_t lines = 0;
	for (size_t i = 0; i < len; lines++) {
		const char *nl = memchr(out + i, '\n', len - i);
		FUZZ_CHECK(nl != NULL);
		json_error_t jerr;
		json_t *obj = json_loadb(out + i, (size_t)(nl - out) - i, 0, &jerr);
		FUZZ_CHECK(json_is_object(obj));
		FUZZ_CHECK(json_object_get(obj, "id") != NULL);
		json_decref(obj);
		i = (size_t)(nl - out) + 1;
	}
	FUZZ_CHECK(lines == expected_lines);
}

/* Runs `stance command` with data as its standard input; returns its exit code. */
static int run_command(const char *command, const uint8_t *data, size_t size, char **out,
		       size_t *out_len)
{
	static FILE *devnull;
	if (!devnull)
		devnull = fopen("/dev/null", "w+");
	FILE *saved_in = stdin, *saved_out = stdout, *saved_err = stderr;
	stdin = size ? fmemopen((void *)data, size, "r") : fopen("/dev/null", "r");
	stdout = open_memstream(out, out_len);
	stderr = devnull;
	FUZZ_CHECK(stdin && stdout && devnull);
	char name[] = "stance", cmd[16];
	snprintf(cmd, sizeof(cmd), "%s", command);
	char *argv[] = {name, cmd, NULL};
	optind = 0; /* getopt starts afresh */
	int rc = stance_cli_main(2, argv);
	fclose(stdin);
	fclose(stdout);
	stdin = saved_in, stdout = saved_out, stderr = saved_err;
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const commands[] = {"segment", "quotes", "classify"};
	size_t expected = count_lines_with_text(data, size);
	for (size_t i = 0; i < STANCE_ARRAY_LEN(commands); i++) {
		char *out = NULL;
		size_t len = 0;
		int rc = run_command(commands[i], data, size, &out, &len);
		FUZZ_CHECK(rc == STANCE_OK || rc == STANCE_EDATA || rc == STANCE_EUSAGE);
		if (rc != STANCE_EUSAGE) /* a command not written yet says so */
			check_output(out, len, expected);
		free(out);
	}
	return 0;
}

/* The error record, and reading whole files with errors that name them. */
#include <errno.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

int stance_fail(stance_error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

void stance_error_clear(stance_error *err)
{
	if (err) {
		err->code = STANCE_OK;
		err->message[0] = '\0';
	}
}

static int read_stream(FILE *f, const char *path, size_t max, char **out, size_t *len,
		       stance_error *err)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", path);
	for (;;) {
		if (n == cap) {
			char *grown = realloc(buf, cap * 2 + 1);
			if (!grown) {
				free(buf);
				return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", path);
			}
			buf = grown;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
		if (n > max) {
			free(buf);
			return stance_fail(err, STANCE_EDATA, "%s: more than the limit of %zu bytes",
					   path, max);
		}
	}
	if (ferror(f)) {
		free(buf);
		return stance_fail(err, STANCE_EIO, "%s: read error: %s", path, strerror(errno));
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return STANCE_OK;
}

int stance_read_file(const char *path, size_t max, char **out, size_t *len, stance_error *err)
{
	if (strcmp(path, "-") == 0)
		return read_stream(stdin, "<stdin>", max, out, len, err);
	FILE *f = fopen(path, "rb");
	if (!f)
		return stance_fail(err, STANCE_ENOINPUT, "%s: cannot open: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) != 0) {
		fclose(f);
		return stance_fail(err, STANCE_EIO, "%s: cannot stat: %s", path, strerror(errno));
	}
	if (S_ISDIR(st.st_mode)) {
		fclose(f);
		return stance_fail(err, STANCE_ENOINPUT, "%s: is a directory", path);
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
		fclose(f);
		return stance_fail(err, STANCE_EDATA, "%s: %jd bytes is over the limit of %zu bytes",
				   path, (intmax_t)st.st_size, max);
	}
	int rc = read_stream(f, path, max, out, len, err);
	fclose(f);
	return rc;
}

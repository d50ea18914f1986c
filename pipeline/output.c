/* Output files that appear only when complete. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "stance/output.h"

/* The file a path names, following symbolic links, so that the rename replaces the file and
 * keeps the link; NULL when out of memory. */
static char *follow_links(const char *path)
{
	char *p = strdup(path);
	for (int hops = 0; p && hops < 40; hops++) {
		struct stat st;
		char target[4096];
		if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
			break;
		ssize_t n = readlink(p, target, sizeof(target) - 1);
		if (n < 0)
			break;
		target[n] = '\0';
		const char *slash = strrchr(p, '/');
		int dir_len = target[0] == '/' || !slash ? 0 : (int)(slash - p + 1);
		char *next;
		if (asprintf(&next, "%.*s%s", dir_len, p, target) < 0)
			next = NULL;
		free(p);
		p = next;
	}
	return p;
}

int stance_output_open(stance_output *o, const char *path, stance_error *err)
{
	*o = (stance_output){.f = stdout};
	if (!path || strcmp(path, "-") == 0)
		return STANCE_OK;
	o->path = follow_links(path);
	if (!o->path || asprintf(&o->tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
		o->tmp = NULL;
		stance_output_discard(o);
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", path);
	}
	o->f = fopen(o->tmp, "wb");
	if (!o->f) {
		stance_fail(err, STANCE_EIO, "%s: cannot create: %s", o->tmp, strerror(errno));
		stance_output_discard(o);
		return err->code;
	}
	return STANCE_OK;
}

int stance_close_synced(FILE *f, const char *name, stance_error *err)
{
	errno = 0;
	int failed = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
	int saved = errno;
	if (fclose(f) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (failed)
		return stance_fail(err, STANCE_EIO, "%s: write error: %s", name,
				   strerror(saved ? saved : EIO));
	return STANCE_OK;
}

static int flush_stdout(stance_error *err)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		return stance_fail(err, STANCE_EIO, "<stdout>: write error: %s",
				   strerror(errno ? errno : EIO));
	return STANCE_OK;
}

int stance_output_commit(stance_output *o, stance_error *err)
{
	if (!o->path)
		return flush_stdout(err);
	FILE *f = o->f;
	o->f = NULL;
	int rc = stance_close_synced(f, o->path, err);
	if (!rc && rename(o->tmp, o->path) != 0)
		rc = stance_fail(err, STANCE_EIO, "%s: cannot rename into place: %s", o->path,
				 strerror(errno));
	if (rc)
		remove(o->tmp);
	free(o->path);
	free(o->tmp);
	*o = (stance_output){0};
	return rc;
}

void stance_output_discard(stance_output *o)
{
	if (o->f && o->path) {
		fclose(o->f);
		remove(o->tmp);
	}
	free(o->path);
	free(o->tmp);
	*o = (stance_output){0};
}

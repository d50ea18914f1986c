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

/* Opens name for o, or fails with the output discarded. */
static int open_for(stance_output *o, const char *name, stance_error *err)
{
	o->f = fopen(name, "wb");
	if (!o->f) {
		stance_fail(err, STANCE_EIO, "%s: cannot create: %s", name, strerror(errno));
		stance_output_discard(o);
		return err->code;
	}
	return STANCE_OK;
}

int stance_output_open(stance_output *o, const char *path, stance_error *err)
{
	*o = (stance_output){.f = stdout};
	if (!path || strcmp(path, "-") == 0)
		return STANCE_OK;
	o->path = follow_links(path);
	if (!o->path)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", path);
	struct stat st;
	if (stat(o->path, &st) == 0 && !S_ISREG(st.st_mode))
		return open_for(o, o->path, err); /* a FIFO or device: written through, not replaced */
	if (asprintf(&o->tmp, "%s.tmp.%ld", o->path, (long)getpid()) < 0) {
		o->tmp = NULL;
		stance_output_discard(o);
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", path);
	}
	return open_for(o, o->tmp, err);
}

/* Flushes (and syncs) and closes f, reporting the first failure against name. A FIFO or a
 * device cannot be synced and is not asked to be. */
static int close_checked(FILE *f, const char *name, bool sync, stance_error *err)
{
	errno = 0;
	int failed = fflush(f) != 0 || ferror(f) || (sync && fsync(fileno(f)) != 0);
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

int stance_close_synced(FILE *f, const char *name, stance_error *err)
{
	return close_checked(f, name, true, err);
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
	int rc = close_checked(f, o->path, o->tmp != NULL, err);
	if (!rc && o->tmp && rename(o->tmp, o->path) != 0)
		rc = stance_fail(err, STANCE_EIO, "%s: cannot rename into place: %s", o->path,
				 strerror(errno));
	if (rc && o->tmp)
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
		if (o->tmp)
			remove(o->tmp);
	}
	free(o->path);
	free(o->tmp);
	*o = (stance_output){0};
}

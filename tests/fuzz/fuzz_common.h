/* What the libFuzzer targets share: the shipped models loaded once, a scratch directory for
 * model files, and the checks every document must pass whatever its input.
 *
 * A broken invariant calls abort(), which libFuzzer reports as a crash with its input. */
#ifndef STANCE_FUZZ_COMMON_H
#define STANCE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* The models of $STANCE_MODELS or the source tree, loaded on the first call. */
const stance_models *fuzz_models(void);

/* A private directory (under $TMPDIR, else /dev/shm, else /tmp), made on the first call and
 * removed at exit. */
const char *fuzz_scratch_dir(void);

/* Writes bytes to name inside the scratch directory; returns the full path (static buffer). */
const char *fuzz_write_scratch(const char *name, const void *bytes, size_t len);

/* What a target checks further on a document that went through the whole pipeline. */
typedef void (*fuzz_doc_check)(stance_doc *doc, const stance_models *models);

/* Runs the whole pipeline over bytes with models, checks every layer, writes every export
 * format and calls extra (when not NULL); input the text stage refuses is fine, any other
 * failure aborts. */
void fuzz_pipeline(const stance_models *models, const uint8_t *bytes, size_t len,
		   fuzz_doc_check extra);

/* Checks the layers of a document that went through the whole pipeline. */
void fuzz_check_layers(const stance_doc *doc, const stance_models *models);

/* Aborts with a message on stderr when cond is false. */
#define FUZZ_CHECK(cond)                                                                     \
	((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond))
_Noreturn void fuzz_fail(const char *file, int line, const char *what);

#endif

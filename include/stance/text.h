/* Stage 1, text: UTF-8 validation and normalisation, keeping offsets into the input.
 *
 * Rejects invalid UTF-8 (naming the byte offset), NUL bytes, empty or blank input and input
 * over the size limit. Strips a BOM; turns CRLF and lone CR into LF, curly quotes into
 * straight ones, em dashes into "--", en dashes into "-", the ellipsis character into "...",
 * and no-break and other Unicode spaces into a plain space. */
#ifndef STANCE_TEXT_H
#define STANCE_TEXT_H

#include "stance/doc.h"
#include "stance/models.h"

/* Default largest document in bytes; the CLI's --max-bytes changes it. */
#define STANCE_MAX_DOC_BYTES (16u * 1024u * 1024u)

int stance_text(stance_doc *doc, const stance_models *models, stance_error *err);

/* Reads a whole file ("-": stdin) into malloc'd, NUL-terminated memory: STANCE_ENOINPUT naming
 * path when it cannot be opened, STANCE_EDATA when it holds more than max bytes (read no
 * further than that, so a huge input costs no more memory than the limit). */
int stance_read_file(const char *path, size_t max, char **out, size_t *len, stance_error *err);

/* Checks that bytes are valid UTF-8 without NUL; on failure, *bad_offset is the offset of
 * the first offending byte. Returns 1 when valid. */
int stance_utf8_valid(const char *bytes, size_t len, size_t *bad_offset);

#endif

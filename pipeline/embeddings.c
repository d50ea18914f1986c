/* Word vectors: mapping models/embeddings.bin and finding a word's vector. The file is mapped,
 * not read: only the pages of the words a run meets come into memory, and every process on
 * the machine shares them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "embeddings.h"

#define MAGIC "stance-embeddings 1 "
#define MAX_FILE_BYTES (1024u * 1024u * 1024u)
#define MAX_WORD_BYTES 64

struct stance_embeddings {
	const char *map;      /* the file, read-only */
	size_t map_len;
	const int8_t *vectors;
	size_t words, dims;
	double scale;
	uint32_t *word_at;    /* word_at[w]: offset of word w in map; word_at[words]: past the last */
	uint32_t *slots;      /* open addressing over the words: w + 1, or 0 when empty */
	size_t cap;           /* a power of two, at least twice words */
};

static int malformed(const char *path, const char *what, stance_error *err)
{
	return stance_fail(err, STANCE_EMODEL, "%s: malformed word vectors: %s", path, what);
}

/* "WORDS DIMS SCALE\n" after the magic; *end is set past the line. */
static int parse_header(stance_embeddings *e, const char *path, size_t *end, stance_error *err)
{
	size_t len = e->map_len < 256 ? e->map_len : 255;
	const char *nl = memchr(e->map, '\n', len);
	if (len < sizeof(MAGIC) - 1 || memcmp(e->map, MAGIC, sizeof(MAGIC) - 1) != 0 || !nl)
		return malformed(path, "expected \"" MAGIC "WORDS DIMS SCALE\"", err);
	char line[256];
	memcpy(line, e->map, (size_t)(nl - e->map));
	line[nl - e->map] = '\0';
	unsigned long words, dims;
	int used = 0;
	if (sscanf(line + sizeof(MAGIC) - 1, "%lu %lu %lf%n", &words, &dims, &e->scale, &used) != 3 ||
	    line[sizeof(MAGIC) - 1 + (size_t)used] != '\0' || words == 0 ||
	    words > e->map_len || dims == 0 || dims > STANCE_EMBEDDINGS_MAX_DIMS ||
	    !(e->scale > 0 && e->scale < 1))
		return malformed(path, "the header needs WORDS > 0, DIMS in 1..1024 and a SCALE in "
				 "(0, 1)", err);
	e->words = words;
	e->dims = dims;
	*end = (size_t)(nl - e->map) + 1;
	return STANCE_OK;
}

static size_t word_len(const stance_embeddings *e, size_t w)
{
	return e->word_at[w + 1] - e->word_at[w] - 1;
}

/* The slot where word (n bytes) is, or the empty slot where it would go. */
static uint32_t *slot_of(const stance_embeddings *e, const char *word, size_t n)
{
	size_t i = stance_hash(word, n) & (e->cap - 1);
	for (;; i = (i + 1) & (e->cap - 1)) {
		uint32_t w = e->slots[i];
		if (!w || (word_len(e, w - 1) == n &&
			   memcmp(e->map + e->word_at[w - 1], word, n) == 0))
			return &e->slots[i];
	}
}

/* WORDS lines of one word each from at; the vectors must fill the rest of the file exactly. */
static int index_words(stance_embeddings *e, const char *path, size_t at, stance_error *err)
{
	e->cap = 1024;
	while (e->cap < 2 * e->words)
		e->cap *= 2;
	e->word_at = malloc((e->words + 1) * sizeof(*e->word_at));
	e->slots = calloc(e->cap, sizeof(*e->slots));
	if (!e->word_at || !e->slots)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", path);
	char what[128];
	for (size_t w = 0; w < e->words; w++) {
		const char *word = e->map + at;
		const char *nl = memchr(word, '\n', e->map_len - at);
		size_t n = nl ? (size_t)(nl - word) : 0;
		e->word_at[w] = (uint32_t)at;
		e->word_at[w + 1] = (uint32_t)(at + n + 1);
		if (!nl || n == 0 || n > MAX_WORD_BYTES || memchr(word, ' ', n)) {
			snprintf(what, sizeof(what), "word %zu of %zu is missing, empty, too long or "
				 "holds a space", w + 1, e->words);
			return malformed(path, what, err);
		}
		uint32_t *slot = slot_of(e, word, n);
		if (*slot) {
			snprintf(what, sizeof(what), "word %zu (%.*s) comes twice", w + 1, (int)n, word);
			return malformed(path, what, err);
		}
		*slot = (uint32_t)w + 1;
		at += n + 1;
	}
	if (e->map_len - at != e->words * e->dims)
		return malformed(path, "the vectors do not fill the file (WORDS x DIMS bytes after "
				 "the words)", err);
	e->vectors = (const int8_t *)(e->map + at);
	return STANCE_OK;
}

static int map_file(stance_embeddings *e, const char *path, stance_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return stance_fail(err, STANCE_EMODEL, "%s: cannot open: %s", path, strerror(errno));
	struct stat st;
	int rc = STANCE_OK;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		rc = stance_fail(err, STANCE_EMODEL, "%s: not a readable regular file", path);
	else if (st.st_size == 0 || (uint64_t)st.st_size > MAX_FILE_BYTES)
		rc = malformed(path, "expected \"" MAGIC "WORDS DIMS SCALE\" and at most 1 GB", err);
	if (!rc) {
		void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED)
			rc = stance_fail(err, STANCE_EMODEL, "%s: cannot map: %s", path,
					 strerror(errno));
		else
			e->map = map, e->map_len = (size_t)st.st_size;
	}
	close(fd);
	return rc;
}

int stance_embeddings_load(stance_embeddings **out, const char *dir, stance_error *err)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/" STANCE_EMBEDDINGS_FILE, dir);
	*out = NULL;
	if (access(path, F_OK) != 0)
		return STANCE_OK;
	stance_embeddings *e = calloc(1, sizeof(*e));
	if (!e)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", path);
	size_t at = 0;
	int rc = map_file(e, path, err);
	if (!rc)
		rc = parse_header(e, path, &at, err);
	if (!rc)
		rc = index_words(e, path, at, err);
	if (rc) {
		stance_embeddings_free(e);
		return rc;
	}
	*out = e;
	return STANCE_OK;
}

void stance_embeddings_free(stance_embeddings *e)
{
	if (!e)
		return;
	if (e->map)
		munmap((void *)e->map, e->map_len);
	free(e->word_at);
	free(e->slots);
	free(e);
}

size_t stance_embeddings_dims(const stance_embeddings *e)
{
	return e->dims;
}

double stance_embeddings_scale(const stance_embeddings *e)
{
	return e->scale;
}

const int8_t *stance_embeddings_find(const stance_embeddings *e, const char *word, size_t len)
{
	char key[MAX_WORD_BYTES];
	if (len > 2 && word[len - 2] == '\'' && (word[len - 1] == 's' || word[len - 1] == 'S'))
		len -= 2;
	if (len == 0 || len > sizeof(key))
		return NULL;
	for (size_t i = 0; i < len; i++)
		key[i] = word[i] >= 'A' && word[i] <= 'Z' ? (char)(word[i] - 'A' + 'a') : word[i];
	uint32_t w = *slot_of(e, key, len);
	return w ? e->vectors + (size_t)(w - 1) * e->dims : NULL;
}

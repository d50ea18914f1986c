/* Batch scoring. The caller's thread only cuts the input into records in a bounded ring, so
 * that the serial part stays small; worker threads parse them, admit them in input order (the
 * ids met decide duplicates and what a resumed run finished) and score them; one writer
 * thread appends their journal lines in input order. The final files are then rebuilt from
 * the journal, which is also how resume and merge get the same bytes as one uninterrupted
 * run. */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "stance/batch.h"
#include "stance/export.h"
#include "stance/output.h"

#define STATE_SCHEMA "stance-batch-state/1"
#define SUMMARY_SCHEMA "stance-batch/1"
#define PARTIAL_DIR ".partial"
#define JOURNAL PARTIAL_DIR "/journal.jsonl"
#define TOP_TARGETS 10
#define MAX_JOBS 256u

/* ------------------------------------------------------------------------------------------
 * Keys already met: ids, or the line of a record that has none. Only 64-bit hashes are kept;
 * two distinct ids share a hash with odds under 1e-7 in a batch of a million.
 *
 * The set's memory is fixed however many keys it holds. The keys met lately are in a hash
 * table of at most KEY_SLOTS_MAX slots; when it is full, they are merged into the spill, a
 * file of every older key sorted by hash, that a key not in the table is looked up in by
 * reading one block. A Bloom filter of fixed size spares that read for nearly every new key
 * up to a few million keys; past tens of millions most new keys cost a read. */

#define KEY_SLOTS_MAX (1u << 19)  /* 8 MB of table */
#define KEY_BLOOM_BITS (1u << 25) /* 4 MB */
#define KEY_INDEX_MAX (1u << 16)  /* blocks of the spill, whose first hashes stay in memory */
#define KEY_BLOCK_MIN 256u        /* keys of a block: one 4 KB read */

typedef struct key_slot {
	uint64_t hash;      /* 0: empty */
	uint32_t journaled; /* occurrences that the resumed journal holds */
	uint32_t seen;      /* occurrences met since */
} key_slot;

typedef struct key_set {
	const char *dir; /* where the spill goes */
	key_slot *slots;
	size_t cap, n;
	FILE *spill;     /* unlinked at once: a kill leaves nothing behind */
	uint64_t spilled;
	uint64_t *index; /* the first hash of each block */
	size_t block, blocks;
	key_slot *read;  /* a block read back */
	uint64_t *bloom;
} key_set;

/* The string map's hash, never 0 (an empty slot). Nothing stores it: a resume or merge
 * hashes the ids again. */
static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = stance_hash(s, n);
	return h ? h : 1;
}

/* A record's key: its id, or (for a record without one) its line, which no id can equal as
 * ids never hold a NUL. */
static uint64_t record_key(const char *id, size_t line)
{
	if (id)
		return hash_bytes(id, strlen(id));
	char key[32] = "";
	int len = snprintf(key + 1, sizeof(key) - 1, "%zu", line);
	return hash_bytes(key, (size_t)len + 1);
}

static void key_set_init(key_set *set, const char *dir)
{
	*set = (key_set){.dir = dir};
}

static void key_set_free(key_set *set)
{
	if (set->spill)
		fclose(set->spill);
	free(set->slots);
	free(set->index);
	free(set->read);
	free(set->bloom);
	key_set_init(set, set->dir);
}

static key_slot *key_probe(key_slot *slots, size_t cap, uint64_t hash)
{
	size_t i = hash & (cap - 1);
	while (slots[i].hash && slots[i].hash != hash)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int key_grow(key_set *set)
{
	size_t cap = set->cap ? set->cap * 2 : 1024;
	key_slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -1;
	for (size_t i = 0; i < set->cap; i++)
		if (set->slots[i].hash)
			*key_probe(slots, cap, set->slots[i].hash) = set->slots[i];
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
	return 0;
}

/* The filter's k-th bit for hash: the hash is well mixed already, so its two halves serve as
 * the two hashes of double hashing. */
static size_t bloom_bit(uint64_t hash, unsigned k)
{
	return (size_t)((hash + k * ((hash >> 32) | 1)) & (KEY_BLOOM_BITS - 1));
}

enum { BLOOM_HASHES = 4 };

static void bloom_add(uint64_t *bloom, uint64_t hash)
{
	for (unsigned k = 0; k < BLOOM_HASHES; k++) {
		size_t bit = bloom_bit(hash, k);
		bloom[bit / 64] |= (uint64_t)1 << (bit % 64);
	}
}

static int bloom_may_hold(const uint64_t *bloom, uint64_t hash)
{
	for (unsigned k = 0; k < BLOOM_HASHES; k++) {
		size_t bit = bloom_bit(hash, k);
		if (!(bloom[bit / 64] >> (bit % 64) & 1))
			return 0;
	}
	return 1;
}

static int by_hash(const void *a, const void *b)
{
	uint64_t x = ((const key_slot *)a)->hash, y = ((const key_slot *)b)->hash;
	return (x > y) - (x < y);
}

static int spill_failed(const key_set *set, stance_error *err)
{
	return stance_fail(err, STANCE_EIO, "%s: cannot keep the ids met on disk: %s", set->dir,
			   strerror(errno ? errno : EIO));
}

static FILE *spill_create(const key_set *set, stance_error *err)
{
	char *path;
	if (asprintf(&path, "%s/keys.XXXXXX", set->dir) < 0) {
		stance_fail(err, STANCE_EINTERNAL, "out of memory");
		return NULL;
	}
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
	if (fd >= 0)
		unlink(path);
	if (fd >= 0 && !f)
		close(fd);
	free(path);
	if (!f)
		spill_failed(set, err);
	return f;
}

/* The next key of the spill in hash order, or 0 at its end. */
static int spill_next(key_set *set, key_slot *k)
{
	return set->spill && fread(k, sizeof(*k), 1, set->spill) == 1;
}

/* Sizes the index for a spill of up to n keys: blocks grow once it holds KEY_INDEX_MAX. */
static int spill_index_for(key_set *set, uint64_t n)
{
	size_t block = n / KEY_INDEX_MAX + 1 > KEY_BLOCK_MIN ? n / KEY_INDEX_MAX + 1 : KEY_BLOCK_MIN;
	uint64_t *index = malloc((n / block + 1) * sizeof(*index));
	key_slot *read = malloc(block * sizeof(*read));
	if (!index || !read) {
		free(index);
		free(read);
		return -1;
	}
	free(set->index);
	free(set->read);
	set->index = index;
	set->read = read;
	set->block = block;
	return 0;
}

static int spill_write(key_set *set, FILE *out, const key_slot *k, uint64_t *written)
{
	if (*written % set->block == 0)
		set->index[*written / set->block] = k->hash;
	bloom_add(set->bloom, k->hash);
	(*written)++;
	return fwrite(k, sizeof(*k), 1, out) == 1 ? 0 : -1;
}

/* Merges the table's keys (sorted, n of them) with the spill into out; the table's count of a
 * key wins, as it was read back from the spill and counted since. */
static int spill_merge(key_set *set, size_t n, FILE *out, uint64_t *written)
{
	if (set->spill)
		rewind(set->spill);
	key_slot old;
	int more = spill_next(set, &old), rc = 0;
	for (size_t i = 0; !rc && (i < n || more);) {
		if (more && (i == n || old.hash < set->slots[i].hash)) {
			rc = spill_write(set, out, &old, written);
			more = spill_next(set, &old);
			continue;
		}
		if (more && old.hash == set->slots[i].hash)
			more = spill_next(set, &old);
		rc = spill_write(set, out, &set->slots[i++], written);
	}
	if (set->spill && ferror(set->spill))
		rc = -1;
	return rc || fflush(out) != 0 ? -1 : 0;
}

/* Empties the table into the spill. */
static int key_spill(key_set *set, stance_error *err)
{
	size_t n = 0;
	for (size_t i = 0; i < set->cap; i++)
		if (set->slots[i].hash)
			set->slots[n++] = set->slots[i];
	qsort(set->slots, n, sizeof(*set->slots), by_hash);
	if ((!set->bloom && !(set->bloom = calloc(KEY_BLOOM_BITS / 64, sizeof(uint64_t)))) ||
	    spill_index_for(set, set->spilled + n) != 0)
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	FILE *out = spill_create(set, err);
	if (!out)
		return err->code;
	uint64_t written = 0;
	errno = 0;
	if (spill_merge(set, n, out, &written) != 0) {
		fclose(out);
		return spill_failed(set, err);
	}
	if (set->spill)
		fclose(set->spill);
	set->spill = out;
	set->spilled = written;
	set->blocks = (size_t)((written + set->block - 1) / set->block);
	memset(set->slots, 0, set->cap * sizeof(*set->slots));
	set->n = 0;
	return STANCE_OK;
}

/* Fills *slot with hash's counts when the spill holds it. */
static int key_unspill(key_set *set, uint64_t hash, key_slot *slot, stance_error *err)
{
	if (!set->spilled || !bloom_may_hold(set->bloom, hash) || hash < set->index[0])
		return STANCE_OK;
	size_t lo = 1, hi = set->blocks; /* the block: the last whose first hash is <= hash */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (set->index[mid] <= hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint64_t first = (uint64_t)(lo - 1) * set->block;
	size_t n = set->spilled - first < set->block ? (size_t)(set->spilled - first) : set->block;
	errno = 0;
	if (pread(fileno(set->spill), set->read, n * sizeof(*slot),
		  (off_t)(first * sizeof(*slot))) != (ssize_t)(n * sizeof(*slot)))
		return spill_failed(set, err);
	const key_slot *found = bsearch(&(key_slot){.hash = hash}, set->read, n, sizeof(*slot),
					by_hash);
	if (found)
		*slot = *found;
	return STANCE_OK;
}

/* Room for one more key in the table: grown, or emptied into the spill. */
static int key_make_room(key_set *set, stance_error *err)
{
	if ((set->n + 1) * 4 <= set->cap * 3)
		return STANCE_OK;
	if (set->cap >= KEY_SLOTS_MAX)
		return key_spill(set, err);
	return key_grow(set) == 0 ? STANCE_OK : stance_fail(err, STANCE_EINTERNAL, "out of memory");
}

/* The slot of hash in the table, with its counts so far (zero when new). The slot is valid
 * until the next call. */
static int key_find(key_set *set, uint64_t hash, key_slot **out, stance_error *err)
{
	int rc = key_make_room(set, err);
	if (rc)
		return rc;
	key_slot *slot = key_probe(set->slots, set->cap, hash);
	if (!slot->hash) {
		if ((rc = key_unspill(set, hash, slot, err)) != STANCE_OK)
			return rc;
		slot->hash = hash;
		set->n++;
	}
	*out = slot;
	return STANCE_OK;
}

/* An output file of the batch directory, written under a temporary name (stance/output.h). */
static int out_open(stance_output *o, const char *dir, const char *name, stance_error *err)
{
	char *path;
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	int rc = stance_output_open(o, path, err);
	free(path);
	return rc;
}

static int make_dirs(const char *dir, stance_error *err)
{
	char *path = strdup(dir);
	if (!path)
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0777); /* a failure shows at the last step */
		*p = '/';
	}
	free(path);
	struct stat st;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return stance_fail(err, STANCE_EIO, "%s: cannot create the directory: %s", dir,
				   strerror(errno));
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return stance_fail(err, STANCE_EIO, "%s: not a directory", dir);
	return STANCE_OK;
}

/* ------------------------------------------------------------------------------------------
 * Journal lines: one JSON object per record, with every statistic as an exact integer. */

/* The order of the statistics in a journal line (documented in README.md). */
static const size_t stats_fields[] = {
	offsetof(stance_stats, n),           offsetof(stance_stats, n_svm),
	offsetof(stance_stats, n_negative),  offsetof(stance_stats, n_positive),
	offsetof(stance_stats, sum_lexicon), offsetof(stance_stats, sumsq_lexicon),
	offsetof(stance_stats, sum_svm),     offsetof(stance_stats, sumsq_svm),
	offsetof(stance_stats, sum_tone),    offsetof(stance_stats, sumsq_tone),
};
_Static_assert(sizeof(stance_stats) == STANCE_ARRAY_LEN(stats_fields) * sizeof(int64_t),
	       "every statistic is journaled");

/* The statistics as an array in stats_fields order: a tenth of the parsing that an object
 * with named members costs. */
static json_t *stats_json(const stance_stats *stats)
{
	json_t *list = json_array();
	for (size_t i = 0; list && i < STANCE_ARRAY_LEN(stats_fields); i++) {
		int64_t v;
		memcpy(&v, (const char *)stats + stats_fields[i], sizeof(v));
		json_array_append_new(list, json_integer(v));
	}
	return list;
}

static int stats_parse(const json_t *list, stance_stats *stats)
{
	if (json_array_size(list) != STANCE_ARRAY_LEN(stats_fields))
		return -1;
	for (size_t i = 0; i < STANCE_ARRAY_LEN(stats_fields); i++) {
		json_t *v = json_array_get(list, i);
		if (!json_is_integer(v))
			return -1;
		int64_t x = json_integer_value(v);
		memcpy((char *)stats + stats_fields[i], &x, sizeof(x));
	}
	return 0;
}

static json_t *json_text(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *json_line(size_t line)
{
	return line ? json_integer((json_int_t)line) : json_null();
}

/* A copy of s that is valid UTF-8: each byte that is not shows as \xNN (file names are bytes). */
static char *utf8_copy(const char *s)
{
	size_t len = strlen(s), bad;
	char *out = malloc(len * 4 + 1), *o = out;
	if (!out)
		return NULL;
	while (!stance_utf8_valid(s, len, &bad)) {
		memcpy(o, s, bad);
		o += bad;
		o += sprintf(o, "\\x%02X", (unsigned char)s[bad]);
		s += bad + 1;
		len -= bad + 1;
	}
	memcpy(o, s, len + 1);
	return out;
}

static char *error_line(const char *id, size_t line, const char *message)
{
	char *clean = utf8_copy(message);
	json_t *rec = clean ? json_pack("{s:o, s:o, s:s}", "id", json_text(id), "line",
					json_line(line), "error", clean)
			    : NULL;
	char *out = rec ? json_dumps(rec, JSON_COMPACT) : NULL;
	json_decref(rec);
	free(clean);
	return out;
}

/* The message without the "name: " its producer put first, as the record names itself. */
static const char *without_prefix(const char *message, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(message, name, n) == 0 && strncmp(message + n, ": ", 2) == 0)
		return message + n + 2;
	return message;
}

/* A record on its way. The reader only cuts the input into jobs; a worker parses a JSON line,
 * admits the record in input order, and scores it (or writes its error line). */
typedef struct job {
	enum { JOB_EMPTY, JOB_QUEUED, JOB_DONE } state;
	char *block;        /* a JSON line to parse, or the record's strings copied */
	int parse;          /* block is a JSON line */
	json_t *obj;        /* the parsed line, which the strings below may point into */
	const char *id, *path, *text, *date, *source, *title, *url;
	const char *reason; /* why the record is bad; NULL when it is not */
	char why[160];      /* a reason made for this record */
	size_t len, line;
	int skip;           /* an earlier run finished it: nothing to write */
	char *out;          /* the journal line, without its line end */
} job;

static json_t *pairs_json(const stance_agg *agg)
{
	json_t *list = json_array();
	for (size_t i = 0; list && i < stance_agg_count(agg); i++) {
		const stance_pair *p = stance_agg_pair(agg, i);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:I, s:o}", "speaker",
						      p->speaker, "party", p->party, "target",
						      p->target, "sentence",
						      (json_int_t)p->best_sentence, "stats",
						      stats_json(&p->stats)));
	}
	return list;
}

static char *document_line(const job *j, const stance_doc *doc)
{
	size_t sentences, words, positive, negative;
	stance_doc_sentences(doc, &sentences);
	stance_doc_word_counts(doc, &words, &positive, &negative);
	json_t *rec = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:o}",
				"id", j->id, "line", json_line(j->line), "date",
				json_text(j->date), "source", json_text(j->source), "title",
				json_text(j->title), "url", json_text(j->url), "bytes",
				(json_int_t)j->len, "sentences", (json_int_t)sentences, "words",
				(json_int_t)words, "positive", (json_int_t)positive, "negative",
				(json_int_t)negative, "pairs",
				pairs_json(stance_doc_aggregate(doc)));
	char *out = rec ? json_dumps(rec, JSON_COMPACT) : NULL;
	json_decref(rec);
	return out;
}

/* Scores one record into its journal line: the document's, or its error. NULL when out of
 * memory. */
static char *score_job(job *j, const stance_models *models, size_t max_bytes)
{
	stance_error err;
	stance_error_clear(&err);
	char *bytes = NULL;
	const char *named = j->path;
	int rc = j->path ? stance_read_file(j->path, max_bytes, &bytes, &j->len, &err) : STANCE_OK;
	stance_doc *doc = NULL;
	if (!rc) {
		named = j->id;
		rc = stance_doc_new(&doc, j->id, bytes ? bytes : j->text, j->len, &err);
	}
	free(bytes);
	if (!rc) {
		stance_doc_set_max_bytes(doc, max_bytes);
		rc = stance_run(doc, models, NULL, &err);
	}
	char *out = rc ? error_line(j->id, j->line, without_prefix(err.message, named))
		       : document_line(j, doc);
	stance_doc_free(doc);
	return out;
}

/* ------------------------------------------------------------------------------------------
 * The ring between the reader, the workers and the writer. Record number s lives in slot
 * s % cap; the reader waits while the writer is cap records behind. */

struct stance_batch {
	char *dir, *partial, *journal_path;
	const stance_models *models;
	stance_batch_options opts;
	FILE *journal;
	key_set keys;            /* the admitting worker's alone */
	uint64_t resumed, total;
	struct timespec start;

	pthread_mutex_t lock;
	pthread_cond_t work, ready, space, turn; /* for the workers, the writer, the reader, and
						  * the worker whose record is next to admit */
	job *ring;
	size_t cap;
	uint64_t added, taken, admitted, written, appended;
	int closing, stopping;   /* no more records; stop at once */
	stance_error failure;    /* the first thread's that failed, when failing is set */
	int failing;
	pthread_t writer;
	pthread_t *workers;
	unsigned started;        /* workers running */
	int writer_started;
};

static void job_clear(job *j)
{
	json_decref(j->obj);
	free(j->block);
	free(j->out);
	*j = (job){0};
}

/* Stops every thread after a failure; the reader and finish report it. Called locked. */
static void fail_batch(stance_batch *b, const stance_error *err)
{
	if (!b->failing)
		b->failure = *err;
	b->failing = 1;
	b->stopping = 1;
	pthread_cond_broadcast(&b->work);
	pthread_cond_broadcast(&b->space);
	pthread_cond_broadcast(&b->turn);
	pthread_cond_broadcast(&b->ready);
}

static void reject_job(job *j, const char *id, const char *reason)
{
	j->id = id;
	snprintf(j->why, sizeof(j->why), "%s", reason);
	j->reason = j->why;
}

/* An optional string field: absent or null gives NULL; anything else but a string fails. */
static int optional_string(const json_t *obj, const char *key, const char **out)
{
	json_t *v = json_object_get(obj, key);
	*out = json_string_value(v);
	return v && !json_is_null(v) && !json_is_string(v) ? -1 : 0;
}

/* The record of a JSON line, or the reason it is none. */
static void parse_job(job *j)
{
	json_error_t jerr;
	json_t *obj = j->obj = json_loadb(j->block, j->len, 0, &jerr);
	json_t *id = json_object_get(obj, "id");
	if (!json_is_object(obj)) {
		reject_job(j, NULL, obj ? "not a JSON object" : jerr.text);
		return;
	}
	if (!json_is_string(id)) {
		reject_job(j, NULL, "no \"id\" string");
		return;
	}
	j->id = json_string_value(id);
	static const char *const keys[] = {"date", "source", "title", "url"};
	const char **fields[] = {&j->date, &j->source, &j->title, &j->url};
	for (size_t i = 0; i < STANCE_ARRAY_LEN(keys); i++) {
		if (optional_string(obj, keys[i], fields[i]) != 0) {
			snprintf(j->why, sizeof(j->why), "\"%s\" is not a string", keys[i]);
			j->reason = j->why;
			return;
		}
	}
	json_t *text = json_object_get(obj, "text");
	if (!json_is_string(text)) {
		reject_job(j, j->id, "no \"text\" string");
		return;
	}
	j->text = json_string_value(text);
	j->len = json_string_length(text);
}

typedef enum { ADMIT_NEW, ADMIT_RESUMED, ADMIT_DUPLICATE } admission;

/* Whether a record is new, was finished by the resumed run (its n-th occurrence when the
 * journal holds at least n), or repeats an id. */
static int admit(stance_batch *b, const char *id, size_t line, admission *out, stance_error *err)
{
	key_slot *slot;
	int rc = key_find(&b->keys, record_key(id, line), &slot, err);
	if (rc)
		return rc;
	slot->seen++;
	*out = slot->seen <= slot->journaled ? ADMIT_RESUMED
	       : slot->seen > 1		     ? ADMIT_DUPLICATE
					     : ADMIT_NEW;
	return STANCE_OK;
}

/* Admits record seq once every record before it is: whether an id came before depends on the
 * input order alone. Called locked; the key set is the turn holder's, unlocked. */
static int admit_in_turn(stance_batch *b, uint64_t seq, const job *j, admission *a,
			 stance_error *err)
{
	while (b->admitted != seq && !b->stopping)
		pthread_cond_wait(&b->turn, &b->lock);
	if (b->stopping)
		return stance_fail(err, STANCE_EINTERNAL, "batch stopped");
	pthread_mutex_unlock(&b->lock);
	int rc = admit(b, j->id, j->line, a, err);
	pthread_mutex_lock(&b->lock);
	b->admitted++;
	pthread_cond_broadcast(&b->turn);
	return rc;
}

/* Makes the journal line of record seq (NULL when out of memory), or marks it skipped. */
static int run_job(stance_batch *b, uint64_t seq, job *j, stance_error *err)
{
	pthread_mutex_unlock(&b->lock);
	if (j->parse)
		parse_job(j);
	if (!j->reason && (!j->id || !*j->id))
		reject_job(j, NULL, "no id");
	pthread_mutex_lock(&b->lock);
	admission a = ADMIT_NEW; /* unset when admission fails */
	int rc = admit_in_turn(b, seq, j, &a, err);
	if (rc || a == ADMIT_RESUMED) {
		j->skip = 1;
		return rc;
	}
	pthread_mutex_unlock(&b->lock);
	if (!j->reason && a == ADMIT_DUPLICATE)
		j->reason = "duplicate id";
	if (!j->reason && !j->path && !j->text)
		j->reason = "no text";
	j->out = j->reason ? error_line(j->id, j->line, j->reason)
			   : score_job(j, b->models, b->opts.max_bytes);
	json_decref(j->obj); /* the out line is all that is left to keep */
	free(j->block);
	j->obj = NULL;
	j->block = NULL;
	pthread_mutex_lock(&b->lock);
	return STANCE_OK;
}

static void *worker_main(void *arg)
{
	stance_batch *b = arg;
	pthread_mutex_lock(&b->lock);
	for (;;) {
		while (b->taken == b->added && !b->closing && !b->stopping)
			pthread_cond_wait(&b->work, &b->lock);
		if (b->stopping || b->taken == b->added)
			break;
		uint64_t seq = b->taken++;
		job *j = &b->ring[seq % b->cap];
		stance_error err;
		if (run_job(b, seq, j, &err) != STANCE_OK) {
			fail_batch(b, &err);
			break;
		}
		j->state = JOB_DONE; /* out NULL when out of memory: the writer fails the batch */
		if (seq == b->written) /* the writer waits for no other */
			pthread_cond_signal(&b->ready);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static int journal_append(stance_batch *b, const char *line, stance_error *err)
{
	if (!line)
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	if (fputs(line, b->journal) < 0 || fputc('\n', b->journal) < 0 || fflush(b->journal) != 0)
		return stance_fail(err, STANCE_EIO, "%s: write error: %s", b->journal_path,
				   strerror(errno));
	return STANCE_OK;
}

static void report_progress(stance_batch *b)
{
	if (!b->opts.progress)
		return;
	stance_batch_progress p = {
		.done = b->resumed + b->appended,
		.resumed = b->resumed,
		.total = b->total,
		.elapsed = seconds_since(&b->start),
	};
	pthread_mutex_unlock(&b->lock); /* the callback may take its time */
	b->opts.progress(b->opts.progress_ctx, &p);
	pthread_mutex_lock(&b->lock);
}

static void *writer_main(void *arg)
{
	stance_batch *b = arg;
	pthread_mutex_lock(&b->lock);
	for (;;) {
		job *j = &b->ring[b->written % b->cap];
		while (!b->stopping && !(b->written < b->added && j->state == JOB_DONE) &&
		       !(b->closing && b->written == b->added))
			pthread_cond_wait(&b->ready, &b->lock);
		if (b->stopping || b->written == b->added)
			break;
		pthread_mutex_unlock(&b->lock);
		stance_error err;
		int skip = j->skip; /* the slot is ours until written moves */
		int rc = skip ? STANCE_OK : journal_append(b, j->out, &err);
		job_clear(j);
		pthread_mutex_lock(&b->lock);
		b->written++;
		b->appended += !skip;
		/* The reader waits for half the ring: a wake-up per record would cost more than
		 * many a record. */
		if (b->added - b->written == b->cap / 2)
			pthread_cond_signal(&b->space);
		if (rc) {
			fail_batch(b, &err);
			break;
		}
		if (!skip)
			report_progress(b);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

/* Puts a filled job in the next slot, waiting for room. */
static int enqueue(stance_batch *b, job *filled, stance_error *err)
{
	pthread_mutex_lock(&b->lock);
	while (b->added - b->written == b->cap && !b->stopping)
		pthread_cond_wait(&b->space, &b->lock);
	if (b->stopping) {
		pthread_mutex_unlock(&b->lock);
		job_clear(filled);
		*err = b->failure;
		return err->code ? err->code : stance_fail(err, STANCE_EINTERNAL, "batch stopped");
	}
	filled->state = JOB_QUEUED;
	b->ring[b->added++ % b->cap] = *filled;
	pthread_cond_signal(&b->work);
	pthread_mutex_unlock(&b->lock);
	return STANCE_OK;
}

/* Copies the record's strings (and the reason it is bad, if any) into one block owned by the
 * job. */
static int job_fill(job *j, const stance_batch_record *rec, const char *path, const char *reason)
{
	const char *src[] = {rec->id, path, rec->date, rec->source, rec->title, rec->url, reason};
	const char **dst[] = {&j->id, &j->path, &j->date, &j->source, &j->title, &j->url, &j->reason};
	size_t size = path || reason || !rec->text ? 0 : rec->len + 1;
	for (size_t i = 0; i < STANCE_ARRAY_LEN(src); i++)
		size += src[i] ? strlen(src[i]) + 1 : 0;
	*j = (job){.block = malloc(size + 1), .len = rec->len, .line = rec->line};
	if (!j->block)
		return -1;
	char *p = j->block;
	for (size_t i = 0; i < STANCE_ARRAY_LEN(src); i++) {
		if (!src[i])
			continue;
		size_t n = strlen(src[i]) + 1;
		*dst[i] = memcpy(p, src[i], n);
		p += n;
	}
	if (!path && !reason && rec->text) {
		memcpy(p, rec->text, rec->len);
		p[rec->len] = '\0';
		j->text = p;
	}
	return 0;
}

/* Queues a record, or a bad one with its reason; a path is read by the worker. */
static int submit(stance_batch *b, const stance_batch_record *rec, const char *path,
		  const char *reason, stance_error *err)
{
	job j;
	if (job_fill(&j, rec, path, reason) != 0) {
		job_clear(&j);
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	}
	return enqueue(b, &j, err);
}

int stance_batch_reject(stance_batch *b, const char *id, size_t line, const char *reason,
			stance_error *err)
{
	return submit(b, &(stance_batch_record){.id = id, .line = line}, NULL, reason, err);
}

int stance_batch_add(stance_batch *b, const stance_batch_record *rec, stance_error *err)
{
	return submit(b, rec, NULL, NULL, err);
}

/* ------------------------------------------------------------------------------------------
 * Reading journals: ours to resume, or finished runs' state.jsonl to rebuild and merge. */

typedef struct journal_reader {
	FILE *f;
	const char *path;
	char *line;
	size_t cap, lineno;
	long end; /* offset after the last whole line read */
} journal_reader;

static int is_header(const json_t *rec)
{
	return json_is_string(json_object_get(rec, "schema")) &&
	       strcmp(json_string_value(json_object_get(rec, "schema")), STATE_SCHEMA) == 0;
}

static int reader_open(journal_reader *r, const char *path, stance_error *err)
{
	*r = (journal_reader){.path = path, .f = fopen(path, "rb")};
	if (!r->f)
		return stance_fail(err, errno == ENOENT ? STANCE_ENOINPUT : STANCE_EIO,
				   "%s: cannot open: %s", path, strerror(errno));
	return STANCE_OK;
}

static void reader_close(journal_reader *r)
{
	if (r->f)
		fclose(r->f);
	free(r->line);
}

/* The next record, or NULL at the end, where *rc tells a clean end (0) from a torn or
 * malformed line (STANCE_EDATA). The header line is checked and skipped. */
static json_t *reader_next(journal_reader *r, size_t *len, int *rc, stance_error *err)
{
	*rc = STANCE_OK;
	for (;;) {
		ssize_t n = getline(&r->line, &r->cap, r->f);
		if (n <= 0)
			return NULL;
		r->lineno++;
		json_error_t jerr;
		json_t *rec = r->line[n - 1] == '\n' ? json_loadb(r->line, (size_t)n, 0, &jerr) : NULL;
		if (!json_is_object(rec) || (r->lineno == 1) != is_header(rec)) {
			json_decref(rec);
			*rc = stance_fail(err, STANCE_EDATA, "%s:%zu: not a record of a stance batch",
					  r->path, r->lineno);
			return NULL;
		}
		r->end += n;
		*len = (size_t)n;
		if (r->lineno > 1)
			return rec;
		json_decref(rec);
	}
}

static const char *record_id(const json_t *rec)
{
	return json_string_value(json_object_get(rec, "id"));
}

static size_t record_line(const json_t *rec)
{
	json_int_t line = json_integer_value(json_object_get(rec, "line"));
	return line > 0 ? (size_t)line : 0;
}

static int journal_create(stance_batch *b, stance_error *err)
{
	b->journal = fopen(b->journal_path, "wb");
	if (!b->journal)
		return stance_fail(err, STANCE_EIO, "%s: cannot create: %s", b->journal_path,
				   strerror(errno));
	if (fprintf(b->journal, "{\"schema\":\"%s\"}\n", STATE_SCHEMA) < 0 || fflush(b->journal))
		return stance_fail(err, STANCE_EIO, "%s: write error: %s", b->journal_path,
				   strerror(errno));
	return STANCE_OK;
}

/* Counts the journal's records by key and keeps it up to its first torn or malformed line (a
 * kill can tear the last one): the records from there on are done again. */
static int journal_resume(stance_batch *b, stance_error *err)
{
	journal_reader r;
	int rc = reader_open(&r, b->journal_path, err);
	json_t *rec;
	size_t len;
	while (!rc && (rec = reader_next(&r, &len, &rc, err))) {
		key_slot *slot;
		rc = key_find(&b->keys, record_key(record_id(rec), record_line(rec)), &slot, err);
		json_decref(rec);
		if (rc)
			break;
		slot->journaled++;
		b->resumed++;
	}
	if (rc == STANCE_EDATA)
		rc = STANCE_OK;
	long end = r.end;
	reader_close(&r);
	if (!rc && end == 0)
		return journal_create(b, err);
	if (!rc && truncate(b->journal_path, end) != 0)
		rc = stance_fail(err, STANCE_EIO, "%s: cannot truncate: %s", b->journal_path,
				 strerror(errno));
	if (!rc && !(b->journal = fopen(b->journal_path, "ab")))
		rc = stance_fail(err, STANCE_EIO, "%s: cannot open: %s", b->journal_path,
				 strerror(errno));
	return rc;
}

static int copy_file(const char *from, const char *to, stance_error *err)
{
	FILE *in = fopen(from, "rb");
	if (!in)
		return stance_fail(err, STANCE_ENOINPUT, "%s: cannot open: %s", from, strerror(errno));
	FILE *out = fopen(to, "wb");
	if (!out) {
		fclose(in);
		return stance_fail(err, STANCE_EIO, "%s: cannot create: %s", to, strerror(errno));
	}
	char buf[1 << 16];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	int failed = ferror(in);
	fclose(in);
	int rc = stance_close_synced(out, to, err);
	if (!rc && failed)
		rc = stance_fail(err, STANCE_EIO, "%s: read error", from);
	return rc;
}

/* Opens the journal: a fresh one, the interrupted run's, or one seeded from the state of a
 * finished run so that a rerun adds only what is new. */
static int journal_start(stance_batch *b, stance_error *err)
{
	char *state;
	int rc = make_dirs(b->partial, err);
	if (rc || !b->opts.resume)
		return rc ? rc : journal_create(b, err);
	if (access(b->journal_path, F_OK) == 0)
		return journal_resume(b, err);
	if (asprintf(&state, "%s/state.jsonl", b->dir) < 0)
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	rc = access(state, F_OK) == 0 ? copy_file(state, b->journal_path, err) : -1;
	free(state);
	if (rc < 0)
		return journal_create(b, err);
	return rc ? rc : journal_resume(b, err);
}

/* ------------------------------------------------------------------------------------------
 * Rebuilding the files of a batch from journals, in order. */

enum { LEVEL_SPEAKER, LEVEL_PARTY, LEVEL_TARGET, LEVELS };
static const char *const level_names[LEVELS] = {"speaker", "party", "target"};

enum { OUT_DOCUMENTS, OUT_PAIRS, OUT_ERRORS, OUT_ACTORS, OUT_STATE, OUT_SUMMARY, OUTS };
static const char *const out_names[OUTS] = {"documents.csv", "pairs.csv",  "errors.jsonl",
					    "actors.csv",    "state.jsonl", "summary.json"};

#define DOCUMENT_COLUMNS                                                                     \
	"id,date,source,title,url,bytes,sentences,words,positive,negative,tone,pairs,scores"
#define SUMMARY_COLUMNS                                                                      \
	"n,lexicon,svm,tone,sd,ci_low,ci_high,share_negative,share_positive,label"

typedef struct run_totals {
	uint64_t documents, scored, errors;
	uint64_t bytes, sentences, words, positive, negative, pairs, scores;
} run_totals;

typedef struct rebuild {
	stance_output out[OUTS];
	stance_agg *levels[LEVELS];
	key_set ids;        /* ids met, when merging runs */
	int merging;
	run_totals sum;
	int excel;
} rebuild;

static void end_row(const rebuild *r, FILE *f)
{
	fputs(r->excel ? "\r\n" : "\n", f);
}

static void csv_number(FILE *f, double x)
{
	if (isnan(x))
		return;
	char buf[STANCE_FIXED4_MAX];
	stance_format_fixed4(buf, x);
	fputs(strcmp(buf, "-0.0000") == 0 ? buf + 1 : buf, f);
}

/* Document tone in the manner of GDELT: percent positive minus percent negative words. */
static double gdelt_tone(uint64_t words, uint64_t positive, uint64_t negative)
{
	return words ? 100.0 * ((double)positive - (double)negative) / (double)words : 0;
}

/* The SUMMARY_COLUMNS cells of stats, each after a comma. */
static void summary_cells(FILE *f, const stance_stats *stats)
{
	stance_summary s;
	stance_stats_summarise(stats, &s);
	fprintf(f, ",%llu", (unsigned long long)stats->n);
	const double numbers[] = {s.lexicon,  s.svm,		s.tone,		  s.sd,
				  s.ci_low, s.ci_high, s.share_negative, s.share_positive};
	for (size_t i = 0; i < STANCE_ARRAY_LEN(numbers); i++) {
		fputc(',', f);
		csv_number(f, numbers[i]);
	}
	fprintf(f, ",%s", s.label);
}

static void csv_text(FILE *f, const char *s)
{
	stance_csv_field(f, s ? s : "");
}

static int rebuild_start(rebuild *r, const char *dir, int excel, stance_error *err)
{
	*r = (rebuild){.excel = excel};
	key_set_init(&r->ids, dir);
	for (int i = 0; i < LEVELS; i++)
		if (stance_agg_new(&r->levels[i]) != STANCE_OK)
			return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	for (int i = 0; i < OUTS; i++) {
		int rc = out_open(&r->out[i], dir, out_names[i], err);
		if (rc)
			return rc;
	}
	static const char *const headers[OUTS] = {[OUT_DOCUMENTS] = DOCUMENT_COLUMNS,
					      [OUT_PAIRS] = "doc_id,speaker,speaker_party,target,"
							    SUMMARY_COLUMNS ",sentence",
					      [OUT_ACTORS] = "level,speaker,speaker_party,target,"
							     SUMMARY_COLUMNS};
	for (int i = 0; i < OUTS; i++) {
		if (!headers[i])
			continue;
		if (excel)
			fputs("\xEF\xBB\xBF", r->out[i].f);
		fputs(headers[i], r->out[i].f);
		end_row(r, r->out[i].f);
	}
	fprintf(r->out[OUT_STATE].f, "{\"schema\":\"%s\"}\n", STATE_SCHEMA);
	return STANCE_OK;
}

static void rebuild_free(rebuild *r)
{
	for (int i = 0; i < OUTS; i++)
		stance_output_discard(&r->out[i]);
	for (int i = 0; i < LEVELS; i++)
		stance_agg_free(r->levels[i]);
	key_set_free(&r->ids);
}

static void put_line(FILE *f, const char *line, size_t len)
{
	fwrite(line, 1, len, f);
	if (!len || line[len - 1] != '\n')
		fputc('\n', f);
}

static int error_record(rebuild *r, const char *line, size_t len)
{
	put_line(r->out[OUT_ERRORS].f, line, len);
	put_line(r->out[OUT_STATE].f, line, len);
	r->sum.errors++;
	return STANCE_OK;
}

static int pair_row(rebuild *r, const char *doc_id, const json_t *pair, stance_stats *stats)
{
	const char *names[3];
	static const char *const keys[] = {"speaker", "party", "target"};
	for (int i = 0; i < 3; i++)
		if (!(names[i] = json_string_value(json_object_get(pair, keys[i]))))
			return -1;
	json_t *sentence = json_object_get(pair, "sentence");
	if (stats_parse(json_object_get(pair, "stats"), stats) != 0 || !json_is_integer(sentence))
		return -1;
	FILE *f = r->out[OUT_PAIRS].f;
	csv_text(f, doc_id);
	for (int i = 0; i < 3; i++) {
		fputc(',', f);
		csv_text(f, names[i]);
	}
	summary_cells(f, stats);
	fprintf(f, ",%lld", (long long)json_integer_value(sentence));
	end_row(r, f);
	const char *at_level[LEVELS][3] = {{names[0], names[1], names[2]},
					   {"", names[1], names[2]},
					   {"", "", names[2]}};
	for (int i = 0; i < LEVELS; i++)
		if (stance_agg_add(r->levels[i], at_level[i][0], at_level[i][1], at_level[i][2],
				   stats, NULL) != STANCE_OK)
			return -1;
	return 0;
}

typedef struct doc_counts {
	json_int_t bytes, sentences, words, positive, negative;
} doc_counts;

static int parse_counts(const json_t *rec, doc_counts *c)
{
	static const char *const keys[] = {"bytes", "sentences", "words", "positive", "negative"};
	json_int_t *dst[] = {&c->bytes, &c->sentences, &c->words, &c->positive, &c->negative};
	for (size_t i = 0; i < STANCE_ARRAY_LEN(keys); i++) {
		json_t *v = json_object_get(rec, keys[i]);
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return -1;
		*dst[i] = json_integer_value(v);
	}
	return 0;
}

static int document_rows(rebuild *r, const char *id, const json_t *rec)
{
	doc_counts c;
	json_t *pairs = json_object_get(rec, "pairs");
	if (parse_counts(rec, &c) != 0 || !json_is_array(pairs))
		return -1;
	uint64_t scores = 0;
	for (size_t i = 0; i < json_array_size(pairs); i++) {
		stance_stats stats;
		if (pair_row(r, id, json_array_get(pairs, i), &stats) != 0)
			return -1;
		scores += stats.n;
	}
	FILE *f = r->out[OUT_DOCUMENTS].f;
	static const char *const texts[] = {"id", "date", "source", "title", "url"};
	for (size_t i = 0; i < STANCE_ARRAY_LEN(texts); i++) {
		csv_text(f, json_string_value(json_object_get(rec, texts[i])));
		fputc(',', f);
	}
	fprintf(f, "%lld,%lld,%lld,%lld,%lld,", (long long)c.bytes, (long long)c.sentences,
		(long long)c.words, (long long)c.positive, (long long)c.negative);
	csv_number(f, gdelt_tone((uint64_t)c.words, (uint64_t)c.positive, (uint64_t)c.negative));
	fprintf(f, ",%zu,%llu", json_array_size(pairs), (unsigned long long)scores);
	end_row(r, f);
	run_totals *t = &r->sum;
	t->scored++;
	t->bytes += (uint64_t)c.bytes;
	t->sentences += (uint64_t)c.sentences;
	t->words += (uint64_t)c.words;
	t->positive += (uint64_t)c.positive;
	t->negative += (uint64_t)c.negative;
	t->pairs += json_array_size(pairs);
	t->scores += scores;
	return 0;
}

/* One journal record into every file. When merging, an id that an earlier run holds makes
 * the record a duplicate, as it would have been in one batch (which rejects a repeated id as
 * it reads it, so that its own journal needs no such check). */
static int rebuild_record(rebuild *r, const json_t *rec, const char *line, size_t len,
			  stance_error *err)
{
	const char *id = record_id(rec);
	r->sum.documents++;
	key_slot *slot = NULL;
	if (r->merging && id && key_find(&r->ids, record_key(id, 0), &slot, err) != STANCE_OK)
		return err->code;
	int repeated = slot && slot->seen++ > 0;
	if (json_object_get(rec, "error"))
		return error_record(r, line, len);
	if (!id)
		return -1;
	if (repeated) {
		char *dup = error_line(id, record_line(rec), "duplicate id");
		if (!dup)
			return stance_fail(err, STANCE_EINTERNAL, "out of memory");
		error_record(r, dup, strlen(dup));
		free(dup);
		return STANCE_OK;
	}
	if (document_rows(r, id, rec) != 0)
		return -1;
	put_line(r->out[OUT_STATE].f, line, len);
	return STANCE_OK;
}

static int rebuild_journal(rebuild *r, const char *path, stance_error *err)
{
	journal_reader jr;
	int rc = reader_open(&jr, path, err);
	json_t *rec;
	size_t len;
	while (!rc && (rec = reader_next(&jr, &len, &rc, err))) {
		rc = rebuild_record(r, rec, jr.line, len, err);
		json_decref(rec);
		if (rc < 0)
			rc = stance_fail(err, STANCE_EDATA, "%s:%zu: malformed record", path,
					 jr.lineno);
	}
	if (!rc && jr.lineno == 0)
		rc = stance_fail(err, STANCE_EDATA, "%s: empty, not the state of a stance batch",
				 path);
	reader_close(&jr);
	return rc;
}

static void actor_rows(rebuild *r)
{
	FILE *f = r->out[OUT_ACTORS].f;
	for (int level = 0; level < LEVELS; level++) {
		const stance_agg *agg = r->levels[level];
		for (size_t i = 0; i < stance_agg_count(agg); i++) {
			const stance_pair *p = stance_agg_pair(agg, i);
			fputs(level_names[level], f);
			const char *names[] = {p->speaker, p->party, p->target};
			for (size_t k = 0; k < STANCE_ARRAY_LEN(names); k++) {
				fputc(',', f);
				csv_text(f, names[k]);
			}
			summary_cells(f, &p->stats);
			end_row(r, f);
		}
	}
}

static json_t *json_number(double x)
{
	double rounded = round(x * 1e4) / 1e4;
	return isnan(x) ? json_null() : json_real(rounded == 0 ? 0 : rounded);
}

/* Most scores first, then by name, so that ties fall the same way in every run. */
static int by_mentions(const void *a, const void *b)
{
	const stance_pair *x = *(const stance_pair *const *)a;
	const stance_pair *y = *(const stance_pair *const *)b;
	if (x->stats.n != y->stats.n)
		return x->stats.n > y->stats.n ? -1 : 1;
	return strcmp(x->target, y->target);
}

static json_t *top_targets(const stance_agg *agg)
{
	size_t n = stance_agg_count(agg);
	const stance_pair **order = malloc((n + 1) * sizeof(*order));
	json_t *list = json_array();
	if (!order || !list) {
		free(order);
		json_decref(list);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = stance_agg_pair(agg, i);
	qsort(order, n, sizeof(*order), by_mentions);
	for (size_t i = 0; i < n && i < TOP_TARGETS; i++) {
		const stance_pair *p = order[i];
		stance_summary s;
		stance_stats_summarise(&p->stats, &s);
		json_t *ci = isnan(s.ci_low) ? json_null()
					     : json_pack("[o, o]", json_number(s.ci_low),
							 json_number(s.ci_high));
		json_array_append_new(
			list, json_pack("{s:s, s:I, s:o, s:o, s:o, s:o, s:s}", "target", p->target,
					"n", (json_int_t)p->stats.n, "tone", json_number(s.tone), "ci95",
					ci, "share_negative", json_number(s.share_negative),
					"share_positive", json_number(s.share_positive), "label",
					s.label));
	}
	free(order);
	return list;
}

static int write_summary(rebuild *r, stance_error *err)
{
	const run_totals *t = &r->sum;
	json_t *root = json_pack(
		"{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:{s:I, s:I, s:I}, s:o}",
		"schema", SUMMARY_SCHEMA, "documents", (json_int_t)t->documents, "scored",
		(json_int_t)t->scored, "errors", (json_int_t)t->errors, "bytes",
		(json_int_t)t->bytes, "sentences", (json_int_t)t->sentences, "words",
		(json_int_t)t->words, "tone", json_number(gdelt_tone(t->words, t->positive, t->negative)),
		"pairs", (json_int_t)t->pairs, "scores", (json_int_t)t->scores, "actors",
		level_names[LEVEL_SPEAKER], (json_int_t)stance_agg_count(r->levels[LEVEL_SPEAKER]),
		level_names[LEVEL_PARTY], (json_int_t)stance_agg_count(r->levels[LEVEL_PARTY]),
		level_names[LEVEL_TARGET], (json_int_t)stance_agg_count(r->levels[LEVEL_TARGET]),
		"top_targets", top_targets(r->levels[LEVEL_TARGET]));
	int rc = root ? json_dumpf(root, r->out[OUT_SUMMARY].f, JSON_INDENT(2) | JSON_REAL_PRECISION(10))
		      : -1;
	json_decref(root);
	if (rc != 0)
		return stance_fail(err, STANCE_EINTERNAL, "summary.json: out of memory");
	fputc('\n', r->out[OUT_SUMMARY].f);
	return STANCE_OK;
}

/* Writes every file of a batch in dir from the journals, in order. Each file appears whole or
 * not at all; a batch's journal, removed after, marks a run that did not finish. */
static int rebuild_files(const char *dir, const char *const *journals, size_t n, int excel,
			 stance_batch_totals *out, stance_error *err)
{
	rebuild r;
	int rc = rebuild_start(&r, dir, excel, err);
	r.merging = n > 1;
	for (size_t i = 0; !rc && i < n; i++)
		rc = rebuild_journal(&r, journals[i], err);
	if (!rc) {
		actor_rows(&r);
		rc = write_summary(&r, err);
	}
	for (int i = 0; !rc && i < OUTS; i++)
		rc = stance_output_commit(&r.out[i], err);
	if (!rc && out)
		*out = (stance_batch_totals){
			.documents = r.sum.documents, .scored = r.sum.scored, .errors = r.sum.errors};
	rebuild_free(&r);
	return rc;
}

/* ------------------------------------------------------------------------------------------
 * Inputs: a directory of .txt files, or JSON Lines. */

typedef struct name_list {
	char *bytes;
	size_t len, cap;
	char **names;
	size_t n;
} name_list;

static int names_push(name_list *l, const char *name, size_t n)
{
	if (l->len + n + 1 > l->cap) {
		size_t cap = (l->cap + n + 1) * 2;
		char *bytes = realloc(l->bytes, cap);
		if (!bytes)
			return -1;
		l->bytes = bytes;
		l->cap = cap;
	}
	memcpy(l->bytes + l->len, name, n);
	l->bytes[l->len + n] = '\0';
	l->len += n + 1;
	l->n++;
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_text_file(DIR *d, const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	if (e->d_name[0] == '.' || n < 5 || strcmp(e->d_name + n - 4, ".txt") != 0)
		return 0;
	if (e->d_type == DT_REG)
		return 1;
	struct stat st;
	return (e->d_type == DT_LNK || e->d_type == DT_UNKNOWN) &&
	       fstatat(dirfd(d), e->d_name, &st, 0) == 0 && S_ISREG(st.st_mode);
}

/* The .txt file names of dir (hidden ones aside), sorted bytewise. */
static int list_texts(const char *dir, name_list *l, stance_error *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return stance_fail(err, STANCE_ENOINPUT, "%s: cannot open: %s", dir, strerror(errno));
	struct dirent *e;
	int rc = STANCE_OK;
	while (!rc && (e = readdir(d)))
		if (is_text_file(d, e) && names_push(l, e->d_name, strlen(e->d_name)) != 0)
			rc = stance_fail(err, STANCE_EINTERNAL, "out of memory");
	closedir(d);
	if (!rc && !(l->names = malloc((l->n + 1) * sizeof(char *))))
		rc = stance_fail(err, STANCE_EINTERNAL, "out of memory");
	if (rc)
		return rc;
	char *p = l->bytes;
	for (size_t i = 0; i < l->n; p += strlen(p) + 1)
		l->names[i++] = p;
	qsort(l->names, l->n, sizeof(char *), compare_names);
	return STANCE_OK;
}

static int add_text_file(stance_batch *b, const char *dir, char *name, stance_error *err)
{
	char *path;
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	name[strlen(name) - 4] = '\0';
	size_t bad;
	int rc;
	if (stance_utf8_valid(name, strlen(name), &bad)) {
		rc = submit(b, &(stance_batch_record){.id = name}, path, NULL, err);
	} else {
		char *shown = utf8_copy(name);
		rc = shown ? stance_batch_reject(b, shown, 0, "file name is not valid UTF-8", err)
			   : stance_fail(err, STANCE_EINTERNAL, "out of memory");
		free(shown);
	}
	free(path);
	return rc;
}

static int add_directory(stance_batch *b, const char *dir, stance_error *err)
{
	name_list l = {0};
	int rc = list_texts(dir, &l, err);
	if (!rc) {
		pthread_mutex_lock(&b->lock);
		b->total = l.n;
		pthread_mutex_unlock(&b->lock);
	}
	for (size_t i = 0; !rc && i < l.n; i++)
		rc = add_text_file(b, dir, l.names[i], err);
	free(l.names);
	free(l.bytes);
	return rc;
}

/* Reads a line into *buf, keeping at most limit bytes: a longer line is read to its end
 * and flagged, so that a huge line costs no more memory than the limit. -1 at the end. */
static ssize_t read_line(FILE *in, char **buf, size_t *cap, size_t limit, int *too_long)
{
	size_t n = 0;
	int c;
	*too_long = 0;
	while ((c = getc_unlocked(in)) != EOF && c != '\n') {
		if (n == limit) {
			*too_long = 1;
			continue;
		}
		if (n + 1 >= *cap) {
			size_t grown = *cap ? *cap * 2 : 4096;
			char *p = realloc(*buf, grown);
			if (!p)
				return -2;
			*buf = p;
			*cap = grown;
		}
		(*buf)[n++] = (char)c;
	}
	if (c == EOF && n == 0 && !*too_long)
		return -1;
	if (!*buf && !(*buf = malloc(*cap = 4096)))
		return -2;
	(*buf)[n] = '\0';
	return (ssize_t)n;
}

/* Queues a JSON line for a worker to parse. */
static int add_json_line(stance_batch *b, const char *line, size_t len, size_t lineno,
			 stance_error *err)
{
	job j = {.block = malloc(len + 1), .parse = 1, .len = len, .line = lineno};
	if (!j.block)
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	memcpy(j.block, line, len + 1);
	return enqueue(b, &j, err);
}

static uint64_t count_lines(FILE *f)
{
	char buf[1 << 16];
	uint64_t lines = 0;
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))); p++)
			lines++;
	rewind(f);
	return lines;
}

static int add_json_lines(stance_batch *b, FILE *in, const char *path, stance_error *err)
{
	/* JSON escapes make a line longer than its text: allow twice the text and a margin. */
	size_t limit = b->opts.max_bytes * 2 + (1u << 20);
	char *buf = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len = 0;
	int too_long, rc = STANCE_OK;
	while (!rc && (len = read_line(in, &buf, &cap, limit, &too_long)) >= 0) {
		lineno++;
		if (too_long) {
			char reason[96];
			snprintf(reason, sizeof(reason), "line longer than %zu bytes", limit);
			rc = stance_batch_reject(b, NULL, lineno, reason, err);
		} else if (strspn(buf, " \t\r") < (size_t)len) {
			rc = add_json_line(b, buf, (size_t)len, lineno, err);
		}
	}
	free(buf);
	if (!rc && len == -2)
		rc = stance_fail(err, STANCE_EINTERNAL, "out of memory");
	if (!rc && ferror(in))
		rc = stance_fail(err, STANCE_EIO, "%s: read error: %s", path, strerror(errno));
	return rc;
}

int stance_batch_add_input(stance_batch *b, const char *path, stance_error *err)
{
	struct stat st;
	if (strcmp(path, "-") != 0 && stat(path, &st) != 0)
		return stance_fail(err, STANCE_ENOINPUT, "%s: cannot open: %s", path, strerror(errno));
	if (strcmp(path, "-") != 0 && S_ISDIR(st.st_mode))
		return add_directory(b, path, err);
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!in)
		return stance_fail(err, STANCE_ENOINPUT, "%s: cannot open: %s", path, strerror(errno));
	if (in != stdin && b->opts.progress) {
		uint64_t lines = count_lines(in);
		pthread_mutex_lock(&b->lock);
		b->total = lines;
		pthread_mutex_unlock(&b->lock);
	}
	int rc = add_json_lines(b, in, strcmp(path, "-") == 0 ? "<stdin>" : path, err);
	if (in != stdin)
		fclose(in);
	return rc;
}

/* ------------------------------------------------------------------------------------------
 * The batch's life. */

static unsigned worker_count(unsigned jobs)
{
	if (!jobs) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = cpus > 0 ? (unsigned)cpus : 1;
	}
	return jobs < MAX_JOBS ? jobs : MAX_JOBS;
}

static int start_threads(stance_batch *b, stance_error *err)
{
	unsigned n = worker_count(b->opts.jobs);
	b->cap = 4 * (size_t)n;
	b->ring = calloc(b->cap, sizeof(*b->ring));
	b->workers = calloc(n, sizeof(*b->workers));
	if (!b->ring || !b->workers)
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->work, NULL);
	pthread_cond_init(&b->ready, NULL);
	pthread_cond_init(&b->space, NULL);
	pthread_cond_init(&b->turn, NULL);
	json_object_seed(0); /* before any thread builds an object */
	if (pthread_create(&b->writer, NULL, writer_main, b) != 0)
		return stance_fail(err, STANCE_EINTERNAL, "cannot start the writer thread");
	b->writer_started = 1;
	for (; b->started < n; b->started++)
		if (pthread_create(&b->workers[b->started], NULL, worker_main, b) != 0)
			return stance_fail(err, STANCE_EINTERNAL, "cannot start a worker thread");
	return STANCE_OK;
}

int stance_batch_open(stance_batch **out, const char *dir, const stance_models *models,
		      const stance_batch_options *opts, stance_error *err)
{
	stance_batch *b = calloc(1, sizeof(*b));
	if (!b)
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	b->models = models;
	b->opts = *opts;
	if (!b->opts.max_bytes)
		b->opts.max_bytes = STANCE_MAX_DOC_BYTES;
	clock_gettime(CLOCK_MONOTONIC, &b->start);
	int rc = make_dirs(dir, err);
	if (!rc && (!(b->dir = strdup(dir)) || asprintf(&b->partial, "%s/" PARTIAL_DIR, dir) < 0 ||
		    asprintf(&b->journal_path, "%s/" JOURNAL, dir) < 0)) {
		b->journal_path = NULL;
		rc = stance_fail(err, STANCE_EINTERNAL, "out of memory");
	}
	key_set_init(&b->keys, b->partial);
	if (!rc)
		rc = journal_start(b, err);
	if (!rc)
		rc = start_threads(b, err);
	if (rc) {
		stance_batch_free(b);
		return rc;
	}
	*out = b;
	return STANCE_OK;
}

/* Lets the threads run out (closing) or stop at once, and waits for them. */
static void join_threads(stance_batch *b, int stop)
{
	if (!b->ring)
		return;
	pthread_mutex_lock(&b->lock);
	b->closing = 1;
	b->stopping |= stop;
	pthread_cond_broadcast(&b->work);
	pthread_cond_broadcast(&b->ready);
	pthread_cond_broadcast(&b->turn);
	pthread_mutex_unlock(&b->lock);
	for (; b->started > 0; b->started--)
		pthread_join(b->workers[b->started - 1], NULL);
	pthread_mutex_lock(&b->lock);
	pthread_cond_broadcast(&b->ready); /* the last worker may have signalled no one */
	pthread_mutex_unlock(&b->lock);
	if (b->writer_started)
		pthread_join(b->writer, NULL);
	b->writer_started = 0;
}

static int remove_journal(const stance_batch *b, stance_error *err)
{
	if (remove(b->journal_path) != 0)
		return stance_fail(err, STANCE_EIO, "%s: cannot remove: %s", b->journal_path,
				   strerror(errno));
	rmdir(b->partial); /* kept if someone put a file there */
	return STANCE_OK;
}

int stance_batch_finish(stance_batch *b, stance_batch_totals *totals, stance_error *err)
{
	join_threads(b, 0);
	if (b->failing) {
		*err = b->failure;
		return err->code;
	}
	FILE *journal = b->journal;
	b->journal = NULL;
	key_set_free(&b->keys); /* the rebuild's memory may use it */
	int rc = stance_close_synced(journal, b->journal_path, err);
	const char *journals[] = {b->journal_path};
	if (!rc)
		rc = rebuild_files(b->dir, journals, 1, b->opts.excel, totals, err);
	if (!rc)
		rc = remove_journal(b, err);
	if (!rc && totals)
		totals->resumed = b->resumed;
	return rc;
}

void stance_batch_free(stance_batch *b)
{
	if (!b)
		return;
	join_threads(b, 1);
	if (b->ring) {
		for (size_t i = 0; i < b->cap; i++)
			job_clear(&b->ring[i]);
		pthread_mutex_destroy(&b->lock);
		pthread_cond_destroy(&b->work);
		pthread_cond_destroy(&b->ready);
		pthread_cond_destroy(&b->space);
		pthread_cond_destroy(&b->turn);
	}
	if (b->journal)
		fclose(b->journal);
	free(b->ring);
	free(b->workers);
	key_set_free(&b->keys);
	free(b->journal_path);
	free(b->partial);
	free(b->dir);
	free(b);
}

int stance_batch_merge(const char *dir, const char *const *runs, size_t nruns, int excel,
		       stance_batch_totals *totals, stance_error *err)
{
	char **states = calloc(nruns + 1, sizeof(*states));
	if (!states)
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	int rc = make_dirs(dir, err);
	for (size_t i = 0; !rc && i < nruns; i++) {
		if (asprintf(&states[i], "%s/state.jsonl", runs[i]) < 0) {
			states[i] = NULL;
			rc = stance_fail(err, STANCE_EINTERNAL, "out of memory");
		} else if (access(states[i], R_OK) != 0) {
			rc = stance_fail(err, STANCE_ENOINPUT,
					 "%s: no state.jsonl: not a finished batch (finish it with "
					 "stance batch --resume)", runs[i]);
		}
	}
	if (!rc)
		rc = rebuild_files(dir, (const char *const *)states, nruns, excel, totals, err);
	for (size_t i = 0; i < nruns; i++)
		free(states[i]);
	free(states);
	return rc;
}

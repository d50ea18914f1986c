/* Batch scoring: many documents scored in parallel into tables that resume after a kill and
 * merge exactly across shards and runs.
 *
 * A batch writes into one directory (formats in README.md, "Batch scoring"):
 *   documents.csv  one row per input document that was scored
 *   pairs.csv      one row per document and (speaker, speaker party, target)
 *   actors.csv     the batch's aggregates at three levels: speaker, party and target
 *   summary.json   totals and the most-mentioned targets
 *   errors.jsonl   one {"id", "line", "error"} line per rejected record
 *   state.jsonl    one line per record with its statistics as integers: what resume and
 *                  merge read back
 * Every file is written under a temporary name and renamed when complete. While the batch
 * runs, each finished record is appended to DIR/.partial/journal.jsonl and flushed, so a run
 * that is killed can be completed with the resume option.
 *
 * Records are scored by worker threads that share the (read-only) models; a writer keeps the
 * input order, so the files are the same for any number of workers. At most a few records
 * per worker are in memory at a time, and the ids met (to find duplicates and what a resumed
 * run finished) take a fixed budget of about 13 MB: past it they go to a sorted file under
 * DIR/.partial (the merge directory for a merge), unlinked as soon as it is made. */
#ifndef STANCE_BATCH_H
#define STANCE_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "stance/error.h"
#include "stance/models.h"

typedef struct stance_batch stance_batch;

typedef struct stance_batch_progress {
	uint64_t done;    /* records in the journal: written now or by the run resumed */
	uint64_t resumed; /* of which were done by an earlier run */
	uint64_t total;   /* records in the input; 0 while unknown */
	double elapsed;   /* seconds since stance_batch_open() */
} stance_batch_progress;

/* Called by the writer thread after each record reaches the journal. */
typedef void (*stance_batch_progress_fn)(void *ctx, const stance_batch_progress *progress);

typedef struct stance_batch_options {
	unsigned jobs;     /* worker threads; 0: one per online CPU */
	int resume;        /* keep the records an earlier run of the same directory finished */
	int excel;         /* CSV with a byte-order mark and CRLF line ends */
	size_t max_bytes;  /* largest document; 0: STANCE_MAX_DOC_BYTES */
	stance_batch_progress_fn progress;
	void *progress_ctx;
} stance_batch_options;

/* One input document. Only id and text are required; the other strings may be NULL. */
typedef struct stance_batch_record {
	const char *id;
	const char *text;
	size_t len;
	const char *date, *source, *title, *url;
	size_t line; /* line of a JSON Lines input, for error reports; 0 when none */
} stance_batch_record;

/* What a finished batch holds, resumed records included. */
typedef struct stance_batch_totals {
	uint64_t documents; /* records: scored + errors */
	uint64_t scored;
	uint64_t errors;
	uint64_t resumed;   /* records an earlier run had finished */
} stance_batch_totals;

/* Creates dir (and its parents) when missing and starts the workers. Without the resume
 * option an earlier journal in dir is discarded; with it, the records that the journal (or a
 * finished run's state.jsonl) holds are skipped when they come again. */
int stance_batch_open(stance_batch **out, const char *dir, const stance_models *models,
		      const stance_batch_options *opts, stance_error *err);

/* Queues a record (copied), blocking while the queue is full. A record whose id came before
 * is rejected as a duplicate. Fails only when the batch itself failed (a write error). */
int stance_batch_add(stance_batch *batch, const stance_batch_record *rec, stance_error *err);

/* Records an input that could not become a record (a line that is not JSON, a missing id):
 * id may be NULL, line 0. */
int stance_batch_reject(stance_batch *batch, const char *id, size_t line, const char *reason,
			stance_error *err);

/* Adds every record of path: a directory of .txt files (in bytewise order of their names; the
 * id is the name without .txt) or a JSON Lines file of {"id", "text", "date", "source",
 * "title", "url"} objects ("-": standard input). */
int stance_batch_add_input(stance_batch *batch, const char *path, stance_error *err);

/* Waits for every queued record, then writes the batch's files. totals may be NULL. */
int stance_batch_finish(stance_batch *batch, stance_batch_totals *totals, stance_error *err);

/* Stops the workers; the journal stays, for a later resume, unless the batch finished. */
void stance_batch_free(stance_batch *batch);

/* Writes into dir the files that one batch over the inputs of runs (finished batch or merge
 * directories, in this order) would have written: actors.csv and summary.json to the last
 * digit whatever the order; documents.csv, pairs.csv, errors.jsonl and state.jsonl as the
 * runs' rows one run after the other. A document id that an earlier run holds becomes a
 * duplicate, as it would in one batch. */
int stance_batch_merge(const char *dir, const char *const *runs, size_t nruns, int excel,
		       stance_batch_totals *totals, stance_error *err);

#endif

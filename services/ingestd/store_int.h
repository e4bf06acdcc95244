/* store_int.h — what the writer thread (store.c) and the batch writer
 * (store_write.c) share: the writer's state. Private to ingestd's store. */
#ifndef INGESTD_STORE_INT_H
#define INGESTD_STORE_INT_H

#include "db.h"
#include "ingestd/seen.h"
#include "ingestd/store.h"
#include "ingestd/store_batch.h"
#include "latency.h"

#include <pthread.h>

#define MAX_BATCH_DEVICES 20000

struct store {
	struct store_opts o;
	char instance[65];
	struct spool *spool;
	struct db *db;
	pthread_t thread;
	pthread_mutex_t mu;
	struct store_stats st;
	struct latency lat; /* guarded by mu */
	struct seen *seen;  /* what device_status holds, to skip needless upserts */
	volatile int stop;
	long long drain_deadline_ms;
	struct batch b;
	struct sbuf status;
	struct spool_pos committed, pos;
	int careful;         /* replaying a failed batch one record at a time */
	long long first_ms;  /* when the batch's first record was read (mono) */
	long long newest_ms; /* receipt time of the newest record (UTC) */
};

/* last_seen is kept to STATUS_RESOLUTION_MS: a device's row is rewritten
 * when its state changes or its last_seen moved that much, not per batch. */
#define STATUS_RESOLUTION_MS 5000

/* Writes the batch s->b and the position s->pos in one transaction. */
enum db_status
store_write_batch(struct store *s, long long *inserted);
/* Moves the record at s->committed, which PostgreSQL refused on its own, to
 * quarantine (reason store_rejected) and commits past it. */
enum db_status
store_quarantine_poison(struct store *s);
/* After a commit: remembers which device_status rows the batch wrote. */
void
store_note_written(struct store *s);

#endif

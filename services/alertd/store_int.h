/* store_int.h — what alertd's store files share: the store's state, and the
 * helpers of the writer thread (store.c), batch writing (store_write.c) and
 * restore (store_restore.c). Private to alertd's store. */
#ifndef ALERTD_STORE_INT_H
#define ALERTD_STORE_INT_H

#include "alertd/store.h"
#include "db.h"

#include <pthread.h>
#include <stddef.h>

#define STORE_INSTANCE_SIZE 129
/* 100 ms doubling to 5 s between attempts while PostgreSQL is away. */
#define STORE_BACKOFF_MIN_MS 100
#define STORE_BACKOFF_MAX_MS 5000

struct alert_store {
	struct alert_store_opts o; /* journal_dir and instance not kept: see below */
	char instance[STORE_INSTANCE_SIZE];
	struct spool *journal;
	struct db *wdb; /* the writer thread's */
	struct db *rdb; /* restore and recovery, on the caller's thread */

	pthread_t thread;
	int started;
	pthread_mutex_t mu;
	pthread_cond_t cv;           /* wakes the writer: an append, or stop */
	int wake;                    /* guarded by mu */
	volatile int stop;           /* set under mu; also polled by db_connect_retry */
	struct alert_store_stats st; /* guarded by mu */
	long long restored_tail;     /* journal records restore found unwritten */
	long long consumed;          /* records the writer committed past (mu) */
	long long alive_at_ms;       /* read by restore */

	/* The writer thread's own. */
	struct spool_pos committed, pos;
	struct alarm_rec *batch; /* o.batch_rows of them */
	int n;                   /* records in batch */
	int unreadable;          /* records of this batch that could not be decoded */
	long long first_ms;      /* when the batch's first record was read (mono) */
	long long next_alive_ms; /* when alive_at is due again (mono) */
};

/* Decodes a journal record into out (strings terminated, enums checked).
 * 0, or -1 when it is not a struct alarm_rec of this build. Pure. */
int
alert_store_decode(int type, const void *data, size_t len, struct alarm_rec *out);

/* Registers the writer's statements on db (prepared at each connect). */
enum db_status
alert_store_prepare(struct db *db);

/* Reads this instance's committed journal position (clamped to what the
 * journal holds; the oldest record when none) and its alive_at (UTC ms, 0
 * when none) through db. 0 or -1 (logged). */
int
alert_store_load_position(struct alert_store *s, struct db *db, struct spool_pos *pos,
			  long long *alive_ms);

/* Writes s->batch and the position s->pos in one transaction on s->wdb.
 * careful: each record under a savepoint, so that one PostgreSQL refuses is
 * logged, counted in *refused and left out instead of failing the batch. */
enum db_status
alert_store_write_batch(struct alert_store *s, int careful, int *refused);

/* alive_at = now() for this instance (the row is created at s->committed if
 * missing). */
enum db_status
alert_store_write_alive(struct alert_store *s);

#endif

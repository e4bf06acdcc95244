/* store.h — alertd's persistence: every alarm transition goes first into a
 * local journal (common/spool, a write(2) under the engine lock, never a wait
 * on PostgreSQL), and a writer thread moves the journal into alarms and
 * alarm_events, committing the journal position with the rows. At start the
 * open alarms come back from PostgreSQL plus the journal's unwritten tail, so
 * alarm state survives kill -9 and PostgreSQL outages. */
#ifndef ALERTD_STORE_H
#define ALERTD_STORE_H

#include "alertd/alarm_rec.h"
#include "spool.h"

/* The schema alertd needs (schemas/sql/008_alertd.sql). */
#define ALERTD_SCHEMA_VERSION 8

/* Zero means the default for every numeric field. */
struct alert_store_opts {
	const char *journal_dir; /* the journal's directory (see spool_open) */
	const char *instance;    /* the key of alertd_journal_position */
	enum spool_fsync fsync;
	long long max_bytes;         /* bound on the journal's unwritten bytes */
	int batch_rows;              /* a batch commits at this many records ... */
	long long batch_time_ms;     /* ... or once its first record waited this long */
	long long alive_interval_ms; /* how often alive_at is refreshed */
};

struct alert_store_stats {
	int db_up;                  /* the writer's connection is up */
	long long records_appended; /* appended since open */
	long long records_written;  /* committed into PostgreSQL since open */
	long long batches;          /* committed batches */
	long long write_errors;     /* failed batches (retried) and failed appends */
	long long skipped;          /* records PostgreSQL refused for good, or unreadable */
	long long pending;          /* records in the journal not yet written */
	long long journal_bytes;    /* the journal's unreleased bytes */
	long long last_batch_ms;    /* how long the last committed batch took */
	long long append_max_us;    /* the longest journal append (a write(2)) */
};

struct alert_store;

/* Opens the journal in o->journal_dir and prepares two PostgreSQL handles
 * (the writer's, and one for restore and recovery on the caller's thread);
 * connects to nothing yet. conninfo NULL or "": FM_DB_CONNINFO / PG*. NULL
 * (logged) when the journal cannot be opened. o is not kept. Free with
 * alert_store_close. */
struct alert_store *
alert_store_open(const struct alert_store_opts *o, const char *conninfo);

/* Appends rec to the journal with one write(2) and wakes the writer. One
 * caller thread at a time (alertd calls it under its engine lock); never
 * touches PostgreSQL. 0, or -1 when the journal is full or failed (logged,
 * counted in write_errors). */
int
alert_store_append(struct alert_store *s, const struct alarm_rec *rec);

/* At start, before alert_store_start, on the caller's thread: waits for
 * PostgreSQL (retrying with back-off; -1 if daemon_stop becomes set or the
 * schema is older than ALERTD_SCHEMA_VERSION), then calls fn for every open
 * alarm in PostgreSQL (flips are not kept: n_flips 0; t, ts_ms and actor are
 * those of its last alarm_events row), then for every journal record not yet
 * written, in order: they are newer, and the caller keeps the latest per
 * alarm_id. rec is valid during the call only. 0 or -1. */
int
alert_store_restore(struct alert_store *s, void (*fn)(void *ctx, const struct alarm_rec *rec),
		    void *ctx);

/* After alert_store_restore: the last alive_at of this instance, UTC ms (0:
 * never alive, or not restored): alertd recovers the events since then. */
long long
alert_store_alive_at(struct alert_store *s);

/* Calls fn for each row of events with since_ms < ts <= until_ms (UTC ms),
 * in order of ts then seq; the strings are valid during the call only.
 * active: the event's state is 'active'. Caller's thread, after restore.
 * 0, or -1 on a database error (logged). */
int
alert_store_missed_events(struct alert_store *s, long long since_ms, long long until_ms,
			  void (*fn)(void *ctx, const char *device, const char *event, int active,
				     long long ts_ms, long long seq),
			  void *ctx);

/* Starts the writer thread: batches of journal records, each in one
 * transaction with the journal position; alive_at every alive_interval_ms;
 * reconnects with back-off (100 ms doubling to 5 s) and never gives up; a
 * record PostgreSQL refuses for good is logged, counted and skipped. 0 / -1. */
int
alert_store_start(struct alert_store *s);

/* Copies the counters. Any thread. */
void
alert_store_stats(struct alert_store *s, struct alert_store_stats *out);

/* Stops the writer (it finishes the batch in hand; the rest stays in the
 * journal for the next start), closes the journal and the connections, and
 * frees s. NULL is a no-op. */
void
alert_store_close(struct alert_store *s);

#endif

/* store.h — ingestd's writer: a thread that moves spool records into
 * PostgreSQL in batches (COPY into session temp tables, then INSERT ... ON
 * CONFLICT DO NOTHING so a redelivered message is stored once) and commits
 * the spool position in the same transaction. It owns its own connection,
 * reconnects with back-off, and never gives up on the spool. */
#ifndef INGESTD_STORE_H
#define INGESTD_STORE_H

#include "spool.h"

struct store_opts {
	const char *conninfo; /* NULL or "": FM_DB_CONNINFO / PG* */
	const char *instance; /* the spool position's key */
	int batch_rows;       /* commit at this many rows ... */
	long long batch_ms;   /* ... or when the oldest record waited this long */
	long long reconnect_max_ms;
};

struct store_stats {
	long long batches;
	long long records;
	long long readings;     /* rows offered to readings (duplicates included) */
	long long readings_new; /* rows actually inserted */
	long long events;
	long long quarantined;
	long long poison; /* records PostgreSQL refused, moved to quarantine */
	long long db_errors;
	long long batch_ms_last, batch_ms_max;
	long long commit_lag_ms; /* message time to commit, newest record */
	/* message time (payload ts, else receipt) to commit, over every record
	 * committed since start, in ms; below 0 before the first commit */
	double latency_p50_ms, latency_p99_ms, latency_p999_ms;
	int connected;
};

struct store;

/* Starts the writer on spool (which must outlive it). NULL on failure. */
struct store *
store_start(const struct store_opts *o, struct spool *spool);
/* Asks the writer to stop once the spool is drained or drain_ms has passed,
 * and waits for it. Frees s (NULL is a no-op). */
void
store_stop(struct store *s, long long drain_ms);
void
store_get_stats(struct store *s, struct store_stats *out);

#endif

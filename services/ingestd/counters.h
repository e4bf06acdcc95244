/* counters.h — ingestd's counters: what arrived, what was accepted and
 * rejected (by reason), the spool and the writer. Updated lock-free on the
 * receive thread; published retained on fm/v1/_sys/ingestd/{instance} and
 * logged on SIGUSR1. */
#ifndef INGESTD_COUNTERS_H
#define INGESTD_COUNTERS_H

#include "ingestd/ingest.h"
#include "spool.h"
#include "ingestd/store.h"

#include <stddef.h>

struct counters {
	long long received;
	long long accepted;
	long long rejected;
	long long by_reason[INGEST_REASON_COUNT];
	long long spool_full; /* messages held back (back-pressure) */
	long long spool_errors;
	/* 1 while a message waits because the spool can take no more (full at
	 * max_bytes, or its disk is): ingestd has stopped reading, the broker
	 * queues. alertd raises an alarm on it (device ingestd-{instance}). */
	long long back_pressure;
	/* the receiver's (common/mqrx; 0 with Paho on ssl://): connections
	 * made, and messages the broker delivered again (DUP: sent before a
	 * restart or reconnect and not acknowledged; stored once) */
	long long mqtt_connects;
	long long mqtt_redelivered;
};

void
counters_add(long long *c, long long n);
void
counters_set(long long *c, long long v);
long long
counters_get(const long long *c);

/* Renders every counter with the spool's and the writer's as JSON for the
 * stats topic (buf, cap). Returns its length or -1. */
int
counters_json(const struct counters *c, const struct spool_stats *sp, long long spool_bytes,
	      const struct store_stats *st, const char *instance, long long now_ms, char *buf,
	      size_t cap);
/* The same as one log line (key=value). */
void
counters_log(const struct counters *c, const struct spool_stats *sp, long long spool_bytes,
	     const struct store_stats *st);

#endif

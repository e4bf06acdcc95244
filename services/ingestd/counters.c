/* counters.c — collects ingestd's figures into one list, used both for the
 * retained stats message and the SIGUSR1 log line, so the two never differ. */
#include "counters.h"

#include "log.h"
#include "msg.h"

#include <stdio.h>
#include <string.h>

#define MAX_COUNTERS (32 + INGEST_REASON_COUNT)

void
counters_add(long long *c, long long n)
{
	__atomic_add_fetch(c, n, __ATOMIC_RELAXED);
}

void
counters_set(long long *c, long long v)
{
	__atomic_store_n(c, v, __ATOMIC_RELAXED);
}

long long
counters_get(const long long *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

static int
collect(const struct counters *c, const struct spool_stats *sp, long long spool_bytes,
	const struct store_stats *st, struct msg_counter *out, char names[][48])
{
	int n = 0;

#define ADD(k, v) (out[n].name = (k), out[n].value = (v), n++)
	ADD("received", counters_get(&c->received));
	ADD("accepted", counters_get(&c->accepted));
	ADD("rejected", counters_get(&c->rejected));
	ADD("spool_full", counters_get(&c->spool_full));
	ADD("spool_errors", counters_get(&c->spool_errors));
	ADD("back_pressure", counters_get(&c->back_pressure));
	ADD("mqtt_connects", counters_get(&c->mqtt_connects));
	ADD("mqtt_redelivered", counters_get(&c->mqtt_redelivered));
	ADD("spool_bytes", spool_bytes);
	ADD("spool_appends", sp->appends);
	ADD("spool_fsyncs", sp->fsyncs);
	ADD("spool_truncations", sp->truncations);
	ADD("spool_corrupt_skips", sp->corrupt_skips);
	ADD("db_connected", st->connected);
	ADD("db_errors", st->db_errors);
	ADD("batches", st->batches);
	ADD("records_written", st->records);
	ADD("readings_offered", st->readings);
	ADD("readings_written", st->readings_new);
	ADD("readings_duplicate", st->readings - st->readings_new);
	ADD("events_written", st->events);
	ADD("quarantined", st->quarantined);
	ADD("poison", st->poison);
	ADD("batch_ms_last", st->batch_ms_last);
	ADD("batch_ms_max", st->batch_ms_max);
	ADD("commit_lag_ms", st->commit_lag_ms);
	/* whole milliseconds, rounded up; -1 before the first commit */
	ADD("commit_latency_p50_ms", (long long)(st->latency_p50_ms + 0.999));
	ADD("commit_latency_p99_ms", (long long)(st->latency_p99_ms + 0.999));
	ADD("commit_latency_p999_ms", (long long)(st->latency_p999_ms + 0.999));
	for (int r = 1; r < INGEST_REASON_COUNT; r++) {
		long long v = counters_get(&c->by_reason[r]);

		if (v == 0 || r == INGEST_MSG_BASE)
			continue;
		snprintf(names[n], 48, "rejected_%s", ingest_reason_name(r));
		ADD(names[n], v);
	}
#undef ADD
	return n;
}

int
counters_json(const struct counters *c, const struct spool_stats *sp, long long spool_bytes,
	      const struct store_stats *st, const char *instance, long long now_ms, char *buf,
	      size_t cap)
{
	struct msg_counter list[MAX_COUNTERS];
	char names[MAX_COUNTERS][48];
	int n = collect(c, sp, spool_bytes, st, list, names);

	return msg_encode_stats("ingestd", instance, now_ms, list, n, buf, cap);
}

void
counters_log(const struct counters *c, const struct spool_stats *sp, long long spool_bytes,
	     const struct store_stats *st)
{
	struct msg_counter list[MAX_COUNTERS];
	char names[MAX_COUNTERS][48], line[4096];
	int n = collect(c, sp, spool_bytes, st, list, names);
	size_t len = 0;

	line[0] = '\0';
	for (int i = 0; i < n && len < sizeof line; i++) {
		int w = snprintf(line + len, sizeof line - len, "%s%s=%lld", i ? " " : "",
				 list[i].name, list[i].value);

		if (w < 0)
			break;
		len += (size_t)w;
	}
	log_info("stats", "%s", line);
}

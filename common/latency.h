/* latency.h — a log-linear histogram of durations in microseconds, for
 * latency percentiles (fmsim: publish to acknowledgement; ingestd: message
 * time to commit). Fixed size (no
 * allocation), about 3 % resolution, exact below 64 µs. Pure; not
 * thread-safe: one histogram per thread, merged at the end. */
#ifndef FM_LATENCY_H
#define FM_LATENCY_H

#define LATENCY_SUB_BITS 5 /* 32 sub-buckets per power of two */
#define LATENCY_EXACT 64   /* values below are counted exactly */
#define LATENCY_MAX_EXP 40 /* 2^41 µs (25 days) and above share the last bucket */
#define LATENCY_BUCKETS (LATENCY_EXACT + (LATENCY_MAX_EXP - 5) * (1 << LATENCY_SUB_BITS))

struct latency {
	unsigned long long n;
	long long max_us;
	unsigned long long count[LATENCY_BUCKETS];
};

/* Empties h. */
void
latency_init(struct latency *h);

/* Counts one duration; negative values count as 0. */
void
latency_add(struct latency *h, long long us);

/* Adds every count of from into into. */
void
latency_merge(struct latency *into, const struct latency *from);

/* The q-quantile (0 <= q <= 1) in microseconds: the upper end of the bucket
 * that holds it, never above the largest value seen; -1 when h is empty. */
long long
latency_quantile(const struct latency *h, double q);

#endif

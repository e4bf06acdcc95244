/* latency.c — the histogram of latency.h. A value v >= 64 with highest set
 * bit e goes to one of 32 equal sub-buckets of [2^e, 2^(e+1)), so every
 * bucket is at most 1/32 of its values wide. Pure. */
#include "latency.h"

#include <string.h>

static int
bucket_of(long long us)
{
	unsigned long long v = us < 0 ? 0 : (unsigned long long)us;
	int e, sub;

	if (v < LATENCY_EXACT)
		return (int)v;
	e = 63 - __builtin_clzll(v);
	if (e > LATENCY_MAX_EXP)
		return LATENCY_BUCKETS - 1;
	sub = (int)((v >> (e - LATENCY_SUB_BITS)) & ((1u << LATENCY_SUB_BITS) - 1));
	return LATENCY_EXACT + (e - 6) * (1 << LATENCY_SUB_BITS) + sub;
}

/* The largest value that falls into bucket b. */
static long long
bucket_top(int b)
{
	int e, sub;

	if (b < LATENCY_EXACT)
		return b;
	e = (b - LATENCY_EXACT) / (1 << LATENCY_SUB_BITS) + 6;
	sub = (b - LATENCY_EXACT) % (1 << LATENCY_SUB_BITS);
	return (long long)((1ull << e) +
			   ((unsigned long long)(sub + 1) << (e - LATENCY_SUB_BITS))) -
	       1;
}

void
latency_init(struct latency *h)
{
	memset(h, 0, sizeof *h);
}

void
latency_add(struct latency *h, long long us)
{
	if (us < 0)
		us = 0;
	h->count[bucket_of(us)]++;
	h->n++;
	if (us > h->max_us)
		h->max_us = us;
}

void
latency_merge(struct latency *into, const struct latency *from)
{
	for (int b = 0; b < LATENCY_BUCKETS; b++)
		into->count[b] += from->count[b];
	into->n += from->n;
	if (from->max_us > into->max_us)
		into->max_us = from->max_us;
}

long long
latency_quantile(const struct latency *h, double q)
{
	unsigned long long rank, seen = 0;
	long long top;

	if (h->n == 0)
		return -1;
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	/* The smallest value with at least ceil(q * n) values at or below it. */
	rank = (unsigned long long)(q * (double)h->n + 0.999999);
	if (rank < 1)
		rank = 1;
	for (int b = 0; b < LATENCY_BUCKETS; b++) {
		seen += h->count[b];
		if (seen >= rank) {
			top = bucket_top(b);
			return top < h->max_us ? top : h->max_us;
		}
	}
	return h->max_us;
}

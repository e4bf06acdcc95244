/* oracle.c — the acknowledged-seq bitmaps of oracle.h. Bits are set only
 * for seqs handed out, so a stray or corrupt acknowledgement can neither
 * grow the bitmap nor invent a message. Pure (allocation only). */
#include "oracle.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

void
oracle_init(struct oracle *o, size_t n_dev)
{
	o->n_dev = n_dev;
	o->dev = xcalloc(n_dev ? n_dev : 1, sizeof *o->dev);
	for (size_t i = 0; i < n_dev; i++)
		o->dev[i].next_seq = 1;
}

void
oracle_free(struct oracle *o)
{
	for (size_t i = 0; i < o->n_dev; i++)
		free(o->dev[i].bits);
	free(o->dev);
	memset(o, 0, sizeof *o);
}

long long
oracle_next_seq(struct oracle *o, size_t dev)
{
	struct oracle_dev *d = &o->dev[dev];
	long long seq = d->next_seq++;
	size_t need = (size_t)((seq - 1) / 64) + 1;

	if (need > d->words) {
		size_t words = d->words ? d->words * 2 : 4;
		unsigned long long *bits;

		while (words < need)
			words *= 2;
		bits = xcalloc(words, sizeof *bits);
		if (d->words)
			memcpy(bits, d->bits, d->words * sizeof *bits);
		free(d->bits);
		d->bits = bits;
		d->words = words;
	}
	return seq;
}

int
oracle_ack(struct oracle *o, size_t dev, long long seq)
{
	struct oracle_dev *d = &o->dev[dev];
	unsigned long long bit;
	size_t w;

	if (seq < 1 || seq >= d->next_seq)
		return -1;
	w = (size_t)((seq - 1) / 64);
	bit = 1ull << ((seq - 1) % 64);
	if (d->bits[w] & bit)
		return 0;
	d->bits[w] |= bit;
	d->acked++;
	return 1;
}

int
oracle_is_acked(const struct oracle *o, size_t dev, long long seq)
{
	const struct oracle_dev *d = &o->dev[dev];

	if (seq < 1 || seq >= d->next_seq)
		return 0;
	return (d->bits[(seq - 1) / 64] >> ((seq - 1) % 64)) & 1;
}

/* The first seq >= from whose bit equals want, or next_seq if none. Whole
 * words that cannot hold it are skipped. */
static long long
scan(const struct oracle_dev *d, long long from, int want)
{
	long long seq = from;

	while (seq < d->next_seq) {
		unsigned long long word = d->bits[(seq - 1) / 64];
		int off = (int)((seq - 1) % 64);
		unsigned long long rest = (want ? word : ~word) >> off;

		if (rest) {
			seq += __builtin_ctzll(rest);
			return seq < d->next_seq ? seq : d->next_seq;
		}
		seq += 64 - off;
	}
	return d->next_seq;
}

int
oracle_next_range(const struct oracle *o, size_t dev, long long *from, long long *lo, long long *hi)
{
	const struct oracle_dev *d = &o->dev[dev];
	long long start, end;

	if (*from < 1)
		*from = 1;
	start = scan(d, *from, 1);
	if (start >= d->next_seq) {
		*from = d->next_seq;
		return 0;
	}
	end = scan(d, start, 0);
	*lo = start;
	*hi = end - 1;
	*from = end;
	return 1;
}

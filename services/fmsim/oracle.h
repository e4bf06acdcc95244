/* oracle.h — what a load run must find in the database: per device, the
 * sequence numbers it handed out and which of them the broker acknowledged,
 * as a bitmap that yields maximal ranges; and the oracle file's text form
 * (oracle_fmt.c). Pure: no I/O, no clock; the bitmaps grow by allocation.
 * A device's entry is used by one thread at a time (its connection's
 * publisher); different devices may be used by different threads. */
#ifndef FMSIM_ORACLE_H
#define FMSIM_ORACLE_H

#include <stddef.h>

struct oracle_dev {
	long long next_seq;       /* the seq the next new message gets (from 1) */
	long long acked;          /* distinct seqs acknowledged */
	unsigned long long *bits; /* bit seq-1 set: seq acknowledged */
	size_t words;
};

struct oracle {
	struct oracle_dev *dev;
	size_t n_dev;
};

/* n_dev devices, none with a message yet. Fatal on out-of-memory. */
void
oracle_init(struct oracle *o, size_t n_dev);
/* Releases everything (a zeroed struct is a no-op). */
void
oracle_free(struct oracle *o);

/* Hands out the next seq of device dev (1, 2, 3 ...). */
long long
oracle_next_seq(struct oracle *o, size_t dev);

/* Marks seq of dev acknowledged: 1 when it was not yet, 0 when it already
 * was (a retry acknowledged twice), -1 when seq was never handed out. */
int
oracle_ack(struct oracle *o, size_t dev, long long seq);

/* 1 when seq of dev is acknowledged, else 0. */
int
oracle_is_acked(const struct oracle *o, size_t dev, long long seq);

/* The next maximal run [*lo, *hi] of acknowledged seqs of dev at or after
 * *from: 1 and *from moved past the run, or 0 when there is none. Start
 * with *from = 1. */
int
oracle_next_range(const struct oracle *o, size_t dev, long long *from, long long *lo,
		  long long *hi);

/* ---- The oracle file ----------------------------------------------------
 * Text, one header line then one line per device in device order:
 *   fmsim-oracle 1 site=S prefix=P devices=N metrics=M t0_ms=T0 t1_ms=T1 acked=A
 *   ld000001 1-480 482-500
 *   ld000002 7
 * A device line lists its acknowledged seqs as ascending, disjoint,
 * non-adjacent ranges (lo-hi, or a single seq); a device with none has a line
 * with only its id. Every payload ts of the run lies in [T0, T1]. */

#define ORACLE_MAGIC "fmsim-oracle"
#define ORACLE_VERSION 1
#define ORACLE_ID_MAX 64
#define ORACLE_ACKED_MAX 1000000000LL /* far beyond any run; bounds what check expands */

struct oracle_header {
	char site[ORACLE_ID_MAX + 1];
	char prefix[ORACLE_ID_MAX + 1];
	long long devices;
	int metrics;
	long long t0_ms, t1_ms;
	long long acked;
};

/* Why an oracle file was rejected; oracle_err_name() gives a stable name. */
enum oracle_err {
	ORACLE_OK,
	ORACLE_ERR_MAGIC,        /* the first line is not an fmsim oracle header */
	ORACLE_ERR_VERSION,      /* a format version this build does not read */
	ORACLE_ERR_HEADER_FIELD, /* a header field missing, unknown, repeated or bad */
	ORACLE_ERR_DEVICE_ID,    /* not [A-Za-z0-9_-]{1,64} */
	ORACLE_ERR_DEVICE_ORDER, /* not after the previous device (sorted, no repeats) */
	ORACLE_ERR_RANGE,        /* not lo-hi or a seq, or lo > hi, or seq < 0 */
	ORACLE_ERR_RANGE_ORDER,  /* overlaps, touches or precedes the previous range */
	ORACLE_ERR_DEVICE_COUNT, /* device lines differ from devices= */
	ORACLE_ERR_ACKED_COUNT,  /* the ranges' sizes do not add up to acked= */
	ORACLE_ERR_COUNT
};

const char *
oracle_err_name(enum oracle_err e);

/* Writes the header line with its newline into buf; returns its length, or
 * -1 when it does not fit. */
int
oracle_format_header(const struct oracle_header *h, char *buf, size_t cap);

/* Parses a header line (with or without its newline) into *h. */
enum oracle_err
oracle_parse_header(const char *line, struct oracle_header *h);

/* Reads an oracle file line by line, checking everything the format
 * promises, and hands each device and range to the callbacks. Start from a
 * zeroed reader; feed every line (with or without its newline) to
 * oracle_read_line, then call oracle_read_end. The first error stops the
 * reading: report it with r->line (1-based). */
typedef void (*oracle_device_fn)(void *ctx, const char *id);
typedef void (*oracle_range_fn)(void *ctx, const char *id, long long lo, long long hi);

struct oracle_reader {
	struct oracle_header h; /* valid once the first line was read */
	long long line;         /* lines read so far */
	long long devices;      /* device lines read */
	long long acked;        /* seqs in the ranges read */
	char prev[ORACLE_ID_MAX + 1];
};

enum oracle_err
oracle_read_line(struct oracle_reader *r, const char *line, oracle_device_fn dev_fn,
		 oracle_range_fn range_fn, void *ctx);

/* After the last line: the device and acked counts must match the header. */
enum oracle_err
oracle_read_end(const struct oracle_reader *r);

#endif

/* store_batch.h — one batch of the writer: spool records sorted into the
 * COPY text for each table, and the last-seen/state of every device the
 * batch touches (one row per device, so one upsert each). Pure: memory only. */
#ifndef INGESTD_STORE_BATCH_H
#define INGESTD_STORE_BATCH_H

#include <stddef.h>

struct sbuf {
	char *p;
	size_t len, cap;
};

struct batch_dev {
	char device[65];
	char site[65];
	long long last_ms;  /* newest message time seen */
	long long last_seq; /* its seq; -1: only status messages */
	int state;          /* -1: no status message, 0 online, 1 offline */
	long long state_ms;
};

struct batch {
	struct sbuf readings, events, quarantine;
	struct batch_dev *devs; /* open addressing, dev_cap slots */
	size_t dev_cap, ndevs;
	/* The slots in use, in arrival order: a batch touches a few hundred of
	 * tens of thousands of slots, so reset and the per-device walks visit
	 * only these instead of sweeping the whole table every batch. */
	size_t *used;
	long long rows; /* readings + events + quarantine + status rows */
	long long readings_rows, events_rows, quarantine_rows;
	long long records;
	long long bad_records; /* records that could not be parsed (logged) */
	long long *ts_ms;      /* message time of each record, for commit latency */
	size_t nts, ts_cap;
};

/* max_devices: the most distinct devices one batch may hold. */
void
batch_init(struct batch *b, size_t max_devices);
void
batch_free(struct batch *b);
void
batch_reset(struct batch *b);
/* 1 when the batch cannot take another device (commit it first). */
int
batch_devices_full(const struct batch *b);
/* Adds one spool record (an ingest_rec type and its text). Returns 0, or -1
 * for a record that is not what ingest_message writes (counted in
 * bad_records; the caller quarantines or logs it). */
int
batch_add(struct batch *b, int type, const char *data, size_t len);
/* The COPY text for status_stage(device_id, site_id, last_seen, last_seq,
 * state, state_at): one row per device for which due() (NULL: all) says
 * so. Appends to out. */
void
batch_status_rows(const struct batch *b, int (*due)(const void *ctx, const struct batch_dev *d),
		  const void *ctx, struct sbuf *out);
/* Calls fn for every device of the batch. */
void
batch_each_dev(const struct batch *b, void (*fn)(void *ctx, const struct batch_dev *d), void *ctx);

void
sbuf_append(struct sbuf *s, const char *data, size_t len);

#endif

/* store_batch.c — sorts spool records into per-table COPY text. Records are
 * already escaped by ingest.c, so rows are copied as they are; only the
 * header line is read, for the device's last-seen and state. */
#include "store_batch.h"

#include "ingestd/ingest.h"
#include "log.h"
#include "timeutil.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
sbuf_append(struct sbuf *s, const char *data, size_t len)
{
	if (s->len + len + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 65536;

		while (cap < s->len + len + 1)
			cap *= 2;
		s->p = realloc(s->p, cap);
		if (!s->p)
			fatal("out of memory");
		s->cap = cap;
	}
	memcpy(s->p + s->len, data, len);
	s->len += len;
	s->p[s->len] = '\0';
}

void
batch_init(struct batch *b, size_t max_devices)
{
	memset(b, 0, sizeof *b);
	b->dev_cap = 16;
	while (b->dev_cap < 2 * max_devices)
		b->dev_cap *= 2;
	b->devs = xcalloc(b->dev_cap, sizeof *b->devs);
	b->used = xcalloc(b->dev_cap / 2, sizeof *b->used);
}

void
batch_free(struct batch *b)
{
	free(b->readings.p);
	free(b->events.p);
	free(b->quarantine.p);
	free(b->devs);
	free(b->used);
	free(b->ts_ms);
	memset(b, 0, sizeof *b);
}

void
batch_reset(struct batch *b)
{
	b->readings.len = b->events.len = b->quarantine.len = 0;
	for (size_t i = 0; i < b->ndevs; i++)
		b->devs[b->used[i]].device[0] = '\0';
	b->ndevs = 0;
	b->rows = b->readings_rows = b->events_rows = b->quarantine_rows = 0;
	b->records = b->bad_records = 0;
	b->nts = 0;
}

static void
note_ts(struct batch *b, long long ts_ms)
{
	if (b->nts == b->ts_cap) {
		b->ts_cap = b->ts_cap ? 2 * b->ts_cap : 4096;
		b->ts_ms = realloc(b->ts_ms, b->ts_cap * sizeof *b->ts_ms);
		if (!b->ts_ms)
			fatal("out of memory");
	}
	b->ts_ms[b->nts++] = ts_ms;
}

int
batch_devices_full(const struct batch *b)
{
	return 2 * (b->ndevs + 1) > b->dev_cap;
}

static struct batch_dev *
dev_slot(struct batch *b, const char *device, const char *site)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (const char *p = device; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	i = (size_t)h & (b->dev_cap - 1);
	while (b->devs[i].device[0] && strcmp(b->devs[i].device, device) != 0)
		i = (i + 1) & (b->dev_cap - 1);
	if (!b->devs[i].device[0]) {
		snprintf(b->devs[i].device, sizeof b->devs[i].device, "%s", device);
		snprintf(b->devs[i].site, sizeof b->devs[i].site, "%s", site);
		b->devs[i].last_ms = -1;
		b->devs[i].last_seq = -1;
		b->devs[i].state = -1;
		b->devs[i].state_ms = 0;
		b->used[b->ndevs++] = i;
		b->rows++;
	}
	return &b->devs[i];
}

static long long
count_rows(const char *p, size_t len)
{
	long long n = 0;
	const char *end = p + len, *nl;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p)))) {
		n++;
		p = nl + 1;
	}
	return n;
}

int
batch_add(struct batch *b, int type, const char *data, size_t len)
{
	char device[65], site[65];
	long long ts_ms, seq, n;
	struct batch_dev *d;
	const char *rows = ingest_record_header(data, len, device, site, &ts_ms, &seq);
	size_t rlen;

	if (!rows || len == 0 || data[len - 1] != '\n') {
		b->bad_records++;
		return -1;
	}
	rlen = len - (size_t)(rows - data);
	n = count_rows(rows, rlen);
	if (n < 1) {
		b->bad_records++;
		return -1;
	}
	b->records++;
	note_ts(b, ts_ms);
	if (type == INGEST_REC_QUARANTINE) {
		sbuf_append(&b->quarantine, rows, rlen);
		b->quarantine_rows += n;
		b->rows += n;
		return 0;
	}
	if (type != INGEST_REC_READINGS && type != INGEST_REC_EVENT && type != INGEST_REC_STATUS) {
		b->records--;
		b->bad_records++;
		return -1;
	}
	d = dev_slot(b, device, site);
	if (ts_ms >= d->last_ms) {
		d->last_ms = ts_ms;
		if (type != INGEST_REC_STATUS)
			d->last_seq = seq;
	}
	if (type == INGEST_REC_READINGS) {
		sbuf_append(&b->readings, rows, rlen);
		b->readings_rows += n;
		b->rows += n;
	} else if (type == INGEST_REC_EVENT) {
		sbuf_append(&b->events, rows, rlen);
		b->events_rows += n;
		b->rows += n;
	} else if (ts_ms >= d->state_ms || d->state < 0) {
		d->state = strncmp(rows, "offline\n", rlen) == 0 ? 1 : 0;
		d->state_ms = ts_ms;
	}
	return 0;
}

static void
put_ts_or_null(struct sbuf *out, long long ms, int present)
{
	char ts[40];

	if (present && tu_format_rfc3339(ms, ts, sizeof ts) >= 0)
		sbuf_append(out, ts, strlen(ts));
	else
		sbuf_append(out, "\\N", 2);
}

void
batch_each_dev(const struct batch *b, void (*fn)(void *ctx, const struct batch_dev *d), void *ctx)
{
	for (size_t i = 0; i < b->ndevs; i++)
		fn(ctx, &b->devs[b->used[i]]);
}

void
batch_status_rows(const struct batch *b, int (*due)(const void *ctx, const struct batch_dev *d),
		  const void *ctx, struct sbuf *out)
{
	char num[32];

	for (size_t i = 0; i < b->ndevs; i++) {
		const struct batch_dev *d = &b->devs[b->used[i]];
		int n;

		if (due && !due(ctx, d))
			continue;
		sbuf_append(out, d->device, strlen(d->device));
		sbuf_append(out, "\t", 1);
		sbuf_append(out, d->site, strlen(d->site));
		sbuf_append(out, "\t", 1);
		put_ts_or_null(out, d->last_ms, d->last_ms >= 0);
		if (d->last_seq >= 0) {
			n = snprintf(num, sizeof num, "\t%lld\t", d->last_seq);
			sbuf_append(out, num, (size_t)n);
		} else {
			sbuf_append(out, "\t\\N\t", 4);
		}
		if (d->state >= 0)
			sbuf_append(out, d->state ? "offline" : "online", d->state ? 7 : 6);
		else
			sbuf_append(out, "\\N", 2);
		sbuf_append(out, "\t", 1);
		put_ts_or_null(out, d->state_ms, d->state >= 0);
		sbuf_append(out, "\n", 1);
	}
}

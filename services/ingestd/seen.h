/* seen.h — what the writer last wrote to device_status for each device, so
 * a batch upserts a device only when its state changed or its last_seen
 * moved by at least the resolution (last_seen is kept to seconds, not per
 * message). Pure: memory only; one owner (the writer thread). */
#ifndef INGESTD_SEEN_H
#define INGESTD_SEEN_H

#include "ingestd/store_batch.h"

struct seen;

/* resolution_ms: how far last_seen may lag behind the newest message. */
struct seen *
seen_new(long long resolution_ms);
void
seen_free(struct seen *s);
/* 1 when device d of a batch needs its device_status row written. */
int
seen_due(const struct seen *s, const struct batch_dev *d);
/* Records that d was written (call after the commit). */
void
seen_note(struct seen *s, const struct batch_dev *d);

#endif

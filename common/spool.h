/* spool.h — a durable local buffer (ingestd's spool, alertd's journal): an
 * append-only log of records in segment files under one directory, so an MQTT
 * message is on disk before its QoS 1 acknowledgement; a writer thread reads it back into PostgreSQL and
 * releases what committed. One appender thread and one reader thread may use a
 * spool at once; it never talks to the broker or the database itself. */
#ifndef FM_SPOOL_H
#define FM_SPOOL_H

#include <stddef.h>
#include <stdint.h>

/* Largest payload of one record, in bytes. */
#define SPOOL_RECORD_MAX (1024 * 1024)

#define SPOOL_SEGMENT_BYTES_DEFAULT (64LL * 1024 * 1024)
#define SPOOL_SEGMENT_BYTES_MIN 4096LL
#define SPOOL_MAX_BYTES_DEFAULT (1024LL * 1024 * 1024)
#define SPOOL_FSYNC_INTERVAL_MS_DEFAULT 100

/* When appended data is forced to stable storage (Redis's appendfsync). A
 * write(2) that returned already survives a crash of the process; these are
 * about power loss and kernel crashes. Same order as fmconf's enum fm_fsync. */
enum spool_fsync {
	SPOOL_FSYNC_ALWAYS,   /* fdatasync before spool_append returns */
	SPOOL_FSYNC_INTERVAL, /* a thread of the spool syncs every fsync_interval_ms */
	SPOOL_FSYNC_NEVER,    /* the kernel writes back when it likes */
};

/* Zero means the default for every numeric field. */
struct spool_opts {
	const char *dir;         /* created (mode 0700) if missing; its parent must exist */
	long long segment_bytes; /* start a new segment file past this size */
	long long max_bytes;     /* bound on unreleased bytes (segment files) */
	enum spool_fsync fsync;
	long long fsync_interval_ms;
};

/* A place in the spool: a segment number and a byte offset in its file, as
 * stored in ingest_spool_position (segment, byte_offset). {0, 0} means "the
 * oldest record". Positions stay valid across restarts: offsets in a segment
 * are never reused, because each spool_open appends to a new segment. */
struct spool_pos {
	long long segment;
	long long offset;
};

enum spool_rc {
	SPOOL_OK,
	SPOOL_FULL,  /* unreleased bytes would pass max_bytes: apply back-pressure, retry later */
	SPOOL_ERR,   /* I/O error (ENOSPC, EIO...): nothing of the record is in the spool */
	SPOOL_INVAL, /* the record can never be stored (type not 1..255, len > SPOOL_RECORD_MAX) */
};

struct spool_stats {
	long long appends;        /* records appended */
	long long bytes_appended; /* their bytes on disk, headers included */
	long long full;           /* appends refused with SPOOL_FULL */
	long long write_errors;   /* appends failed with SPOOL_ERR */
	long long fsyncs;         /* fdatasync calls that made appended records durable */
	long long sync_errors;    /* failed fdatasync calls (logged) */
	long long segments_created;
	long long segments_deleted;
	long long truncations; /* torn or corrupt tails cut at open */
	long long bytes_truncated;
	long long corrupt_skips; /* corrupt records met by the reader */
	long long bytes_skipped; /* bytes it skipped because of them */
	long long records_read;  /* records visited by spool_read */
};

struct spool;

/* Called by spool_read for each record in order. at: where the record starts;
 * data: its payload, valid only during the call. Return 0 to consume it and go
 * on, anything else to stop before it (it is visited again by the next read). */
typedef int (*spool_visit)(void *ctx, const struct spool_pos *at, int type, const void *data,
			   size_t len);

/* Opens (creating if needed) the spool in o->dir: takes DIR/lock (a second
 * process, or a second open in this process, is refused), checks every
 * segment's header, validates the records of the last segment and truncates a
 * torn or corrupt tail (logged, counted in truncations), removes segments
 * that hold no record, then starts a new segment for appends (and makes the
 * next one ahead, see spool_append). Returns NULL
 * with the reason logged: bad options (max_bytes must leave room for the
 * segment being appended to plus one largest record), an I/O error, a foreign
 * or newer-version segment file (never modified). o is not kept. */
struct spool *
spool_open(const struct spool_opts *o);

/* Syncs the segment being appended to, stops the sync thread, closes the
 * files and releases the lock. NULL is a no-op. */
void
spool_close(struct spool *s);

/* Appends one record (type 1..255, len bytes of data) with a single write:
 * SPOOL_OK means it is in the file (and on stable storage under
 * SPOOL_FSYNC_ALWAYS). On SPOOL_ERR the reader never sees the record: a
 * partial write is cut off again (should the cut fail too, the segment is
 * sealed there, and only a restart may find the record; ingestd's storage
 * deduplicates by device and seq). When the disk is full (ENOSPC, EDQUOT,
 * EFBIG) the segment is sealed too: the next append goes to the next segment,
 * made ahead for this, so that once the reader has consumed and released the
 * sealed one its space comes back, however large segments are. Appender
 * thread only; no allocation except when a new segment starts. */
enum spool_rc
spool_append(struct spool *s, int type, const void *data, size_t len);

/* Forces what has been appended to stable storage now. Any thread. 0 / -1. */
int
spool_sync(struct spool *s);

/* The oldest position still in the spool. Reader thread. */
void
spool_seek_start(struct spool *s, struct spool_pos *pos);

/* The position just after the last complete record (where the next append
 * goes, or the start of the next segment). Any thread. */
void
spool_tail(struct spool *s, struct spool_pos *pos);

/* Visits records from *pos in order, crossing into later segments, never past
 * what the appender has completely written; advances *pos past each record
 * consumed. Stops after max_records records or max_bytes bytes of payload (0:
 * no limit; at least one record is always visited). A position in a segment
 * that was released resolves to the oldest one (logged); a position past the
 * tail is an error. A corrupt record is logged and the rest of its segment
 * skipped. Returns the number of records consumed (0: caught up) or -1.
 * Reader thread. */
int
spool_read(struct spool *s, struct spool_pos *pos, size_t max_records, size_t max_bytes,
	   spool_visit fn, void *ctx);

/* Deletes the segment files wholly before upto->segment (consumed and
 * committed), never the one being appended to. 0, or -1 if upto is past the
 * tail or a file could not be removed. Reader thread. */
int
spool_release(struct spool *s, const struct spool_pos *upto);

/* Unreleased bytes: the size of all segment files. Any thread. */
long long
spool_bytes(const struct spool *s);

/* Copies the counters. Any thread. */
void
spool_stats(const struct spool *s, struct spool_stats *out);

/* CRC-32C (Castagnoli, as iSCSI and ext4 use) of len bytes, continuing from
 * crc (0 to start): spool_crc32c(spool_crc32c(0, a, n), b, m) is the CRC of a
 * followed by b. Pure. */
uint32_t
spool_crc32c(uint32_t crc, const void *data, size_t len);

#endif

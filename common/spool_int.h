/* spool_int.h — what the spool_*.c files share: the on-disk format and the
 * structure behind struct spool. Nothing outside the spool module includes it.
 *
 * Segment file "seg-%016llx.spool": a 16-byte header ("FMSPOOL", a version
 * byte, the segment number as u64 little-endian), then records, each a 12-byte
 * header (CRC-32C u32, payload length u32, type u8, three zero bytes; all
 * little-endian) and the payload. The CRC covers header bytes 4..11 and the
 * payload, so a damaged length or type is caught like damaged data. */
#ifndef FM_SPOOL_INT_H
#define FM_SPOOL_INT_H

#include "spool.h"

#include <pthread.h>
#include <stdint.h>

#define SPOOL_SEG_MAGIC "FMSPOOL"
#define SPOOL_SEG_MAGIC_LEN 7
#define SPOOL_SEG_VERSION 1
#define SPOOL_SEG_HDR 16
#define SPOOL_REC_HDR 12
#define SPOOL_SEG_NAME_MAX 32
/* The reader's buffer: a whole record of the largest size plus room to read ahead. */
#define SPOOL_RD_BUF (2 * 1024 * 1024)

struct spool_seg {
	long long id;
	long long size; /* for the last segment: the end of its last complete record */
};

/* What spool_rd_record found at an offset. */
enum spool_next {
	SPOOL_NEXT_REC,   /* a valid record: see struct spool_rec */
	SPOOL_NEXT_END,   /* the offset is the end */
	SPOOL_NEXT_BAD,   /* torn or corrupt: see why */
	SPOOL_NEXT_IOERR, /* a read failed (logged) */
};

struct spool_rec {
	int type;
	const unsigned char *data; /* in the reader's buffer, valid until its next refill */
	uint32_t len;
	const char *why; /* for SPOOL_NEXT_BAD: a snake_case reason */
};

struct spool {
	char *dir;
	int dir_fd;
	int lock_fd;
	enum spool_fsync fsync;
	long long segment_bytes;
	long long max_bytes;
	long long interval_ms;

	/* mu guards the segment table, the byte total, the counters, wr_fd and
	 * the sync thread's state. The appender holds it only to publish. */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct spool_seg *segs; /* ascending ids; the last one is appended to */
	size_t nsegs, cap;
	long long bytes;
	struct spool_stats st;
	int wr_fd;
	long long synced_mark; /* st.bytes_appended covered by the last sync */
	int stopping;
	int has_syncer;
	pthread_t syncer;

	/* The appender's own: the segment it writes and its size. */
	long long wr_seg;
	long long wr_size;
	int wr_must_roll; /* seal that segment: a failed write could not be cut off, or the disk is full */
	int spare_fd; /* segment wr_seg + 1, made ahead (header only), or -1 */

	/* The reader's own (also used by spool_open before any thread runs). */
	int rd_fd;
	long long rd_seg;
	unsigned char *rd_buf;
	long long win_seg; /* rd_buf holds bytes [win_off, win_off + win_len) of win_seg */
	long long win_off;
	size_t win_len;
};

/* spool_fmt.c: names and headers. */
void
spool_seg_name(char name[SPOOL_SEG_NAME_MAX], long long id);
int
spool_seg_parse_name(const char *name, long long *id);
void
spool_seg_hdr_encode(unsigned char hdr[SPOOL_SEG_HDR], long long id);
const char *
spool_seg_hdr_check(const unsigned char hdr[SPOOL_SEG_HDR], long long id);
int
spool_seg_hdr_is_torn(const unsigned char hdr[SPOOL_SEG_HDR], long long size, long long id);
void
spool_rec_hdr_encode(unsigned char hdr[SPOOL_REC_HDR], int type, const void *data, size_t len);
const char *
spool_rec_hdr_check(const unsigned char hdr[SPOOL_REC_HDR], uint32_t *len, int *type);
int
spool_rec_crc_ok(const unsigned char hdr[SPOOL_REC_HDR], const unsigned char *data, size_t len);

/* spool_append.c: segment creation, shared with spool_open. Returns the new
 * file's descriptor (header written, synced unless SPOOL_FSYNC_NEVER) or -1. */
int
spool_seg_create(struct spool *s, long long id);
/* Makes the spare segment (wr_seg + 1) if there is none; failing is logged
 * (rate-limited) and tried again at the next append. Appender only. */
void
spool_spare_make(struct spool *s);
int
spool_syncer_start(struct spool *s);
void
spool_syncer_stop(struct spool *s);

/* spool_read.c: the record at off of segment seg (open as fd), whose valid
 * data ends at end; reads through the reader's buffer. */
enum spool_next
spool_rd_record(struct spool *s, int fd, long long seg, long long off, long long end,
		struct spool_rec *r);
void
spool_rd_forget(struct spool *s);

#endif

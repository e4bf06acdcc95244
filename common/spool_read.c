/* spool_read.c — the read side of the spool: visiting records in order from a
 * position, through a large buffer filled with pread, and deleting segments
 * that were consumed. It never reads past the tail the appender published,
 * so it never sees a record being written, and never modifies a segment. */
#include "spool_int.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

static struct log_limit resolve_limit = LOG_LIMIT(10000);

/* What the reader knows about the segment it is in, refreshed under mu only
 * when it reaches the end it knew. */
struct seg_view {
	long long id;
	long long end;
	long long next_id; /* -1 while this is the segment being appended to */
};

void
spool_rd_forget(struct spool *s)
{
	s->win_len = 0;
	if (s->rd_fd >= 0)
		close(s->rd_fd);
	s->rd_fd = -1;
	s->rd_seg = -1;
}

/* Bytes [off, off + need) of segment seg, reading ahead as far as end allows.
 * NULL with *short_file set when the file ends first, or with an I/O error
 * logged. Data once written below the tail never changes, so what the buffer
 * holds stays good until it is refilled. */
static const unsigned char *
rd_window(struct spool *s, int fd, long long seg, long long off, size_t need, long long end,
	  int *short_file)
{
	size_t want, got = 0;

	*short_file = 0;
	if (s->win_len > 0 && s->win_seg == seg && off >= s->win_off &&
	    off + (long long)need <= s->win_off + (long long)s->win_len)
		return s->rd_buf + (off - s->win_off);
	want = end - off < SPOOL_RD_BUF ? (size_t)(end - off) : SPOOL_RD_BUF;
	s->win_len = 0;
	while (got < want) {
		ssize_t n = pread(fd, s->rd_buf + got, want - got, off + (long long)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_error("spool_read_failed",
				  "dir=%s segment=%lld offset=%lld error=\"%s\"", s->dir, seg,
				  off + (long long)got, strerror(errno));
			return NULL;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	s->win_seg = seg;
	s->win_off = off;
	s->win_len = got;
	if (got < need) {
		*short_file = 1;
		return NULL;
	}
	return s->rd_buf;
}

enum spool_next
spool_rd_record(struct spool *s, int fd, long long seg, long long off, long long end,
		struct spool_rec *r)
{
	const unsigned char *p;
	int short_file;

	if (off >= end)
		return SPOOL_NEXT_END;
	r->why = "short_header";
	if (end - off < SPOOL_REC_HDR)
		return SPOOL_NEXT_BAD;
	p = rd_window(s, fd, seg, off, SPOOL_REC_HDR, end, &short_file);
	if (!p)
		goto unreadable;
	r->why = spool_rec_hdr_check(p, &r->len, &r->type);
	if (r->why)
		return SPOOL_NEXT_BAD;
	r->why = "short_payload";
	if (end - off - SPOOL_REC_HDR < (long long)r->len)
		return SPOOL_NEXT_BAD;
	p = rd_window(s, fd, seg, off, SPOOL_REC_HDR + r->len, end, &short_file);
	if (!p)
		goto unreadable;
	r->why = "crc_mismatch";
	if (!spool_rec_crc_ok(p, p + SPOOL_REC_HDR, r->len))
		return SPOOL_NEXT_BAD;
	r->data = p + SPOOL_REC_HDR;
	r->why = NULL;
	return SPOOL_NEXT_REC;
unreadable:
	r->why = "file_shorter_than_expected";
	return short_file ? SPOOL_NEXT_BAD : SPOOL_NEXT_IOERR;
}

/* Fills v for pos->segment, under mu. A position in a segment that is gone
 * (released, or removed at open as empty) moves to the next one still there,
 * so {0, 0} means the oldest record; past the end of a sealed segment (its
 * tail was cut at open after a power loss, so the database holds rows the
 * spool lost) moves to the next segment; past the tail is an error. */
static int
resolve_locked(struct spool *s, struct spool_pos *pos, struct seg_view *v)
{
	const struct spool_seg *last = &s->segs[s->nsegs - 1];
	struct spool_pos from = *pos;
	size_t i = 0;

	if (pos->segment > last->id || (pos->segment == last->id && pos->offset > last->size)) {
		log_error("spool_pos_invalid",
			  "dir=%s pos=%lld:%lld tail=%lld:%lld reason=beyond_tail", s->dir,
			  pos->segment, pos->offset, last->id, last->size);
		return -1;
	}
	if (pos->offset < 0 || (pos->offset > 0 && pos->offset < SPOOL_SEG_HDR)) {
		log_error("spool_pos_invalid", "dir=%s pos=%lld:%lld reason=%s", s->dir,
			  pos->segment, pos->offset,
			  pos->offset < 0 ? "negative_offset" : "inside_segment_header");
		return -1;
	}
	while (s->segs[i].id < pos->segment)
		i++;
	if (s->segs[i].id != pos->segment) {
		pos->segment = s->segs[i].id;
		pos->offset = SPOOL_SEG_HDR;
		log_limited(&resolve_limit, LOG_INFO, "spool_pos_resolved",
			    "dir=%s from=%lld:%lld to=%lld:%lld reason=segment_released", s->dir,
			    from.segment, from.offset, pos->segment, pos->offset);
	} else if (pos->offset > s->segs[i].size) {
		i++;
		pos->segment = s->segs[i].id;
		pos->offset = SPOOL_SEG_HDR;
		log_warn("spool_pos_resolved",
			 "dir=%s from=%lld:%lld to=%lld:%lld reason=past_end_of_sealed_segment",
			 s->dir, from.segment, from.offset, pos->segment, pos->offset);
	} else if (pos->offset == 0) {
		pos->offset = SPOOL_SEG_HDR;
	}
	v->id = s->segs[i].id;
	v->end = s->segs[i].size;
	v->next_id = i + 1 < s->nsegs ? s->segs[i + 1].id : -1;
	return 0;
}

static int
resolve(struct spool *s, struct spool_pos *pos, struct seg_view *v)
{
	int rc;

	pthread_mutex_lock(&s->mu);
	rc = resolve_locked(s, pos, v);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

/* Makes s->rd_fd the open file of segment id. */
static int
rd_open(struct spool *s, long long id)
{
	char name[SPOOL_SEG_NAME_MAX];

	if (s->rd_seg == id)
		return 0;
	spool_rd_forget(s);
	spool_seg_name(name, id);
	s->rd_fd = openat(s->dir_fd, name, O_RDONLY | O_CLOEXEC);
	if (s->rd_fd < 0) {
		log_error("spool_read_failed", "dir=%s file=%s error=\"%s\"", s->dir, name,
			  strerror(errno));
		return -1;
	}
	s->rd_seg = id;
	return 0;
}

/* At the end of what v knew: moves *pos to the next segment if this one is
 * sealed. Returns 1 when it moved or the segment grew, 0 when caught up. */
static int
advance(struct spool *s, struct spool_pos *pos, struct seg_view *v)
{
	if (resolve(s, pos, v) < 0)
		return -1;
	if (pos->offset < v->end)
		return 1;
	if (v->next_id < 0)
		return 0;
	pos->segment = v->next_id;
	pos->offset = SPOOL_SEG_HDR;
	return resolve(s, pos, v) < 0 ? -1 : 1;
}

static void
skip_corrupt(struct spool *s, struct spool_pos *pos, const struct seg_view *v, const char *why)
{
	log_warn("spool_corrupt_record",
		 "dir=%s segment=%lld offset=%lld reason=%s skipped_bytes=%lld", s->dir,
		 pos->segment, pos->offset, why, v->end - pos->offset);
	pthread_mutex_lock(&s->mu);
	s->st.corrupt_skips++;
	s->st.bytes_skipped += v->end - pos->offset;
	pthread_mutex_unlock(&s->mu);
	pos->offset = v->end;
}

int
spool_read(struct spool *s, struct spool_pos *pos, size_t max_records, size_t max_bytes,
	   spool_visit fn, void *ctx)
{
	struct seg_view v;
	struct spool_rec r;
	size_t n = 0, bytes = 0;
	int more;

	if (resolve(s, pos, &v) < 0)
		return -1;
	for (;;) {
		if (pos->offset >= v.end) {
			more = advance(s, pos, &v);
			if (more < 0)
				return -1;
			if (more == 0)
				break;
			continue;
		}
		if ((max_records > 0 && n >= max_records) || n == INT_MAX ||
		    (max_bytes > 0 && n > 0 && bytes >= max_bytes))
			break;
		if (rd_open(s, v.id) < 0)
			return -1;
		switch (spool_rd_record(s, s->rd_fd, v.id, pos->offset, v.end, &r)) {
		case SPOOL_NEXT_REC:
			break;
		case SPOOL_NEXT_BAD:
			skip_corrupt(s, pos, &v, r.why);
			continue;
		case SPOOL_NEXT_END:
			continue;
		case SPOOL_NEXT_IOERR:
			return -1;
		}
		if (max_bytes > 0 && n > 0 && bytes + r.len > max_bytes)
			break;
		if (fn(ctx, pos, r.type, r.data, r.len) != 0)
			break;
		pos->offset += SPOOL_REC_HDR + (long long)r.len;
		n++;
		bytes += r.len;
	}
	pthread_mutex_lock(&s->mu);
	s->st.records_read += (long long)n;
	pthread_mutex_unlock(&s->mu);
	return (int)n;
}

int
spool_release(struct spool *s, const struct spool_pos *upto)
{
	char name[SPOOL_SEG_NAME_MAX];
	long long id, size;

	pthread_mutex_lock(&s->mu);
	if (upto->segment > s->segs[s->nsegs - 1].id) {
		log_error("spool_release_failed", "dir=%s upto=%lld:%lld reason=beyond_tail",
			  s->dir, upto->segment, upto->offset);
		pthread_mutex_unlock(&s->mu);
		return -1;
	}
	/* One file at a time with mu dropped: unlinking a large file can take
	 * milliseconds, and only this function removes from the front. */
	while (s->nsegs > 1 && s->segs[0].id < upto->segment) {
		id = s->segs[0].id;
		pthread_mutex_unlock(&s->mu);
		spool_seg_name(name, id);
		if (unlinkat(s->dir_fd, name, 0) < 0 && errno != ENOENT) {
			log_error("spool_release_failed", "dir=%s file=%s error=\"%s\"", s->dir,
				  name, strerror(errno));
			return -1;
		}
		/* The space comes back only once no descriptor holds the file. */
		if (s->rd_seg == id)
			spool_rd_forget(s);
		pthread_mutex_lock(&s->mu);
		size = s->segs[0].size;
		memmove(s->segs, s->segs + 1, (s->nsegs - 1) * sizeof *s->segs);
		s->nsegs--;
		s->bytes -= size;
		s->st.segments_deleted++;
	}
	pthread_mutex_unlock(&s->mu);
	return 0;
}

/* spool.c — opening and closing a spool: options, the directory and its lock,
 * finding the segments, recovering the last one after a crash (a torn or
 * corrupt tail is cut off, as Kafka recovers its active segment), and the
 * counters. It refuses, rather than repairs, any file it does not recognise:
 * a foreign or newer-version segment is never modified. */
#include "spool_int.h"

#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int
check_opts(struct spool *s, const struct spool_opts *o)
{
	/* A segment never holds more than segment_bytes unless it holds a single
	 * larger record; once everything read is released only the segment being
	 * appended to remains, and the next record (with a new segment's header)
	 * must still fit, or back-pressure would never end. */
	long long biggest = SPOOL_SEG_HDR + SPOOL_REC_HDR + SPOOL_RECORD_MAX;
	long long active_max = s->segment_bytes > biggest ? s->segment_bytes : biggest;
	long long need = active_max + biggest;

	if (!o->dir || !o->dir[0]) {
		log_error("spool_open_failed", "reason=\"no directory given\"");
		return -1;
	}
	if (s->segment_bytes < SPOOL_SEGMENT_BYTES_MIN) {
		log_error("spool_open_failed", "dir=%s reason=\"segment_bytes=%lld below %lld\"",
			  o->dir, s->segment_bytes, SPOOL_SEGMENT_BYTES_MIN);
		return -1;
	}
	if (s->max_bytes < need) {
		log_error("spool_open_failed",
			  "dir=%s reason=\"max_bytes=%lld must be at least %lld for "
			  "segment_bytes=%lld\"",
			  o->dir, s->max_bytes, need, s->segment_bytes);
		return -1;
	}
	if (s->fsync != SPOOL_FSYNC_ALWAYS && s->fsync != SPOOL_FSYNC_INTERVAL &&
	    s->fsync != SPOOL_FSYNC_NEVER) {
		log_error("spool_open_failed", "dir=%s reason=\"unknown fsync policy %d\"", o->dir,
			  (int)s->fsync);
		return -1;
	}
	if (s->interval_ms < 1 || s->interval_ms > 3600000) {
		log_error("spool_open_failed",
			  "dir=%s reason=\"fsync_interval_ms=%lld not in 1..3600000\"", o->dir,
			  s->interval_ms);
		return -1;
	}
	return 0;
}

static int
open_dir_and_lock(struct spool *s)
{
	char pid[32];
	ssize_t n;

	if (mkdir(s->dir, 0700) < 0 && errno != EEXIST)
		goto fail;
	s->dir_fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dir_fd < 0)
		goto fail;
	s->lock_fd = openat(s->dir_fd, "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (s->lock_fd < 0)
		goto fail;
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK)
			goto fail;
		n = pread(s->lock_fd, pid, sizeof pid - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		log_error("spool_locked",
			  "dir=%s holder_pid=%s reason=\"another process uses this spool\"", s->dir,
			  pid[0] ? pid : "unknown");
		return -1;
	}
	/* The holder's pid, for the message above; the lock is what counts. */
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(s->lock_fd, 0) < 0 || pwrite(s->lock_fd, pid, (size_t)n, 0) != n)
		goto fail;
	return 0;
fail:
	log_error("spool_open_failed", "dir=%s error=\"%s\"", s->dir, strerror(errno));
	return -1;
}

static int
cmp_seg(const void *a, const void *b)
{
	const struct spool_seg *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static void
push_seg(struct spool *s, long long id, long long size)
{
	s->segs = xgrow(s->segs, &s->cap, s->nsegs, sizeof *s->segs, 16);
	s->segs[s->nsegs].id = id;
	s->segs[s->nsegs].size = size;
	s->nsegs++;
}

static int
list_segments(struct spool *s)
{
	int fd = dup(s->dir_fd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	long long id;

	if (!d) {
		if (fd >= 0)
			close(fd);
		log_error("spool_open_failed", "dir=%s error=\"%s\"", s->dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL)
		if (spool_seg_parse_name(e->d_name, &id) == 0)
			push_seg(s, id, 0);
	closedir(d);
	if (s->nsegs > 0)
		qsort(s->segs, s->nsegs, sizeof *s->segs, cmp_seg);
	return 0;
}

/* Cuts the last segment at off; logs what went. */
static int
cut_tail(struct spool *s, int fd, long long id, long long off, long long size, const char *why)
{
	if (ftruncate(fd, off) < 0 || (s->fsync != SPOOL_FSYNC_NEVER && fdatasync(fd) < 0)) {
		log_error("spool_open_failed", "dir=%s segment=%lld reason=\"truncate: %s\"",
			  s->dir, id, strerror(errno));
		return -1;
	}
	log_warn("spool_tail_truncated", "dir=%s segment=%lld offset=%lld cut_bytes=%lld reason=%s",
		 s->dir, id, off, size - off, why);
	s->st.truncations++;
	s->st.bytes_truncated += size - off;
	return 0;
}

/* Checks the header of segment i; for the one last appended to (last) also
 * every record, cutting off a torn tail. Sets segs[i].size. */
static int
check_segment(struct spool *s, size_t i, int last)
{
	char name[SPOOL_SEG_NAME_MAX];
	unsigned char hdr[SPOOL_SEG_HDR];
	long long id = s->segs[i].id, off = SPOOL_SEG_HDR, size;
	int fd;
	struct spool_rec r;
	enum spool_next nx;
	const char *why;
	struct stat st;

	spool_seg_name(name, id);
	fd = openat(s->dir_fd, name, (last ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		log_error("spool_open_failed", "dir=%s file=%s error=\"%s\"", s->dir, name,
			  strerror(errno));
		goto fail;
	}
	size = st.st_size;
	memset(hdr, 0, sizeof hdr);
	if (size > 0 && pread(fd, hdr, sizeof hdr, 0) < 0) {
		log_error("spool_open_failed", "dir=%s file=%s error=\"%s\"", s->dir, name,
			  strerror(errno));
		goto fail;
	}
	why = size < SPOOL_SEG_HDR ? "not_a_spool_segment" : spool_seg_hdr_check(hdr, id);
	if (spool_seg_hdr_is_torn(hdr, size, id)) {
		/* Created just before a crash (or written under fsync "never"):
		 * its first block never reached the disk, so nothing in the file
		 * can be trusted. An older one is left for the reader to skip. */
		if (last) {
			if (cut_tail(s, fd, id, 0, size, "torn_segment_header") < 0)
				goto fail;
			size = 0;
		} else {
			log_warn("spool_segment_torn_header",
				 "dir=%s file=%s size=%lld action=skip", s->dir, name, size);
		}
	} else if (why) {
		log_error("spool_open_failed", "dir=%s file=%s reason=%s action=\"move it away\"",
			  s->dir, name, why);
		goto fail;
	} else if (last) {
		while ((nx = spool_rd_record(s, fd, id, off, size, &r)) == SPOOL_NEXT_REC)
			off += SPOOL_REC_HDR + (long long)r.len;
		spool_rd_forget(s);
		if (nx == SPOOL_NEXT_IOERR)
			goto fail;
		if (nx == SPOOL_NEXT_BAD && cut_tail(s, fd, id, off, size, r.why) < 0)
			goto fail;
		size = off;
	}
	s->segs[i].size = size;
	close(fd);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Removes segment i, which holds no record, from the table and, when
 * unlink_file, from the disk. Only while opening: a position in it resolves
 * to the next segment, which is just as right. */
static int
remove_empty(struct spool *s, size_t i, int unlink_file)
{
	char name[SPOOL_SEG_NAME_MAX];

	spool_seg_name(name, s->segs[i].id);
	if (unlink_file && unlinkat(s->dir_fd, name, 0) < 0 && errno != ENOENT) {
		log_error("spool_open_failed", "dir=%s file=%s error=\"%s\"", s->dir, name,
			  strerror(errno));
		return -1;
	}
	memmove(s->segs + i, s->segs + i + 1, (s->nsegs - i - 1) * sizeof *s->segs);
	s->nsegs--;
	if (unlink_file)
		s->st.segments_deleted++;
	return 0;
}

/* No room for the segment to append to (a full disk at start): open anyway
 * when there are records to drain. The segment keeps its place at the tail
 * without a file (size SPOOL_SEG_HDR, nothing to read) and the first append
 * starts the one after it, as spool_append does when the disk fills; until
 * that can be made, appends fail and the caller holds its input, while the
 * reader drains and releases every segment holding records, so their space
 * comes back. Refusing instead left a daemon restarted on a full disk
 * unable to drain the very data that filled it. The empty files found stay
 * on disk until the next open, so that the highest id ever used survives a
 * restart and no id is given out twice. */
static int
open_full(struct spool *s, int err)
{
	size_t with_records = 0;

	for (size_t i = 0; i < s->nsegs; i++)
		with_records += s->segs[i].size > SPOOL_SEG_HDR;
	if ((err != ENOSPC && err != EDQUOT && err != EFBIG) || with_records == 0)
		return -1;
	s->wr_must_roll = 1;
	s->st.write_errors++;
	log_warn("spool_opened_full",
		 "dir=%s segments=%zu error=\"%s\" action=drain_only_until_space", s->dir,
		 with_records, strerror(err));
	return 0;
}

/* Finds and checks the segments, drops the empty ones, and starts a new
 * segment to append to. Never appending after records from before the
 * restart, nor reusing an emptied segment, keeps positions the database
 * holds meaning the same bytes: with fsync "interval" or "never", a power
 * loss can take back records the writer had already committed. */
static int
recover(struct spool *s)
{
	long long next_id = 1;
	size_t i = 0;

	if (list_segments(s) < 0)
		return -1;
	if (s->nsegs > 0)
		next_id = s->segs[s->nsegs - 1].id + 1;
	for (i = 0; i < s->nsegs; i++)
		if (check_segment(s, i, i + 1 == s->nsegs) < 0)
			return -1;
	/* Behind the last segment appended to there may be empty ones: the
	 * spare made ahead (spool_append), or one started just before a crash.
	 * The last one holding records is the one whose tail may be torn. */
	i = s->nsegs;
	while (i > 1 && s->segs[i - 1].size <= SPOOL_SEG_HDR)
		i--;
	if (i < s->nsegs && s->segs[i - 1].size > SPOOL_SEG_HDR && check_segment(s, i - 1, 1) < 0)
		return -1;
	s->wr_seg = next_id;
	s->wr_fd = spool_seg_create(s, s->wr_seg);
	if (s->wr_fd < 0 && open_full(s, errno) < 0)
		return -1;
	for (i = 0; i < s->nsegs;) {
		if (s->segs[i].size > SPOOL_SEG_HDR) {
			s->bytes += s->segs[i].size;
			i++;
		} else if (remove_empty(s, i, s->wr_fd >= 0) < 0) {
			return -1;
		}
	}
	push_seg(s, s->wr_seg, SPOOL_SEG_HDR);
	s->bytes += SPOOL_SEG_HDR;
	s->wr_size = SPOOL_SEG_HDR;
	if (s->wr_fd >= 0) {
		s->st.segments_created++;
		spool_spare_make(s);
	}
	return 0;
}

struct spool *
spool_open(const struct spool_opts *o)
{
	struct spool *s = xcalloc(1, sizeof *s);
	pthread_condattr_t ca;

	s->dir_fd = s->lock_fd = s->wr_fd = s->rd_fd = s->spare_fd = -1;
	s->rd_seg = -1;
	s->segment_bytes = o->segment_bytes ? o->segment_bytes : SPOOL_SEGMENT_BYTES_DEFAULT;
	s->max_bytes = o->max_bytes ? o->max_bytes : SPOOL_MAX_BYTES_DEFAULT;
	s->fsync = o->fsync;
	s->interval_ms =
		o->fsync_interval_ms ? o->fsync_interval_ms : SPOOL_FSYNC_INTERVAL_MS_DEFAULT;
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (check_opts(s, o) < 0)
		goto fail;
	s->dir = xstrdup(o->dir);
	s->rd_buf = xmalloc(SPOOL_RD_BUF);
	if (open_dir_and_lock(s) < 0 || recover(s) < 0)
		goto fail;
	if (s->fsync == SPOOL_FSYNC_INTERVAL && spool_syncer_start(s) < 0)
		goto fail;
	log_info("spool_opened",
		 "dir=%s segments=%zu bytes=%lld tail=%lld:%lld oldest=%lld fsync=%s "
		 "truncated_bytes=%lld",
		 s->dir, s->nsegs, s->bytes, s->wr_seg, s->wr_size, s->segs[0].id,
		 s->fsync == SPOOL_FSYNC_ALWAYS     ? "always"
		 : s->fsync == SPOOL_FSYNC_INTERVAL ? "interval"
						    : "never",
		 s->st.bytes_truncated);
	return s;
fail:
	spool_close(s);
	return NULL;
}

void
spool_close(struct spool *s)
{
	if (!s)
		return;
	spool_syncer_stop(s);
	if (s->wr_fd >= 0) {
		if (fdatasync(s->wr_fd) < 0)
			log_error("spool_sync_failed", "dir=%s error=\"%s\"", s->dir,
				  strerror(errno));
		close(s->wr_fd);
	}
	if (s->spare_fd >= 0)
		close(s->spare_fd); /* left empty: the next open removes it */
	spool_rd_forget(s);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	if (s->dir_fd >= 0)
		close(s->dir_fd);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s->segs);
	free(s->rd_buf);
	free(s->dir);
	free(s);
}

void
spool_seek_start(struct spool *s, struct spool_pos *pos)
{
	pthread_mutex_lock(&s->mu);
	pos->segment = s->segs[0].id;
	pos->offset = SPOOL_SEG_HDR;
	pthread_mutex_unlock(&s->mu);
}

void
spool_tail(struct spool *s, struct spool_pos *pos)
{
	pthread_mutex_lock(&s->mu);
	pos->segment = s->segs[s->nsegs - 1].id;
	pos->offset = s->segs[s->nsegs - 1].size;
	pthread_mutex_unlock(&s->mu);
}

/* The mutex is not part of the value a const spool promises to keep. */
long long
spool_bytes(const struct spool *s)
{
	pthread_mutex_t *mu = (pthread_mutex_t *)&s->mu;
	long long n;

	pthread_mutex_lock(mu);
	n = s->bytes;
	pthread_mutex_unlock(mu);
	return n;
}

void
spool_stats(const struct spool *s, struct spool_stats *out)
{
	pthread_mutex_t *mu = (pthread_mutex_t *)&s->mu;

	pthread_mutex_lock(mu);
	*out = s->st;
	pthread_mutex_unlock(mu);
}

/* spool_append.c — the write side of the spool: appending a record with one
 * write, starting new segments, and forcing data to disk (per append, or from
 * a small thread every fsync_interval_ms). A failed append leaves no partial
 * record behind; the append path never allocates and holds the mutex only to
 * publish the new tail. */
#include "spool_int.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static struct log_limit write_limit = LOG_LIMIT(10000);
static struct log_limit sync_limit = LOG_LIMIT(10000);
static struct log_limit inval_limit = LOG_LIMIT(10000);
static struct log_limit create_limit = LOG_LIMIT(10000);

int
spool_seg_create(struct spool *s, long long id)
{
	char name[SPOOL_SEG_NAME_MAX];
	unsigned char hdr[SPOOL_SEG_HDR];
	int fd, err;

	spool_seg_name(name, id);
	fd = openat(s->dir_fd, name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = errno;
		log_limited(&create_limit, LOG_ERROR, "spool_segment_create_failed",
			    "dir=%s file=%s error=\"%s\"", s->dir, name, strerror(err));
		errno = err;
		return -1;
	}
	spool_seg_hdr_encode(hdr, id);
	errno = 0;
	if (pwrite(fd, hdr, sizeof hdr, 0) != (ssize_t)sizeof hdr)
		goto fail;
	/* The directory entry must reach the disk too, or the file may vanish. */
	if (s->fsync != SPOOL_FSYNC_NEVER && (fdatasync(fd) < 0 || fsync(s->dir_fd) < 0))
		goto fail;
	return fd;
fail:
	err = errno ? errno : ENOSPC; /* a short write of 16 bytes: out of space */
	log_limited(&create_limit, LOG_ERROR, "spool_segment_create_failed",
		    "dir=%s file=%s error=\"%s\"", s->dir, name, strerror(err));
	close(fd);
	unlinkat(s->dir_fd, name, 0);
	errno = err; /* for the caller: a full disk is not like other failures */
	return -1;
}

/* The next segment is made ahead so that a full disk can always be answered
 * by sealing the segment being written: the writer then moves it into
 * PostgreSQL, releases it and the space comes back. Made only when needed
 * instead, it could not be made on that full disk, and the one segment
 * holding everything could never be released. Its 16 bytes count once it
 * is appended to. */
void
spool_spare_make(struct spool *s)
{
	if (s->spare_fd < 0)
		s->spare_fd = spool_seg_create(s, s->wr_seg + 1);
}

/* Seals the current segment and appends to the spare, numbered after it. */
static int
roll(struct spool *s)
{
	int fd, old;

	/* Under "interval" the sync thread may not have caught up with the
	 * segment being sealed, and it only ever syncs the current one. There
	 * is none after opening on a full disk. */
	if (s->wr_fd >= 0 && s->fsync != SPOOL_FSYNC_NEVER && fdatasync(s->wr_fd) < 0) {
		log_error("spool_sync_failed", "dir=%s segment=%lld error=\"%s\"", s->dir,
			  s->wr_seg, strerror(errno));
		pthread_mutex_lock(&s->mu);
		s->st.sync_errors++;
		pthread_mutex_unlock(&s->mu);
		return -1;
	}
	spool_spare_make(s);
	if (s->spare_fd < 0)
		return -1;
	fd = s->spare_fd;
	s->spare_fd = -1;
	pthread_mutex_lock(&s->mu);
	s->segs = xgrow(s->segs, &s->cap, s->nsegs, sizeof *s->segs, 16);
	s->segs[s->nsegs].id = s->wr_seg + 1;
	s->segs[s->nsegs].size = SPOOL_SEG_HDR;
	s->nsegs++;
	s->bytes += SPOOL_SEG_HDR;
	s->st.segments_created++;
	old = s->wr_fd;
	s->wr_fd = fd;
	pthread_mutex_unlock(&s->mu);
	if (old >= 0)
		close(old);
	s->wr_seg++;
	s->wr_size = SPOOL_SEG_HDR;
	s->wr_must_roll = 0;
	return 0; /* the next spare: spool_append makes it before writing */
}

/* Writes all of rec bytes at off, continuing after short writes. */
static int
write_all(int fd, struct iovec *iov, int iovcnt, long long off, size_t rec)
{
	size_t done = 0;

	while (done < rec) {
		ssize_t n = pwritev(fd, iov, iovcnt, off + (long long)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		done += (size_t)n;
		while (iovcnt > 0 && (size_t)n >= iov->iov_len) {
			n -= (ssize_t)iov->iov_len;
			iov++;
			iovcnt--;
		}
		if (iovcnt > 0) {
			iov->iov_base = (char *)iov->iov_base + n;
			iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

enum spool_rc
spool_append(struct spool *s, int type, const void *data, size_t len)
{
	unsigned char hdr[SPOOL_REC_HDR];
	struct iovec iov[2];
	long long rec, need;
	int must_roll, full, err;

	if (type < 1 || type > 255 || len > SPOOL_RECORD_MAX || (len > 0 && !data)) {
		log_limited(&inval_limit, LOG_ERROR, "spool_record_invalid", "type=%d len=%zu",
			    type, len);
		return SPOOL_INVAL;
	}
	rec = SPOOL_REC_HDR + (long long)len;
	/* A segment holds at least one record, however big. */
	must_roll = s->wr_must_roll ||
		    (s->wr_size > SPOOL_SEG_HDR && s->wr_size + rec > s->segment_bytes);
	need = rec + (must_roll ? SPOOL_SEG_HDR : 0);
	pthread_mutex_lock(&s->mu);
	full = s->bytes + need > s->max_bytes;
	if (full)
		s->st.full++;
	pthread_mutex_unlock(&s->mu);
	if (full)
		return SPOOL_FULL;
	if (must_roll && roll(s) < 0)
		goto fail;
	spool_spare_make(s); /* when the disk was full at the last roll */

	spool_rec_hdr_encode(hdr, type, data, len);
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof hdr;
	iov[1].iov_base = (void *)data;
	iov[1].iov_len = len;
	/* One pwritev: a crash of the process cannot leave half a record unless
	 * killed in the middle of a large one; power loss can. spool_open cuts
	 * such a tail off. */
	if (write_all(s->wr_fd, iov, len > 0 ? 2 : 1, s->wr_size, (size_t)rec) < 0 ||
	    (s->fsync == SPOOL_FSYNC_ALWAYS && fdatasync(s->wr_fd) < 0)) {
		err = errno;
		log_limited(&write_limit, LOG_ERROR, "spool_write_failed",
			    "dir=%s segment=%lld offset=%lld bytes=%lld error=\"%s\"", s->dir,
			    s->wr_seg, s->wr_size, rec, strerror(err));
		/* Readers never look past the published tail, so cutting the file
		 * back there removes every trace of the record. */
		if (ftruncate(s->wr_fd, s->wr_size) < 0) {
			log_error("spool_truncate_failed",
				  "dir=%s segment=%lld offset=%lld error=\"%s\" action=new_segment",
				  s->dir, s->wr_seg, s->wr_size, strerror(errno));
			s->wr_must_roll = 1;
		}
		/* Out of space: this segment cannot grow, so the next append
		 * starts the spare, and this one can be released once written. */
		if ((err == ENOSPC || err == EDQUOT || err == EFBIG) && s->wr_size > SPOOL_SEG_HDR)
			s->wr_must_roll = 1;
		goto fail;
	}
	s->wr_size += rec;

	pthread_mutex_lock(&s->mu);
	s->segs[s->nsegs - 1].size = s->wr_size;
	s->bytes += rec;
	s->st.appends++;
	s->st.bytes_appended += rec;
	if (s->fsync == SPOOL_FSYNC_ALWAYS)
		s->st.fsyncs++;
	pthread_mutex_unlock(&s->mu);
	return SPOOL_OK;
fail:
	pthread_mutex_lock(&s->mu);
	s->st.write_errors++;
	pthread_mutex_unlock(&s->mu);
	return SPOOL_ERR;
}

/* Called and returns with s->mu held; drops it around fdatasync so that the
 * appender is never kept waiting by the disk. The descriptor is duplicated
 * because the appender may close it meanwhile when it starts a segment. */
static int
sync_locked(struct spool *s)
{
	long long mark = s->st.bytes_appended;
	int fd, rc, err;

	if (mark == s->synced_mark)
		return 0;
	fd = dup(s->wr_fd);
	if (fd < 0) {
		err = errno;
		rc = -1;
	} else {
		pthread_mutex_unlock(&s->mu);
		rc = fdatasync(fd);
		err = errno;
		close(fd);
		pthread_mutex_lock(&s->mu);
	}
	if (rc < 0) {
		s->st.sync_errors++;
		log_limited(&sync_limit, LOG_ERROR, "spool_sync_failed", "dir=%s error=\"%s\"",
			    s->dir, strerror(err));
		return -1;
	}
	s->st.fsyncs++;
	if (mark > s->synced_mark)
		s->synced_mark = mark;
	return 0;
}

int
spool_sync(struct spool *s)
{
	int rc;

	pthread_mutex_lock(&s->mu);
	rc = sync_locked(s);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

/* A thread of its own rather than a call the daemon must remember to make:
 * the appender is Paho's callback thread, which must not stall on the disk,
 * and "interval" then means what the configuration says whatever the rest of
 * the daemon is doing. */
static void *
syncer_main(void *arg)
{
	struct spool *s = arg;
	struct timespec at;

	pthread_mutex_lock(&s->mu);
	while (!s->stopping) {
		clock_gettime(CLOCK_MONOTONIC, &at);
		at.tv_sec += s->interval_ms / 1000;
		at.tv_nsec += (s->interval_ms % 1000) * 1000000L;
		if (at.tv_nsec >= 1000000000L) {
			at.tv_sec++;
			at.tv_nsec -= 1000000000L;
		}
		while (!s->stopping && pthread_cond_timedwait(&s->cv, &s->mu, &at) != ETIMEDOUT)
			;
		if (!s->stopping)
			sync_locked(s);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

int
spool_syncer_start(struct spool *s)
{
	int rc = pthread_create(&s->syncer, NULL, syncer_main, s);

	if (rc != 0) {
		log_error("spool_open_failed", "dir=%s reason=\"sync thread: %s\"", s->dir,
			  strerror(rc));
		return -1;
	}
	s->has_syncer = 1;
	return 0;
}

void
spool_syncer_stop(struct spool *s)
{
	if (!s->has_syncer)
		return;
	pthread_mutex_lock(&s->mu);
	s->stopping = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->syncer, NULL);
	s->has_syncer = 0;
}

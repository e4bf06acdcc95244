/* spool_fixture.h — what the spool unit tests share: a directory of their
 * own under /tmp per test (mkdtemp, removed afterwards), records whose content
 * follows from their sequence number, and a visitor that checks them. */
#ifndef TEST_SPOOL_FIXTURE_H
#define TEST_SPOOL_FIXTURE_H

#include "spool_int.h"

#include <dirent.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cmocka.h>

/* The smallest max_bytes spool_open accepts for segments of up to 1 MiB. */
#define FX_MIN_MAX_BYTES (2LL * (SPOOL_SEG_HDR + SPOOL_REC_HDR + SPOOL_RECORD_MAX))
#define FX_RECORD_MAX 308

static inline char *
fx_dir(void)
{
	static char dir[64];

	return dir;
}

static inline int
fx_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline int
fx_setup(void **state)
{
	(void)state;
	strcpy(fx_dir(), "/tmp/test_spool.XXXXXX");
	return mkdtemp(fx_dir()) ? 0 : -1;
}

static inline int
fx_teardown(void **state)
{
	(void)state;
	return nftw(fx_dir(), fx_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static inline struct spool *
fx_open(long long segment_bytes, long long max_bytes, enum spool_fsync fsync)
{
	struct spool_opts o = {.dir = fx_dir(),
			       .segment_bytes = segment_bytes,
			       .max_bytes = max_bytes,
			       .fsync = fsync};

	return spool_open(&o);
}

/* Record seq: 8 + seq*7919 % 300 bytes, starting with seq, then a pattern;
 * its type is 1 + seq % 255. */
static inline size_t
fx_make_record(unsigned char buf[FX_RECORD_MAX], uint64_t seq)
{
	size_t len = 8 + (size_t)(seq * 7919 % 300);

	memcpy(buf, &seq, 8);
	for (size_t i = 8; i < len; i++)
		buf[i] = (unsigned char)(seq * 31 + i);
	return len;
}

static inline int
fx_type(uint64_t seq)
{
	return 1 + (int)(seq % 255);
}

static inline void
fx_append_n(struct spool *s, uint64_t from, uint64_t n)
{
	unsigned char buf[FX_RECORD_MAX];

	for (uint64_t seq = from; seq < from + n; seq++) {
		size_t len = fx_make_record(buf, seq);

		assert_int_equal(spool_append(s, fx_type(seq), buf, len), SPOOL_OK);
	}
}

/* Expects the records fx_make_record makes, in order from next. */
struct fx_expect {
	uint64_t next;
	uint64_t bad;     /* records that did not match; 0 expected */
	uint64_t stop_at; /* refuse this record (UINT64_MAX: none) */
	size_t bytes;     /* payload bytes consumed */
};

static inline int
fx_visit_expect(void *ctx, const struct spool_pos *at, int type, const void *data, size_t len)
{
	struct fx_expect *e = ctx;
	unsigned char want[FX_RECORD_MAX];
	size_t wlen = fx_make_record(want, e->next);

	(void)at;
	if (e->next == e->stop_at)
		return 1;
	if (len != wlen || memcmp(data, want, len) != 0 || type != fx_type(e->next))
		e->bad++;
	e->next++;
	e->bytes += len;
	return 0;
}

/* Reads until caught up, batch records per call (0: no limit). */
static inline uint64_t
fx_read_all(struct spool *s, struct spool_pos *pos, struct fx_expect *e, size_t batch)
{
	uint64_t before = e->next;
	int n;

	while ((n = spool_read(s, pos, batch, 0, fx_visit_expect, e)) > 0)
		;
	assert_int_equal(n, 0);
	return e->next - before;
}

static inline int
fx_count_segment_files(void)
{
	DIR *d = opendir(fx_dir());
	struct dirent *ent;
	long long id;
	int n = 0;

	assert_non_null(d);
	while ((ent = readdir(d)) != NULL)
		n += spool_seg_parse_name(ent->d_name, &id) == 0;
	closedir(d);
	return n;
}

/* A full disk as RLIMIT_FSIZE makes one: no file grows past bytes (writes
 * fail with EFBIG, which the spool treats like ENOSPC) until fx_disk_room
 * puts back *old. */
static inline void
fx_disk_full_at(long long bytes, struct rlimit *old)
{
	struct rlimit lim;

	assert_int_equal(getrlimit(RLIMIT_FSIZE, old), 0);
	signal(SIGXFSZ, SIG_IGN);
	lim = *old;
	lim.rlim_cur = (rlim_t)bytes;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
}

static inline void
fx_disk_room(const struct rlimit *old)
{
	assert_int_equal(setrlimit(RLIMIT_FSIZE, old), 0);
	signal(SIGXFSZ, SIG_DFL);
}

#endif

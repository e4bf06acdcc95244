/* test_spool.c — ingestd's spool through its API: CRC-32C vectors, options,
 * round trips across segment rolls, read limits, release, back-pressure,
 * positions, reopening, fsync policies, and one appender thread racing one
 * reader. Crash recovery is in test_spool_recover.c. Each test works in its
 * own directory made with mkdtemp under /tmp and removed afterwards. */
#include "../../services/ingestd/spool_int.h"

#include "log.h"

#include <dirent.h>
#include <ftw.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

/* The smallest max_bytes spool_open accepts for segments of this size or less. */
#define MIN_MAX_BYTES (2LL * (SPOOL_SEG_HDR + SPOOL_REC_HDR + SPOOL_RECORD_MAX))

static char dir[64];

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_spool.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static struct spool *
open_spool(long long segment_bytes, long long max_bytes, enum spool_fsync fsync)
{
	struct spool_opts o = { .dir = dir, .segment_bytes = segment_bytes,
				.max_bytes = max_bytes, .fsync = fsync };

	return spool_open(&o);
}

/* Record seq: 8 + seq*7919 % 300 bytes, starting with seq, then a pattern. */
static size_t
make_record(unsigned char *buf, uint64_t seq)
{
	size_t len = 8 + (size_t)(seq * 7919 % 300);

	memcpy(buf, &seq, 8);
	for (size_t i = 8; i < len; i++)
		buf[i] = (unsigned char)(seq * 31 + i);
	return len;
}

static void
append_n(struct spool *s, uint64_t from, uint64_t n)
{
	unsigned char buf[512];

	for (uint64_t seq = from; seq < from + n; seq++) {
		size_t len = make_record(buf, seq);

		assert_int_equal(spool_append(s, 1 + (int)(seq % 255), buf, len), SPOOL_OK);
	}
}

/* Checks that records arrive as make_record wrote them, in order. */
struct expect {
	uint64_t next;
	uint64_t bad; /* records that did not match; 0 expected */
	uint64_t stop_at; /* refuse this record (UINT64_MAX: none) */
	size_t bytes;
};

static int
visit_expect(void *ctx, const struct spool_pos *at, int type, const void *data, size_t len)
{
	struct expect *e = ctx;
	unsigned char want[512];
	size_t wlen = make_record(want, e->next);

	(void)at;
	if (e->next == e->stop_at)
		return 1;
	if (len != wlen || memcmp(data, want, len) != 0 || type != 1 + (int)(e->next % 255))
		e->bad++;
	e->next++;
	e->bytes += len;
	return 0;
}

static uint64_t
read_all(struct spool *s, struct spool_pos *pos, struct expect *e, size_t batch)
{
	uint64_t before = e->next;
	int n;

	while ((n = spool_read(s, pos, batch, 0, visit_expect, e)) > 0)
		;
	assert_int_equal(n, 0);
	return e->next - before;
}

static int
count_segment_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	long long id;
	int n = 0;

	assert_non_null(d);
	while ((ent = readdir(d)) != NULL)
		n += spool_seg_parse_name(ent->d_name, &id) == 0;
	closedir(d);
	return n;
}

static void
crc32c_known_vectors(void **state)
{
	static const struct {
		const char *name;
		int fill; /* -1: text; -2: 0..31; -3: 31..0; else 32 bytes of fill */
		const char *text;
		uint32_t crc;
	} cases[] = {
		{ "empty", -1, "", 0x00000000u },
		{ "check", -1, "123456789", 0xE3069283u },
		{ "a", -1, "a", 0xC1D04330u },
		{ "fox", -1, "The quick brown fox jumps over the lazy dog", 0x22620404u },
		/* RFC 3720 appendix B.4 */
		{ "32 zeros", 0x00, NULL, 0x8A9136AAu },
		{ "32 ones", 0xFF, NULL, 0x62A8AB43u },
		{ "incrementing", -2, NULL, 0x46DD794Eu },
		{ "decrementing", -3, NULL, 0x113FDB5Cu },
	};
	unsigned char buf[64 + 8];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len = 32;

		if (cases[i].fill == -1) {
			len = strlen(cases[i].text);
			memcpy(buf, cases[i].text, len);
		} else {
			for (int k = 0; k < 32; k++)
				buf[k] = (unsigned char)(cases[i].fill == -2   ? k
							 : cases[i].fill == -3 ? 31 - k
									       : cases[i].fill);
		}
		print_message("crc32c %s\n", cases[i].name);
		assert_int_equal(spool_crc32c(0, buf, len), cases[i].crc);
		/* Any split, and any alignment, gives the same CRC. */
		for (size_t cut = 0; cut <= len; cut++)
			assert_int_equal(spool_crc32c(spool_crc32c(0, buf, cut), buf + cut, len - cut),
					 cases[i].crc);
		for (size_t shift = 1; shift < 8; shift++) {
			unsigned char moved[64 + 8];

			memcpy(moved + shift, buf, len);
			assert_int_equal(spool_crc32c(0, moved + shift, len), cases[i].crc);
		}
	}
}

static void
segment_names(void **state)
{
	static const struct {
		const char *name;
		long long id; /* -1: rejected */
	} cases[] = {
		{ "seg-0000000000000001.spool", 1 },
		{ "seg-00000000000000ff.spool", 255 },
		{ "seg-7fffffffffffffff.spool", 0x7fffffffffffffffLL },
		{ "seg-8000000000000000.spool", -1 },
		{ "seg-00000000000000FF.spool", -1 },
		{ "seg-1.spool", -1 },
		{ "seg-0000000000000001.spool~", -1 },
		{ "seg-000000000000000g.spool", -1 },
		{ "lock", -1 },
		{ "", -1 },
	};
	char name[SPOOL_SEG_NAME_MAX];
	long long id;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = spool_seg_parse_name(cases[i].name, &id);

		print_message("name \"%s\"\n", cases[i].name);
		assert_int_equal(rc, cases[i].id < 0 ? -1 : 0);
		if (cases[i].id >= 0) {
			assert_true(id == cases[i].id);
			spool_seg_name(name, id);
			assert_string_equal(name, cases[i].name);
		}
	}
}

static void
open_rejects_bad_options(void **state)
{
	char missing[128];
	const struct {
		const char *why;
		const char *dir;
		long long segment_bytes, max_bytes, interval_ms;
		int fsync;
	} cases[] = {
		{ "no dir", NULL, 0, 0, 0, SPOOL_FSYNC_NEVER },
		{ "empty dir", "", 0, 0, 0, SPOOL_FSYNC_NEVER },
		{ "tiny segment", dir, 1000, 0, 0, SPOOL_FSYNC_NEVER },
		{ "max below segment plus record", dir, 64LL << 20, 64LL << 20, 0, SPOOL_FSYNC_NEVER },
		{ "max below two records", dir, 4096, 1LL << 20, 0, SPOOL_FSYNC_NEVER },
		{ "unknown fsync", dir, 0, 0, 0, 7 },
		{ "negative interval", dir, 0, 0, -5, SPOOL_FSYNC_INTERVAL },
		{ "parent missing", missing, 0, 0, 0, SPOOL_FSYNC_NEVER },
	};

	(void)state;
	snprintf(missing, sizeof missing, "%s/no/such", dir);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct spool_opts o = { .dir = cases[i].dir,
					.segment_bytes = cases[i].segment_bytes,
					.max_bytes = cases[i].max_bytes,
					.fsync = (enum spool_fsync)cases[i].fsync,
					.fsync_interval_ms = cases[i].interval_ms };

		print_message("option case: %s\n", cases[i].why);
		assert_null(spool_open(&o));
	}
	assert_int_equal(count_segment_files(), 0);
}

static void
round_trip_across_segments(void **state)
{
	struct spool *s = open_spool(4096, 0, SPOOL_FSYNC_NEVER);
	struct expect e = { .stop_at = UINT64_MAX };
	struct spool_pos pos = { 0, 0 }, tail;
	struct spool_stats st;

	(void)state;
	assert_non_null(s);
	append_n(s, 0, 2000);
	spool_stats(s, &st);
	assert_int_equal(st.appends, 2000);
	assert_true(st.segments_created > 50);
	assert_int_equal(count_segment_files(), st.segments_created);
	assert_int_equal(spool_bytes(s), st.bytes_appended + SPOOL_SEG_HDR * st.segments_created);

	assert_int_equal(read_all(s, &pos, &e, 37), 2000);
	assert_int_equal(e.bad, 0);
	spool_tail(s, &tail);
	assert_true(pos.segment == tail.segment && pos.offset == tail.offset);
	spool_stats(s, &st);
	assert_int_equal(st.records_read, 2000);
	assert_int_equal(st.corrupt_skips, 0);
	spool_close(s);
}

struct grab {
	int type;
	size_t len;
	uint32_t crc;
};

static int
visit_grab(void *ctx, const struct spool_pos *at, int type, const void *data, size_t len)
{
	struct grab *g = ctx;

	(void)at;
	g->type = type;
	g->len = len;
	g->crc = spool_crc32c(0, data, len);
	return 0;
}

/* A record bigger than segment_bytes goes into a segment of its own. */
static void
largest_record_in_small_segments(void **state)
{
	struct spool *s = open_spool(4096, MIN_MAX_BYTES, SPOOL_FSYNC_NEVER);
	unsigned char *big = malloc(SPOOL_RECORD_MAX);
	struct expect e = { .stop_at = UINT64_MAX };
	struct spool_pos pos = { 0, 0 };
	struct spool_stats st;
	struct grab g = { 0 };

	(void)state;
	assert_non_null(s);
	assert_non_null(big);
	for (size_t i = 0; i < SPOOL_RECORD_MAX; i++)
		big[i] = (unsigned char)(i * 13 + i / 251);
	append_n(s, 0, 1);
	assert_int_equal(spool_append(s, 9, big, SPOOL_RECORD_MAX), SPOOL_OK);
	append_n(s, 1, 1);
	spool_stats(s, &st);
	assert_int_equal(st.segments_created, 3);
	assert_int_equal(spool_read(s, &pos, 1, 0, visit_expect, &e), 1);
	assert_int_equal(spool_read(s, &pos, 1, 0, visit_grab, &g), 1);
	assert_int_equal(g.type, 9);
	assert_int_equal(g.len, SPOOL_RECORD_MAX);
	assert_int_equal(g.crc, spool_crc32c(0, big, SPOOL_RECORD_MAX));
	assert_int_equal(spool_read(s, &pos, 0, 0, visit_expect, &e), 1);
	assert_int_equal(e.bad, 0);
	free(big);
	spool_close(s);
}

static void
append_rejects_invalid(void **state)
{
	struct spool *s = open_spool(0, 0, SPOOL_FSYNC_NEVER);
	static const unsigned char one[1] = { 7 };
	const struct {
		int type;
		const void *data;
		size_t len;
		enum spool_rc rc;
	} cases[] = {
		{ 0, one, 1, SPOOL_INVAL },	  { 256, one, 1, SPOOL_INVAL },
		{ -1, one, 1, SPOOL_INVAL },	  { 1, NULL, 1, SPOOL_INVAL },
		{ 1, one, SPOOL_RECORD_MAX + 1, SPOOL_INVAL },
		{ 255, one, 1, SPOOL_OK },	  { 1, NULL, 0, SPOOL_OK },
	};
	struct spool_pos pos = { 0, 0 };
	struct grab g;
	struct spool_stats st;

	(void)state;
	assert_non_null(s);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(spool_append(s, cases[i].type, cases[i].data, cases[i].len),
				 cases[i].rc);
	spool_stats(s, &st);
	assert_int_equal(st.appends, 2);
	assert_int_equal(spool_read(s, &pos, 1, 0, visit_grab, &g), 1);
	assert_true(g.type == 255 && g.len == 1 && g.crc == spool_crc32c(0, one, 1));
	assert_int_equal(spool_read(s, &pos, 1, 0, visit_grab, &g), 1);
	assert_true(g.type == 1 && g.len == 0);
	assert_int_equal(spool_read(s, &pos, 1, 0, visit_grab, &g), 0);
	spool_close(s);
}

static void
read_limits_and_visitor_stop(void **state)
{
	struct spool *s = open_spool(4096, 0, SPOOL_FSYNC_NEVER);
	struct expect e = { .stop_at = UINT64_MAX };
	struct spool_pos pos = { 0, 0 }, at;

	(void)state;
	assert_non_null(s);
	append_n(s, 0, 100);
	assert_int_equal(spool_read(s, &pos, 10, 0, visit_expect, &e), 10);
	assert_int_equal(e.next, 10);
	/* max_bytes counts payload; one record always goes through. */
	e.bytes = 0;
	assert_int_equal(spool_read(s, &pos, 0, 1, visit_expect, &e), 1);
	e.bytes = 0;
	assert_true(spool_read(s, &pos, 0, 600, visit_expect, &e) >= 1);
	assert_true(e.bytes <= 600);
	/* A refused record is not consumed: the position stays on it. */
	e.stop_at = e.next + 5;
	assert_int_equal(spool_read(s, &pos, 0, 0, visit_expect, &e), 5);
	at = pos;
	assert_int_equal(spool_read(s, &pos, 0, 0, visit_expect, &e), 0);
	assert_true(at.segment == pos.segment && at.offset == pos.offset);
	e.stop_at = UINT64_MAX;
	read_all(s, &pos, &e, 0);
	assert_int_equal(e.next, 100);
	assert_int_equal(e.bad, 0);
	spool_close(s);
}

static void
release_deletes_consumed_segments(void **state)
{
	struct spool *s = open_spool(4096, 0, SPOOL_FSYNC_NEVER);
	struct expect e = { .stop_at = UINT64_MAX };
	struct spool_pos pos = { 0, 0 }, start, tail;
	long long before;
	int files;

	(void)state;
	assert_non_null(s);
	append_n(s, 0, 500);
	files = count_segment_files();
	assert_true(files > 10);
	spool_seek_start(s, &start);
	/* Read into the sixth segment: the five before it go, nothing else. */
	while (pos.segment < start.segment + 5)
		assert_int_equal(spool_read(s, &pos, 1, 0, visit_expect, &e), 1);
	before = spool_bytes(s);
	assert_int_equal(spool_release(s, &pos), 0);
	assert_int_equal(count_segment_files(), files - 5);
	assert_true(spool_bytes(s) < before && spool_bytes(s) > 0);
	spool_seek_start(s, &start);
	assert_true(start.segment == pos.segment);
	/* Releasing again changes nothing. */
	assert_int_equal(spool_release(s, &pos), 0);
	assert_int_equal(count_segment_files(), files - 5);

	/* Everything read: only the segment being appended to remains. */
	read_all(s, &pos, &e, 0);
	assert_int_equal(e.next, 500);
	assert_int_equal(spool_release(s, &pos), 0);
	assert_int_equal(count_segment_files(), 1);
	spool_tail(s, &tail);
	assert_int_equal(spool_bytes(s), tail.offset);
	tail.segment++;
	assert_int_equal(spool_release(s, &tail), -1);
	append_n(s, 500, 10);
	read_all(s, &pos, &e, 0);
	assert_int_equal(e.next, 510);
	assert_int_equal(e.bad, 0);
	spool_close(s);
}

static void
full_until_released(void **state)
{
	struct spool *s = open_spool(4096, MIN_MAX_BYTES, SPOOL_FSYNC_NEVER);
	struct expect e = { .stop_at = UINT64_MAX };
	struct spool_pos pos = { 0, 0 };
	struct spool_stats st;
	unsigned char buf[512];
	uint64_t seq = 0;
	enum spool_rc rc;

	(void)state;
	assert_non_null(s);
	while ((rc = spool_append(s, 1 + (int)(seq % 255), buf, make_record(buf, seq))) == SPOOL_OK)
		seq++;
	assert_int_equal(rc, SPOOL_FULL);
	assert_true(seq > 1000);
	assert_true(spool_bytes(s) <= MIN_MAX_BYTES);
	assert_int_equal(spool_append(s, 1, buf, 8), SPOOL_FULL);
	spool_stats(s, &st);
	assert_int_equal(st.full, 2);
	assert_int_equal(st.appends, seq);

	/* The writer drains and releases: appends go through again. */
	read_all(s, &pos, &e, 1000);
	assert_int_equal(e.next, seq);
	assert_int_equal(spool_release(s, &pos), 0);
	append_n(s, seq, 1000);
	read_all(s, &pos, &e, 0);
	assert_int_equal(e.next, seq + 1000);
	assert_int_equal(e.bad, 0);
	spool_close(s);
}

static void
positions_resolve_or_fail(void **state)
{
	struct spool *s = open_spool(4096, 0, SPOOL_FSYNC_NEVER);
	struct expect e = { .stop_at = UINT64_MAX };
	struct spool_pos pos = { 0, 0 }, start, tail, p;

	(void)state;
	assert_non_null(s);
	append_n(s, 0, 300);
	spool_seek_start(s, &start);
	assert_true(start.segment == 1 && start.offset == SPOOL_SEG_HDR);
	while (pos.segment < 4)
		assert_int_equal(spool_read(s, &pos, 1, 0, visit_expect, &e), 1);
	assert_int_equal(spool_release(s, &pos), 0);

	/* In a released segment, or {0, 0}: the oldest record. */
	p = start;
	e.next = 0;
	assert_int_equal(spool_read(s, &p, 1, 0, visit_expect, &e), 1);
	assert_true(p.segment == 4);
	p.segment = 0;
	p.offset = 0;
	e.next = 0;
	assert_int_equal(spool_read(s, &p, 1, 0, visit_expect, &e), 1);
	assert_true(p.segment == 4);

	/* Past the tail, or inside a segment header: refused, *pos untouched. */
	spool_tail(s, &tail);
	struct spool_pos bad[] = {
		{ tail.segment + 1, SPOOL_SEG_HDR },
		{ tail.segment, tail.offset + 1 },
		{ 5, 5 },
		{ 5, -1 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		p = bad[i];
		assert_int_equal(spool_read(s, &p, 1, 0, visit_expect, &e), -1);
		assert_true(p.segment == bad[i].segment && p.offset == bad[i].offset);
	}
	/* Past the end of a sealed segment: on with the next one. */
	p.segment = 5;
	p.offset = 1LL << 40;
	e.next = 0;
	assert_int_equal(spool_read(s, &p, 1, 0, visit_grab, &(struct grab){ 0 }), 1);
	assert_true(p.segment == 6);
	spool_close(s);
}

static void
reopen_resumes(void **state)
{
	struct spool *s = open_spool(4096, 0, SPOOL_FSYNC_INTERVAL);
	struct expect e = { .stop_at = UINT64_MAX };
	struct spool_pos pos = { 0, 0 }, tail1, tail2;
	struct spool_stats st;

	(void)state;
	assert_non_null(s);
	append_n(s, 0, 200);
	assert_int_equal(spool_read(s, &pos, 50, 0, visit_expect, &e), 50);
	spool_tail(s, &tail1);
	spool_close(s);

	s = open_spool(4096, 0, SPOOL_FSYNC_INTERVAL);
	assert_non_null(s);
	spool_stats(s, &st);
	assert_int_equal(st.truncations, 0);
	/* Appends go to a new segment: old offsets keep meaning the same bytes. */
	spool_tail(s, &tail2);
	assert_true(tail2.segment == tail1.segment + 1 && tail2.offset == SPOOL_SEG_HDR);
	append_n(s, 200, 100);
	assert_int_equal(read_all(s, &pos, &e, 64), 250);
	assert_int_equal(e.bad, 0);
	spool_close(s);

	/* Nothing appended since the last open: its empty segment is reused. */
	s = open_spool(4096, 0, SPOOL_FSYNC_INTERVAL);
	assert_non_null(s);
	spool_close(s);
	s = open_spool(4096, 0, SPOOL_FSYNC_INTERVAL);
	assert_non_null(s);
	spool_tail(s, &tail1);
	spool_close(s);
	s = open_spool(4096, 0, SPOOL_FSYNC_INTERVAL);
	assert_non_null(s);
	spool_tail(s, &tail2);
	assert_true(tail2.segment == tail1.segment);
	spool_close(s);
}

static void
fsync_policies(void **state)
{
	struct spool_stats st;
	struct spool *s;
	struct spool_opts o = { .dir = dir, .fsync = SPOOL_FSYNC_INTERVAL, .fsync_interval_ms = 5 };

	(void)state;
	s = open_spool(0, 0, SPOOL_FSYNC_ALWAYS);
	assert_non_null(s);
	append_n(s, 0, 20);
	spool_stats(s, &st);
	assert_int_equal(st.fsyncs, 20);
	spool_close(s);

	s = open_spool(0, 0, SPOOL_FSYNC_NEVER);
	assert_non_null(s);
	append_n(s, 0, 20);
	spool_stats(s, &st);
	assert_int_equal(st.fsyncs, 0);
	assert_int_equal(spool_sync(s), 0);
	assert_int_equal(spool_sync(s), 0); /* nothing new: no second fdatasync */
	spool_stats(s, &st);
	assert_int_equal(st.fsyncs, 1);
	spool_close(s);

	/* The sync thread catches up on its own within a few intervals. */
	s = spool_open(&o);
	assert_non_null(s);
	append_n(s, 0, 20);
	for (int i = 0; i < 400; i++) {
		spool_stats(s, &st);
		if (st.fsyncs > 0)
			break;
		usleep(5000);
	}
	assert_true(st.fsyncs > 0);
	assert_int_equal(st.sync_errors, 0);
	spool_close(s);
}

#define RACE_RECORDS 200000

struct race {
	struct spool *s;
	uint64_t appended;
	int failed; /* an append answered neither OK nor FULL */
};

static void *
race_appender(void *arg)
{
	struct race *r = arg;
	unsigned char buf[512];
	struct timespec pause = { 0, 50000 };

	while (r->appended < RACE_RECORDS) {
		size_t len = make_record(buf, r->appended);
		enum spool_rc rc = spool_append(r->s, 1 + (int)(r->appended % 255), buf, len);

		if (rc == SPOOL_OK)
			r->appended++;
		else if (rc == SPOOL_FULL)
			nanosleep(&pause, NULL);
		else {
			__atomic_store_n(&r->failed, 1, __ATOMIC_RELAXED);
			break;
		}
	}
	return NULL;
}

/* Small segments and the smallest bound, so that the appender rolls and hits
 * back-pressure while the reader releases behind it. */
static void
reader_races_appender(void **state)
{
	struct race r = { .s = open_spool(64 * 1024, MIN_MAX_BYTES, SPOOL_FSYNC_NEVER) };
	struct expect e = { .stop_at = UINT64_MAX };
	struct spool_pos pos = { 0, 0 };
	struct spool_stats st;
	pthread_t t;
	int n;

	(void)state;
	assert_non_null(r.s);
	assert_int_equal(pthread_create(&t, NULL, race_appender, &r), 0);
	while (e.next < RACE_RECORDS && e.bad == 0) {
		n = spool_read(r.s, &pos, 1000, 256 * 1024, visit_expect, &e);
		if (n < 0)
			break;
		if (n == 0) {
			if (__atomic_load_n(&r.failed, __ATOMIC_RELAXED))
				break;
			sched_yield();
			continue;
		}
		assert_int_equal(spool_release(r.s, &pos), 0);
		/* Fall behind, as a slow database would, until the appender
		 * meets back-pressure (or 5 s pass). */
		if (e.next / 50000 != (e.next - (uint64_t)n) / 50000)
			for (int i = 0; i < 5000; i++) {
				spool_stats(r.s, &st);
				if (st.full > 0)
					break;
				usleep(1000);
			}
	}
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(r.failed, 0);
	assert_int_equal(e.next, RACE_RECORDS);
	assert_int_equal(e.bad, 0);
	assert_int_equal(spool_read(r.s, &pos, 0, 0, visit_expect, &e), 0);
	spool_stats(r.s, &st);
	assert_int_equal(st.appends, RACE_RECORDS);
	assert_int_equal(st.records_read, RACE_RECORDS);
	assert_int_equal(st.corrupt_skips, 0);
	print_message("race: %lld segments, %lld full answers\n", st.segments_created, st.full);
	assert_true(st.full > 0);
	spool_close(r.s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crc32c_known_vectors),
		cmocka_unit_test(segment_names),
		cmocka_unit_test_setup_teardown(open_rejects_bad_options, setup, teardown),
		cmocka_unit_test_setup_teardown(round_trip_across_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(largest_record_in_small_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(append_rejects_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(read_limits_and_visitor_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(release_deletes_consumed_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(full_until_released, setup, teardown),
		cmocka_unit_test_setup_teardown(positions_resolve_or_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(reopen_resumes, setup, teardown),
		cmocka_unit_test_setup_teardown(fsync_policies, setup, teardown),
		cmocka_unit_test_setup_teardown(reader_races_appender, setup, teardown),
	};

	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

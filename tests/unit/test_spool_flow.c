/* test_spool_flow.c — ingestd's spool over time: release of consumed
 * segments, back-pressure at max_bytes, reopening, the fsync policies, and
 * one appender thread racing one reader thread that releases behind it. */
#include "spool_fixture.h"

#include "log.h"

#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

static void
release_deletes_consumed_segments(void **state)
{
	struct spool *s = fx_open(4096, 0, SPOOL_FSYNC_NEVER);
	struct fx_expect e = {.stop_at = UINT64_MAX};
	struct spool_pos pos = {0, 0}, start, tail;
	long long before;
	int files;

	(void)state;
	assert_non_null(s);
	fx_append_n(s, 0, 500);
	files = fx_count_segment_files();
	assert_true(files > 10);
	spool_seek_start(s, &start);
	/* Read into the sixth segment: the five before it go, nothing else. */
	while (pos.segment < start.segment + 5)
		assert_int_equal(spool_read(s, &pos, 1, 0, fx_visit_expect, &e), 1);
	before = spool_bytes(s);
	assert_int_equal(spool_release(s, &pos), 0);
	assert_int_equal(fx_count_segment_files(), files - 5);
	assert_true(spool_bytes(s) < before && spool_bytes(s) > 0);
	spool_seek_start(s, &start);
	assert_true(start.segment == pos.segment);
	/* Releasing again changes nothing. */
	assert_int_equal(spool_release(s, &pos), 0);
	assert_int_equal(fx_count_segment_files(), files - 5);

	/* Everything read: only the segment being appended to remains, and
	 * the spare made ahead. */
	fx_read_all(s, &pos, &e, 0);
	assert_int_equal(e.next, 500);
	assert_int_equal(spool_release(s, &pos), 0);
	assert_int_equal(fx_count_segment_files(), 2);
	spool_tail(s, &tail);
	assert_int_equal(spool_bytes(s), tail.offset);
	tail.segment++;
	assert_int_equal(spool_release(s, &tail), -1);
	fx_append_n(s, 500, 10);
	fx_read_all(s, &pos, &e, 0);
	assert_int_equal(e.next, 510);
	assert_int_equal(e.bad, 0);
	spool_close(s);
}

static void
full_until_released(void **state)
{
	struct spool *s = fx_open(4096, FX_MIN_MAX_BYTES, SPOOL_FSYNC_NEVER);
	struct fx_expect e = {.stop_at = UINT64_MAX};
	struct spool_pos pos = {0, 0};
	struct spool_stats st;
	unsigned char buf[FX_RECORD_MAX];
	uint64_t seq = 0;
	enum spool_rc rc;

	(void)state;
	assert_non_null(s);
	while ((rc = spool_append(s, fx_type(seq), buf, fx_make_record(buf, seq))) == SPOOL_OK)
		seq++;
	assert_int_equal(rc, SPOOL_FULL);
	assert_true(seq > 1000);
	assert_true(spool_bytes(s) <= FX_MIN_MAX_BYTES);
	assert_int_equal(spool_append(s, 1, buf, 8), SPOOL_FULL);
	spool_stats(s, &st);
	assert_int_equal(st.full, 2);
	assert_int_equal(st.appends, seq);

	/* The writer drains and releases: appends go through again. */
	fx_read_all(s, &pos, &e, 1000);
	assert_int_equal(e.next, seq);
	assert_int_equal(spool_release(s, &pos), 0);
	fx_append_n(s, seq, 1000);
	fx_read_all(s, &pos, &e, 0);
	assert_int_equal(e.next, seq + 1000);
	assert_int_equal(e.bad, 0);
	spool_close(s);
}

/* The disk fills inside the only segment (64 MiB segments; RLIMIT_FSIZE
 * gives EFBIG, which the spool treats like ENOSPC): the segment is sealed,
 * the next append goes to the spare made ahead, and once everything is read
 * the full segment is released, so its space comes back. */
static void
full_disk_seals_the_only_segment(void **state)
{
	struct spool *s = fx_open(0, 0, SPOOL_FSYNC_NEVER);
	struct fx_expect e = {.stop_at = UINT64_MAX};
	struct spool_pos pos = {0, 0}, tail, first;
	struct rlimit old;
	struct spool_stats st;
	unsigned char buf[FX_RECORD_MAX];
	size_t len = fx_make_record(buf, 10);

	(void)state;
	assert_non_null(s);
	fx_append_n(s, 0, 10);
	spool_tail(s, &first);
	fx_disk_full_at(first.offset, &old); /* that file is full */
	assert_int_equal(spool_append(s, fx_type(10), buf, len), SPOOL_ERR);
	fx_append_n(s, 10, 2); /* with the limit still there */
	fx_disk_room(&old);
	spool_tail(s, &tail);
	assert_true(tail.segment == first.segment + 1);
	assert_int_equal(fx_read_all(s, &pos, &e, 0), 12);
	assert_int_equal(e.bad, 0);
	assert_int_equal(spool_release(s, &pos), 0);
	spool_stats(s, &st);
	assert_int_equal(st.write_errors, 1);
	assert_int_equal(st.segments_deleted, 1);
	assert_int_equal(spool_bytes(s), tail.offset);
	spool_close(s);
}

/* A restart on a full disk (RLIMIT_FSIZE below a segment header stands for
 * it): the segment to append to cannot be made, yet the spool opens, its
 * records drain and their segment is released while the disk is still full
 * (the space comes back); appends fail until there is room, then go to a
 * new segment, numbered past every position the database could hold. */
static void
open_on_full_disk_drains(void **state)
{
	struct spool *s = fx_open(0, 0, SPOOL_FSYNC_INTERVAL);
	struct fx_expect e = {.stop_at = UINT64_MAX};
	struct spool_pos pos = {0, 0}, before, full, tail;
	struct rlimit old;
	struct spool_stats st;
	unsigned char buf[FX_RECORD_MAX];
	size_t len = fx_make_record(buf, 10);

	(void)state;
	assert_non_null(s);
	fx_append_n(s, 0, 10);
	spool_tail(s, &before);
	spool_close(s);
	fx_disk_full_at(SPOOL_SEG_HDR - 1, &old); /* room for the lock file's pid only */
	s = fx_open(0, 0, SPOOL_FSYNC_INTERVAL);
	assert_non_null(s);
	/* past the old segment and its spare, as after any restart */
	spool_tail(s, &full);
	assert_true(full.segment == before.segment + 2 && full.offset == SPOOL_SEG_HDR);
	assert_int_equal(spool_append(s, fx_type(10), buf, len), SPOOL_ERR);
	assert_int_equal(fx_read_all(s, &pos, &e, 0), 10);
	assert_int_equal(spool_release(s, &pos), 0);
	assert_int_equal(spool_bytes(s), SPOOL_SEG_HDR);
	assert_int_equal(spool_append(s, fx_type(10), buf, len), SPOOL_ERR);
	fx_disk_room(&old);
	fx_append_n(s, 10, 2);
	spool_tail(s, &tail);
	assert_true(tail.segment == full.segment + 1);
	assert_int_equal(fx_read_all(s, &pos, &e, 0), 2);
	assert_int_equal(e.next, 12);
	assert_int_equal(e.bad, 0);
	assert_int_equal(spool_release(s, &pos), 0);
	spool_stats(s, &st);
	assert_int_equal(st.write_errors, 3); /* the open and the two appends */
	assert_int_equal(spool_bytes(s), tail.offset);
	spool_close(s);
	/* and a restart after it numbers past everything, the placeholder too */
	s = fx_open(0, 0, SPOOL_FSYNC_INTERVAL);
	assert_non_null(s);
	spool_tail(s, &pos);
	assert_true(pos.segment > tail.segment);
	spool_close(s);
}

static void
reopen_resumes(void **state)
{
	struct spool *s = fx_open(4096, 0, SPOOL_FSYNC_INTERVAL);
	struct fx_expect e = {.stop_at = UINT64_MAX};
	struct spool_pos pos = {0, 0}, tail1, tail2;
	struct spool_stats st;
	int files;

	(void)state;
	assert_non_null(s);
	fx_append_n(s, 0, 200);
	assert_int_equal(spool_read(s, &pos, 50, 0, fx_visit_expect, &e), 50);
	spool_tail(s, &tail1);
	spool_close(s);

	s = fx_open(4096, 0, SPOOL_FSYNC_INTERVAL);
	assert_non_null(s);
	spool_stats(s, &st);
	assert_int_equal(st.truncations, 0);
	/* Appends go to a new segment, numbered past every file found (the
	 * spare too): old offsets keep meaning the same bytes. */
	spool_tail(s, &tail2);
	assert_true(tail2.segment == tail1.segment + 2 && tail2.offset == SPOOL_SEG_HDR);
	fx_append_n(s, 200, 100);
	assert_int_equal(fx_read_all(s, &pos, &e, 64), 250);
	assert_int_equal(e.bad, 0);
	spool_close(s);

	/* Opening again and again without appends leaves one empty segment
	 * (the one opened last), not one per open. */
	files = fx_count_segment_files();
	for (int i = 0; i < 3; i++) {
		s = fx_open(4096, 0, SPOOL_FSYNC_INTERVAL);
		assert_non_null(s);
		spool_close(s);
	}
	assert_int_equal(fx_count_segment_files(), files + 1);
	s = fx_open(4096, 0, SPOOL_FSYNC_INTERVAL);
	assert_non_null(s);
	assert_int_equal(fx_read_all(s, &pos, &e, 0), 0);
	spool_seek_start(s, &pos);
	e.next = 0;
	assert_int_equal(fx_read_all(s, &pos, &e, 0), 300);
	assert_int_equal(e.bad, 0);
	spool_close(s);
}

/* Regression: under fsync "interval" a power loss can take back records the
 * writer had already read and committed, down to an empty segment. Its
 * committed position must then lead to the records appended after the
 * restart, neither past them nor into the middle of one. */
static void
positions_survive_lost_tail(void **state)
{
	static const int kept[] = {0, 4}; /* records the power loss leaves of 10 */

	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		struct fx_expect e = {.stop_at = UINT64_MAX};
		struct spool_pos pos = {0, 0};
		char path[128], name[SPOOL_SEG_NAME_MAX];
		unsigned char buf[FX_RECORD_MAX];
		long long size = SPOOL_SEG_HDR;
		struct spool *s;

		assert_int_equal(fx_teardown(state), 0);
		assert_int_equal(fx_setup(state), 0);
		s = fx_open(0, 0, SPOOL_FSYNC_INTERVAL);
		assert_non_null(s);
		fx_append_n(s, 0, 10);
		assert_int_equal(fx_read_all(s, &pos, &e, 0), 10); /* and committed */
		spool_close(s);
		for (uint64_t seq = 0; seq < (uint64_t)kept[i]; seq++)
			size += SPOOL_REC_HDR + (long long)fx_make_record(buf, seq);
		spool_seg_name(name, pos.segment);
		snprintf(path, sizeof path, "%s/%s", fx_dir(), name);
		assert_int_equal(truncate(path, size), 0);

		s = fx_open(0, 0, SPOOL_FSYNC_INTERVAL);
		assert_non_null(s);
		fx_append_n(s, 10, 5);
		assert_int_equal(fx_read_all(s, &pos, &e, 0), 5);
		assert_int_equal(e.next, 15);
		assert_int_equal(e.bad, 0);
		spool_close(s);
	}
}

static void
fsync_policies(void **state)
{
	struct spool_stats st;
	struct spool *s;
	struct spool_opts o = {
		.dir = fx_dir(), .fsync = SPOOL_FSYNC_INTERVAL, .fsync_interval_ms = 5};

	(void)state;
	s = fx_open(0, 0, SPOOL_FSYNC_ALWAYS);
	assert_non_null(s);
	fx_append_n(s, 0, 20);
	spool_stats(s, &st);
	assert_int_equal(st.fsyncs, 20);
	spool_close(s);

	s = fx_open(0, 0, SPOOL_FSYNC_NEVER);
	assert_non_null(s);
	fx_append_n(s, 0, 20);
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
	fx_append_n(s, 0, 20);
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
	int stop;   /* the reader gave up: do not wait for it to drain */
};

static void *
race_appender(void *arg)
{
	struct race *r = arg;
	unsigned char buf[FX_RECORD_MAX];
	struct timespec pause = {0, 50000};

	while (r->appended < RACE_RECORDS && !__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		size_t len = fx_make_record(buf, r->appended);
		enum spool_rc rc = spool_append(r->s, fx_type(r->appended), buf, len);

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
	struct race r = {.s = fx_open(64 * 1024, FX_MIN_MAX_BYTES, SPOOL_FSYNC_NEVER)};
	struct fx_expect e = {.stop_at = UINT64_MAX};
	struct spool_pos pos = {0, 0};
	struct spool_stats st;
	pthread_t t;
	int n;

	(void)state;
	assert_non_null(r.s);
	assert_int_equal(pthread_create(&t, NULL, race_appender, &r), 0);
	while (e.next < RACE_RECORDS && e.bad == 0) {
		n = spool_read(r.s, &pos, 1000, 256 * 1024, fx_visit_expect, &e);
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
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELAXED);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(r.failed, 0);
	assert_int_equal(e.next, RACE_RECORDS);
	assert_int_equal(e.bad, 0);
	assert_int_equal(spool_read(r.s, &pos, 0, 0, fx_visit_expect, &e), 0);
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
		cmocka_unit_test_setup_teardown(release_deletes_consumed_segments, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(full_until_released, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(full_disk_seals_the_only_segment, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(open_on_full_disk_drains, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(reopen_resumes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(positions_survive_lost_tail, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(fsync_policies, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(reader_races_appender, fx_setup, fx_teardown),
	};

	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

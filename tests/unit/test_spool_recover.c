/* test_spool_recover.c — ingestd's spool after things went wrong: torn and
 * corrupt tails cut at open, a corrupt record in an older segment skipped, a
 * blank segment header, foreign files refused untouched, the directory lock,
 * a short write cut back (RLIMIT_FSIZE gives EFBIG, as a full disk gives
 * ENOSPC), and a process killed while appending. */
#include "spool_fixture.h"

#include "log.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static struct spool *
open_spool(long long segment_bytes)
{
	struct spool_opts o = {
		.dir = fx_dir(), .segment_bytes = segment_bytes, .fsync = SPOOL_FSYNC_NEVER};

	return spool_open(&o);
}

/* Record seq: 100 bytes starting with seq; a fixed size makes offsets easy. */
#define REC_LEN 100
#define REC_SPAN (SPOOL_REC_HDR + REC_LEN)

static void
fixed_record(unsigned char *buf, uint64_t seq)
{
	memcpy(buf, &seq, 8);
	for (size_t i = 8; i < REC_LEN; i++)
		buf[i] = (unsigned char)(seq ^ i);
}

static void
append_fixed(struct spool *s, uint64_t from, uint64_t n)
{
	unsigned char buf[REC_LEN];

	for (uint64_t seq = from; seq < from + n; seq++) {
		fixed_record(buf, seq);
		assert_int_equal(spool_append(s, 1, buf, REC_LEN), SPOOL_OK);
	}
}

/* Collects the sequence numbers of intact records. */
struct seen {
	uint64_t seq[4096];
	size_t n;
	size_t bad;
};

static int
visit_seen(void *ctx, const struct spool_pos *at, int type, const void *data, size_t len)
{
	struct seen *v = ctx;
	unsigned char want[REC_LEN];
	uint64_t seq;

	(void)at;
	memcpy(&seq, data, 8);
	fixed_record(want, seq);
	if (type != 1 || len != REC_LEN || memcmp(data, want, REC_LEN) != 0 ||
	    v->n == sizeof v->seq / sizeof v->seq[0])
		v->bad++;
	else
		v->seq[v->n++] = seq;
	return 0;
}

static void
read_from_start(struct spool *s, struct seen *v)
{
	struct spool_pos pos = {0, 0};
	int n;

	memset(v, 0, sizeof *v);
	while ((n = spool_read(s, &pos, 100, 0, visit_seen, v)) > 0)
		;
	assert_int_equal(n, 0);
	assert_int_equal(v->bad, 0);
}

/* seq[0..n) is exactly from, from+1, ... */
static void
assert_run(const struct seen *v, size_t at, uint64_t from, size_t n)
{
	assert_true(at + n <= v->n);
	for (size_t i = 0; i < n; i++)
		assert_true(v->seq[at + i] == from + i);
}

static void
seg_path(char *path, size_t size, long long id)
{
	char name[SPOOL_SEG_NAME_MAX];

	spool_seg_name(name, id);
	snprintf(path, size, "%s/%s", fx_dir(), name);
}

static long long
file_size(long long id)
{
	char path[128];
	struct stat st;

	seg_path(path, sizeof path, id);
	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static void
write_at(long long id, long long off, const void *data, size_t len)
{
	char path[128];
	int fd;

	seg_path(path, sizeof path, id);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, len, off), (ssize_t)len);
	close(fd);
}

static void
torn_tail_is_cut(void **state)
{
	unsigned char rec[SPOOL_REC_HDR + REC_LEN], garbage[300];
	const struct {
		const char *what;
		size_t len; /* bytes put after the last record */
		int kind;   /* 0: prefix of a valid record; 1: garbage; 2: zeros */
	} cases[] = {
		{"half a header", 5, 0},
		{"header without payload", SPOOL_REC_HDR, 0},
		{"header and part of the payload", SPOOL_REC_HDR + 40, 0},
		{"garbage", sizeof garbage, 1},
		{"zeros", 4096 > sizeof garbage ? sizeof garbage : 4096, 2},
	};

	(void)state;
	fixed_record(rec + SPOOL_REC_HDR, 999);
	spool_rec_hdr_encode(rec, 1, rec + SPOOL_REC_HDR, REC_LEN);
	for (size_t i = 0; i < sizeof garbage; i++)
		garbage[i] = (unsigned char)(i * 37 + 11);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct spool *s;
		struct spool_stats st;
		struct spool_pos tail;
		struct seen v;
		long long size;

		print_message("torn tail: %s\n", cases[i].what);
		assert_int_equal(fx_teardown(state), 0);
		assert_int_equal(fx_setup(state), 0);
		s = open_spool(0);
		assert_non_null(s);
		append_fixed(s, 0, 10);
		spool_tail(s, &tail);
		spool_close(s);
		size = file_size(tail.segment);
		if (cases[i].kind == 2)
			memset(garbage, 0, sizeof garbage);
		write_at(tail.segment, size, cases[i].kind == 0 ? rec : garbage, cases[i].len);

		s = open_spool(0);
		assert_non_null(s);
		spool_stats(s, &st);
		assert_int_equal(st.truncations, 1);
		assert_int_equal(st.bytes_truncated, cases[i].len);
		assert_int_equal(file_size(tail.segment), size);
		append_fixed(s, 10, 5);
		read_from_start(s, &v);
		assert_int_equal(v.n, 15);
		assert_run(&v, 0, 0, 15);
		spool_close(s);
	}
}

static void
corrupt_record_in_older_segment_skips_rest(void **state)
{
	/* 36 records fill a segment: 16 + 36 * 112 = 4048 bytes. */
	struct spool *s = open_spool(SPOOL_SEGMENT_BYTES_MIN);
	struct spool_stats st;
	struct seen v;
	unsigned char flip;
	long long off = SPOOL_SEG_HDR + 3 * REC_SPAN + SPOOL_REC_HDR + 50;
	long long seg2;
	struct spool_pos start;

	(void)state;
	assert_non_null(s);
	spool_seek_start(s, &start);
	append_fixed(s, 0, 36 * 3); /* three segments of 36 */
	spool_close(s);
	seg2 = start.segment + 1;
	/* Damage the payload of the fourth record of the middle segment. */
	flip = 0xA5;
	write_at(seg2, off, &flip, 1);

	s = open_spool(SPOOL_SEGMENT_BYTES_MIN);
	assert_non_null(s);
	spool_stats(s, &st);
	assert_int_equal(st.truncations, 0);
	read_from_start(s, &v);
	assert_int_equal(v.n, 36 + 3 + 36);
	assert_run(&v, 0, 0, 36 + 3);
	assert_run(&v, 39, 72, 36);
	spool_stats(s, &st);
	assert_int_equal(st.corrupt_skips, 1);
	assert_int_equal(st.bytes_skipped, 33 * REC_SPAN);
	/* Appends and reads go on. */
	append_fixed(s, 1000, 3);
	read_from_start(s, &v);
	assert_int_equal(v.n, 78);
	assert_run(&v, 75, 1000, 3);
	spool_close(s);
}

static void
corrupt_record_in_last_segment_is_cut(void **state)
{
	struct spool *s = open_spool(0);
	struct spool_stats st;
	struct spool_pos tail;
	struct seen v;
	unsigned char zero_type = 0;

	(void)state;
	assert_non_null(s);
	append_fixed(s, 0, 20);
	spool_tail(s, &tail);
	spool_close(s);
	/* The type byte of record 12 becomes 0: invalid even before the CRC. */
	write_at(tail.segment, SPOOL_SEG_HDR + 12 * REC_SPAN + 8, &zero_type, 1);

	s = open_spool(0);
	assert_non_null(s);
	spool_stats(s, &st);
	assert_int_equal(st.truncations, 1);
	assert_int_equal(st.bytes_truncated, 8 * REC_SPAN);
	read_from_start(s, &v);
	assert_int_equal(v.n, 12);
	assert_run(&v, 0, 0, 12);
	spool_close(s);
}

/* A segment created just before power loss: size on disk, header not. */
static void
blank_last_segment_is_repaired(void **state)
{
	struct spool *s = open_spool(0);
	struct spool_stats st;
	struct spool_pos tail, tail2;
	struct seen v;
	char path[128];
	int fd;

	(void)state;
	assert_non_null(s);
	append_fixed(s, 0, 5);
	spool_tail(s, &tail);
	spool_close(s);
	seg_path(path, sizeof path, tail.segment + 1);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 4096), 0);
	close(fd);

	s = open_spool(0);
	assert_non_null(s);
	spool_stats(s, &st);
	assert_int_equal(st.truncations, 1);
	assert_int_equal(st.segments_deleted, 1); /* emptied, then removed */
	seg_path(path, sizeof path, tail.segment + 1);
	assert_int_equal(access(path, F_OK), -1);
	spool_tail(s, &tail2);
	assert_true(tail2.segment == tail.segment + 2);
	append_fixed(s, 5, 5);
	read_from_start(s, &v);
	assert_int_equal(v.n, 10);
	assert_run(&v, 0, 0, 10);
	spool_close(s);
}

static void
foreign_segment_refused_untouched(void **state)
{
	unsigned char hdr[SPOOL_SEG_HDR];
	const struct {
		const char *what;
		long long id; /* the file's name */
		long long hdr_id;
		int version;
		const char *text; /* instead of a header */
	} cases[] = {
		{"not a spool file", 1, 0, 0, "PGDMP custom dump, not ours"},
		{"shorter than a header", 1, 0, 0, "hello"},
		{"newer version", 1, 1, SPOOL_SEG_VERSION + 1, NULL},
		{"renamed segment", 2, 7, SPOOL_SEG_VERSION, NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const void *data = cases[i].text;
		size_t len = data ? strlen(cases[i].text) : sizeof hdr;
		char path[128];
		int fd;

		print_message("refused: %s\n", cases[i].what);
		assert_int_equal(fx_teardown(state), 0);
		assert_int_equal(fx_setup(state), 0);
		spool_seg_hdr_encode(hdr, cases[i].hdr_id);
		hdr[7] = (unsigned char)cases[i].version;
		if (!data)
			data = hdr;
		seg_path(path, sizeof path, cases[i].id);
		fd = open(path, O_WRONLY | O_CREAT, 0600);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, data, len), (ssize_t)len);
		close(fd);
		assert_null(open_spool(0));
		assert_int_equal(file_size(cases[i].id), len);
	}
}

static void
lock_refuses_second_open(void **state)
{
	struct spool *s = open_spool(0), *again;
	pid_t pid;
	int status;

	(void)state;
	assert_non_null(s);
	assert_null(open_spool(0));
	/* Another process: exits 0 when refused. */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(open_spool(0) == NULL ? 0 : 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	spool_close(s);
	again = open_spool(0);
	assert_non_null(again);
	spool_close(again);
}

/* Regression guard for the short-write path: a write the file-size limit
 * cuts short must leave no partial record, and the full segment is sealed
 * (the next append starts the next one). */
static void
short_write_is_cut_back(void **state)
{
	struct spool *s = open_spool(0);
	struct spool_stats st;
	struct spool_pos tail;
	struct rlimit old, lim;
	struct seen v;
	long long size, bytes;
	unsigned char buf[REC_LEN];
	const long long room[] = {50, 5, 0}; /* bytes the limit leaves */
	uint64_t seq = 0;

	(void)state;
	assert_non_null(s);
	append_fixed(s, seq, 10);
	seq += 10;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_IGN);
	for (size_t i = 0; i < sizeof room / sizeof room[0]; i++) {
		append_fixed(s, seq++, 1); /* in a new segment after the first case */
		spool_tail(s, &tail);
		size = file_size(tail.segment);
		assert_int_equal(size, tail.offset);
		bytes = spool_bytes(s);
		lim = old;
		lim.rlim_cur = (rlim_t)(size + room[i]);
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
		fixed_record(buf, seq);
		assert_int_equal(spool_append(s, 1, buf, REC_LEN), SPOOL_ERR);
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
		assert_int_equal(file_size(tail.segment), size);
		assert_int_equal(spool_bytes(s), bytes);
	}
	signal(SIGXFSZ, SIG_DFL);
	spool_stats(s, &st);
	assert_int_equal(st.write_errors, 3);
	assert_int_equal(st.appends, 13);
	assert_int_equal(st.segments_created,
			 3); /* the first, and one per sealed case but the last */
	append_fixed(s, seq, 10);
	read_from_start(s, &v);
	assert_int_equal(v.n, 23);
	assert_run(&v, 0, 0, 23);
	spool_close(s);

	s = open_spool(0);
	assert_non_null(s);
	spool_stats(s, &st);
	assert_int_equal(st.truncations, 0);
	spool_close(s);
}

/* Runs a child that appends records 0, 1, ... and kills it delay_us after it
 * has appended 101 of them. */
static void
kill_appender(int delay_us)
{
	pid_t pid;
	int status, ready[2];
	char c;

	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct spool *s = open_spool(SPOOL_SEGMENT_BYTES_MIN);

		if (!s)
			_exit(1);
		for (uint64_t seq = 0; seq < 4000; seq++) {
			unsigned char buf[REC_LEN];

			fixed_record(buf, seq);
			if (spool_append(s, 1, buf, REC_LEN) != SPOOL_OK)
				_exit(1);
			if (seq == 100 && write(ready[1], "x", 1) != 1)
				_exit(1);
		}
		pause();
		_exit(0);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	usleep((useconds_t)delay_us);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
}

/* A process killed at any point while appending leaves a spool that opens,
 * with every record it appended before the last intact and in order. */
static void
killed_appender_leaves_prefix(void **state)
{
	static const int delays_us[] = {0, 200, 500, 1000, 2000, 4000};

	for (size_t i = 0; i < sizeof delays_us / sizeof delays_us[0]; i++) {
		struct spool_stats st;
		struct spool *s;
		struct seen v;

		assert_int_equal(fx_teardown(state), 0);
		assert_int_equal(fx_setup(state), 0);
		kill_appender(delays_us[i]);
		s = open_spool(SPOOL_SEGMENT_BYTES_MIN);
		assert_non_null(s);
		spool_stats(s, &st);
		assert_true(st.truncations <= 1);
		read_from_start(s, &v);
		print_message("killed %d us after record 100: %zu records intact\n", delays_us[i],
			      v.n);
		assert_true(v.n > 100);
		assert_run(&v, 0, 0, v.n);
		spool_close(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(torn_tail_is_cut, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(corrupt_record_in_older_segment_skips_rest,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(corrupt_record_in_last_segment_is_cut, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(blank_last_segment_is_repaired, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(foreign_segment_refused_untouched, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(lock_refuses_second_open, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(short_write_is_cut_back, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(killed_appender_leaves_prefix, fx_setup,
						fx_teardown),
	};

	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

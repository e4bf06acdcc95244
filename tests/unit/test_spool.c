/* test_spool.c — ingestd's spool through its API: CRC-32C known answers,
 * segment names, options, round trips across segment rolls, read limits and
 * positions. Flow control and threads are in test_spool_flow.c, crash
 * recovery in test_spool_recover.c. */
#include "spool_fixture.h"

#include "log.h"

#include <stdlib.h>

static void
crc32c_known_vectors(void **state)
{
	static const struct {
		const char *name;
		int fill; /* -1: text; -2: 0..31; -3: 31..0; else 32 bytes of fill */
		const char *text;
		uint32_t crc;
	} cases[] = {
		{"empty", -1, "", 0x00000000u},
		{"check", -1, "123456789", 0xE3069283u},
		{"a", -1, "a", 0xC1D04330u},
		{"fox", -1, "The quick brown fox jumps over the lazy dog", 0x22620404u},
		/* RFC 3720 appendix B.4 */
		{"32 zeros", 0x00, NULL, 0x8A9136AAu},
		{"32 ones", 0xFF, NULL, 0x62A8AB43u},
		{"incrementing", -2, NULL, 0x46DD794Eu},
		{"decrementing", -3, NULL, 0x113FDB5Cu},
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
			assert_int_equal(
				spool_crc32c(spool_crc32c(0, buf, cut), buf + cut, len - cut),
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
		{"seg-0000000000000001.spool", 1},
		{"seg-00000000000000ff.spool", 255},
		{"seg-7fffffffffffffff.spool", 0x7fffffffffffffffLL},
		{"seg-8000000000000000.spool", -1},
		{"seg-00000000000000FF.spool", -1},
		{"seg-1.spool", -1},
		{"seg-0000000000000001.spool~", -1},
		{"seg-000000000000000g.spool", -1},
		{"lock", -1},
		{"", -1},
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
		{"no dir", NULL, 0, 0, 0, SPOOL_FSYNC_NEVER},
		{"empty dir", "", 0, 0, 0, SPOOL_FSYNC_NEVER},
		{"tiny segment", fx_dir(), 1000, 0, 0, SPOOL_FSYNC_NEVER},
		{"max below segment plus record", fx_dir(), 64LL << 20, 64LL << 20, 0,
		 SPOOL_FSYNC_NEVER},
		{"max below two records", fx_dir(), 4096, 1LL << 20, 0, SPOOL_FSYNC_NEVER},
		{"unknown fsync", fx_dir(), 0, 0, 0, 7},
		{"negative interval", fx_dir(), 0, 0, -5, SPOOL_FSYNC_INTERVAL},
		{"parent missing", missing, 0, 0, 0, SPOOL_FSYNC_NEVER},
	};

	(void)state;
	snprintf(missing, sizeof missing, "%s/no/such", fx_dir());
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct spool_opts o = {.dir = cases[i].dir,
				       .segment_bytes = cases[i].segment_bytes,
				       .max_bytes = cases[i].max_bytes,
				       .fsync = (enum spool_fsync)cases[i].fsync,
				       .fsync_interval_ms = cases[i].interval_ms};

		print_message("option case: %s\n", cases[i].why);
		assert_null(spool_open(&o));
	}
	assert_int_equal(fx_count_segment_files(), 0);
}

static void
round_trip_across_segments(void **state)
{
	struct spool *s = fx_open(4096, 0, SPOOL_FSYNC_NEVER);
	struct fx_expect e = {.stop_at = UINT64_MAX};
	struct spool_pos pos = {0, 0}, tail;
	struct spool_stats st;

	(void)state;
	assert_non_null(s);
	fx_append_n(s, 0, 2000);
	spool_stats(s, &st);
	assert_int_equal(st.appends, 2000);
	assert_true(st.segments_created > 50);
	/* Every segment appended to, and the spare made ahead (spool_append). */
	assert_int_equal(fx_count_segment_files(), st.segments_created + 1);
	assert_int_equal(spool_bytes(s), st.bytes_appended + SPOOL_SEG_HDR * st.segments_created);

	assert_int_equal(fx_read_all(s, &pos, &e, 37), 2000);
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
	struct spool *s = fx_open(4096, FX_MIN_MAX_BYTES, SPOOL_FSYNC_NEVER);
	unsigned char *big = malloc(SPOOL_RECORD_MAX);
	struct fx_expect e = {.stop_at = UINT64_MAX};
	struct spool_pos pos = {0, 0};
	struct spool_stats st;
	struct grab g = {0};

	(void)state;
	assert_non_null(s);
	assert_non_null(big);
	for (size_t i = 0; i < SPOOL_RECORD_MAX; i++)
		big[i] = (unsigned char)(i * 13 + i / 251);
	fx_append_n(s, 0, 1);
	assert_int_equal(spool_append(s, 9, big, SPOOL_RECORD_MAX), SPOOL_OK);
	fx_append_n(s, 1, 1);
	spool_stats(s, &st);
	assert_int_equal(st.segments_created, 3);
	assert_int_equal(spool_read(s, &pos, 1, 0, fx_visit_expect, &e), 1);
	assert_int_equal(spool_read(s, &pos, 1, 0, visit_grab, &g), 1);
	assert_int_equal(g.type, 9);
	assert_int_equal(g.len, SPOOL_RECORD_MAX);
	assert_int_equal(g.crc, spool_crc32c(0, big, SPOOL_RECORD_MAX));
	assert_int_equal(spool_read(s, &pos, 0, 0, fx_visit_expect, &e), 1);
	assert_int_equal(e.bad, 0);
	free(big);
	spool_close(s);
}

static void
append_rejects_invalid(void **state)
{
	struct spool *s = fx_open(0, 0, SPOOL_FSYNC_NEVER);
	static const unsigned char one[1] = {7};
	const struct {
		int type;
		const void *data;
		size_t len;
		enum spool_rc rc;
	} cases[] = {
		{0, one, 1, SPOOL_INVAL},
		{256, one, 1, SPOOL_INVAL},
		{-1, one, 1, SPOOL_INVAL},
		{1, NULL, 1, SPOOL_INVAL},
		{1, one, SPOOL_RECORD_MAX + 1, SPOOL_INVAL},
		{255, one, 1, SPOOL_OK},
		{1, NULL, 0, SPOOL_OK},
	};
	struct spool_pos pos = {0, 0};
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
	struct spool *s = fx_open(4096, 0, SPOOL_FSYNC_NEVER);
	struct fx_expect e = {.stop_at = UINT64_MAX};
	struct spool_pos pos = {0, 0}, at;

	(void)state;
	assert_non_null(s);
	fx_append_n(s, 0, 100);
	assert_int_equal(spool_read(s, &pos, 10, 0, fx_visit_expect, &e), 10);
	assert_int_equal(e.next, 10);
	/* max_bytes counts payload; one record always goes through. */
	e.bytes = 0;
	assert_int_equal(spool_read(s, &pos, 0, 1, fx_visit_expect, &e), 1);
	e.bytes = 0;
	assert_true(spool_read(s, &pos, 0, 600, fx_visit_expect, &e) >= 1);
	assert_true(e.bytes <= 600);
	/* A refused record is not consumed: the position stays on it. */
	e.stop_at = e.next + 5;
	assert_int_equal(spool_read(s, &pos, 0, 0, fx_visit_expect, &e), 5);
	at = pos;
	assert_int_equal(spool_read(s, &pos, 0, 0, fx_visit_expect, &e), 0);
	assert_true(at.segment == pos.segment && at.offset == pos.offset);
	e.stop_at = UINT64_MAX;
	fx_read_all(s, &pos, &e, 0);
	assert_int_equal(e.next, 100);
	assert_int_equal(e.bad, 0);
	spool_close(s);
}

static void
positions_resolve_or_fail(void **state)
{
	struct spool *s = fx_open(4096, 0, SPOOL_FSYNC_NEVER);
	struct fx_expect e = {.stop_at = UINT64_MAX};
	struct spool_pos pos = {0, 0}, start, tail, p;

	(void)state;
	assert_non_null(s);
	fx_append_n(s, 0, 300);
	spool_seek_start(s, &start);
	assert_true(start.segment == 1 && start.offset == SPOOL_SEG_HDR);
	while (pos.segment < 4)
		assert_int_equal(spool_read(s, &pos, 1, 0, fx_visit_expect, &e), 1);
	assert_int_equal(spool_release(s, &pos), 0);

	/* In a released segment, or {0, 0}: the oldest record. */
	p = start;
	e.next = 0;
	assert_int_equal(spool_read(s, &p, 1, 0, fx_visit_expect, &e), 1);
	assert_true(p.segment == 4);
	p.segment = 0;
	p.offset = 0;
	e.next = 0;
	assert_int_equal(spool_read(s, &p, 1, 0, fx_visit_expect, &e), 1);
	assert_true(p.segment == 4);

	/* Past the tail, or inside a segment header: refused, *pos untouched. */
	spool_tail(s, &tail);
	struct spool_pos bad[] = {
		{tail.segment + 1, SPOOL_SEG_HDR},
		{tail.segment, tail.offset + 1},
		{5, 5},
		{5, -1},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		p = bad[i];
		assert_int_equal(spool_read(s, &p, 1, 0, fx_visit_expect, &e), -1);
		assert_true(p.segment == bad[i].segment && p.offset == bad[i].offset);
	}
	/* Past the end of a sealed segment: on with the next one. */
	p.segment = 5;
	p.offset = 1LL << 40;
	e.next = 0;
	assert_int_equal(spool_read(s, &p, 1, 0, visit_grab, &(struct grab){0}), 1);
	assert_true(p.segment == 6);
	spool_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crc32c_known_vectors),
		cmocka_unit_test(segment_names),
		cmocka_unit_test_setup_teardown(open_rejects_bad_options, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(round_trip_across_segments, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(largest_record_in_small_segments, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(append_rejects_invalid, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(read_limits_and_visitor_stop, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(positions_resolve_or_fail, fx_setup, fx_teardown),
	};

	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

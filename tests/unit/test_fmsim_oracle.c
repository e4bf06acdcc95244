/* test_fmsim_oracle.c — the load generator's oracle: seqs handed out from 1,
 * acknowledgements marked once and only for seqs handed out, maximal ranges
 * across word boundaries, the header round trip, and a table of oracle
 * files, valid ones with what they hold and invalid ones with the line and
 * the named reason of the rejection. */
#include "fmsim/oracle.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void
test_seq_and_ack(void **state)
{
	struct oracle o;

	(void)state;
	oracle_init(&o, 3);
	assert_int_equal(oracle_next_seq(&o, 0), 1);
	assert_int_equal(oracle_next_seq(&o, 0), 2);
	assert_int_equal(oracle_next_seq(&o, 2), 1);
	assert_int_equal(oracle_ack(&o, 0, 2), 1);
	assert_int_equal(oracle_ack(&o, 0, 2), 0);  /* acknowledged twice: counted once */
	assert_int_equal(oracle_ack(&o, 0, 3), -1); /* never handed out */
	assert_int_equal(oracle_ack(&o, 0, 0), -1);
	assert_int_equal(oracle_ack(&o, 1, 1), -1); /* device 1 has none yet */
	assert_int_equal(oracle_ack(&o, 2, 1), 1);
	assert_int_equal(o.dev[0].acked, 1);
	assert_true(oracle_is_acked(&o, 0, 2));
	assert_false(oracle_is_acked(&o, 0, 1));
	assert_false(oracle_is_acked(&o, 0, 99));
	assert_false(oracle_is_acked(&o, 1, 1));
	oracle_free(&o);
	oracle_free(&o); /* a zeroed oracle is a no-op */
}

/* Which of 1..n are acknowledged, and the ranges expected. */
struct range_case {
	const char *name;
	long long n;
	int (*acked)(long long seq);
	const char *want; /* " lo-hi" or " seq" per range */
};

static int
all(long long s)
{
	(void)s;
	return 1;
}

static int
none(long long s)
{
	(void)s;
	return 0;
}

static int
odd(long long s)
{
	return s % 2;
}

static int
gap_at_64(long long s)
{
	return s != 64 && s != 65;
}

static int
word_edges(long long s)
{
	return s == 1 || (s >= 63 && s <= 129) || s == 200;
}

static int
last_only(long long s)
{
	return s == 1000;
}

static const struct range_case ranges[] = {
	{"all", 1000, all, " 1-1000"},
	{"none", 500, none, ""},
	{"odd", 9, odd, " 1 3 5 7 9"},
	{"gap_at_64", 130, gap_at_64, " 1-63 66-130"},
	{"word_edges", 200, word_edges, " 1 63-129 200"},
	{"last_only", 1000, last_only, " 1000"},
	{"single_seq", 1, all, " 1"},
};

static void
test_ranges(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		const struct range_case *rc = &ranges[i];
		char got[4096] = "";
		long long from = 1, lo, hi;
		size_t len = 0;
		struct oracle o;

		oracle_init(&o, 1);
		for (long long s = 1; s <= rc->n; s++)
			assert_int_equal(oracle_next_seq(&o, 0), s);
		for (long long s = 1; s <= rc->n; s++)
			if (rc->acked(s))
				assert_int_equal(oracle_ack(&o, 0, s), 1);
		while (oracle_next_range(&o, 0, &from, &lo, &hi)) {
			if (lo == hi)
				len += (size_t)snprintf(got + len, sizeof got - len, " %lld", lo);
			else
				len += (size_t)snprintf(got + len, sizeof got - len, " %lld-%lld",
							lo, hi);
		}
		if (strcmp(got, rc->want) != 0)
			fail_msg("%s: got '%s', want '%s'", rc->name, got, rc->want);
		oracle_free(&o);
	}
}

static void
test_header_round_trip(void **state)
{
	struct oracle_header h = {"load", "ld", 50, 20, 1763891234123, 1763891299999, 2000}, back;
	char line[512];
	int n;

	(void)state;
	n = oracle_format_header(&h, line, sizeof line);
	assert_true(n > 0);
	assert_string_equal(line, "fmsim-oracle 1 site=load prefix=ld devices=50 metrics=20 "
				  "t0_ms=1763891234123 t1_ms=1763891299999 acked=2000\n");
	assert_int_equal(oracle_parse_header(line, &back), ORACLE_OK);
	assert_memory_equal(&h, &back, sizeof h);
	assert_int_equal(oracle_format_header(&h, line, 20), -1);
}

/* Collects what the reader hands over, as text. */
struct collect {
	char text[1024];
	size_t len;
};

static void
on_device(void *ctx, const char *id)
{
	struct collect *c = ctx;

	c->len += (size_t)snprintf(c->text + c->len, sizeof c->text - c->len, "[%s]", id);
}

static void
on_range(void *ctx, const char *id, long long lo, long long hi)
{
	struct collect *c = ctx;

	c->len += (size_t)snprintf(c->text + c->len, sizeof c->text - c->len, "%s:%lld-%lld;", id,
				   lo, hi);
}

#define HDR(dev, acked)                                                                            \
	"fmsim-oracle 1 site=load prefix=ld devices=" #dev " metrics=3 t0_ms=10 t1_ms=20 "         \
	"acked=" #acked "\n"

struct file_case {
	const char *name;
	const char *text;
	enum oracle_err want;
	long long line;      /* where it failed (0: at the end) */
	const char *collect; /* for valid files */
};

static const struct file_case files[] = {
	{"valid", HDR(2, 6) "ld000001 1-4\nld000002 7 9\n", ORACLE_OK, 0,
	 "[ld000001]ld000001:1-4;[ld000002]ld000002:7-7;ld000002:9-9;"},
	{"valid_device_without_acks", HDR(2, 1) "ld000001\nld000002 5\n", ORACLE_OK, 0,
	 "[ld000001][ld000002]ld000002:5-5;"},
	{"valid_no_final_newline", HDR(1, 2) "ld000001 1-2", ORACLE_OK, 0,
	 "[ld000001]ld000001:1-2;"},
	{"valid_seq_zero", HDR(1, 1) "ld000001 0\n", ORACLE_OK, 0, "[ld000001]ld000001:0-0;"},
	{"empty_file", "", ORACLE_ERR_MAGIC, 0, NULL},
	{"not_an_oracle", "hello\n", ORACLE_ERR_MAGIC, 1, NULL},
	{"version_2", "fmsim-oracle 2 site=load\n", ORACLE_ERR_VERSION, 1, NULL},
	{"header_field_missing",
	 "fmsim-oracle 1 site=load prefix=ld devices=1 metrics=3 t0_ms=1 t1_ms=2\n",
	 ORACLE_ERR_HEADER_FIELD, 1, NULL},
	{"header_field_unknown",
	 "fmsim-oracle 1 site=load prefix=ld devices=1 metrics=3 "
	 "t0_ms=1 t1_ms=2 acked=0 colour=red\n",
	 ORACLE_ERR_HEADER_FIELD, 1, NULL},
	{"header_field_twice",
	 "fmsim-oracle 1 site=load site=load prefix=ld devices=1 metrics=3 "
	 "t0_ms=1 t1_ms=2 acked=0\n",
	 ORACLE_ERR_HEADER_FIELD, 1, NULL},
	{"header_metrics_zero",
	 "fmsim-oracle 1 site=load prefix=ld devices=1 metrics=0 t0_ms=1 "
	 "t1_ms=2 acked=0\n",
	 ORACLE_ERR_HEADER_FIELD, 1, NULL},
	{"header_window_backwards",
	 "fmsim-oracle 1 site=load prefix=ld devices=1 metrics=1 "
	 "t0_ms=5 t1_ms=2 acked=0\n",
	 ORACLE_ERR_HEADER_FIELD, 1, NULL},
	{"header_bad_site",
	 "fmsim-oracle 1 site=lo/ad prefix=ld devices=1 metrics=1 t0_ms=1 "
	 "t1_ms=2 acked=0\n",
	 ORACLE_ERR_HEADER_FIELD, 1, NULL},
	{"header_negative_count",
	 "fmsim-oracle 1 site=load prefix=ld devices=-1 metrics=1 "
	 "t0_ms=1 t1_ms=2 acked=0\n",
	 ORACLE_ERR_HEADER_FIELD, 1, NULL},
	{"header_acked_absurd",
	 "fmsim-oracle 1 site=load prefix=ld devices=1 metrics=1 t0_ms=1 "
	 "t1_ms=2 acked=9999999999999\n",
	 ORACLE_ERR_HEADER_FIELD, 1, NULL},
	{"bad_device_id", HDR(1, 1) "ld/0001 1\n", ORACLE_ERR_DEVICE_ID, 2, NULL},
	{"empty_device_line", HDR(1, 1) "\n", ORACLE_ERR_DEVICE_ID, 2, NULL},
	{"device_repeated", HDR(2, 2) "ld000001 1\nld000001 2\n", ORACLE_ERR_DEVICE_ORDER, 3, NULL},
	{"device_out_of_order", HDR(2, 2) "ld000002 1\nld000001 2\n", ORACLE_ERR_DEVICE_ORDER, 3,
	 NULL},
	{"more_devices_than_header", HDR(1, 2) "ld000001 1\nld000002 2\n", ORACLE_ERR_DEVICE_COUNT,
	 3, NULL},
	{"fewer_devices_than_header", HDR(3, 1) "ld000001 1\n", ORACLE_ERR_DEVICE_COUNT, 0, NULL},
	{"range_reversed", HDR(1, 1) "ld000001 5-4\n", ORACLE_ERR_RANGE, 2, NULL},
	{"range_not_a_number", HDR(1, 1) "ld000001 1-x\n", ORACLE_ERR_RANGE, 2, NULL},
	{"range_negative", HDR(1, 1) "ld000001 -1\n", ORACLE_ERR_RANGE, 2, NULL},
	{"range_double_blank", HDR(1, 1) "ld000001  1\n", ORACLE_ERR_RANGE, 2, NULL},
	{"range_tab", HDR(1, 1) "ld000001\t1\n", ORACLE_ERR_DEVICE_ID, 2, NULL},
	{"range_overflow", HDR(1, 1) "ld000001 99999999999999999999\n", ORACLE_ERR_RANGE, 2, NULL},
	{"ranges_overlap", HDR(1, 5) "ld000001 1-3 3-4\n", ORACLE_ERR_RANGE_ORDER, 2, NULL},
	{"ranges_touch", HDR(1, 4) "ld000001 1-2 3-4\n", ORACLE_ERR_RANGE_ORDER, 2, NULL},
	{"ranges_backwards", HDR(1, 2) "ld000001 5 3\n", ORACLE_ERR_RANGE_ORDER, 2, NULL},
	{"acked_too_few", HDR(1, 5) "ld000001 1-4\n", ORACLE_ERR_ACKED_COUNT, 0, NULL},
	{"acked_too_many", HDR(1, 3) "ld000001 1-4\n", ORACLE_ERR_ACKED_COUNT, 2, NULL},
	{"huge_range", HDR(1, 3) "ld000001 1-9223372036854775806\n", ORACLE_ERR_ACKED_COUNT, 2,
	 NULL},
};

/* Feeds text line by line as getline would (each line with its newline). */
static enum oracle_err
read_text(const char *text, struct oracle_reader *rd, struct collect *c)
{
	const char *p = text;
	enum oracle_err e = ORACLE_OK;
	char line[512];

	memset(rd, 0, sizeof *rd);
	while (*p && e == ORACLE_OK) {
		size_t n = strcspn(p, "\n");

		if (p[n] == '\n')
			n++;
		assert_true(n < sizeof line);
		memcpy(line, p, n);
		line[n] = '\0';
		p += n;
		e = oracle_read_line(rd, line, on_device, on_range, c);
	}
	return e == ORACLE_OK ? oracle_read_end(rd) : e;
}

static void
test_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		const struct file_case *fc = &files[i];
		struct oracle_reader rd;
		struct collect c = {"", 0};
		enum oracle_err e = read_text(fc->text, &rd, &c);

		if (e != fc->want)
			fail_msg("%s: got %s, want %s", fc->name, oracle_err_name(e),
				 oracle_err_name(fc->want));
		if (fc->line && rd.line != fc->line)
			fail_msg("%s: failed at line %lld, want %lld", fc->name, rd.line, fc->line);
		if (fc->collect && strcmp(c.text, fc->collect) != 0)
			fail_msg("%s: collected '%s', want '%s'", fc->name, c.text, fc->collect);
	}
}

static void
test_err_names(void **state)
{
	(void)state;
	for (int e = 0; e < ORACLE_ERR_COUNT; e++) {
		const char *n = oracle_err_name((enum oracle_err)e);

		assert_non_null(n);
		assert_string_not_equal(n, "unknown");
		for (int f = 0; f < e; f++)
			assert_string_not_equal(n, oracle_err_name((enum oracle_err)f));
	}
	assert_string_equal(oracle_err_name(ORACLE_ERR_COUNT), "unknown");
	assert_string_equal(oracle_err_name(ORACLE_ERR_RANGE_ORDER), "range_out_of_order");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seq_and_ack),       cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_header_round_trip), cmocka_unit_test(test_files),
		cmocka_unit_test(test_err_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

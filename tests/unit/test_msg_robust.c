/* test_msg_robust.c — a deterministic pseudo-random robustness run of the
 * decoders: 200,000+ inputs of random bytes, random JSON-ish text and
 * mutations (truncation, byte flips, insertions, deletions, duplications) of
 * valid payloads. Each input lives in a buffer of its exact length (so ASan
 * sees any over-read) and must give OK or a named reason; every OK result
 * must survive encode -> decode unchanged. Meant to run under SAN=1. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

#define ROUNDS 200000
#define MAX_INPUT 2048

static const char *const seeds[] = {
	"{\"seq\":1042,\"ts\":1763891234123,\"metrics\":{\"outlet_pressure_kpa\":312.4,"
	"\"running\":true,\"motor_current_a\":11.2,\"run_hours\":1834.5}}",
	"{\"seq\":5,\"ts\":1763891234123,\"boot\":3,\"device\":\"pump-01\",\"site\":\"riverside\","
	"\"metrics\":{\"running\":false,\"starts\":412,\"x\":-1.5e-7}}",
	"{\"seq\":0,\"metrics\":{\"level_pct\":63}}",
	"{\"seq\":77,\"ts\":1763891234123,\"event\":\"entrapment\",\"state\":\"active\","
	"\"detail\":{\"floor\":5,\"car\":\"A\",\"door_open\":false,\"load_kg\":412.5}}",
	"{\"seq\":78,\"event\":\"fire_alarm\",\"state\":\"cleared\",\"detail\":"
	"{\"zone\":\"B2 \\u5730\\u4e0b\",\"loop\":3}}",
	"{\"state\":\"online\",\"ts\":1763891234123}",
	"{\"state\":\"offline\"}",
};

/* Fragments that steer mutations toward the interesting parser paths. */
static const char *const tokens[] = {
	"{",
	"}",
	"[",
	"]",
	"\"",
	",",
	":",
	"\\",
	"\\u0000",
	"\\ud800",
	"NaN",
	"-Infinity",
	"1e999",
	"-0",
	"9223372036854775808",
	"null",
	"true",
	"\xff",
	"\xe6\xb8\xa9",
	"\"seq\":",
	"\"metrics\":{",
	"\"detail\":{\"a\":",
	"\"state\":\"active\"",
	"",
	"\"ts\":99999999999999",
	"\"site\":\"x\",",
	"1.0",
	"   ",
	"[1]",
	"{}",
	"\"x\"",
	"-1",
	"1.5",
	"{\"a\":1}",
	"\"boot\":",
	"\"device\":",
};

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint64_t
next_rand(void)
{
	/* xorshift64*: fixed seed, same sequence on every run and machine. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static size_t
below(size_t n)
{
	return n == 0 ? 0 : (size_t)(next_rand() % n);
}

static void
insert(char *buf, size_t *len, size_t pos, const char *what, size_t n)
{
	if (*len + n > MAX_INPUT)
		return;
	memmove(buf + pos + n, buf + pos, *len - pos);
	memcpy(buf + pos, what, n);
	*len += n;
}

static void
mutate(char *buf, size_t *len)
{
	size_t pos = below(*len + 1), n;
	char byte;

	switch (below(6)) {
	case 0: /* truncate */
		*len = pos;
		break;
	case 1: /* flip bits of one byte */
		if (*len > 0)
			buf[below(*len)] ^= (char)(1u << below(8));
		break;
	case 2: /* insert a random byte */
		byte = (char)next_rand();
		insert(buf, len, pos, &byte, 1);
		break;
	case 3: { /* insert a token */
		size_t t = below(sizeof(tokens) / sizeof(tokens[0]));
		/* "" stands for one NUL byte. */
		insert(buf, len, pos, tokens[t], tokens[t][0] ? strlen(tokens[t]) : 1);
		break;
	}
	case 4: /* delete a range */
		n = below(*len - pos + 1);
		memmove(buf + pos, buf + pos + n, *len - pos - n);
		*len -= n;
		break;
	default: /* duplicate a range */
		n = below(*len - pos + 1);
		if (n > 0 && *len + n <= MAX_INPUT) {
			char tmp[MAX_INPUT];
			memcpy(tmp, buf + pos, n);
			insert(buf, len, pos, tmp, n);
		}
		break;
	}
}

static size_t
make_input(char *buf)
{
	static const char alphabet[] = "{}[]\":,0123456789.-+eE truefalsnu\\abcdz";
	size_t len = 0;

	switch (below(8)) {
	case 0: /* random bytes */
		len = below(97);
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)next_rand();
		break;
	case 1: /* random JSON-ish text */
		len = below(129);
		for (size_t i = 0; i < len; i++)
			buf[i] = alphabet[below(sizeof(alphabet) - 1)];
		break;
	default: { /* mutations of a valid payload */
		const char *s = seeds[below(sizeof(seeds) / sizeof(seeds[0]))];
		int rounds = 1 + (int)below(3);
		len = strlen(s);
		memcpy(buf, s, len);
		for (int i = 0; i < rounds; i++)
			mutate(buf, &len);
		break;
	}
	}
	return len;
}

static struct msg_telemetry tel, tel2;
static struct msg_event evt, evt2;
static struct msg_status sta, sta2;
static char out[1 << 17];

/* An accepted message must encode, and decode back to the same struct. */
static void
check_round_trip(int kind)
{
	int n;

	switch (kind) {
	case 0:
		n = msg_encode_telemetry(&tel, out, sizeof(out));
		assert_true(n > 0);
		assert_int_equal(msg_decode_telemetry(out, (size_t)n, NULL, NULL, NULL, &tel2),
				 MSG_OK);
		assert_memory_equal(&tel, &tel2, sizeof(tel));
		break;
	case 1:
		n = msg_encode_event(&evt, out, sizeof(out));
		assert_true(n > 0);
		assert_int_equal(msg_decode_event(out, (size_t)n, NULL, NULL, NULL, &evt2), MSG_OK);
		assert_memory_equal(&evt, &evt2, sizeof(evt));
		break;
	default:
		n = msg_encode_status(&sta, out, sizeof(out));
		assert_true(n > 0);
		assert_int_equal(msg_decode_status(out, (size_t)n, NULL, NULL, NULL, &sta2),
				 MSG_OK);
		assert_int_equal(sta.state, sta2.state);
		assert_int_equal(sta.has_ts, sta2.has_ts);
		assert_int_equal(sta.ts_ms, sta2.ts_ms);
		break;
	}
}

static void
test_random_inputs(void **state)
{
	static char buf[MAX_INPUT];
	unsigned long seen[MSG_REASON_COUNT] = {0};
	struct msg_limits lim;
	int distinct = 0;
	(void)state;

	msg_limits_default(&lim, 1763891300000LL);
	lim.max_bytes = 1024; /* so that growth by mutation also hits too_large */
	for (int i = 0; i < ROUNDS; i++) {
		size_t len = make_input(buf);
		char *exact = malloc(len ? len : 1);
		enum msg_reason r[3];

		assert_non_null(exact);
		memcpy(exact, buf, len);
		r[0] = msg_decode_telemetry(exact, len, &lim, "riverside", "pump-01", &tel);
		r[1] = msg_decode_event(exact, len, &lim, "riverside", "pump-01", &evt);
		r[2] = msg_decode_status(exact, len, &lim, "riverside", "pump-01", &sta);
		free(exact);
		for (int k = 0; k < 3; k++) {
			if ((unsigned)r[k] >= MSG_REASON_COUNT) {
				fail_msg("input %d: reason %d out of range", i, (int)r[k]);
				return;
			}
			seen[r[k]]++;
			if (r[k] == MSG_OK)
				check_round_trip(k);
		}
	}
	for (int r = 0; r < MSG_REASON_COUNT; r++)
		distinct += seen[r] > 0;
	print_message("%d inputs x 3 decoders: %lu ok, %d distinct results\n", ROUNDS, seen[MSG_OK],
		      distinct);
	/* The mutations must actually reach deep into the decoders. */
	assert_true(seen[MSG_OK] > 1000);
	assert_true(distinct >= 30);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

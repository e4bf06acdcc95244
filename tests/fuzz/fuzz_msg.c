/* fuzz_msg.c — libFuzzer harness for the payload decoders. Each input is
 * decoded as telemetry, event, status, work-order request, ack and shelve
 * commands and work-order brief; the reason must be in range, and an
 * accepted message must encode (where we encode it) and decode back to the
 * same struct. Any
 * crash, sanitizer report or abort() is a finding. Not built by the normal
 * wildcard rules; see the build line in the comment below.
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -Icommon tests/fuzz/fuzz_msg.c common/msg*.c common/log.c -ljansson */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct msg_telemetry tel, tel2;
static struct msg_event evt, evt2;
static struct msg_status sta, sta2;
static struct msg_wo_request wor, wor2;
static struct msg_command cmd;
static struct msg_wo_brief wob;
static char out[1 << 17];

static void
check_reason(enum msg_reason r)
{
	if ((unsigned)r >= MSG_REASON_COUNT || strcmp(msg_reason_name(r), "unknown") == 0)
		abort();
}

static void
round_trip_telemetry(void)
{
	int n = msg_encode_telemetry(&tel, out, sizeof(out));

	if (n <= 0 || msg_decode_telemetry(out, (size_t)n, NULL, NULL, NULL, &tel2) != MSG_OK ||
	    memcmp(&tel, &tel2, sizeof(tel)) != 0)
		abort();
}

static void
round_trip_event(void)
{
	int n = msg_encode_event(&evt, out, sizeof(out));

	if (n <= 0 || msg_decode_event(out, (size_t)n, NULL, NULL, NULL, &evt2) != MSG_OK ||
	    memcmp(&evt, &evt2, sizeof(evt)) != 0)
		abort();
}

static void
round_trip_status(void)
{
	int n = msg_encode_status(&sta, out, sizeof(out));

	if (n <= 0 || msg_decode_status(out, (size_t)n, NULL, NULL, NULL, &sta2) != MSG_OK ||
	    sta.state != sta2.state || sta.has_ts != sta2.has_ts || sta.ts_ms != sta2.ts_ms)
		abort();
}

static void
round_trip_wo_request(void)
{
	int n = msg_encode_wo_request(&wor, out, sizeof(out));

	if (n <= 0 || msg_decode_wo_request(out, (size_t)n, NULL, NULL, &wor2) != MSG_OK ||
	    memcmp(&wor, &wor2, sizeof(wor)) != 0)
		abort();
}

/* What the decoders that have no encoder promise: NUL-terminated fields
 * within their patterns' sizes. */
static void
check_command_and_brief(const char *buf, size_t size, const struct msg_limits *lim)
{
	static const char *const verbs[] = {"ack", "shelve"};

	for (int v = 0; v < 2; v++) {
		enum msg_reason r = msg_decode_command(buf, size, lim, verbs[v], &cmd);
		check_reason(r);
		if (r == MSG_OK &&
		    (strnlen(cmd.alarm_id, sizeof(cmd.alarm_id)) == 0 ||
		     strnlen(cmd.note, sizeof(cmd.note)) == sizeof(cmd.note) ||
		     (v == 1) != (cmd.duration_s > 0) || cmd.duration_s > MSG_SHELVE_MAX_S))
			abort();
	}
	check_reason(msg_decode_wo_brief(buf, size, lim, &wob));
	if (wob.state[0] != '\0' && (strnlen(wob.wo_id, sizeof(wob.wo_id)) == 0 ||
				     strnlen(wob.state, sizeof(wob.state)) == sizeof(wob.state)))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct msg_limits lim;
	enum msg_reason r;

	msg_limits_default(&lim, 1763891300000LL);
	r = msg_decode_telemetry(buf, size, &lim, "riverside", "pump-01", &tel);
	check_reason(r);
	if (r == MSG_OK)
		round_trip_telemetry();
	r = msg_decode_event(buf, size, &lim, "riverside", "pump-01", &evt);
	check_reason(r);
	if (r == MSG_OK)
		round_trip_event();
	r = msg_decode_status(buf, size, NULL, NULL, NULL, &sta);
	check_reason(r);
	if (r == MSG_OK)
		round_trip_status();
	r = msg_decode_wo_request(buf, size, &lim, "riverside", &wor);
	check_reason(r);
	if (r == MSG_OK)
		round_trip_wo_request();
	check_command_and_brief(buf, size, &lim);
	return 0;
}

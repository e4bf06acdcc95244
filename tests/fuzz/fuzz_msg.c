/* fuzz_msg.c — libFuzzer harness for the payload decoders. Each input is
 * decoded as telemetry, event and status; the reason must be in range, and
 * an accepted message must encode and decode back to the same struct. Any
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
	return 0;
}

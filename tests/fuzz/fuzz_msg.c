/* fuzz_msg.c — libFuzzer harness for the decoders of what devices send
 * (ingestd, alertd, schedd): telemetry, event and status, each with the
 * topic's identity and the default limits, and once more with no identity
 * and the time checks off. Every input is classified: MSG_OK or a reason
 * with a name (abort() on "unknown"); a rejection leaves the output zeroed;
 * an accepted message must encode and decode back to the same struct. Any
 * crash, leak, sanitizer report or abort() is a finding. The decoders of
 * people's commands and work orders are fuzz_ops.c's. Also the one reader
 * of a daemon's stats (alertd on ingestd's back_pressure). Build and run:
 * tests/fuzz/run.sh. Seeds: tests/fuzz/corpus/msg/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "msg.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct msg_telemetry tel, tel2;
static struct msg_event evt, evt2;
static struct msg_status sta, sta2;
static struct msg_stats_counter sc;
static char out[1 << 17];

static void
check_reason(enum msg_reason r)
{
	if ((unsigned)r >= MSG_REASON_COUNT)
		abort();
	fuzz_check_named(msg_reason_name(r));
}

static void
fuzz_telemetry(const char *buf, size_t size, const struct msg_limits *lim, const char *site,
	       const char *dev)
{
	enum msg_reason r = msg_decode_telemetry(buf, size, lim, site, dev, &tel);
	int n;

	check_reason(r);
	fuzz_check_zeroed(r, &tel, sizeof tel);
	if (r != MSG_OK)
		return;
	if (tel.n_metrics < 1 || tel.n_metrics > MSG_METRICS_MAX)
		abort();
	for (int i = 0; i < tel.n_metrics; i++)
		fuzz_check_str(tel.metrics[i].name, sizeof tel.metrics[i].name);
	n = msg_encode_telemetry(&tel, out, sizeof out);
	if (n <= 0 || msg_decode_telemetry(out, (size_t)n, NULL, NULL, NULL, &tel2) != MSG_OK ||
	    memcmp(&tel, &tel2, sizeof tel) != 0)
		abort();
}

static void
fuzz_event(const char *buf, size_t size, const struct msg_limits *lim, const char *site,
	   const char *dev)
{
	enum msg_reason r = msg_decode_event(buf, size, lim, site, dev, &evt);
	int n;

	check_reason(r);
	fuzz_check_zeroed(r, &evt, sizeof evt);
	if (r != MSG_OK)
		return;
	fuzz_check_str(evt.detail_json, sizeof evt.detail_json);
	n = msg_encode_event(&evt, out, sizeof out);
	if (n <= 0 || msg_decode_event(out, (size_t)n, NULL, NULL, NULL, &evt2) != MSG_OK ||
	    memcmp(&evt, &evt2, sizeof evt) != 0)
		abort();
}

static void
fuzz_status(const char *buf, size_t size, const struct msg_limits *lim, const char *site,
	    const char *dev)
{
	enum msg_reason r = msg_decode_status(buf, size, lim, site, dev, &sta);
	int n;

	check_reason(r);
	fuzz_check_zeroed(r, &sta, sizeof sta);
	if (r != MSG_OK)
		return;
	n = msg_encode_status(&sta, out, sizeof out);
	if (n <= 0 || msg_decode_status(out, (size_t)n, NULL, NULL, NULL, &sta2) != MSG_OK ||
	    sta.state != sta2.state || sta.has_ts != sta2.has_ts || sta.ts_ms != sta2.ts_ms)
		abort();
}

/* A rejection reports no value; an accepted one may or may not have it. */
static void
fuzz_stats(const char *buf, size_t size, const struct msg_limits *lim)
{
	enum msg_reason r =
		msg_decode_stats_counter(buf, size, lim, "ingestd", "s1", "back_pressure", &sc);

	check_reason(r);
	if (r != MSG_OK && (sc.has_value || sc.value != 0 || sc.has_ts))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct msg_limits lim;

	msg_limits_default(&lim, 1763891300000LL);
	fuzz_telemetry(buf, size, &lim, "riverside", "pump-01");
	fuzz_event(buf, size, &lim, "riverside", "pump-01");
	fuzz_status(buf, size, &lim, "riverside", "pump-01");
	/* as a checker without a topic would: identity by type only, any time */
	fuzz_telemetry(buf, size, NULL, NULL, NULL);
	fuzz_event(buf, size, NULL, NULL, NULL);
	fuzz_status(buf, size, NULL, NULL, NULL);
	fuzz_stats(buf, size, &lim);
	return 0;
}

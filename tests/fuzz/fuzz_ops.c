/* fuzz_ops.c — libFuzzer harness for the decoders of what people and the
 * daemons send each other: ack and shelve commands (alertd,
 * ops/{person}/ack|shelve), a technician's work-order command
 * (ops/{person}/wo), a repair request or complaint (ops/{person}/request), a
 * follow-up (ops/{person}/followup), a work-order request (dispatchd,
 * wo_request), the retained work order as alertd and schedd read it
 * (wo_brief), and fmctl's flattening reader of retained alarms, work orders
 * and notifications. Every input is classified by every decoder: MSG_OK or a
 * reason with a name (abort() on "unknown"); a rejection leaves the output
 * zeroed; an accepted message that has an encoder must encode and decode back
 * to the same fields. Any crash, leak, sanitizer report or abort() is a
 * finding. Build and run: tests/fuzz/run.sh. Seeds: tests/fuzz/corpus/ops/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "msg.h"
#include "msg_ops.h"
#include "msg_wo.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct msg_command cmd, cmd2;
static struct msg_wo_command woc, woc2;
static struct msg_repair_request rr, rr2;
static struct msg_followup fu, fu2;
static struct msg_wo_request wor, wor2;
static struct msg_wo_brief wob;
static struct msg_flat flat;
static char out[1 << 17];

static void
check_reason(int r)
{
	if (r < 0)
		abort();
	fuzz_check_named(msg_wo_reason_name(r));
	if (r < MSG_REASON_COUNT)
		fuzz_check_named(msg_reason_name((enum msg_reason)r));
}

static void
fuzz_command(const char *buf, size_t size, const struct msg_limits *lim)
{
	static const char *const verbs[] = {"ack", "shelve"};

	for (int v = 0; v < 2; v++) {
		int r = msg_decode_command(buf, size, lim, verbs[v], &cmd), n;

		check_reason(r);
		if (r != MSG_OK)
			continue;
		fuzz_check_str(cmd.alarm_id, sizeof cmd.alarm_id);
		fuzz_check_str(cmd.note, sizeof cmd.note);
		if ((int)cmd.verb != v || cmd.alarm_id[0] == '\0' ||
		    (v == 1) != (cmd.duration_s > 0) || cmd.duration_s > MSG_SHELVE_MAX_S)
			abort();
		n = msg_encode_command(&cmd, out, sizeof out);
		if (n <= 0 || msg_decode_command(out, (size_t)n, NULL, verbs[v], &cmd2) != MSG_OK ||
		    cmd2.verb != cmd.verb || strcmp(cmd2.alarm_id, cmd.alarm_id) != 0 ||
		    strcmp(cmd2.note, cmd.note) != 0 || cmd2.has_note != cmd.has_note ||
		    cmd2.duration_s != cmd.duration_s || cmd2.has_ts != cmd.has_ts ||
		    cmd2.ts_ms != cmd.ts_ms)
			abort();
	}
	check_reason(msg_decode_command(buf, size, lim, "wo", &cmd));
}

static void
fuzz_wo_command(const char *buf, size_t size, const struct msg_limits *lim)
{
	int r = msg_decode_wo_command(buf, size, lim, &woc), n;

	check_reason(r);
	fuzz_check_zeroed(r, &woc, sizeof woc);
	if (r != MSG_OK)
		return;
	fuzz_check_str(woc.detail_json, sizeof woc.detail_json);
	if ((unsigned)woc.action >= MSG_WO_ACTION_COUNT || woc.detail_json[0] != '{')
		abort();
	n = msg_encode_wo_command(&woc, out, sizeof out);
	if (n <= 0 || msg_decode_wo_command(out, (size_t)n, NULL, &woc2) != MSG_OK ||
	    strcmp(woc2.wo_id, woc.wo_id) != 0 || woc2.action != woc.action ||
	    strcmp(woc2.reason, woc.reason) != 0 || strcmp(woc2.note, woc.note) != 0 ||
	    woc2.has_ts != woc.has_ts || woc2.ts_ms != woc.ts_ms)
		abort();
}

static void
fuzz_repair_request(const char *buf, size_t size, const struct msg_limits *lim)
{
	int r = msg_decode_repair_request(buf, size, lim, &rr), n;

	check_reason(r);
	fuzz_check_zeroed(r, &rr, sizeof rr);
	if (r != MSG_OK)
		return;
	if (rr.device[0] == '\0' && rr.location[0] == '\0')
		abort(); /* where_missing */
	n = msg_encode_repair_request(&rr, out, sizeof out);
	if (n <= 0 || msg_decode_repair_request(out, (size_t)n, NULL, &rr2) != MSG_OK ||
	    strcmp(rr2.request_id, rr.request_id) != 0 || strcmp(rr2.device, rr.device) != 0 ||
	    strcmp(rr2.location, rr.location) != 0 || rr2.category != rr.category ||
	    rr2.urgency != rr.urgency || rr2.grade != rr.grade ||
	    strcmp(rr2.skill, rr.skill) != 0 || strcmp(rr2.description, rr.description) != 0 ||
	    strcmp(rr2.contact, rr.contact) != 0 || rr2.has_ts != rr.has_ts ||
	    rr2.ts_ms != rr.ts_ms)
		abort();
}

static void
fuzz_followup(const char *buf, size_t size, const struct msg_limits *lim)
{
	int r = msg_decode_followup(buf, size, lim, &fu), n;

	check_reason(r);
	fuzz_check_zeroed(r, &fu, sizeof fu);
	if (r != MSG_OK)
		return;
	fuzz_check_str(fu.detail_json, sizeof fu.detail_json);
	if (fu.score < 1 || fu.score > 5)
		abort();
	n = msg_encode_followup(&fu, out, sizeof out);
	if (n <= 0 || msg_decode_followup(out, (size_t)n, NULL, &fu2) != MSG_OK ||
	    strcmp(fu2.wo_id, fu.wo_id) != 0 || fu2.score != fu.score ||
	    strcmp(fu2.note, fu.note) != 0 || strcmp(fu2.detail_json, fu.detail_json) != 0 ||
	    fu2.has_ts != fu.has_ts || fu2.ts_ms != fu.ts_ms)
		abort();
}

static void
fuzz_wo_request(const char *buf, size_t size, const struct msg_limits *lim)
{
	int r = msg_decode_wo_request(buf, size, lim, "riverside", &wor), n;

	check_reason(r);
	if (r != MSG_OK)
		return;
	n = msg_encode_wo_request(&wor, out, sizeof out);
	if (n <= 0 || msg_decode_wo_request(out, (size_t)n, NULL, "riverside", &wor2) != MSG_OK ||
	    memcmp(&wor, &wor2, sizeof wor) != 0)
		abort();
}

/* No encoder (dispatchd's payload is msg_encode_work_order's): what the
 * readers promise is NUL-terminated fields within their patterns. */
static void
fuzz_readers(const char *buf, size_t size, const struct msg_limits *lim)
{
	int r = msg_decode_wo_brief(buf, size, lim, &wob);

	check_reason(r);
	if (r == MSG_OK) {
		fuzz_check_str(wob.plan_id, sizeof wob.plan_id);
		fuzz_check_str(wob.idempotency_key, sizeof wob.idempotency_key);
		fuzz_check_str(wob.device, sizeof wob.device);
		if (wob.wo_id[0] == '\0' || wob.state[0] == '\0')
			abort();
	}
	r = msg_decode_wo_brief(buf, size, NULL, &wob);
	check_reason(r);
	r = msg_flat_decode(buf, size, lim, &flat);
	check_reason(r);
	if (flat.n < 0 || flat.n > MSG_FLAT_MAX || (r != MSG_OK && flat.n != 0))
		abort();
	for (int i = 0; i < flat.n; i++) {
		fuzz_check_str(flat.f[i].key, sizeof flat.f[i].key);
		fuzz_check_str(flat.f[i].value, sizeof flat.f[i].value);
		if ((unsigned)flat.f[i].type > MSG_FLAT_BOOL)
			abort();
		msg_flat_get(&flat, flat.f[i].key);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct msg_limits lim;

	msg_limits_default(&lim, 1763891300000LL);
	fuzz_command(buf, size, &lim);
	fuzz_wo_command(buf, size, &lim);
	fuzz_repair_request(buf, size, &lim);
	fuzz_followup(buf, size, &lim);
	fuzz_wo_request(buf, size, &lim);
	fuzz_readers(buf, size, &lim);
	return 0;
}

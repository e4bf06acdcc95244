/* test_json_examples.c — every payload in schemas/json/examples/ (relative to
 * the repository root, the working directory of the tests) through its
 * decoder: "<type>.valid.*.json" must decode, "<type>.invalid.<reason>.json"
 * must fail with exactly that reason. Types we only publish (alarm,
 * notification) have no decoder: each of their examples must be, byte for
 * byte, what the encoder writes for a struct given here. Conventions:
 * examples/README.md. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "msg_wo.h"

#define EXAMPLES_DIR "schemas/json/examples"
#define NOW_MS 1763891300000LL
#define MAX_FILES 512
#define MAX_FILE_BYTES (1 << 20)

enum type { TEL, EVT, STA, WOR, ACK, SHELVE, ALARM, NOTIFY, WOC, RRQ, FUP, WORK, N_TYPES };

static const char *const types[N_TYPES] = {
	"telemetry",   "event",          "status",   "wo_request",
	"command_ack", "command_shelve", "alarm",    "notification",
	"wo_command",  "repair_request", "followup", "work_order",
};

static struct msg_telemetry tel;
static struct msg_event evt;
static struct msg_status sta;
static struct msg_wo_request wor;
static struct msg_command cmd;
static struct msg_wo_command woc;
static struct msg_repair_request rrq;
static struct msg_followup fup;

/* Published types: their examples are what an encoder writes. */
#define PUBLISHED(t) ((t) == ALARM || (t) == NOTIFY || (t) == WORK)

static int
alarm_raised(char *buf, size_t cap)
{
	struct msg_alarm a = {
		.alarm_id = "A-20251123-0002",
		.site = "riverside",
		.device = "lift-02",
		.rule = "lift_entrapment",
		.severity = 1,
		.raised_at_ms = 1763891240500LL,
		.message = "\xe7\x94\xb5\xe6\xa2\xaf\xe5\x9b\xb0\xe4\xba\xba 5F",
		.transition = MSG_TR_RAISED,
		.ts_ms = 1763891240500LL,
	};
	return msg_encode_alarm(&a, buf, cap);
}

static int
alarm_closed(char *buf, size_t cap)
{
	struct msg_alarm a = {
		.alarm_id = "A-20251122-0031",
		.site = "riverside",
		.device = "tank-03",
		.rule = "tank_level_low",
		.severity = 3,
		.state = MSG_ALARM_CLOSED,
		.acked = 1,
		.acked_by = "duty-li",
		.raised_at_ms = 1763891234123LL,
		.cleared_at_ms = 1763891290000LL,
		.has_cleared_at = 1,
		.transition = MSG_TR_CLOSED,
		.escalation_level = 1,
		.wo_id = "WO-778",
		.acked_at_ms = 1763891250000LL,
		.has_acked_at = 1,
		.expected = 1,
		.actor = "duty-li",
		.note = "\xe5\xb7\xb2\xe7\xbb\xb4\xe4\xbf\xae",
		.ts_ms = 1763891295000LL,
	};
	return msg_encode_alarm(&a, buf, cap);
}

static int
notify_escalation(char *buf, size_t cap)
{
	struct msg_notification n = {
		.ts_ms = 1763891294000LL,
		.site = "riverside",
		.person = "duty-zhao",
		.kind = MSG_NOTIFY_ESCALATION,
		.alarm_id = "A-20251123-0001",
		.device = "pump-01",
		.rule = "pump_outlet_pressure_low",
		.severity = 2,
		.escalation_level = 1,
		.has_escalation_level = 1,
		.message = "pump-01 outlet pressure low, not acknowledged for 5 min",
	};
	return msg_encode_notification(&n, buf, cap);
}

static int
notify_rejected(char *buf, size_t cap)
{
	struct msg_notification n = {
		.ts_ms = 1763891296000LL,
		.site = "riverside",
		.person = "duty-li",
		.kind = MSG_NOTIFY_REJECTED,
		.alarm_id = "A-20251123-0001",
		.verb = "shelve",
		.reason = "duration_range",
		.message = "shelve at most 604800 s",
	};
	return msg_encode_notification(&n, buf, cap);
}

static int
work_order_dispatched(char *buf, size_t cap)
{
	struct msg_work_order w = {
		.wo_id = "WO-1763891240600-0",
		.site = "riverside",
		.device = "lift-02",
		.kind = "emergency",
		.priority = "emergency",
		.state = "dispatched",
		.assignee = "tech-chen",
		.skill = "elevator",
		.title = "lift-02 entrapment",
		.source = "alertd",
		.idempotency_key = "alarm:A-20251123-0002",
		.alarm_id = "A-20251123-0002",
		.created_at_ms = 1763891240600LL,
		.ts_ms = 1763891241000LL,
		.n_clocks = 6,
		.due_names = {"acknowledge", "accept", "on_site", "resolve", "reply", "followup"},
		.due_ms = {1763891540500LL, 1763891540500LL, 1763893040500LL, 0, 0, 0},
	};
	return msg_encode_work_order(&w, buf, cap);
}

/* The published examples and the encoder calls that must reproduce them. */
static const struct encoded {
	const char *file;
	int (*encode)(char *buf, size_t cap);
} encoded[] = {
	{"alarm.valid.raised.json", alarm_raised},
	{"alarm.valid.closed.json", alarm_closed},
	{"notification.valid.escalation.json", notify_escalation},
	{"notification.valid.rejected_shelve.json", notify_rejected},
	{"work_order.valid.dispatched.json", work_order_dispatched},
};

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads a whole file into a buffer of exactly its size (ASan guards it). */
static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *tmp = malloc(MAX_FILE_BYTES), *exact;
	size_t n;

	assert_non_null(f);
	assert_non_null(tmp);
	n = fread(tmp, 1, MAX_FILE_BYTES, f);
	assert_true(n < MAX_FILE_BYTES);
	fclose(f);
	exact = malloc(n ? n : 1);
	assert_non_null(exact);
	memcpy(exact, tmp, n);
	free(tmp);
	*len = n;
	return exact;
}

/* A msg.h or msg_wo.h reason by name; -1 when neither has it. */
static int
reason_by_name(const char *name)
{
	for (int r = 0; r < MSG_REASON_COUNT; r++)
		if (strcmp(msg_reason_name(r), name) == 0)
			return r;
	for (int r = MSG_WO_ERR_FIRST; r < MSG_WO_ERR_END; r++)
		if (strcmp(msg_wo_reason_name(r), name) == 0)
			return r;
	return -1;
}

static void
check_encoded(const char *file, const char *buf, size_t len)
{
	char out[4096];
	int n = -1;

	for (size_t i = 0; i < sizeof(encoded) / sizeof(encoded[0]); i++)
		if (strcmp(encoded[i].file, file) == 0)
			n = encoded[i].encode(out, sizeof(out));
	if (n < 0)
		fail_msg("%s: no encoder call for it in test_json_examples.c", file);
	if ((size_t)n != len || memcmp(out, buf, len) != 0)
		fail_msg("%s: the encoder writes\n%s", file, out);
}

static int
decode(enum type t, const char *buf, size_t len, const struct msg_limits *lim)
{
	switch (t) {
	case TEL:
		return msg_decode_telemetry(buf, len, lim, "riverside", "pump-01", &tel);
	case EVT:
		return msg_decode_event(buf, len, lim, "riverside", "pump-01", &evt);
	case STA:
		return msg_decode_status(buf, len, lim, "riverside", "pump-01", &sta);
	case WOR:
		return msg_decode_wo_request(buf, len, lim, "riverside", &wor);
	case ACK:
		return msg_decode_command(buf, len, lim, "ack", &cmd);
	case SHELVE:
		return msg_decode_command(buf, len, lim, "shelve", &cmd);
	case WOC:
		return msg_decode_wo_command(buf, len, lim, &woc);
	case RRQ:
		return msg_decode_repair_request(buf, len, lim, &rrq);
	case FUP:
		return msg_decode_followup(buf, len, lim, &fup);
	default:
		return -1;
	}
}

/* Checks one file; returns its type. */
static enum type
check_example(const char *file, int *is_valid)
{
	char type[32], validity[16], what[128], path[512];
	struct msg_limits lim;
	int want, got;
	size_t len;
	int t;
	char *buf;

	if (sscanf(file, "%31[a-z_].%15[a-z].%127[a-z0-9_].json", type, validity, what) != 3 ||
	    strlen(type) + strlen(validity) + strlen(what) + 7 != strlen(file))
		fail_msg("%s: name is not <type>.<valid|invalid>.<what>.json", file);
	for (t = 0; t < N_TYPES && strcmp(types[t], type) != 0; t++)
		;
	if (t == N_TYPES)
		fail_msg("%s: unknown type %s", file, type);
	*is_valid = strcmp(validity, "valid") == 0;
	if (*is_valid) {
		want = MSG_OK;
	} else if (strcmp(validity, "invalid") == 0) {
		want = reason_by_name(what);
		if (want <= MSG_OK)
			fail_msg("%s: %s is not a reason name", file, what);
	} else {
		fail_msg("%s: neither valid nor invalid", file);
		return N_TYPES;
	}

	snprintf(path, sizeof(path), "%s/%s", EXAMPLES_DIR, file);
	buf = read_file(path, &len);
	if (PUBLISHED(t)) {
		if (!*is_valid)
			fail_msg("%s: published types have no invalid examples", file);
		check_encoded(file, buf, len);
		free(buf);
		return (enum type)t;
	}
	msg_limits_default(&lim, NOW_MS);
	got = decode((enum type)t, buf, len, &lim);
	free(buf);
	if (got != want)
		fail_msg("%s: got %s, want %s", file, msg_wo_reason_name(got),
			 msg_wo_reason_name(want));
	return (enum type)t;
}

static void
test_examples(void **state)
{
	char *names[MAX_FILES];
	int n = 0, valid[N_TYPES] = {0}, invalid[N_TYPES] = {0};
	struct dirent *de;
	DIR *d = opendir(EXAMPLES_DIR);
	(void)state;

	if (d == NULL)
		fail_msg("cannot open %s (run from the repository root)", EXAMPLES_DIR);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 5, ".json") != 0)
			continue;
		assert_true(n < MAX_FILES);
		names[n] = strdup(de->d_name);
		assert_non_null(names[n]);
		n++;
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_names);
	for (int i = 0; i < n; i++) {
		int is_valid = 0;
		enum type t = check_example(names[i], &is_valid);
		if (is_valid)
			valid[t]++;
		else
			invalid[t]++;
	}
	print_message("%d examples (valid/invalid):", n);
	for (int t = 0; t < N_TYPES; t++)
		print_message(" %s %d/%d", types[t], valid[t], invalid[t]);
	print_message("\n");
	/* Every type has examples; every decoded one, of both kinds. */
	for (int t = 0; t < N_TYPES; t++) {
		assert_true(valid[t] > 0);
		assert_true(invalid[t] > 0 || PUBLISHED(t));
	}
	/* No encoder call is left without its file. */
	for (size_t i = 0; i < sizeof(encoded) / sizeof(encoded[0]); i++) {
		size_t k = 0;
		while (k < (size_t)n && strcmp(encoded[i].file, names[k]) != 0)
			k++;
		if (k == (size_t)n)
			fail_msg("%s: file missing", encoded[i].file);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

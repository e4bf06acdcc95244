/* it_alertd_store.c — alertd's persistence (services/alertd/store*.c)
 * against the real PostgreSQL of tests/it/run.sh, connected as a member of
 * fm_alertd so that the grants are tested too: transitions land in alarms
 * and alarm_events exactly once, restore brings back the open alarms and the
 * journal's unwritten tail, appends go on while PostgreSQL is down, a record
 * PostgreSQL refuses is skipped, and missed events come back in order. */
#include "alertd/alarm.h"
#include "alertd/store.h"
#include "daemon.h"
#include "db.h"
#include "log.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "it_servers.h"

static struct db *admin; /* the test's own superuser connection */
static char conninfo[1024];
static char tmpdir[] = "/tmp/it_alertd_store.XXXXXX";
static const long long t0_ms = 1763891234123LL;

/* Runs sql (with one parameter unless param is NULL) as the superuser and
 * returns the first field of the first row (static buffer, "(null)" for
 * NULL, "(none)" for no row). */
static const char *
scalar(const char *sql, const char *param)
{
	static char buf[1024];
	struct db_res *r = NULL;
	const char *v, *p[1] = {param};

	/* Twice: the first use after PostgreSQL restarted finds the connection
	 * lost. */
	for (int i = 0; i < 2 && !r; i++)
		if (db_connect_retry(admin, 20000, 500, NULL) == DB_OK)
			db_exec(admin, sql, param ? 1 : 0, param ? p : NULL, &r);
	if (!r)
		fail_msg("%s: %s", sql, db_error(admin));
	v = db_res_rows(r) ? db_res_get(r, 0, 0) : "(none)";
	snprintf(buf, sizeof buf, "%s", v ? v : "(null)");
	db_res_free(r);
	return buf;
}

static struct alert_store *
open_store(const char *instance)
{
	char dir[256];
	struct alert_store_opts o = {
		.journal_dir = dir,
		.instance = instance,
		.fsync = SPOOL_FSYNC_NEVER,
		.batch_rows = 3, /* several batches per test */
		.alive_interval_ms = 200,
	};
	struct alert_store *s;

	snprintf(dir, sizeof dir, "%s/%s", tmpdir, instance);
	s = alert_store_open(&o, conninfo);
	assert_non_null(s);
	return s;
}

/* What restore handed back of this test's alarms (their ids start with
 * prefix): the alarms table is shared by every instance and test. */
struct restored {
	char prefix[32];
	int n;
	struct alarm_rec recs[16];
};

static void
collect(void *ctx, const struct alarm_rec *rec)
{
	struct restored *r = ctx;

	if (strncmp(rec->alarm_id, r->prefix, strlen(r->prefix)) != 0)
		return;
	assert_true(r->n < 16);
	r->recs[r->n++] = *rec;
}

/* One alarm driven through the real lifecycle; every transition journaled. */
struct life {
	char id[ALARM_ID_SIZE];
	const char *device;
	struct alarm a;
	struct alarm_policy p;
};

static void
fill_rec(struct alarm_rec *rec, const struct life *l, enum alarm_transition t, long long now,
	 const char *actor, const char *note)
{
	memset(rec, 0, sizeof *rec);
	rec->version = ALARM_REC_VERSION;
	snprintf(rec->alarm_id, sizeof rec->alarm_id, "%s", l->id);
	snprintf(rec->site, sizeof rec->site, "site1");
	snprintf(rec->device, sizeof rec->device, "%s", l->device);
	snprintf(rec->rule, sizeof rec->rule, "pump_outlet_pressure_low");
	rec->severity = 2;
	rec->t = t;
	rec->ts_ms = now;
	snprintf(rec->actor, sizeof rec->actor, "%s", actor ? actor : "alertd");
	snprintf(rec->note, sizeof rec->note, "%s", note ? note : "");
	rec->a = l->a;
	snprintf(rec->message, sizeof rec->message, "出水压力低 %s", l->device);
}

/* Applies ev at t0 + at_s seconds and journals its transitions; returns
 * how many. */
static int
journal(struct alert_store *s, struct life *l, enum alarm_event ev, int at_s, const char *actor,
	const char *note)
{
	struct alarm_input in = {.ev = ev, .actor = actor, .has_value = 1, .value = 95.25};
	struct alarm_out out;
	struct alarm_rec rec;
	long long now = t0_ms + at_s * 1000LL;

	assert_int_equal(alarm_apply(&l->a, &l->p, &in, now, &out), ALARM_OK);
	for (int i = 0; i < out.n; i++) {
		fill_rec(&rec, l, out.t[i], now, actor, note);
		assert_int_equal(alert_store_append(s, &rec), 0);
	}
	return out.n;
}

/* Polls the stats until nothing is pending, up to 20 s. */
static void
wait_drained(struct alert_store *s, long long want_written)
{
	struct alert_store_stats st;

	for (int i = 0; i < 1000; i++) {
		alert_store_stats(s, &st);
		if (st.pending == 0 && st.records_written + st.skipped >= want_written)
			return;
		usleep(20 * 1000);
	}
	fail_msg("not drained: pending=%lld written=%lld", st.pending, st.records_written);
}

static struct alert_store *
open_restored(const char *instance, struct restored *r)
{
	struct alert_store *s = open_store(instance);

	memset(r, 0, sizeof *r);
	snprintf(r->prefix, sizeof r->prefix, "%s-", instance);
	assert_int_equal(alert_store_restore(s, collect, r), 0);
	return s;
}

static void
test_transitions_written_and_restored(void **state)
{
	struct restored r;
	struct alert_store *s = open_restored("seq", &r);
	struct alert_store_stats st;
	struct life a = {.id = "seq-a", .device = "pump1"}, b = {.id = "seq-b", .device = "pump2"};

	(void)state;
	assert_int_equal(r.n, 0);
	assert_int_equal(alert_store_alive_at(s), 0);
	assert_int_equal(alert_store_start(s), 0);
	assert_int_equal(journal(s, &a, ALARM_EV_RAISE, 0, NULL, NULL), 1);
	assert_int_equal(journal(s, &a, ALARM_EV_ACK, 60, "duty_li", "on my way"), 1);
	assert_int_equal(journal(s, &a, ALARM_EV_CLEAR, 120, NULL, NULL), 2); /* + closed */
	assert_int_equal(journal(s, &b, ALARM_EV_RAISE, 130, NULL, NULL), 1);
	wait_drained(s, 5);
	alert_store_stats(s, &st);
	assert_int_equal(st.records_appended, 5);
	assert_int_equal(st.records_written, 5);
	assert_int_equal(st.skipped, 0);
	assert_true(st.batches >= 2); /* batch_rows 3 */
	assert_true(st.db_up);
	/* The writer logs in as the daemon's role, not as the superuser. */
	assert_string_equal(scalar("SELECT count(*) FROM pg_stat_activity WHERE"
				   " usename = 'it_alertd' AND application_name = 'alertd-writer'",
				   NULL),
			    "1");

	assert_string_equal(scalar("SELECT state || ' ' || acked || ' ' || acked_by || ' ' ||"
				   " acked_note || ' ' || (closed_at IS NOT NULL) FROM alarms"
				   " WHERE alarm_id = $1",
				   "seq-a"),
			    "closed true duty_li on my way true");
	assert_string_equal(scalar("SELECT string_agg(transition || '/' || actor ||"
				   " COALESCE('/' || (detail->>'note'), ''), ',' ORDER BY id)"
				   " FROM alarm_events WHERE alarm_id = $1",
				   "seq-a"),
			    "raised/alertd,acked/duty_li/on my way,cleared/alertd,closed/alertd");
	assert_string_equal(scalar("SELECT (detail->>'value')::float8 || ' ' ||"
				   " (detail->>'expected') || ' ' || (detail ? 'note') || ' ' ||"
				   " (extract(epoch from ts) * 1000)::bigint FROM alarm_events"
				   " WHERE alarm_id = $1 AND transition = 'raised'",
				   "seq-a"),
			    "95.25 false false 1763891234123");
	assert_string_equal(
		scalar("SELECT state || ' ' || acked || ' ' || value || ' ' ||"
		       " (extract(epoch from raised_at) * 1000)::bigint || ' ' || message"
		       " FROM alarms WHERE alarm_id = $1",
		       "seq-b"),
		"active false 95.25 1763891364123 出水压力低 pump2");
	/* The position and alive_at commit with the rows. */
	assert_string_equal(scalar("SELECT alive_at > now() - interval '1 minute'"
				   " FROM alertd_journal_position WHERE instance = $1",
				   "seq"),
			    "t");
	alert_store_close(s);

	/* Only the open alarm comes back, as PostgreSQL holds it. */
	s = open_restored("seq", &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.recs[0].alarm_id, "seq-b");
	assert_int_equal(r.recs[0].a.state, ALARM_ACTIVE_UNACKED);
	assert_int_equal(r.recs[0].a.raised_at_ms, b.a.raised_at_ms);
	assert_int_equal(r.recs[0].a.last_notified_ms, b.a.last_notified_ms);
	assert_true(r.recs[0].a.has_value);
	assert_true(r.recs[0].a.value == 95.25);
	assert_int_equal(r.recs[0].t, ALARM_T_RAISED);
	assert_string_equal(r.recs[0].device, "pump2");
	assert_int_equal(r.recs[0].severity, 2);
	assert_true(alert_store_alive_at(s) > 0);
	alert_store_stats(s, &st);
	assert_int_equal(st.pending, 0);
	alert_store_close(s);
}

static void
test_refused_record_is_skipped(void **state)
{
	struct restored r;
	struct alert_store *s = open_restored("poison", &r);
	struct alert_store_stats st;
	struct alarm_rec rec;
	struct life a = {.id = "poison-a", .device = "pump1"},
		    c = {.id = "poison-c", .device = "pump3"};

	(void)state;
	assert_int_equal(alert_store_start(s), 0);
	journal(s, &a, ALARM_EV_RAISE, 0, NULL, NULL);
	fill_rec(&rec, &a, ALARM_T_RAISED, t0_ms, NULL, NULL);
	snprintf(rec.alarm_id, sizeof rec.alarm_id, "poison-bad");
	rec.severity = 9; /* alarms_severity refuses it, forever */
	assert_int_equal(alert_store_append(s, &rec), 0);
	journal(s, &c, ALARM_EV_RAISE, 1, NULL, NULL);
	fill_rec(&rec, &c, ALARM_T_FLAPPING, t0_ms + 1000, NULL, NULL); /* allowed by 008 */
	assert_int_equal(alert_store_append(s, &rec), 0);
	wait_drained(s, 4);
	alert_store_stats(s, &st);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(st.records_written, 3);
	assert_string_equal(
		scalar("SELECT string_agg(alarm_id || ':' || transition, ',' ORDER BY id)"
		       " FROM alarm_events WHERE alarm_id LIKE 'poison-%'",
		       NULL),
		"poison-a:raised,poison-c:raised,poison-c:flapping");
	/* The writer goes on after it. */
	journal(s, &a, ALARM_EV_CLEAR, 2, NULL, NULL);
	wait_drained(s, 5);
	assert_string_equal(scalar("SELECT state FROM alarms WHERE alarm_id = $1", "poison-a"),
			    "cleared");
	alert_store_close(s);
}

static void *
stop_later(void *arg)
{
	(void)arg;
	usleep(300 * 1000);
	daemon_stop = 1;
	return NULL;
}

static void
test_postgres_outage(void **state)
{
	struct restored r;
	struct alert_store *s = open_restored("outage", &r), *waiting;
	struct alert_store_stats st;
	struct life c = {.id = "outage-c", .device = "pump1"},
		    d = {.id = "outage-d", .device = "pump2"};
	pthread_t th;
	long long t;

	(void)state;
	assert_int_equal(alert_store_start(s), 0);
	it_servers("stop-pg");
	t = (long long)time(NULL);
	assert_int_equal(journal(s, &c, ALARM_EV_RAISE, 0, NULL, NULL), 1);
	assert_int_equal(journal(s, &d, ALARM_EV_RAISE, 1, NULL, NULL), 1);
	assert_int_equal(journal(s, &c, ALARM_EV_ACK, 2, "duty_wang", NULL), 1);
	assert_true((long long)time(NULL) - t <= 1); /* appends never wait on PostgreSQL */
	usleep(1500 * 1000);
	alert_store_stats(s, &st);
	assert_int_equal(st.pending, 3);
	assert_int_equal(st.records_written, 0);
	assert_false(st.db_up);
	assert_true(st.journal_bytes > 3 * (long long)sizeof(struct alarm_rec));

	/* Restore waits for PostgreSQL, and gives up when the daemon stops. */
	waiting = open_store("outage-waiting");
	assert_int_equal(pthread_create(&th, NULL, stop_later, NULL), 0);
	memset(&r, 0, sizeof r);
	assert_int_equal(alert_store_restore(waiting, collect, &r), -1);
	pthread_join(th, NULL);
	daemon_stop = 0;
	assert_int_equal(r.n, 0);
	alert_store_close(waiting);

	it_servers("start-pg");
	wait_drained(s, 3);
	alert_store_stats(s, &st);
	assert_int_equal(st.records_written, 3);
	assert_true(st.db_up);
	assert_true(st.write_errors >= 1);
	assert_string_equal(
		scalar("SELECT string_agg(alarm_id || ':' || transition, ',' ORDER BY id)"
		       " FROM alarm_events WHERE alarm_id LIKE 'outage-%'",
		       NULL),
		"outage-c:raised,outage-d:raised,outage-c:acked");
	assert_string_equal(scalar("SELECT string_agg(alarm_id || ':' || state || ':' || acked, ','"
				   " ORDER BY alarm_id) FROM alarms WHERE alarm_id LIKE 'outage-%'",
				   NULL),
			    "outage-c:active:true,outage-d:active:false");
	alert_store_close(s);
}

static void
test_unwritten_tail_survives_restart(void **state)
{
	struct restored r;
	struct alert_store *s = open_restored("restart", &r);
	struct alert_store_stats st;
	struct life e = {.id = "restart-e", .device = "pump1"};

	(void)state;
	assert_int_equal(alert_store_start(s), 0);
	journal(s, &e, ALARM_EV_RAISE, 0, NULL, NULL);
	wait_drained(s, 1);
	/* PostgreSQL goes away, then alertd stops before it could write more. */
	it_servers("stop-pg");
	journal(s, &e, ALARM_EV_ACK, 10, "duty_zhao", "checking");
	journal(s, &e, ALARM_EV_CLEAR, 20, NULL, NULL); /* cleared + closed */
	alert_store_close(s);
	it_servers("start-pg");

	/* Twice: a restart that does not get to write changes nothing. */
	for (int round = 0; round < 2; round++) {
		s = open_restored("restart", &r);
		assert_int_equal(r.n, 4);
		assert_string_equal(r.recs[0].alarm_id, "restart-e"); /* from PostgreSQL */
		assert_int_equal(r.recs[0].a.state, ALARM_ACTIVE_UNACKED);
		assert_int_equal(r.recs[1].t, ALARM_T_ACKED); /* then the journal, in order */
		assert_string_equal(r.recs[1].note, "checking");
		assert_int_equal(r.recs[2].t, ALARM_T_CLEARED);
		assert_int_equal(r.recs[3].t, ALARM_T_CLOSED);
		assert_int_equal(r.recs[3].a.state, ALARM_CLOSED);
		alert_store_stats(s, &st);
		assert_int_equal(st.pending, 3);
		if (round == 1)
			break;
		alert_store_close(s);
	}
	assert_int_equal(alert_store_start(s), 0);
	wait_drained(s, 3);
	alert_store_stats(s, &st);
	assert_int_equal(st.records_written, 3);
	assert_string_equal(scalar("SELECT string_agg(transition, ',' ORDER BY id)"
				   " FROM alarm_events WHERE alarm_id = $1",
				   "restart-e"),
			    "raised,acked,cleared,closed");
	assert_string_equal(scalar("SELECT state || ' ' || acked_by FROM alarms"
				   " WHERE alarm_id = $1",
				   "restart-e"),
			    "closed duty_zhao");
	alert_store_close(s);

	/* Written: nothing comes back from the journal any more. */
	s = open_restored("restart", &r);
	assert_int_equal(r.n, 0);
	alert_store_close(s);
}

/* The events missed_events reported, as "device/event/active/ts-t0/seq;". */
static void
seen_event(void *ctx, const char *device, const char *event, int active, long long ts_ms,
	   long long seq)
{
	char *buf = ctx;
	size_t len = strlen(buf);

	snprintf(buf + len, 512 - len, "%s/%s/%d/%lld/%lld;", device, event, active, ts_ms - t0_ms,
		 seq);
}

static void
test_missed_events(void **state)
{
	struct restored r;
	struct alert_store *s = open_restored("missed", &r);
	char seen[512] = "";

	(void)state;
	/* As ingestd stores them; one at each edge of the window and two at the
	 * same instant. */
	scalar("INSERT INTO events (ts, site_id, device_id, event, state, seq) SELECT"
	       " 'epoch'::timestamptz + (1763891234123 + d) * interval '1 millisecond',"
	       " 'site1', dev, ev, st, seq FROM (VALUES"
	       " (0, 'lift1', 'entrapment', 'active', 1),"
	       " (1, 'lift1', 'entrapment', 'cleared', 2),"
	       " (5000, 'flood1', 'flood', 'active', 9),"
	       " (5000, 'fire1', 'fire', 'active', 7),"
	       " (9000, 'lift1', 'entrapment', 'active', 3),"
	       " (9001, 'lift1', 'entrapment', 'cleared', 4)) AS v(d, dev, ev, st, seq)"
	       " RETURNING 1",
	       NULL);
	assert_int_equal(alert_store_missed_events(s, t0_ms, t0_ms + 9000, seen_event, seen), 0);
	assert_string_equal(seen, "lift1/entrapment/0/1/2;fire1/fire/1/5000/7;"
				  "flood1/flood/1/5000/9;lift1/entrapment/1/9000/3;");
	seen[0] = '\0';
	assert_int_equal(
		alert_store_missed_events(s, t0_ms + 9001, t0_ms + 99999, seen_event, seen), 0);
	assert_string_equal(seen, "");
	alert_store_close(s);
}

static int
setup(void **state)
{
	const char *base = getenv("FM_DB_CONNINFO"), *bin = getenv("FM_BIN");
	char cmd[1024];

	(void)state;
	log_set_prog("it_alertd_store");
	if (!base || !getenv("FM_IT_DIR")) {
		fprintf(stderr, "it_alertd_store: run under tests/it/run.sh\n");
		return -1;
	}
	snprintf(cmd, sizeof cmd, "%s/fmctl migrate >/dev/null", bin ? bin : "build/bin");
	if (system(cmd) != 0 || !mkdtemp(tmpdir))
		return -1;
	admin = db_new(base);
	if (db_connect_retry(admin, 10000, 1000, NULL) != DB_OK)
		return -1;
	/* A login role of the daemon's group: the store gets only its grants. */
	if (db_exec(admin,
		    "DO $$BEGIN CREATE ROLE it_alertd LOGIN IN ROLE fm_alertd;"
		    " EXCEPTION WHEN duplicate_object THEN NULL; END$$",
		    0, NULL, NULL) != DB_OK)
		return -1;
	snprintf(conninfo, sizeof conninfo, "%s user=it_alertd", base);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[256];

	(void)state;
	db_free(admin);
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transitions_written_and_restored),
		cmocka_unit_test(test_refused_record_is_skipped),
		cmocka_unit_test(test_postgres_outage),
		cmocka_unit_test(test_unwritten_tail_survives_restart),
		cmocka_unit_test(test_missed_events),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

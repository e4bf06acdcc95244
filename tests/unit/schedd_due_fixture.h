/* schedd_due_fixture.h — what the next-due tests share: a table row (zone,
 * plan, history, now and the occurrence wanted, all written as text so each
 * row can be checked by hand against a calendar and zdump) and the loop that
 * plays a table. */
#ifndef TEST_SCHEDD_DUE_FIXTURE_H
#define TEST_SCHEDD_DUE_FIXTURE_H

#include "schedd/due.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define SH "Asia/Shanghai"
#define BER "Europe/Berlin"
#define HOUR_MS 3600000LL

struct due_case {
	const char *name;
	const char *zone;
	/* The plan: anchor_date set = fixed, NULL = floating; window
	 * "HH:MM-HH:MM" or NULL. */
	enum due_unit unit;
	int every;
	const char *anchor_date;
	const char *window;
	long long lead_h;
	/* The history: RFC 3339 and "YYYY-MM-DD", or NULL for none. */
	const char *last_done;
	const char *last_req;
	const char *now;
	/* Wanted: end and publish NULL = not checked and due - lead. */
	enum due_state state;
	const char *date;
	const char *due;
	const char *end;
	const char *publish;
	long long missed;
};

static inline long long
fx_at(const char *rfc3339)
{
	long long ms = 0;

	if (tu_parse_rfc3339(rfc3339, &ms) != 0)
		fail_msg("bad test timestamp %s", rfc3339);
	return ms;
}

static inline struct due_date
fx_date(const char *s)
{
	struct due_date d = {0, 0, 0};

	if (sscanf(s, "%d-%d-%d", &d.year, &d.month, &d.day) != 3)
		fail_msg("bad test date %s", s);
	return d;
}

static inline void
fx_zone(const char *name, struct tu_zone *z)
{
	if (tu_tz_load(name, z) != 0)
		fail_msg("cannot load zone %s", name);
}

static inline void
fx_plan(const struct due_case *c, struct due_plan *p)
{
	int h1, m1, h2, m2;

	memset(p, 0, sizeof(*p));
	p->unit = c->unit;
	p->every = c->every;
	p->anchor = c->anchor_date ? DUE_FIXED : DUE_FLOATING;
	if (c->anchor_date)
		p->anchor_date = fx_date(c->anchor_date);
	if (c->window) {
		if (sscanf(c->window, "%d:%d-%d:%d", &h1, &m1, &h2, &m2) != 4)
			fail_msg("bad test window %s", c->window);
		p->has_window = 1;
		p->window_start_s = h1 * 3600 + m1 * 60;
		p->window_end_s = h2 * 3600 + m2 * 60;
	}
	p->lead_ms = c->lead_h * HOUR_MS;
}

static inline void
fx_history(const struct due_case *c, struct due_history *h)
{
	memset(h, 0, sizeof(*h));
	if (c->last_done) {
		h->has_last_done = 1;
		h->last_done_ms = fx_at(c->last_done);
	}
	if (c->last_req) {
		h->has_last_requested = 1;
		h->last_requested = fx_date(c->last_req);
	}
}

static inline void
fx_run(const struct due_case *t, size_t n)
{
	static struct tu_zone z; /* 26 KiB: not on the stack */

	for (size_t i = 0; i < n; i++) {
		const struct due_case *c = &t[i];
		struct due_plan p;
		struct due_history h;
		struct due_result r;
		char date[DUE_DATE_LEN];
		long long due_ms = fx_at(c->due);

		fx_zone(c->zone, &z);
		fx_plan(c, &p);
		fx_history(c, &h);
		if (due_next(&p, &z, &h, fx_at(c->now), &r) != 0)
			fail_msg("%s: due_next failed", c->name);
		assert_int_equal(due_date_format(&r.date, date, sizeof(date)), 10);
		if (r.state != c->state || strcmp(date, c->date) != 0 || r.due_ms != due_ms ||
		    r.missed != c->missed)
			fail_msg("%s: state %d date %s due %lld missed %lld; want %d %s %lld %lld",
				 c->name, r.state, date, r.due_ms, r.missed, c->state, c->date,
				 due_ms, c->missed);
		if (c->end && r.window_end_ms != fx_at(c->end))
			fail_msg("%s: window end %lld, want %s", c->name, r.window_end_ms, c->end);
		if (r.publish_ms != (c->publish ? fx_at(c->publish) : due_ms - p.lead_ms))
			fail_msg("%s: publish %lld", c->name, r.publish_ms);
	}
}

#endif

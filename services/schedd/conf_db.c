/* conf_db.c — loading schedd's configuration from PostgreSQL in one
 * read-only snapshot: sites and their zones, the enabled plans mapped onto
 * sched_plan, and the instances the database expands from the plans'
 * targets (the same rule as pm_plan_covers: on the plan's site if it has
 * one; the devices named, or of its asset types carrying all its tags).
 * Then pm_state (state.c). A row this build cannot take fails the load, so
 * a bad configuration never half-replaces a good one. */
#include "schedd/conf_db.h"
#include "schedd/state.h"
#include "db.h"
#include "cdb.h"
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SNAPSHOT "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
/* run-hours and the like: a device that went silent while running counts
 * at most this long */
#define METER_MAX_GAP_MS (15 * 60 * 1000LL)

static const char sites_sql[] =
	"SELECT site_id, timezone FROM sites ORDER BY site_id COLLATE \"C\"";

static const char plans_sql[] =
	"SELECT plan_id, name, coalesce(site_id, ''), site_level, coalesce(calendar_unit, ''),"
	" coalesce(calendar_count, 0), anchor, coalesce(to_char(anchor_date, 'YYYY-MM-DD'), ''),"
	" coalesce(extract(epoch FROM window_start)::int, -1),"
	" coalesce(extract(epoch FROM window_end)::int, -1),"
	" (extract(epoch FROM lead_time) * 1000)::bigint, coalesce(skill, ''),"
	" coalesce(assignee, ''), priority, statutory,"
	" (extract(epoch FROM overdue_after) * 1000)::bigint,"
	" (extract(epoch FROM escalate_after) * 1000)::bigint,"
	" array_to_string(overdue_notify, ','), array_to_string(escalate, ','),"
	" coalesce(to_char(last_done, 'YYYY-MM-DD'), ''), coalesce(meter_metric, ''),"
	" coalesce(meter_kind, ''), coalesce(meter_interval, 0)"
	" FROM pm_plans WHERE enabled ORDER BY plan_id COLLATE \"C\"";

static const char sets_sql[] =
	"SELECT p.plan_id, s.v->>'name', s.v->>'unit', s.v->>'count', s.v->>'anchor_date'"
	" FROM pm_plans p, jsonb_array_elements(p.item_sets) WITH ORDINALITY AS s (v, i)"
	" WHERE p.enabled ORDER BY p.plan_id COLLATE \"C\", s.i";

static const char insts_sql[] =
	"SELECT dev, plan, site FROM ("
	" SELECT d.device_id AS dev, p.plan_id AS plan, d.site_id AS site"
	" FROM pm_plans p JOIN devices d ON (p.site_id IS NULL OR d.site_id = p.site_id)"
	" AND (d.device_id = ANY (p.device_ids)"
	" OR (d.asset_type = ANY (p.asset_types) AND d.tags @> p.target_tags))"
	" WHERE p.enabled AND NOT p.site_level"
	" UNION ALL SELECT '', plan_id, site_id FROM pm_plans WHERE enabled AND site_level) u"
	" ORDER BY dev COLLATE \"C\", plan COLLATE \"C\"";

struct load {
	struct db *db;
	char *err;
	size_t errcap;
};

static int
fail(struct load *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(struct load *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->err, l->errcap, fmt, ap);
	va_end(ap);
	for (char *p = l->err; *p; p++) /* libpq's messages hold newlines */
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return -1;
}

static int
query(struct load *l, const char *what, const char *sql, struct db_res **res)
{
	if (db_exec(l->db, sql, 0, NULL, res) != DB_OK)
		return fail(l, "%s: %s", what, db_error(l->db));
	return 0;
}

static int
copy(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n >= cap)
		return -1;
	memcpy(dst, s, n + 1);
	return 0;
}

static long long
num(const char *s, int *bad)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		*bad = 1;
	return v;
}

/* "a,b,c" (array_to_string of identifiers) into an empty list. */
static void
split_list(const char *s, struct cfg_strlist *out)
{
	const char *p = s;

	while (*p) {
		size_t n = strcspn(p, ",");

		out->v = realloc(out->v, (out->n + 1) * sizeof *out->v);
		out->line = realloc(out->line, (out->n + 1) * sizeof *out->line);
		if (!out->v || !out->line)
			fatal("out of memory");
		out->v[out->n] = xmalloc(n + 1);
		memcpy(out->v[out->n], p, n);
		out->v[out->n][n] = '\0';
		out->line[out->n++] = 0;
		p += n + (p[n] == ',');
	}
}

static int
load_sites(struct load *l, struct sched_conf *c)
{
	struct db_res *r;
	int rc = 0;

	if (query(l, "sites", sites_sql, &r) < 0)
		return -1;
	c->n_sites = db_res_rows(r);
	c->sites = xcalloc(c->n_sites + 1, sizeof *c->sites);
	c->zones = xcalloc(c->n_sites + 1, sizeof *c->zones);
	for (size_t i = 0; i < c->n_sites && rc == 0; i++) {
		const char *tz = db_res_get(r, i, 1);

		if (copy(c->sites[i], sizeof c->sites[i], db_res_get(r, i, 0)) < 0)
			rc = fail(l, "sites: row %zu: site_id too long", i);
		else if (!tz || !tu_tz_name_valid(tz) || tu_tz_load(tz, &c->zones[i]) != 0)
			rc = fail(l, "site %s: time zone '%s' does not load", c->sites[i],
				  tz ? tz : "");
	}
	db_res_free(r);
	return rc;
}

/* The calendar columns 4..10 onto p->due. */
static int
plan_calendar(struct sched_plan *p, const struct db_res *r, size_t i, int *bad)
{
	const char *unit = db_res_get(r, i, 4), *anchor = db_res_get(r, i, 7);
	long long ws = num(db_res_get(r, i, 8), bad), we = num(db_res_get(r, i, 9), bad);
	int u = reg_name_index(pm_unit_names, unit);

	p->due.lead_ms = num(db_res_get(r, i, 10), bad);
	p->has_calendar = unit[0] != '\0';
	if (!p->has_calendar)
		return 0;
	if (u < 0)
		return -1;
	p->due.unit = (enum due_unit)u; /* the same order as pm_unit */
	p->due.every = (int)num(db_res_get(r, i, 5), bad);
	p->due.anchor = strcmp(db_res_get(r, i, 6), "fixed") == 0 ? DUE_FIXED : DUE_FLOATING;
	if (anchor[0] && sscanf(anchor, "%d-%d-%d", &p->due.anchor_date.year,
				&p->due.anchor_date.month, &p->due.anchor_date.day) != 3)
		return -1;
	p->due.has_window = ws >= 0 && we >= 0;
	p->due.window_start_s = (int)(ws % 86400);
	p->due.window_end_s = (int)(we % 86400); /* 24:00 is the next midnight */
	return due_plan_valid(&p->due) ? 0 : -1;
}

static int
plan_meter(struct sched_plan *p, const struct db_res *r, size_t i)
{
	const char *metric = db_res_get(r, i, 20);
	int kind = reg_name_index(pm_meter_kind_names, db_res_get(r, i, 21));

	p->has_meter = metric[0] != '\0';
	if (!p->has_meter)
		return 0;
	if (kind < 0 || copy(p->meter_metric, sizeof p->meter_metric, metric) < 0)
		return -1;
	p->meter.kind = (enum meter_kind)kind; /* the same order as pm_meter_kind */
	/* run_hours grows one an hour at most: a bigger step is a new counter */
	p->meter.max_rate_per_h = strcmp(metric, "run_hours") == 0 ? 1 : 0;
	p->meter.max_gap_ms = METER_MAX_GAP_MS;
	p->meter_every = strtod(db_res_get(r, i, 22), NULL);
	return meter_conf_valid(&p->meter) && p->meter_every > 0 ? 0 : -1;
}

static int
plan_row(struct sched_plan *p, const struct db_res *r, size_t i)
{
	const char *last = db_res_get(r, i, 19);
	int bad = 0;

	if (copy(p->id, sizeof p->id, db_res_get(r, i, 0)) < 0 ||
	    copy(p->name, sizeof p->name, db_res_get(r, i, 1)) < 0 ||
	    copy(p->site, sizeof p->site, db_res_get(r, i, 2)) < 0 ||
	    copy(p->skill, sizeof p->skill, db_res_get(r, i, 11)) < 0 ||
	    copy(p->assignee, sizeof p->assignee, db_res_get(r, i, 12)) < 0)
		return -1;
	p->site_level = strcmp(db_res_get(r, i, 3), "t") == 0;
	p->priority = strcmp(db_res_get(r, i, 13), "emergency") == 0 ? MSG_WO_PRIO_EMERGENCY
								     : MSG_WO_PRIO_ORDINARY;
	p->statutory = strcmp(db_res_get(r, i, 14), "t") == 0;
	p->overdue_after_ms = num(db_res_get(r, i, 15), &bad);
	p->escalate_after_ms = num(db_res_get(r, i, 16), &bad);
	split_list(db_res_get(r, i, 17), &p->notify);
	split_list(db_res_get(r, i, 18), &p->escalate);
	p->has_last_done = last[0] != '\0';
	if (p->has_last_done && sscanf(last, "%d-%d-%d", &p->last_done.year, &p->last_done.month,
				       &p->last_done.day) != 3)
		return -1;
	if (plan_calendar(p, r, i, &bad) < 0 || plan_meter(p, r, i) < 0)
		return -1;
	return bad || (!p->has_calendar && !p->has_meter) ? -1 : 0;
}

static int
load_plans(struct load *l, struct sched_conf *c)
{
	struct db_res *r;
	int rc = 0;

	if (query(l, "pm_plans", plans_sql, &r) < 0)
		return -1;
	c->n_plans = db_res_rows(r);
	c->plans = xcalloc(c->n_plans + 1, sizeof *c->plans);
	for (size_t i = 0; i < c->n_plans && rc == 0; i++)
		if (plan_row(&c->plans[i], r, i) < 0)
			rc = fail(l, "pm_plans: plan '%s' cannot be scheduled by this build",
				  db_res_get(r, i, 0));
	db_res_free(r);
	return rc;
}

static int
by_id(const void *key, const void *elt)
{
	return strcmp(key, ((const struct sched_plan *)elt)->id);
}

static int
set_row(struct sched_plan *p, const struct db_res *r, size_t i)
{
	struct sched_set *s = &p->sets[p->n_sets];
	const char *name = db_res_get(r, i, 1), *unit = db_res_get(r, i, 2),
		   *count = db_res_get(r, i, 3), *anchor = db_res_get(r, i, 4);
	int u = unit ? reg_name_index(pm_unit_names, unit) : -1;

	if (p->n_sets >= PM_MAX_ITEM_SETS || !name || u < 0 || !count || !anchor ||
	    copy(s->name, sizeof s->name, name) < 0)
		return -1;
	memset(&s->grid, 0, sizeof s->grid);
	s->grid.unit = (enum due_unit)u;
	s->grid.every = atoi(count);
	s->grid.anchor = DUE_FIXED;
	if (sscanf(anchor, "%d-%d-%d", &s->grid.anchor_date.year, &s->grid.anchor_date.month,
		   &s->grid.anchor_date.day) != 3 ||
	    !due_plan_valid(&s->grid))
		return -1;
	p->n_sets++;
	return 0;
}

static int
load_sets(struct load *l, struct sched_conf *c)
{
	struct db_res *r;
	int rc = 0;

	if (query(l, "item sets", sets_sql, &r) < 0)
		return -1;
	for (size_t i = 0; i < db_res_rows(r) && rc == 0; i++) {
		struct sched_plan *p =
			bsearch(db_res_get(r, i, 0), c->plans, c->n_plans, sizeof *p, by_id);

		if (!p || set_row(p, r, i) < 0)
			rc = fail(l, "pm_plans: an item set of plan '%s' cannot be used",
				  db_res_get(r, i, 0));
	}
	db_res_free(r);
	return rc;
}

static int
site_index(const struct sched_conf *c, const char *site)
{
	for (size_t i = 0; i < c->n_sites; i++)
		if (strcmp(c->sites[i], site) == 0)
			return (int)i;
	return -1;
}

static int
load_insts(struct load *l, struct sched_conf *c)
{
	struct db_res *r;
	int rc = 0;

	if (query(l, "instances", insts_sql, &r) < 0)
		return -1;
	c->n_insts = db_res_rows(r);
	c->insts = xcalloc(c->n_insts + 1, sizeof *c->insts);
	for (size_t i = 0; i < c->n_insts && rc == 0; i++) {
		struct sched_inst *in = &c->insts[i];
		const struct sched_plan *p =
			bsearch(db_res_get(r, i, 1), c->plans, c->n_plans, sizeof *p, by_id);
		int s = site_index(c, db_res_get(r, i, 2));

		if (!p || s < 0 || copy(in->device, sizeof in->device, db_res_get(r, i, 0)) < 0 ||
		    copy(in->site, sizeof in->site, c->sites[s]) < 0) {
			rc = fail(l, "instances: row %zu (%s, %s) does not fit", i,
				  db_res_get(r, i, 1), db_res_get(r, i, 0));
			break;
		}
		in->plan = (int)(p - c->plans);
		in->zone = &c->zones[s];
		sched_inst_init(in, p);
	}
	db_res_free(r);
	return rc;
}

/* The registry (people, roster, teams for notify lists) as fmctl apply
 * stored it, in the same snapshot as the plans. */
static int
load_registry(struct load *l, struct sched_conf *c)
{
	struct cdb cd = {l->db, l->err, l->errcap};

	if (cdb_load_reg(&cd, &c->reg, 1) < 0)
		return -1;
	if (who_build(&c->who, &c->reg, NULL) < 0)
		log_warn("roster_zone", "reason=\"a site's time zone is missing: UTC used\"");
	return 0;
}

struct sched_conf *
sconf_load(struct db *db, char *err, size_t errcap)
{
	struct sched_conf *c = xcalloc(1, sizeof *c);
	struct load l = {db, err, errcap};
	int rc = -1;

	err[0] = '\0';
	if (db_connect(db) != DB_OK) {
		fail(&l, "database: %s", db_error(db));
		goto out;
	}
	if (db_begin(db) != DB_OK || db_exec(db, SNAPSHOT, 0, NULL, NULL) != DB_OK) {
		fail(&l, "snapshot: %s", db_error(db));
		db_rollback(db);
		goto out;
	}
	rc = load_sites(&l, c);
	if (rc == 0)
		rc = load_plans(&l, c);
	if (rc == 0)
		rc = load_sets(&l, c);
	if (rc == 0)
		rc = load_insts(&l, c);
	if (rc == 0)
		rc = load_registry(&l, c);
	if (rc == 0)
		rc = state_restore(db, c, err, errcap);
	db_rollback(db); /* read only: nothing to commit */
out:
	if (rc == 0)
		return c;
	sconf_free(c);
	return NULL;
}

void
sconf_free(struct sched_conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_plans; i++) {
		cfg_strlist_free(&c->plans[i].notify);
		cfg_strlist_free(&c->plans[i].escalate);
	}
	who_free(&c->who);
	reg_free(&c->reg);
	free(c->plans);
	free(c->insts);
	free(c->sites);
	free(c->zones);
	free(c);
}

struct sched_inst *
sconf_device(struct sched_conf *c, const char *device, size_t *n)
{
	size_t lo = 0, hi = c->n_insts, end;

	while (lo < hi) { /* the first instance of device */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(c->insts[mid].device, device) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < c->n_insts && strcmp(c->insts[end].device, device) == 0;)
		end++;
	*n = end - lo;
	return end > lo ? &c->insts[lo] : NULL;
}

struct sched_inst *
sconf_find(struct sched_conf *c, const char *plan_id, const char *device)
{
	size_t n = 0;
	struct sched_inst *in = sconf_device(c, device, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(c->plans[in[i].plan].id, plan_id) == 0)
			return &in[i];
	return NULL;
}

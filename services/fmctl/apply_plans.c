/* apply_plans.c — how `fmctl apply` writes the maintenance plans into
 * pm_plans (004, 009): one row per plan, all in one statement of column
 * arrays like the rules, updating a row only when a value differs. Plans the
 * configuration no longer has are listed, and deleted only with --prune;
 * pm_state is schedd's and is never touched. Every statement is a constant. */
#include "apply.h"
#include "log.h"
#include "pgtext.h"

#include <stdio.h>
#include <string.h>

#define NCOLS 33

#define PLAN_COLS                                                                                  \
	"plan_id, name, site_id, device_id, asset_type, device_ids, asset_types, target_tags,"     \
	" site_level, anchor, anchor_date, calendar_unit, calendar_count, calendar_interval,"      \
	" meter_metric, meter_kind, meter_interval, lead_time, estimated_duration, window_start,"  \
	" window_end, skill, assignee, priority, checklist, item_sets, statutory, overdue_after,"  \
	" overdue_notify, escalate, escalate_after, last_done, enabled"

/* The columns after plan_id, as they are compared and updated. */
#define PLAN_VALS(p)                                                                               \
	"(" p "name, " p "site_id, " p "device_id, " p "asset_type, " p "device_ids, " p           \
	"asset_types, " p "target_tags, " p "site_level, " p "anchor, " p "anchor_date, " p        \
	"calendar_unit, " p "calendar_count, " p "calendar_interval, " p "meter_metric, " p        \
	"meter_kind, " p "meter_interval, " p "lead_time, " p "estimated_duration, " p             \
	"window_start, " p "window_end, " p "skill, " p "assignee, " p "priority, " p              \
	"checklist, " p "item_sets, " p "statutory, " p "overdue_after, " p "overdue_notify, " p   \
	"escalate, " p "escalate_after, " p "last_done, " p "enabled)"

/* Array-valued columns arrive as one array literal per plan, cast per row. */
#define UPSERT_PLANS                                                                               \
	"INSERT INTO pm_plans AS t (" PLAN_COLS ")"                                                \
	" SELECT c1, c2, c3, c4, c5, c6::text[], c7::text[], c8::text[], c9, c10, c11, c12, c13,"  \
	" c14, c15, c16, c17, c18, c19, c20, c21, c22, c23, c24, c25, c26, c27, c28,"              \
	" c29::text[], c30::text[], c31, c32, c33"                                                 \
	" FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],"     \
	" $7::text[], $8::text[], $9::bool[], $10::text[], $11::date[], $12::text[], $13::int4[]," \
	" $14::interval[], $15::text[], $16::text[], $17::float8[], $18::interval[],"              \
	" $19::interval[], $20::time[], $21::time[], $22::text[], $23::text[], $24::text[],"       \
	" $25::jsonb[], $26::jsonb[], $27::bool[], $28::interval[], $29::text[], $30::text[],"     \
	" $31::interval[], $32::date[], $33::bool[])"                                              \
	" AS u(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18,"   \
	" c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, c30, c31, c32, c33)"              \
	" ON CONFLICT (plan_id) DO UPDATE SET " PLAN_VALS("") " = " PLAN_VALS(                     \
		"EXCLUDED.") ", updated_at = now()"                                                \
			     " WHERE " PLAN_VALS("t.") " IS DISTINCT FROM " PLAN_VALS(             \
				     "EXCLUDED.") " RETURNING (t.xmax = 0)"

#define ABSENT_PLANS "SELECT plan_id FROM pm_plans WHERE plan_id <> ALL ($1::text[]) ORDER BY 1"
#define PRUNE_PLANS "DELETE FROM pm_plans WHERE plan_id <> ALL ($1::text[]) RETURNING plan_id"

static const char *
nz(const char *s)
{
	return s[0] ? s : NULL;
}

static void
add_fmt(struct pgtext *c, int present, const char *fmt, long long v)
{
	char num[48];

	snprintf(num, sizeof num, fmt, v);
	pgtext_array_add(c, present ? num : NULL);
}

/* One element that is itself an array literal (cast to text[] per row). */
static void
add_array(struct pgtext *c, const struct cfg_strlist *l, struct pgtext *tmp)
{
	pgtext_array_begin(tmp);
	for (size_t i = 0; i < l->n; i++)
		pgtext_array_add(tmp, l->v[i]);
	pgtext_array_end(tmp);
	pgtext_array_add(c, pgtext_str(tmp));
}

static void
json_items(struct pgtext *t, const struct cfg_strlist *l)
{
	pgtext_append(t, "[");
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			pgtext_append(t, ", ");
		pgtext_json_string(t, l->v[i]);
	}
	pgtext_append(t, "]");
}

static void
add_item_sets(struct pgtext *c, const struct pm_plan *p, struct pgtext *tmp)
{
	char num[16];

	pgtext_reset(tmp);
	pgtext_append(tmp, "[");
	for (int i = 0; i < p->n_sets; i++) {
		const struct pm_item_set *s = &p->sets[i];

		pgtext_append(tmp, i ? ", {\"name\": " : "{\"name\": ");
		pgtext_json_string(tmp, s->name);
		pgtext_append(tmp, ", \"unit\": ");
		pgtext_json_string(tmp, pm_unit_names[s->every.unit]);
		snprintf(num, sizeof num, "%d", s->every.count);
		pgtext_append(tmp, ", \"count\": ");
		pgtext_append(tmp, num);
		pgtext_append(tmp, ", \"anchor_date\": ");
		pgtext_json_string(tmp, s->anchor_date);
		pgtext_append(tmp, ", \"items\": ");
		json_items(tmp, &s->items);
		pgtext_append(tmp, "}");
	}
	pgtext_append(tmp, "]");
	pgtext_array_add(c, pgtext_str(tmp));
}

static void
add_time(struct pgtext *c, int present, int min)
{
	char hhmm[16];

	snprintf(hhmm, sizeof hhmm, "%02d:%02d", min / 60, min % 60);
	pgtext_array_add(c, present ? hhmm : NULL);
}

/* One row: the columns of pm_plans; what the plan lacks is NULL. */
static void
add_row(struct pgtext *c, const struct pm_plan *p, struct pgtext *tmp)
{
	char per[32];

	pgtext_array_add(&c[0], p->id);
	pgtext_array_add(&c[1], p->name);
	pgtext_array_add(&c[2], nz(p->site));
	pgtext_array_add(&c[3], p->devices.n == 1 ? p->devices.v[0] : NULL);
	pgtext_array_add(&c[4], p->asset_types.n == 1 ? p->asset_types.v[0] : NULL);
	add_array(&c[5], &p->devices, tmp);
	add_array(&c[6], &p->asset_types, tmp);
	add_array(&c[7], &p->tags, tmp);
	pgtext_array_add(&c[8], p->site_level ? "t" : "f");
	pgtext_array_add(&c[9], pm_anchor_names[p->anchor]);
	pgtext_array_add(&c[10], p->anchor == PM_FIXED ? p->anchor_date : NULL);
	pgtext_array_add(&c[11], p->has_calendar ? pm_unit_names[p->every.unit] : NULL);
	add_fmt(&c[12], p->has_calendar, "%lld", p->every.count);
	pgtext_array_add(&c[13],
			 p->has_calendar ? pm_period_str(&p->every, per, sizeof per) : NULL);
	pgtext_array_add(&c[14], p->has_meter ? p->meter_metric : NULL);
	pgtext_array_add(&c[15], p->has_meter ? pm_meter_kind_names[p->meter_kind] : NULL);
	snprintf(per, sizeof per, "%.17g", p->meter_every);
	pgtext_array_add(&c[16], p->has_meter ? per : NULL);
	add_fmt(&c[17], 1, "%lld milliseconds", p->lead_ms);
	add_fmt(&c[18], 1, "%lld milliseconds", p->duration_ms);
	add_time(&c[19], p->has_window, p->window_start_min);
	add_time(&c[20], p->has_window, p->window_end_min);
	pgtext_array_add(&c[21], nz(p->skill));
	pgtext_array_add(&c[22], nz(p->assignee));
	pgtext_array_add(&c[23], pm_priority_names[p->priority]);
	pgtext_reset(tmp);
	json_items(tmp, &p->checklist);
	pgtext_array_add(&c[24], pgtext_str(tmp));
	add_item_sets(&c[25], p, tmp);
	pgtext_array_add(&c[26], p->statutory ? "t" : "f");
	add_fmt(&c[27], 1, "%lld milliseconds", p->overdue_after_ms);
	add_array(&c[28], &p->notify, tmp);
	add_array(&c[29], &p->escalate, tmp);
	add_fmt(&c[30], 1, "%lld milliseconds", p->escalate_after_ms);
	pgtext_array_add(&c[31], p->has_last_done ? p->last_done : NULL);
	pgtext_array_add(&c[32], p->enabled ? "t" : "f");
}

static void
columns(const struct pm_set *set, struct pgtext *c, struct pgtext *ids)
{
	struct pgtext tmp = {0};

	for (int i = 0; i < NCOLS; i++)
		pgtext_array_begin(&c[i]);
	pgtext_array_begin(ids);
	for (size_t i = 0; i < set->n_plans; i++) {
		add_row(c, &set->plans[i], &tmp);
		pgtext_array_add(ids, set->plans[i].id);
	}
	for (int i = 0; i < NCOLS; i++)
		pgtext_array_end(&c[i]);
	pgtext_array_end(ids);
	pgtext_free(&tmp);
}

enum db_status
apply_plans(struct db *db, const struct pm_set *set, int prune, int dry_run, FILE *out,
	    struct apply_result *res)
{
	struct pgtext c[NCOLS] = {{0}}, ids = {0};
	const char *params[NCOLS], *idp;
	struct apply_tally *tally;
	struct db_res *r = NULL;
	enum db_status s;

	if (res->n >= APPLY_MAX_TABLES)
		fatal("apply_plans: no room for the pm_plans tally");
	tally = &res->t[res->n++];
	memset(tally, 0, sizeof *tally);
	tally->table = "pm_plans";
	columns(set, c, &ids);
	for (int i = 0; i < NCOLS; i++)
		params[i] = pgtext_str(&c[i]);
	s = db_exec(db, UPSERT_PLANS, NCOLS, params, &r);
	for (size_t i = 0; s == DB_OK && i < db_res_rows(r); i++) {
		if (strcmp(db_res_get(r, i, 0), "t") == 0)
			tally->inserted++;
		else
			tally->updated++;
	}
	db_res_free(r);
	r = NULL;
	idp = pgtext_str(&ids);
	if (s == DB_OK)
		s = db_exec(db, prune ? PRUNE_PLANS : ABSENT_PLANS, 1, &idp, &r);
	for (size_t i = 0; s == DB_OK && i < db_res_rows(r); i++) {
		if (prune) {
			fprintf(out, "%s plan %s\n", dry_run ? "would remove" : "removed",
				db_res_get(r, i, 0));
			tally->removed++;
		} else {
			fprintf(out, "would remove plan %s; use --prune\n", db_res_get(r, i, 0));
			res->pending++;
		}
	}
	db_res_free(r);
	for (int i = 0; i < NCOLS; i++)
		pgtext_free(&c[i]);
	pgtext_free(&ids);
	return s;
}

/* apply_rules.c — how `fmctl apply` writes the alarm rules: one row per rule
 * and one per per-device override (its whole effective rule), all in one
 * statement of column arrays like the registry tables, updating a row only
 * when a value differs. Rows the configuration no longer has are listed, and
 * deleted only with --prune. Every statement is a constant. */
#include "apply.h"
#include "log.h"
#include "pgtext.h"

#include <stdio.h>
#include <string.h>

#define NCOLS 30

#define UPSERT_RULES                                                                               \
	"INSERT INTO rules AS t (rule_id, device_id, name, asset_types, kind, metric,"             \
	" while_metric, op, raise_level, clear_level, raise_for_ms, clear_for_ms, window_ms,"      \
	" timeout_ms, event, after_ms, silence_ms, severity, message, notify, wo_kind,"            \
	" wo_priority, wo_skill, wo_assignee, reminder_ms, escalation, flap_changes,"              \
	" flap_window_ms, shelve_max_ms, enabled)"                                                 \
	" SELECT c1, c2, c3, c4::text[], c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16,"   \
	" c17, c18, c19, c20::text[], c21, c22, c23, c24, c25, c26, c27, c28, c29, c30"            \
	" FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],"     \
	" $7::text[], $8::text[], $9::float8[], $10::float8[], $11::int8[], $12::int8[],"          \
	" $13::int8[], $14::int8[], $15::text[], $16::int8[], $17::int8[], $18::int2[],"           \
	" $19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[],"           \
	" $25::int8[], $26::jsonb[], $27::int2[], $28::int8[], $29::int8[], $30::bool[])"          \
	" AS u(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18,"   \
	" c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, c30)"                             \
	" ON CONFLICT (rule_id, device_id) DO UPDATE SET (name, asset_types, kind, metric,"        \
	" while_metric, op, raise_level, clear_level, raise_for_ms, clear_for_ms, window_ms,"      \
	" timeout_ms, event, after_ms, silence_ms, severity, message, notify, wo_kind,"            \
	" wo_priority, wo_skill, wo_assignee, reminder_ms, escalation, flap_changes,"              \
	" flap_window_ms, shelve_max_ms, enabled, updated_at) = (EXCLUDED.name,"                   \
	" EXCLUDED.asset_types, EXCLUDED.kind, EXCLUDED.metric, EXCLUDED.while_metric,"            \
	" EXCLUDED.op, EXCLUDED.raise_level, EXCLUDED.clear_level, EXCLUDED.raise_for_ms,"         \
	" EXCLUDED.clear_for_ms, EXCLUDED.window_ms, EXCLUDED.timeout_ms, EXCLUDED.event,"         \
	" EXCLUDED.after_ms, EXCLUDED.silence_ms, EXCLUDED.severity, EXCLUDED.message,"            \
	" EXCLUDED.notify, EXCLUDED.wo_kind, EXCLUDED.wo_priority, EXCLUDED.wo_skill,"             \
	" EXCLUDED.wo_assignee, EXCLUDED.reminder_ms, EXCLUDED.escalation,"                        \
	" EXCLUDED.flap_changes, EXCLUDED.flap_window_ms, EXCLUDED.shelve_max_ms,"                 \
	" EXCLUDED.enabled, now())"                                                                \
	" WHERE (t.name, t.asset_types, t.kind, t.metric, t.while_metric, t.op, t.raise_level,"    \
	" t.clear_level, t.raise_for_ms, t.clear_for_ms, t.window_ms, t.timeout_ms, t.event,"      \
	" t.after_ms, t.silence_ms, t.severity, t.message, t.notify, t.wo_kind, t.wo_priority,"    \
	" t.wo_skill, t.wo_assignee, t.reminder_ms, t.escalation, t.flap_changes,"                 \
	" t.flap_window_ms, t.shelve_max_ms, t.enabled) IS DISTINCT FROM (EXCLUDED.name,"          \
	" EXCLUDED.asset_types, EXCLUDED.kind, EXCLUDED.metric, EXCLUDED.while_metric,"            \
	" EXCLUDED.op, EXCLUDED.raise_level, EXCLUDED.clear_level, EXCLUDED.raise_for_ms,"         \
	" EXCLUDED.clear_for_ms, EXCLUDED.window_ms, EXCLUDED.timeout_ms, EXCLUDED.event,"         \
	" EXCLUDED.after_ms, EXCLUDED.silence_ms, EXCLUDED.severity, EXCLUDED.message,"            \
	" EXCLUDED.notify, EXCLUDED.wo_kind, EXCLUDED.wo_priority, EXCLUDED.wo_skill,"             \
	" EXCLUDED.wo_assignee, EXCLUDED.reminder_ms, EXCLUDED.escalation,"                        \
	" EXCLUDED.flap_changes, EXCLUDED.flap_window_ms, EXCLUDED.shelve_max_ms,"                 \
	" EXCLUDED.enabled)"                                                                       \
	" RETURNING (t.xmax = 0)"

/* $1, $2: the (rule, device or '') pairs in the configuration. */
#define ABSENT_WHERE                                                                               \
	" WHERE (rule_id, coalesce(device_id, '')) NOT IN"                                         \
	" (SELECT * FROM unnest($1::text[], $2::text[]))"
#define ABSENT_RULES "SELECT rule_id, device_id FROM rules" ABSENT_WHERE " ORDER BY 1, 2"
#define PRUNE_RULES "DELETE FROM rules" ABSENT_WHERE " RETURNING rule_id, device_id"

static void
add_ll(struct pgtext *c, int present, long long v)
{
	char num[32];

	snprintf(num, sizeof num, "%lld", v);
	pgtext_array_add(c, present ? num : NULL);
}

static void
add_double(struct pgtext *c, int present, double v)
{
	char num[40];

	snprintf(num, sizeof num, "%.17g", v);
	pgtext_array_add(c, present ? num : NULL);
}

static void
add_list(struct pgtext *c, const struct cfg_strlist *l, struct pgtext *tmp)
{
	pgtext_array_begin(tmp);
	for (size_t i = 0; i < l->n; i++)
		pgtext_array_add(tmp, l->v[i]);
	pgtext_array_end(tmp);
	pgtext_array_add(c, pgtext_str(tmp));
}

static void
add_escalation(struct pgtext *c, const struct rcf_rule *r, struct pgtext *tmp)
{
	char num[32];

	pgtext_reset(tmp);
	pgtext_append(tmp, "[");
	for (int i = 0; i < r->n_esc; i++) {
		snprintf(num, sizeof num, "%lld", r->esc[i].after_ms);
		pgtext_append(tmp, i ? ", {\"after_ms\": " : "{\"after_ms\": ");
		pgtext_append(tmp, num);
		pgtext_append(tmp, ", \"notify\": [");
		for (size_t k = 0; k < r->esc[i].notify.n; k++) {
			if (k)
				pgtext_append(tmp, ", ");
			pgtext_json_string(tmp, r->esc[i].notify.v[k]);
		}
		pgtext_append(tmp, "]}");
	}
	pgtext_append(tmp, "]");
	pgtext_array_add(c, pgtext_str(tmp));
}

static const char *
nz(const char *s)
{
	return s[0] ? s : NULL;
}

/* One row: the columns of 007_rules.sql; what the kind lacks is NULL. */
static void
add_row(struct pgtext *c, const struct rcf_rule *r, struct pgtext *tmp)
{
	int level = r->kind == RCF_THRESHOLD || r->kind == RCF_RATE;
	char sev[8], flap[8];

	pgtext_array_add(&c[0], r->id);
	pgtext_array_add(&c[1], nz(r->device));
	pgtext_array_add(&c[2], nz(r->name));
	add_list(&c[3], &r->asset_types, tmp);
	pgtext_array_add(&c[4], rcf_kind_names[r->kind]);
	pgtext_array_add(&c[5], r->kind == RCF_EVENT || r->kind == RCF_OFFLINE ? NULL : r->metric);
	pgtext_array_add(&c[6], level ? nz(r->guard) : NULL);
	pgtext_array_add(&c[7], level ? rcf_op_names[r->op] : NULL);
	add_double(&c[8], level, r->raise);
	add_double(&c[9], level && r->has_clear, r->clear);
	add_ll(&c[10], level, r->raise_for_ms);
	add_ll(&c[11], level, r->clear_for_ms);
	add_ll(&c[12], r->kind == RCF_RATE, r->window_ms);
	add_ll(&c[13], r->kind == RCF_NO_DATA, r->timeout_ms);
	pgtext_array_add(&c[14], r->kind == RCF_EVENT ? r->event : NULL);
	add_ll(&c[15], r->kind == RCF_OFFLINE, r->after_ms);
	add_ll(&c[16], r->kind == RCF_OFFLINE, r->silence_ms);
	snprintf(sev, sizeof sev, "%d", r->severity);
	pgtext_array_add(&c[17], sev);
	pgtext_array_add(&c[18], r->message);
	add_list(&c[19], &r->notify, tmp);
	pgtext_array_add(&c[20], r->wo.wanted ? rcf_wo_categories[r->wo.category] : NULL);
	pgtext_array_add(&c[21], r->wo.wanted ? rcf_wo_urgencies[r->wo.urgency] : NULL);
	pgtext_array_add(&c[22], r->wo.wanted ? nz(r->wo.skill) : NULL);
	pgtext_array_add(&c[23], r->wo.wanted ? nz(r->wo.assignee) : NULL);
	add_ll(&c[24], 1, r->reminder_ms);
	add_escalation(&c[25], r, tmp);
	snprintf(flap, sizeof flap, "%d", r->flap_changes);
	pgtext_array_add(&c[26], flap);
	add_ll(&c[27], 1, r->flap_window_ms);
	add_ll(&c[28], 1, r->shelve_max_ms);
	pgtext_array_add(&c[29], r->enabled ? "t" : "f");
}

/* Every row of the set, and its key (rule, device or '') for the removals. */
static void
columns(const struct rcf_set *set, struct pgtext *c, struct pgtext *keys)
{
	struct pgtext tmp = {0};

	for (int i = 0; i < NCOLS; i++)
		pgtext_array_begin(&c[i]);
	pgtext_array_begin(&keys[0]);
	pgtext_array_begin(&keys[1]);
	for (size_t i = 0; i < set->n_rules + set->n_overrides; i++) {
		const struct rcf_rule *r =
			i < set->n_rules ? &set->rules[i] : &set->overrides[i - set->n_rules];

		add_row(c, r, &tmp);
		pgtext_array_add(&keys[0], r->id);
		pgtext_array_add(&keys[1], r->device);
	}
	for (int i = 0; i < NCOLS; i++)
		pgtext_array_end(&c[i]);
	pgtext_array_end(&keys[0]);
	pgtext_array_end(&keys[1]);
	pgtext_free(&tmp);
}

static void
report(FILE *out, const char *verb, struct db_res *res, size_t row, const char *tail)
{
	const char *dev = db_res_get(res, row, 1);

	fprintf(out, "%s rule %s%s%s%s\n", verb, db_res_get(res, row, 0), dev ? " for device " : "",
		dev ? dev : "", tail);
}

enum db_status
apply_rules(struct db *db, const struct rcf_set *set, int prune, int dry_run, FILE *out,
	    struct apply_result *res)
{
	struct pgtext c[NCOLS] = {{0}}, keys[2] = {{0}};
	const char *params[NCOLS], *kp[2];
	struct apply_tally *tally;
	struct db_res *r = NULL;
	enum db_status s;

	if (res->n >= APPLY_MAX_TABLES)
		fatal("apply_rules: no room for the rules tally");
	tally = &res->t[res->n++];
	memset(tally, 0, sizeof *tally);
	tally->table = "rules";
	columns(set, c, keys);
	for (int i = 0; i < NCOLS; i++)
		params[i] = pgtext_str(&c[i]);
	s = db_exec(db, UPSERT_RULES, NCOLS, params, &r);
	for (size_t i = 0; s == DB_OK && i < db_res_rows(r); i++) {
		if (strcmp(db_res_get(r, i, 0), "t") == 0)
			tally->inserted++;
		else
			tally->updated++;
	}
	db_res_free(r);
	r = NULL;
	kp[0] = pgtext_str(&keys[0]);
	kp[1] = pgtext_str(&keys[1]);
	if (s == DB_OK)
		s = db_exec(db, prune ? PRUNE_RULES : ABSENT_RULES, 2, kp, &r);
	for (size_t i = 0; s == DB_OK && i < db_res_rows(r); i++) {
		if (prune) {
			report(out, dry_run ? "would remove" : "removed", r, i, "");
			tally->removed++;
		} else {
			report(out, "would remove", r, i, "; use --prune");
			res->pending++;
		}
	}
	db_res_free(r);
	for (int i = 0; i < NCOLS; i++)
		pgtext_free(&c[i]);
	pgtext_free(&keys[0]);
	pgtext_free(&keys[1]);
	return s;
}

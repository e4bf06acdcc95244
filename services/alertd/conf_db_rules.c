/* conf_db_rules.c — the rules table of 007_rules.sql into a struct rcf_set:
 * rows with no device are the rules, rows with a device the overrides (each
 * already the whole effective rule). One query reads both, with each rule's
 * escalation steps unfolded by jsonb_to_recordset (no JSON in C), ordered so
 * that every rule is followed by its overrides in device order: the set
 * comes out grouped and indexed exactly as rcf_build leaves it. */
#include "alertd/conf_db_int.h"
#include "log.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* One row per escalation step (at least one per rule): columns 0..28 are the
 * rule, 29..31 the step (NULL when the rule has none). NULLS FIRST puts a
 * rule before its overrides. */
#define RULES_SQL                                                                                  \
	"SELECT r.rule_id, r.device_id, r.name, r.asset_types, r.kind, r.metric,"                  \
	" r.while_metric, r.op, r.raise_level, r.clear_level, r.raise_for_ms, r.clear_for_ms,"     \
	" r.window_ms, r.timeout_ms, r.event, r.after_ms, r.silence_ms, r.severity, r.message,"    \
	" r.notify, r.wo_kind, r.wo_priority, r.wo_skill, r.wo_assignee, r.reminder_ms,"           \
	" r.flap_changes, r.flap_window_ms, r.shelve_max_ms, r.enabled,"                           \
	" e.ord, e.after_ms, e.notify"                                                             \
	" FROM rules AS r LEFT JOIN LATERAL ROWS FROM (jsonb_to_recordset(r.escalation)"           \
	" AS (after_ms bigint, notify text[])) WITH ORDINALITY AS e(after_ms, notify, ord)"        \
	" ON true"                                                                                 \
	" ORDER BY r.rule_id COLLATE \"C\", r.device_id COLLATE \"C\" NULLS FIRST, e.ord"

enum { COL_DEVICE = 1, COL_CLEAR = 9, COL_WO_KIND = 20, COL_STEP = 29 };

#define R struct rcf_rule
static const struct cdb_col rule_cols[] = {
	CDB_STR_COL(R, id),
	CDB_STR_COL(R, device),
	CDB_STR_COL(R, name),
	CDB_LIST_COL(R, asset_types, 64),
	CDB_ENUM_COL(R, kind, rcf_kind_names),
	CDB_STR_COL(R, metric),
	CDB_STR_COL(R, guard),
	CDB_ENUM_COL(R, op, rcf_op_names),
	CDB_NUM_COL(R, raise, CDB_DOUBLE),
	CDB_NUM_COL(R, clear, CDB_DOUBLE),
	CDB_NUM_COL(R, raise_for_ms, CDB_LLONG),
	CDB_NUM_COL(R, clear_for_ms, CDB_LLONG),
	CDB_NUM_COL(R, window_ms, CDB_LLONG),
	CDB_NUM_COL(R, timeout_ms, CDB_LLONG),
	CDB_STR_COL(R, event),
	CDB_NUM_COL(R, after_ms, CDB_LLONG),
	CDB_NUM_COL(R, silence_ms, CDB_LLONG),
	CDB_NUM_COL(R, severity, CDB_INT),
	CDB_STR_COL(R, message),
	CDB_LIST_COL(R, notify, RCF_MAX_NOTIFY),
	CDB_ENUM_COL(R, wo.category, rcf_wo_categories),
	CDB_ENUM_COL(R, wo.urgency, rcf_wo_urgencies),
	CDB_STR_COL(R, wo.skill),
	CDB_STR_COL(R, wo.assignee),
	CDB_NUM_COL(R, reminder_ms, CDB_LLONG),
	CDB_NUM_COL(R, flap_changes, CDB_INT),
	CDB_NUM_COL(R, flap_window_ms, CDB_LLONG),
	CDB_NUM_COL(R, shelve_max_ms, CDB_LLONG),
	CDB_NUM_COL(R, enabled, CDB_BOOL),
};
#undef R
#define N_RULE_COLS ((int)(sizeof rule_cols / sizeof rule_cols[0]))
_Static_assert(N_RULE_COLS == COL_STEP, "the step follows the rule's columns");

static const struct cdb_col step_cols[] = {
	CDB_NUM_COL(struct rcf_escalation, after_ms, CDB_LLONG),
	CDB_LIST_COL(struct rcf_escalation, notify, RCF_MAX_NOTIFY),
};

/* The rule's columns of row into r (zeroed), and what follows from which of
 * them are NULL. */
static int
decode_rule(struct cdb *c, const struct db_res *res, size_t row, struct rcf_rule *r)
{
	if (cdb_row(c, "rule", res, row, 0, rule_cols, N_RULE_COLS, r) < 0)
		return -1;
	r->has_clear = db_res_get(res, row, COL_CLEAR) != NULL;
	if (!r->has_clear)
		r->clear = r->raise;
	r->wo.wanted = db_res_get(res, row, COL_WO_KIND) != NULL;
	for (size_t i = 0; i < r->asset_types.n; i++) {
		int t = reg_name_index(reg_asset_types, r->asset_types.v[i]);

		if (t < 0 || t >= 64)
			return cdb_fail(c, "rule %s: unknown asset type '%.64s'", r->id,
					r->asset_types.v[i]);
		r->type_mask |= 1ULL << t;
	}
	return 0;
}

/* Links override o (the newest) to its rule, the newest rule, which must
 * have its id; overrides arrive in device order. */
static int
link_override(struct cdb *c, struct rcf_set *set, struct rcf_rule *o)
{
	struct rcf_rule *base = set->n_rules ? &set->rules[set->n_rules - 1] : NULL;
	size_t at = set->n_overrides - 1;

	if (!base || strcmp(base->id, o->id) != 0)
		return cdb_fail(c, "override of rule %s for device %s: no such rule", o->id,
				o->device);
	if (base->ov_n && strcmp(set->overrides[at - 1].device, o->device) >= 0)
		return cdb_fail(c, "overrides of rule %s: devices out of order at %s", o->id,
				o->device);
	if (base->ov_n++ == 0)
		base->ov_first = at;
	o->ov_first = (size_t)(base - set->rules);
	o->ov_n = 0;
	return 0;
}

static int
add_step(struct cdb *c, const struct db_res *res, size_t row, struct rcf_rule *r)
{
	if (r->n_esc == RCF_MAX_ESCALATION)
		return cdb_fail(c, "rule %s: more than %d escalation steps", r->id,
				RCF_MAX_ESCALATION);
	if (!db_res_get(res, row, COL_STEP + 1) || !db_res_get(res, row, COL_STEP + 2))
		return cdb_fail(c, "rule %s: escalation step %d lacks after_ms or notify", r->id,
				r->n_esc + 1);
	/* Counted first, so that a step that fails is freed with the rule. */
	return cdb_row(c, "escalation of rule", res, row, COL_STEP + 1, step_cols, 2,
		       &r->esc[r->n_esc++]);
}

/* 1 when row starts a rule or an override other than r's. */
static int
starts_new(const struct db_res *res, size_t row, const struct rcf_rule *r)
{
	const char *dev = db_res_get(res, row, COL_DEVICE);

	return !r || strcmp(r->id, db_res_get(res, row, 0)) != 0 ||
	       strcmp(r->device, dev ? dev : "") != 0;
}

int
cdb_load_rules(struct cdb *c, struct rcf_set *set)
{
	struct rcf_rule *cur = NULL;
	struct db_res *res = NULL;
	size_t rows;
	int rc = 0;

	if (cdb_query(c, "rules", RULES_SQL, &res) < 0)
		return -1;
	rows = db_res_rows(res);
	set->rules = xcalloc(rows ? rows : 1, sizeof *set->rules);
	set->overrides = xcalloc(rows ? rows : 1, sizeof *set->overrides);
	for (size_t i = 0; i < rows && rc == 0; i++) {
		if (starts_new(res, i, cur)) {
			int ov = db_res_get(res, i, COL_DEVICE) != NULL;

			cur = ov ? &set->overrides[set->n_overrides++]
				 : &set->rules[set->n_rules++];
			rc = decode_rule(c, res, i, cur);
			if (rc == 0 && ov)
				rc = link_override(c, set, cur);
		}
		if (rc == 0 && db_res_get(res, i, COL_STEP))
			rc = add_step(c, res, i, cur);
	}
	db_res_free(res);
	return rc;
}

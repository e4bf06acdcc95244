/* rules_conf_check.c — what a rule's values must satisfy beyond their types
 * and bounds: keys that belong to its kind, levels on the right side of each
 * other, names, and the lists (notify, escalation, work order) resolved
 * against the registry. Values are checked where they are written, so an
 * override is held to what it changes and a mistake is reported once. Pure. */
#include "rules_conf_int.h"
#include "log.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS 86400000.0

enum {
	K_T = 1 << RCF_THRESHOLD,
	K_R = 1 << RCF_RATE,
	K_N = 1 << RCF_NO_DATA,
	K_E = 1 << RCF_EVENT,
	K_O = 1 << RCF_OFFLINE,
};

/* The keys that only some kinds have, and which of those kinds need them. */
static const struct {
	const char *key;
	unsigned kinds, required;
} kind_keys[] = {
	{"metric", K_T | K_R | K_N, K_T | K_R | K_N},
	{"while", K_T | K_R, 0},
	{"op", K_T | K_R, K_T | K_R},
	{"raise", K_T | K_R, K_T | K_R},
	{"clear", K_T | K_R, 0},
	{"raise_for", K_T | K_R, 0},
	{"clear_for", K_T | K_R, 0},
	{"window", K_R, K_R},
	{"timeout", K_N, K_N},
	{"event", K_E, K_E},
	{"after", K_O, 0},
	{"silence", K_O, 0},
};

struct esc_in {
	long long after_ms;
	const struct cfg_node *notify;
};

static const struct cfg_field esc_fields[] = {
	CFG_DURATION("after", struct esc_in, after_ms, NULL, 1000, 7 * DAY_MS),
	CFG_NODE_REQUIRED("notify", struct esc_in, notify),
	CFG_END,
};

static const struct cfg_field wo_fields[] = {
	CFG_ENUM("category", struct rcf_work_order, category, NULL, rcf_wo_categories),
	CFG_ENUM("urgency", struct rcf_work_order, urgency, "ordinary", rcf_wo_urgencies),
	CFG_STR("skill", struct rcf_work_order, skill, ""),
	CFG_STR("assignee", struct rcf_work_order, assignee, ""),
	CFG_END,
};

enum rcf_target
rcf_target_kind(const struct reg *reg, const char *name)
{
	if (reg_name_index(reg_roles, name) >= 0)
		return RCF_TARGET_ROLE;
	if (reg_team_find(reg, name))
		return RCF_TARGET_TEAM;
	if (reg_person_find(reg, name))
		return RCF_TARGET_PERSON;
	return RCF_TARGET_UNKNOWN;
}

/* A list of roles, teams and people into out (replacing what it held). */
static int
parse_names(const struct cfg_node *n, const char *key, struct cfg_strlist *out,
	    const struct reg *reg, struct cfg_errs *errs)
{
	size_t len = cfg_len(n);
	int rc = 0;

	cfg_strlist_free(out);
	if (cfg_kind(n) != CFG_SEQ) {
		cfg_error(errs, n, "%s: expected a list such as [duty_engineer, sup-sun]", key);
		return -1;
	}
	if (len == 0 || len > RCF_MAX_NOTIFY) {
		cfg_error(errs, n, "%s: name 1 to %d roles, teams or people", key, RCF_MAX_NOTIFY);
		return -1;
	}
	out->v = xcalloc(len, sizeof *out->v);
	out->line = xcalloc(len, sizeof *out->line);
	for (size_t i = 0; i < len; i++) {
		const struct cfg_node *it = cfg_item(n, i);
		const char *s = cfg_str(it);

		if (!s || cfg_is_null(it) || strlen(s) >= REG_ID_SIZE) {
			cfg_error(errs, it, "%s: each item must be a role, team or person id", key);
			rc = -1;
			continue;
		}
		if (cfg_strlist_find(out, s) >= 0) {
			cfg_error(errs, it, "%s: '%s' is listed twice", key, s);
			rc = -1;
			continue;
		}
		if (reg && rcf_target_kind(reg, s) == RCF_TARGET_UNKNOWN) {
			cfg_error(errs, it, "%s: unknown role, team or person '%s'", key, s);
			rc = -1;
		}
		out->v[out->n] = xstrdup(s);
		out->line[out->n++] = cfg_line(it);
	}
	return rc;
}

static int
parse_escalation(struct rcf_rule *r, const struct cfg_node *n, const struct reg *reg,
		 struct cfg_errs *errs)
{
	int rc = 0;

	for (int i = 0; i < RCF_MAX_ESCALATION; i++)
		cfg_strlist_free(&r->esc[i].notify);
	r->n_esc = 0;
	if (cfg_kind(n) != CFG_SEQ) {
		cfg_error(errs, n, "escalation: expected a list of steps, each '- after: 15m'");
		return -1;
	}
	if (cfg_len(n) > RCF_MAX_ESCALATION) {
		cfg_error(errs, n, "escalation: too many steps (%zu, at most %d)", cfg_len(n),
			  RCF_MAX_ESCALATION);
		return -1;
	}
	for (size_t i = 0; i < cfg_len(n); i++) {
		const struct cfg_node *it = cfg_item(n, i);
		struct rcf_escalation *e = &r->esc[r->n_esc];
		struct esc_in in = {0};

		if (cfg_kind(it) != CFG_MAP) {
			cfg_error(errs, it,
				  "escalation: each step is a mapping with after and notify");
			rc = -1;
			continue;
		}
		if (cfg_bind(it, esc_fields, &in, errs) < 0)
			rc = -1;
		if (in.notify && parse_names(in.notify, "notify", &e->notify, reg, errs) < 0)
			rc = -1;
		e->after_ms = in.after_ms;
		if (r->n_esc > 0 && e->after_ms <= r->esc[r->n_esc - 1].after_ms) {
			cfg_error(errs, cfg_at(it, "after"),
				  "escalation: each step's after must be later than the step "
				  "before it (steps count from when the alarm was raised)");
			rc = -1;
		}
		r->n_esc++;
	}
	return rc;
}

static int
parse_work_order(struct rcf_work_order *wo, const struct cfg_node *n, const struct reg *reg,
		 struct cfg_errs *errs)
{
	int rc;

	memset(wo, 0, sizeof *wo);
	if (cfg_kind(n) != CFG_MAP) {
		cfg_error(errs, n,
			  "work_order: expected a mapping such as {category: emergency, urgency: "
			  "emergency, skill: elevator}");
		return -1;
	}
	rc = cfg_bind(n, wo_fields, wo, errs);
	wo->wanted = 1;
	if (reg && wo->skill[0] && !reg_skill_find(reg, wo->skill)) {
		cfg_error(errs, cfg_at(n, "skill"), "skill: unknown skill '%s'", wo->skill);
		rc = -1;
	}
	if (reg && wo->assignee[0] && strcmp(wo->assignee, RCF_ASSIGNEE_SUPPLIER) != 0 &&
	    !reg_person_find(reg, wo->assignee)) {
		cfg_error(errs, cfg_at(n, "assignee"),
			  "assignee: unknown person '%s' (or '" RCF_ASSIGNEE_SUPPLIER
			  "' for the device's supplier)",
			  wo->assignee);
		rc = -1;
	}
	return rc;
}

int
rcf_parse_lists(struct rcf_rule_in *in, const struct reg *reg, struct cfg_errs *errs)
{
	int rc = 0;

	if (!cfg_is_null(in->notify) &&
	    parse_names(in->notify, "notify", &in->r.notify, reg, errs) < 0)
		rc = -1;
	if (!cfg_is_null(in->escalation) && parse_escalation(&in->r, in->escalation, reg, errs) < 0)
		rc = -1;
	if (!cfg_is_null(in->work_order) &&
	    parse_work_order(&in->r.wo, in->work_order, reg, errs) < 0)
		rc = -1;
	return rc;
}

int
rcf_check_kind_keys(const struct cfg_node *node, int kind, int required, struct cfg_errs *errs)
{
	unsigned bit = 1u << kind;
	int rc = 0;

	for (size_t i = 0; i < sizeof kind_keys / sizeof kind_keys[0]; i++) {
		const char *key = kind_keys[i].key;

		if (cfg_has(node, key) && !(kind_keys[i].kinds & bit)) {
			cfg_error(errs, cfg_get(node, key), "%s: not a key of %s rules", key,
				  rcf_kind_names[kind]);
			rc = -1;
		} else if (required && (kind_keys[i].required & bit) && !cfg_has(node, key)) {
			cfg_error(errs, node, "missing required key '%s' (%s rules need it)", key,
				  rcf_kind_names[kind]);
			rc = -1;
		}
	}
	return rc;
}

static int
check_name(const char *s, const struct cfg_node *node, const char *key, struct cfg_errs *errs)
{
	if (!cfg_has(node, key) || rcf_valid_name(s))
		return 0;
	cfg_error(errs, cfg_get(node, key), "%s: '%s' is not a %s name ([a-z0-9_], 1 to 64)", key,
		  s, strcmp(key, "event") == 0 ? "event" : "metric");
	return -1;
}

static int
check_threshold(const struct rcf_rule *r, const struct cfg_node *node, struct cfg_errs *errs)
{
	int high = r->op == RCF_ABOVE || r->op == RCF_AT_LEAST;

	if (cfg_has(node, "op") && (r->op == RCF_RISE || r->op == RCF_FALL)) {
		cfg_error(errs, cfg_get(node, "op"),
			  "op: a threshold rule is above, at_least, below or at_most");
		return -1;
	}
	if (!r->has_clear || !(cfg_has(node, "raise") || cfg_has(node, "clear")))
		return 0;
	if (high && !(r->clear < r->raise)) {
		cfg_error(errs, cfg_at(node, "clear"),
			  "clear: %g must be below the raise level %g: an alarm raised %s a level "
			  "clears at a lower one (hysteresis)",
			  r->clear, r->raise, rcf_op_names[r->op]);
		return -1;
	}
	if (!high && !(r->clear > r->raise)) {
		cfg_error(errs, cfg_at(node, "clear"),
			  "clear: %g must be above the raise level %g: an alarm raised %s a level "
			  "clears at a higher one (hysteresis)",
			  r->clear, r->raise, rcf_op_names[r->op]);
		return -1;
	}
	return 0;
}

static int
check_rate(const struct rcf_rule *r, const struct cfg_node *node, struct cfg_errs *errs)
{
	if (cfg_has(node, "op") && r->op != RCF_RISE && r->op != RCF_FALL) {
		cfg_error(errs, cfg_get(node, "op"), "op: a rate rule is rise or fall");
		return -1;
	}
	if (cfg_has(node, "raise") && !(r->raise > 0)) {
		cfg_error(errs, cfg_get(node, "raise"),
			  "raise: the change within the window must be more than 0");
		return -1;
	}
	if (r->has_clear && (cfg_has(node, "raise") || cfg_has(node, "clear")) &&
	    !(r->clear >= 0 && r->clear < r->raise)) {
		cfg_error(errs, cfg_at(node, "clear"),
			  "clear: %g must be at least 0 and below the raising change %g", r->clear,
			  r->raise);
		return -1;
	}
	return 0;
}

int
rcf_check_policy(const struct rcf_rule *r, const struct cfg_node *node, struct cfg_errs *errs)
{
	int rc = 0;

	if (cfg_has(node, "flap_changes") && r->flap_changes == 1) {
		cfg_error(errs, cfg_get(node, "flap_changes"),
			  "flap_changes: one change is not flapping; 0 (off) or 2 to %d",
			  RCF_MAX_FLAP);
		rc = -1;
	}
	if (cfg_has(node, "reminder") && r->reminder_ms > 0 && r->reminder_ms < 60000) {
		cfg_error(errs, cfg_get(node, "reminder"),
			  "reminder: at least 1m, or 0 for no reminders");
		rc = -1;
	}
	return rc;
}

int
rcf_check_values(const struct rcf_rule *r, const struct cfg_node *node, struct cfg_errs *errs)
{
	int rc = 0;

	rc |= check_name(r->metric, node, "metric", errs);
	rc |= check_name(r->guard, node, "while", errs);
	rc |= check_name(r->event, node, "event", errs);
	if (r->guard[0] && strcmp(r->guard, r->metric) == 0) {
		cfg_error(errs, cfg_get(node, "while"), "while: must name a metric other than '%s'",
			  r->metric);
		rc = -1;
	}
	if (r->kind == RCF_THRESHOLD)
		rc |= check_threshold(r, node, errs);
	else if (r->kind == RCF_RATE)
		rc |= check_rate(r, node, errs);
	rc |= rcf_check_policy(r, node, errs);
	if (cfg_has(node, "message"))
		rc |= rcf_check_template(r->message, r->kind, cfg_get(node, "message"), errs);
	return rc ? -1 : 0;
}

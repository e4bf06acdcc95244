/* sla_conf_check.c — the sections of config/sla.yaml that need more than a
 * table: clocks per urgency with per-category overrides (and their order),
 * working time (weekdays and hours), and the escalation chain. Pure. */
#include "sla_conf_int.h"
#include "rules_conf.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define MAX_OVERRIDES (SLA_N_CATEGORIES * SLA_N_URGENCIES)

/* Indexes follow rcf_wo_urgencies: emergency, ordinary. */
struct clocks_in {
	const struct cfg_node *u[SLA_N_URGENCIES];
};
static const struct cfg_field clocks_fields[] = {
	CFG_NODE_REQUIRED("emergency", struct clocks_in, u[0]),
	CFG_NODE_REQUIRED("ordinary", struct clocks_in, u[1]),
	CFG_END,
};

/* def is NULL for `clocks:` (every clock required) and "0" for an override,
 * whose absent keys are then taken from `clocks:` (see apply_override). */
#define CLOCK_FIELDS(T, pre, def)                                                                  \
	CFG_DURATION("acknowledge", T, pre ms[SLA_ACK], def, 0, 7 * SLA_DAY_MS),                   \
		CFG_DURATION("accept", T, pre ms[SLA_ACCEPT], def, 0, 7 * SLA_DAY_MS),             \
		CFG_DURATION("on_site", T, pre ms[SLA_ON_SITE], def, 0, 7 * SLA_DAY_MS),           \
		CFG_DURATION("resolve", T, pre ms[SLA_RESOLVE], def, 0, 30 * SLA_DAY_MS)
static const struct cfg_field set_fields[] = {
	CLOCK_FIELDS(struct sla_clocks, , NULL),
	CFG_END,
};

struct override_in {
	int category, urgency;
	struct sla_clocks c;
};
static const struct cfg_field override_fields[] = {
	CFG_ENUM("category", struct override_in, category, NULL, rcf_wo_categories),
	CFG_ENUM("urgency", struct override_in, urgency, "ordinary", rcf_wo_urgencies),
	CLOCK_FIELDS(struct override_in, c., "0"),
	CFG_END,
};

struct work_in {
	struct cfg_strlist days;
	char start[8], end[8];
};
static const struct cfg_field work_fields[] = {
	CFG_STRLIST("days", struct work_in, days, NULL, 7, 8),
	CFG_STR("start", struct work_in, start, NULL),
	CFG_STR("end", struct work_in, end, NULL),
	CFG_END,
};

static const struct cfg_field esc_fields[] = {
	CFG_DURATION("after", struct sla_escalation, after_ms, NULL, 0, 7 * SLA_DAY_MS),
	CFG_STRLIST("notify", struct sla_escalation, notify, NULL, SLA_MAX_NOTIFY, REG_ID_SIZE - 1),
	CFG_END,
};

/* Sunday first, as tu_weekday counts. */
static const char *const weekdays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL};

/* Each clock that is set must not be longer than a later one that is set:
 * nobody accepts before the order is dispatched, arrives before accepting,
 * or finishes before arriving. */
static int
check_order(const struct sla_clocks *s, const struct cfg_node *at, const char *what,
	    struct cfg_errs *errs)
{
	char a[32], b[32];

	for (int i = 0; i < SLA_N_CLOCKS; i++) {
		for (int k = i + 1; k < SLA_N_CLOCKS; k++) {
			if (!s->ms[i] || !s->ms[k] || s->ms[i] <= s->ms[k])
				continue;
			cfg_error(errs, cfg_at(at, sla_clock_names[k]),
				  "%s: %s %s is shorter than %s %s (the clocks run in the order "
				  "acknowledge, accept, on_site, resolve)",
				  what, sla_clock_names[k], sla_dur_str(s->ms[k], a, sizeof a),
				  sla_clock_names[i], sla_dur_str(s->ms[i], b, sizeof b));
			return -1;
		}
	}
	return 0;
}

static int
apply_override(struct sla_conf *c, const struct cfg_node *node, const struct cfg_node **seen,
	       struct cfg_errs *errs)
{
	struct override_in o;
	int lo, hi, rc = 0;
	char what[160];

	memset(&o, 0, sizeof o);
	if (cfg_kind(node) != CFG_MAP) {
		cfg_error(errs, node, "overrides: each override must be a mapping of key: value");
		return -1;
	}
	if (cfg_bind(node, override_fields, &o, errs) < 0)
		return -1;
	/* Without urgency: both urgencies of the category. */
	lo = cfg_get(node, "urgency") ? o.urgency : 0;
	hi = cfg_get(node, "urgency") ? o.urgency : SLA_N_URGENCIES - 1;
	for (int u = lo; u <= hi; u++) {
		const struct cfg_node **first = &seen[o.category * SLA_N_URGENCIES + u];
		struct sla_clocks *dst = &c->clocks[o.category][u];

		snprintf(what, sizeof what, "%s/%s", rcf_wo_categories[o.category],
			 rcf_wo_urgencies[u]);
		if (*first) {
			cfg_error(errs, node, "overrides: %s is overridden twice (first at %s:%d)",
				  what, cfg_file(*first), cfg_line(*first));
			rc = -1;
			continue;
		}
		*first = node;
		for (int k = 0; k < SLA_N_CLOCKS; k++)
			if (!cfg_is_null(cfg_get(node, sla_clock_names[k])))
				dst->ms[k] = o.c.ms[k];
		if (check_order(dst, node, what, errs) < 0)
			rc = -1;
	}
	return rc;
}

int
sla_parse_clocks(struct sla_conf *c, const struct cfg_node *clocks,
		 const struct cfg_node *overrides, struct cfg_errs *errs)
{
	const struct cfg_node *seen[MAX_OVERRIDES] = {0};
	struct clocks_in in;
	int rc = 0;

	memset(&in, 0, sizeof in);
	if (cfg_kind(clocks) != CFG_MAP) {
		cfg_error(errs, clocks, "clocks: expected {emergency: {...}, ordinary: {...}}");
		return -1;
	}
	if (cfg_bind(clocks, clocks_fields, &in, errs) < 0)
		return -1;
	for (int u = 0; u < SLA_N_URGENCIES; u++) {
		struct sla_clocks s;

		memset(&s, 0, sizeof s);
		if (cfg_kind(in.u[u]) != CFG_MAP) {
			cfg_error(errs, in.u[u], "%s: expected a mapping of clock: duration",
				  rcf_wo_urgencies[u]);
			rc = -1;
			continue;
		}
		if (cfg_bind(in.u[u], set_fields, &s, errs) < 0 ||
		    check_order(&s, in.u[u], rcf_wo_urgencies[u], errs) < 0)
			rc = -1;
		for (int k = 0; k < SLA_N_CATEGORIES; k++)
			c->clocks[k][u] = s;
	}
	if (cfg_is_null(overrides))
		return rc;
	if (cfg_kind(overrides) != CFG_SEQ) {
		cfg_error(errs, overrides,
			  "overrides: expected a list of {category, urgency, ...}");
		return -1;
	}
	for (size_t i = 0; i < cfg_len(overrides); i++)
		if (apply_override(c, cfg_item(overrides, i), seen, errs) < 0)
			rc = -1;
	return rc;
}

/* "HH:MM" into minutes after midnight; 24:00 only as an end. */
static int
parse_hhmm(const char *s, int is_end, int *min)
{
	int h, m, used = 0;

	if (strlen(s) != 5 || sscanf(s, "%2d:%2d%n", &h, &m, &used) != 2 || used != 5 || h < 0 ||
	    m < 0 || m > 59 || h > 24 || (h == 24 && (m || !is_end)))
		return -1;
	*min = h * 60 + m;
	return 0;
}

int
sla_parse_worktime(struct sla_conf *c, const struct cfg_node *node, struct cfg_errs *errs)
{
	struct work_in w;
	int rc = 0;

	memset(&w, 0, sizeof w);
	if (cfg_kind(node) != CFG_MAP) {
		cfg_error(errs, node,
			  "working_time: expected {days: [mon, ...], start: \"09:00\", end: "
			  "\"18:00\"}");
		return -1;
	}
	if (cfg_bind(node, work_fields, &w, errs) < 0)
		rc = -1;
	for (size_t i = 0; i < w.days.n; i++) {
		int d = reg_name_index(weekdays, w.days.v[i]);

		if (d < 0 || (c->work.day_mask >> d) & 1) {
			cfg_error_at(errs, cfg_file(node), w.days.line[i],
				     d < 0 ? "days: '%s' is not a weekday (mon, tue, ... sun)"
					   : "days: '%s' is listed twice",
				     w.days.v[i]);
			rc = -1;
			continue;
		}
		c->work.day_mask |= 1u << d;
	}
	if (w.start[0] && parse_hhmm(w.start, 0, &c->work.start_min) < 0) {
		cfg_error(errs, cfg_at(node, "start"), "start: '%s' is not a time of day (HH:MM)",
			  w.start);
		rc = -1;
	} else if (w.end[0] && parse_hhmm(w.end, 1, &c->work.end_min) < 0) {
		cfg_error(errs, cfg_at(node, "end"), "end: '%s' is not a time of day (HH:MM)",
			  w.end);
		rc = -1;
	} else if (w.start[0] && w.end[0] && c->work.end_min <= c->work.start_min) {
		cfg_error(errs, cfg_at(node, "end"),
			  "end: a working day ends after it starts (%s-%s; no overnight working "
			  "day)",
			  w.start, w.end);
		rc = -1;
	}
	cfg_strlist_free(&w.days);
	return rc;
}

static int
check_targets(const struct sla_escalation *e, const struct reg *reg, struct cfg_errs *errs)
{
	const char *file = cfg_file(e->node);
	int rc = 0;

	for (size_t i = 0; i < e->notify.n; i++) {
		const char *n = e->notify.v[i];

		if (cfg_strlist_find(&e->notify, n) != (int)i) {
			cfg_error_at(errs, file, e->notify.line[i], "notify: '%s' is listed twice",
				     n);
			rc = -1;
		} else if (strcmp(n, SLA_TARGET_ASSIGNEE) != 0 && reg &&
			   rcf_target_kind(reg, n) == RCF_TARGET_UNKNOWN) {
			cfg_error_at(errs, file, e->notify.line[i],
				     "notify: '%s' is not '" SLA_TARGET_ASSIGNEE
				     "', a role, a team or a person",
				     n);
			rc = -1;
		}
	}
	return rc;
}

int
sla_parse_escalation(struct sla_conf *c, const struct cfg_node *list, const struct reg *reg,
		     struct cfg_errs *errs)
{
	int rc = 0;

	if (cfg_kind(list) != CFG_SEQ || cfg_len(list) == 0) {
		cfg_error(
			errs, list,
			"escalation: expected a list of steps {after: 30m, notify: [supervisor]}");
		return -1;
	}
	if (cfg_len(list) > SLA_MAX_ESCALATION) {
		cfg_error(errs, list, "escalation: too many steps (%zu, at most %d)", cfg_len(list),
			  SLA_MAX_ESCALATION);
		return -1;
	}
	for (size_t i = 0; i < cfg_len(list); i++) {
		const struct cfg_node *it = cfg_item(list, i);
		struct sla_escalation *e = &c->esc[c->n_esc];

		if (cfg_kind(it) != CFG_MAP) {
			cfg_error(errs, it,
				  "escalation: each step must be a mapping of key: value");
			rc = -1;
			continue;
		}
		c->n_esc++;
		e->node = it;
		if (cfg_bind(it, esc_fields, e, errs) < 0 || check_targets(e, reg, errs) < 0)
			rc = -1;
		if (c->n_esc > 1 && e->after_ms <= e[-1].after_ms) {
			cfg_error(errs, cfg_at(it, "after"),
				  "after: steps must come later one after another (step %d is not "
				  "after step %d)",
				  c->n_esc, c->n_esc - 1);
			rc = -1;
		}
	}
	return rc;
}

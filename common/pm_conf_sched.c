/* pm_conf_sched.c — when a plan is due, as configured: the calendar (every
 * N days/weeks/months/years, fixed or floating), the meter, the time window,
 * the lead time and duration that must fit them, and item sets that come
 * less often than the plan. It checks what was written; the due dates
 * themselves are schedd's. Pure. */
#include "pm_conf_int.h"
#include "rules_conf.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COUNT 999

#define P struct pm_plan_in
static const struct cfg_field calendar_fields[] = {
	CFG_STR("every", P, every, NULL),
	CFG_ENUM("anchor", P, p.anchor, "floating", pm_anchor_names),
	CFG_STR("anchor_date", P, p.anchor_date, ""),
	CFG_END,
};

static const struct cfg_field meter_fields[] = {
	CFG_STR("metric", P, p.meter_metric, NULL),
	CFG_ENUM("kind", P, p.meter_kind, "counter", pm_meter_kind_names),
	CFG_DOUBLE("every", P, p.meter_every, NULL, 0, 1e9),
	CFG_END,
};

static const struct cfg_field window_fields[] = {
	CFG_STR("start", P, start, NULL),
	CFG_STR("end", P, end, NULL),
	CFG_END,
};
#undef P

struct set_in {
	struct pm_item_set s;
	char every[32];
};

static const struct cfg_field set_fields[] = {
	CFG_STR("name", struct set_in, s.name, NULL),
	CFG_STR("every", struct set_in, every, NULL),
	CFG_STR("anchor_date", struct set_in, s.anchor_date, ""),
	CFG_STRLIST("items", struct set_in, s.items, NULL, PM_MAX_ITEMS, PM_ITEM_SIZE - 1),
	CFG_END,
};

int
pm_period_parse(const char *s, struct pm_period *out)
{
	char unit[16];
	size_t digits = strspn(s, "0123456789"), len;
	int n = atoi(s);

	/* exactly "N unit": digits, one space, lower-case letters */
	if (digits < 1 || digits > 3 || s[0] == '0' || s[digits] != ' ')
		return -1;
	len = strspn(s + digits + 1, "abcdefghijklmnopqrstuvwxyz");
	if (len < 1 || len >= sizeof unit || s[digits + 1 + len] != '\0')
		return -1;
	memcpy(unit, s + digits + 1, len);
	unit[len] = '\0';
	if (len > 1 && unit[len - 1] == 's')
		unit[len - 1] = '\0';
	out->unit = reg_name_index(pm_unit_names, unit);
	out->count = n;
	return out->unit < 0 ? -1 : 0;
}

/* Per unit (enum pm_unit order), the shortest and longest it lasts. */
static const long long unit_min_ms[] = {
	PM_DAY_MS, 7 * PM_DAY_MS, 28 * PM_DAY_MS, 365 * PM_DAY_MS, 3600000, 60000, 1000};
static const long long unit_max_ms[] = {
	PM_DAY_MS, 7 * PM_DAY_MS, 31 * PM_DAY_MS, 366 * PM_DAY_MS, 3600000, 60000, 1000};

int
pm_unit_sub_day(int unit)
{
	return unit == PM_HOUR || unit == PM_MINUTE || unit == PM_SECOND;
}

long long
pm_period_min_ms(const struct pm_period *p)
{
	return p->count * unit_min_ms[p->unit];
}

long long
pm_period_max_ms(const struct pm_period *p)
{
	return p->count * unit_max_ms[p->unit];
}

long
pm_period_min_days(const struct pm_period *p)
{
	return (long)(pm_period_min_ms(p) / PM_DAY_MS);
}

long
pm_period_max_days(const struct pm_period *p)
{
	return (long)(pm_period_max_ms(p) / PM_DAY_MS);
}

const char *
pm_period_str(const struct pm_period *p, char *buf, size_t cap)
{
	snprintf(buf, cap, "%d %s%s", p->count, pm_unit_names[p->unit], p->count == 1 ? "" : "s");
	return buf;
}

/* Binds section key of the plan with fields; 1 when it is there, 0 when it
 * is absent, -1 when it is not a mapping or does not bind. */
static int
bind_section(struct pm_plan_in *in, const struct cfg_node *n, const char *key,
	     const struct cfg_field *fields, const char *example, struct cfg_errs *errs)
{
	if (cfg_is_null(n))
		return 0;
	if (cfg_kind(n) != CFG_MAP) {
		cfg_error(errs, n, "%s: expected a mapping such as %s", key, example);
		return -1;
	}
	return cfg_bind(n, fields, in, errs) < 0 ? -1 : 1;
}

static int
parse_period(const char *text, const struct cfg_node *at, struct pm_period *out,
	     struct cfg_errs *errs)
{
	if (pm_period_parse(text, out) == 0)
		return 0;
	cfg_error(errs, at,
		  "every: '%s' is not a period (N days, weeks, months or years; N from 1 to %d)",
		  text, MAX_COUNT);
	out->count = 0;
	return -1;
}

static int
parse_calendar(struct pm_plan_in *in, struct cfg_errs *errs)
{
	struct pm_plan *p = &in->p;
	const struct cfg_node *c = in->calendar;
	int rc = bind_section(in, c, "calendar", calendar_fields, "{every: 1 month, anchor: fixed}",
			      errs);

	if (rc <= 0)
		return rc;
	p->has_calendar = 1;
	rc = parse_period(in->every, cfg_at(c, "every"), &p->every, errs);
	if (p->anchor == PM_FIXED && !p->anchor_date[0]) {
		cfg_error(errs, cfg_at(c, "anchor"),
			  "anchor_date: a fixed plan needs the date of one occurrence "
			  "(YYYY-MM-DD)");
		rc = -1;
	} else if (p->anchor == PM_FLOATING && p->anchor_date[0]) {
		cfg_error(errs, cfg_at(c, "anchor_date"),
			  "anchor_date: only fixed plans have one (a floating plan counts from "
			  "its last completion)");
		rc = -1;
	} else if (p->anchor_date[0] &&
		   pm_parse_date(p->anchor_date, "anchor_date", cfg_at(c, "anchor_date"),
				 &p->anchor_day, errs) < 0) {
		rc = -1;
	}
	return rc;
}

static int
parse_meter(struct pm_plan_in *in, struct cfg_errs *errs)
{
	struct pm_plan *p = &in->p;
	const struct cfg_node *m = in->meter;
	int rc = bind_section(in, m, "meter", meter_fields, "{metric: run_hours, every: 2000}",
			      errs);

	if (rc <= 0)
		return rc;
	rc = 0;
	p->has_meter = 1;
	if (p->meter_metric[0] && !rcf_valid_name(p->meter_metric)) {
		cfg_error(errs, cfg_at(m, "metric"),
			  "metric: '%s' is not a metric name ([a-z0-9_], 1 to 64)",
			  p->meter_metric);
		rc = -1;
	}
	if (cfg_has(m, "every") && !(p->meter_every > 0)) {
		cfg_error(errs, cfg_at(m, "every"), "every: must be more than 0");
		rc = -1;
	}
	if (p->site_level) {
		cfg_error(errs, m, "meter: a site-level plan has no device to count from");
		rc = -1;
	}
	return rc;
}

/* "HH:MM" into minutes after midnight; 24:00 only as an end. */
static int
parse_time(const char *s, int is_end, int *min)
{
	int h, m, used = 0;

	if (strlen(s) != 5 || sscanf(s, "%2d:%2d%n", &h, &m, &used) != 2 || used != 5 || m > 59 ||
	    h < 0 || m < 0 || h > 24 || (h == 24 && (m || !is_end)))
		return -1;
	*min = h * 60 + m;
	return 0;
}

static int
parse_window(struct pm_plan_in *in, struct cfg_errs *errs)
{
	struct pm_plan *p = &in->p;
	const struct cfg_node *w = in->window;
	int rc = bind_section(in, w, "window", window_fields, "{start: \"00:00\", end: \"06:00\"}",
			      errs);

	if (rc <= 0)
		return rc;
	rc = 0;
	if (parse_time(in->start, 0, &p->window_start_min) < 0) {
		cfg_error(errs, cfg_at(w, "start"), "start: '%s' is not a time of day (HH:MM)",
			  in->start);
		rc = -1;
	}
	if (parse_time(in->end, 1, &p->window_end_min) < 0) {
		cfg_error(errs, cfg_at(w, "end"), "end: '%s' is not a time of day (HH:MM)",
			  in->end);
		rc = -1;
	}
	if (rc == 0 && p->window_start_min % 1440 == p->window_end_min % 1440) {
		cfg_error(errs, w,
			  "window: start and end are the same; leave window out for any "
			  "time of day");
		rc = -1;
	}
	p->has_window = rc == 0;
	return rc;
}

/* Lead time and duration against the period and the window. */
static int
check_fit(const struct pm_plan *p, struct cfg_errs *errs)
{
	long long win_min = p->window_end_min - p->window_start_min;
	char per[32];
	int rc = 0;

	if (p->has_calendar && p->every.count && p->lead_ms >= pm_period_min_ms(&p->every)) {
		cfg_error(errs, cfg_at(p->node, "lead_time"),
			  "lead_time: must be shorter than the period (every %s): the next "
			  "occurrence would be requested before this one is due",
			  pm_period_str(&p->every, per, sizeof per));
		rc = -1;
	}
	/* A sub-day plan comes several times a day: its occurrences are
	 * instants, and a daily window would skip most of them. */
	if (p->has_calendar && p->every.count && pm_unit_sub_day(p->every.unit) && p->has_window) {
		cfg_error(errs, cfg_at(p->node, "window"),
			  "window: a plan every %s has no time window (its occurrences are "
			  "instants, not days)",
			  pm_period_str(&p->every, per, sizeof per));
		rc = -1;
	}
	if (win_min <= 0)
		win_min += 1440;
	if (p->has_window && p->duration_ms > win_min * 60000) {
		cfg_error(errs, cfg_at(p->node, "duration"),
			  "duration: longer than the window %02d:%02d-%02d:%02d (%lld min)",
			  p->window_start_min / 60, p->window_start_min % 60,
			  p->window_end_min / 60, p->window_end_min % 60, win_min);
		rc = -1;
	}
	return rc;
}

int
pm_parse_schedule(struct pm_plan_in *in, struct cfg_errs *errs)
{
	int rc = 0;

	if (parse_calendar(in, errs) < 0)
		rc = -1;
	if (parse_meter(in, errs) < 0)
		rc = -1;
	if (parse_window(in, errs) < 0)
		rc = -1;
	if (!in->p.has_calendar && !in->p.has_meter && !in->calendar && !in->meter) {
		cfg_error(errs, in->p.node,
			  "a plan needs calendar:, meter: or both (whichever comes first)");
		rc = -1;
	}
	if (check_fit(&in->p, errs) < 0)
		rc = -1;
	return rc;
}

/* An item set that comes as often as the plan belongs in its checklist. */
static int
less_often(const struct pm_period *set, const struct pm_period *plan)
{
	if (set->unit == plan->unit)
		return set->count > plan->count;
	return pm_period_min_ms(set) > pm_period_max_ms(plan);
}

static int
parse_set(struct pm_plan *p, const struct cfg_node *n, struct cfg_errs *errs)
{
	struct pm_item_set *s = &p->sets[p->n_sets];
	struct set_in in;
	char per[32];
	int rc = 0;

	memset(&in, 0, sizeof in);
	if (cfg_bind(n, set_fields, &in, errs) < 0)
		rc = -1;
	*s = in.s;
	s->node = n;
	p->n_sets++;
	if (s->name[0] && !rcf_valid_name(s->name)) {
		cfg_error(errs, cfg_at(n, "name"),
			  "name: '%s' is not an item-set name ([a-z0-9_], 1 to 64)", s->name);
		rc = -1;
	}
	for (int i = 0; i < p->n_sets - 1; i++) {
		if (s->name[0] && strcmp(p->sets[i].name, s->name) == 0) {
			cfg_error(errs, cfg_at(n, "name"), "name: item set '%s' is listed twice",
				  s->name);
			rc = -1;
		}
	}
	if (in.every[0] && parse_period(in.every, cfg_at(n, "every"), &s->every, errs) < 0)
		rc = -1;
	else if (s->every.count && p->has_calendar && p->every.count &&
		 !less_often(&s->every, &p->every)) {
		cfg_error(errs, cfg_at(n, "every"),
			  "every: an item set must come less often than its plan (every %s); put "
			  "these items in checklist",
			  pm_period_str(&p->every, per, sizeof per));
		rc = -1;
	}
	if (!s->anchor_date[0] && p->anchor_date[0]) {
		memcpy(s->anchor_date, p->anchor_date, sizeof s->anchor_date);
		s->anchor_day = p->anchor_day;
	} else if (!s->anchor_date[0]) {
		cfg_error(errs, n,
			  "anchor_date: an item set of a plan without a fixed anchor needs the "
			  "date its cycle counts from (YYYY-MM-DD)");
		rc = -1;
	} else if (pm_parse_date(s->anchor_date, "anchor_date", cfg_at(n, "anchor_date"),
				 &s->anchor_day, errs) < 0) {
		rc = -1;
	}
	if (pm_empty_list(n, "items")) {
		cfg_error(errs, cfg_at(n, "items"), "items: list at least one item");
		rc = -1;
	}
	return rc;
}

int
pm_parse_item_sets(struct pm_plan_in *in, struct cfg_errs *errs)
{
	const struct cfg_node *l = in->item_sets;
	int rc = 0;

	if (cfg_is_null(l))
		return 0;
	if (cfg_kind(l) != CFG_SEQ) {
		cfg_error(errs, l,
			  "item_sets: expected a list of sets, each starting with '- name:'");
		return -1;
	}
	if (cfg_len(l) > PM_MAX_ITEM_SETS) {
		cfg_error(errs, l, "item_sets: too many sets (%zu, at most %d)", cfg_len(l),
			  PM_MAX_ITEM_SETS);
		return -1;
	}
	for (size_t i = 0; i < cfg_len(l); i++) {
		const struct cfg_node *it = cfg_item(l, i);

		if (cfg_kind(it) != CFG_MAP) {
			cfg_error(errs, it, "item_sets: each set must be a mapping of key: value");
			rc = -1;
		} else if (parse_set(&in->p, it, errs) < 0) {
			rc = -1;
		}
	}
	return rc;
}

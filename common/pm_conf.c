/* pm_conf.c — config/maintenance.yaml: the file's defaults, the plans,
 * lookups and loading. Each plan is bound with one declarative table; what
 * it leaves out of lead_time and overdue comes from the file's `defaults:`.
 * Targets, calendar, meter, window and item sets are pm_conf_check.c's. Pure
 * except pm_load_dir, which reads the file. */
#include "pm_conf_int.h"
#include "log.h"
#include "rules_conf.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PLANS 1000

const char *const pm_unit_names[] = {"day",  "week",   "month",  "year",
				     "hour", "minute", "second", NULL};
const char *const pm_anchor_names[] = {"floating", "fixed", NULL};
const char *const pm_meter_kind_names[] = {"counter", "starts", "hours", NULL};
const char *const pm_priority_names[] = {"ordinary", "emergency", NULL};

#define I struct pm_plan_in
static const struct cfg_field plan_fields[] = {
	CFG_STR("id", I, p.id, NULL),
	CFG_STR("name", I, p.name, NULL),
	CFG_NODE_REQUIRED("targets", I, targets),
	CFG_NODE("calendar", I, calendar),
	CFG_NODE("meter", I, meter),
	CFG_NODE("window", I, window),
	CFG_DURATION("lead_time", I, p.lead_ms, "0", 0, 366 * PM_DAY_MS),
	CFG_DURATION("duration", I, p.duration_ms, NULL, 60000, 7 * PM_DAY_MS),
	CFG_STRLIST("checklist", I, p.checklist, NULL, PM_MAX_ITEMS, PM_ITEM_SIZE - 1),
	CFG_NODE("item_sets", I, item_sets),
	CFG_STR("skill", I, p.skill, ""),
	CFG_STR("assignee", I, p.assignee, ""),
	CFG_ENUM("priority", I, p.priority, "ordinary", pm_priority_names),
	CFG_BOOL("statutory", I, p.statutory, "false"),
	CFG_NODE("overdue", I, overdue),
	CFG_STR("last_done", I, p.last_done, ""),
	CFG_BOOL("enabled", I, p.enabled, "true"),
	CFG_END,
};
#undef I

#define O struct pm_overdue_in
const struct cfg_field pm_overdue_fields[] = {
	CFG_DURATION("after", O, after_ms, "1d", 0, 366 * PM_DAY_MS),
	CFG_STRLIST("notify", O, notify, "", PM_MAX_NOTIFY, REG_ID_SIZE - 1),
	CFG_STRLIST("escalate", O, escalate, "", PM_MAX_NOTIFY, REG_ID_SIZE - 1),
	CFG_DURATION("escalate_after", O, escalate_after_ms, "0", 0, 366 * PM_DAY_MS),
	CFG_END,
};
#undef O

struct defaults {
	long long lead_ms;
	const struct cfg_node *overdue;
	struct pm_overdue_in ov;
};

static const struct cfg_field defaults_fields[] = {
	CFG_DURATION("lead_time", struct defaults, lead_ms, "0", 0, 366 * PM_DAY_MS),
	CFG_NODE("overdue", struct defaults, overdue),
	CFG_END,
};

struct pm_file {
	const struct cfg_node *defaults, *plans;
};

static const struct cfg_field file_fields[] = {
	CFG_NODE_REQUIRED("plans", struct pm_file, plans),
	CFG_NODE("defaults", struct pm_file, defaults),
	CFG_END,
};

int
pm_empty_list(const struct cfg_node *map, const char *key)
{
	const struct cfg_node *v = cfg_get(map, key);

	return v && cfg_kind(v) == CFG_SEQ && cfg_len(v) == 0;
}

void
pm_strlist_copy(struct cfg_strlist *dst, const struct cfg_strlist *src)
{
	memset(dst, 0, sizeof *dst);
	if (!src->n)
		return;
	dst->v = xcalloc(src->n, sizeof *dst->v);
	dst->line = xcalloc(src->n, sizeof *dst->line);
	for (size_t i = 0; i < src->n; i++) {
		dst->v[i] = xstrdup(src->v[i]);
		dst->line[i] = src->line[i];
	}
	dst->n = src->n;
}

void
pm_plan_free(struct pm_plan *p)
{
	cfg_strlist_free(&p->devices);
	cfg_strlist_free(&p->asset_types);
	cfg_strlist_free(&p->tags);
	cfg_strlist_free(&p->checklist);
	cfg_strlist_free(&p->notify);
	cfg_strlist_free(&p->escalate);
	for (int i = 0; i < PM_MAX_ITEM_SETS; i++)
		cfg_strlist_free(&p->sets[i].items);
	p->n_sets = 0;
}

static void
overdue_free(struct pm_overdue_in *o)
{
	cfg_strlist_free(&o->notify);
	cfg_strlist_free(&o->escalate);
}

/* Binds an overdue: section (node may be NULL) and checks its names. */
static int
bind_overdue(struct pm_overdue_in *o, const struct cfg_node *node, const struct reg *reg,
	     struct cfg_errs *errs)
{
	int rc = 0;

	memset(o, 0, sizeof *o);
	if (!cfg_is_null(node) && cfg_kind(node) != CFG_MAP) {
		cfg_error(errs, node,
			  "overdue: expected a mapping such as {after: 1d, notify: [supervisor]}");
		node = NULL;
		rc = -1;
	}
	if (cfg_bind(cfg_is_null(node) ? NULL : node, pm_overdue_fields, o, errs) < 0)
		rc = -1;
	if (pm_check_names(&o->notify, "notify", cfg_at(node, "notify"), reg, errs) < 0)
		rc = -1;
	if (pm_check_names(&o->escalate, "escalate", cfg_at(node, "escalate"), reg, errs) < 0)
		rc = -1;
	return rc;
}

/* The plan's overdue: what it sets, the rest from defaults. Only statutory
 * plans escalate: an escalation the plan sets itself is then an error, one
 * it would inherit is dropped. */
static int
build_overdue(struct pm_plan *p, const struct cfg_node *node, const struct defaults *d,
	      const struct reg *reg, struct cfg_errs *errs)
{
	struct pm_overdue_in o;
	int rc = bind_overdue(&o, node, reg, errs);
	int own_escalate = cfg_has(node, "escalate");

	p->overdue_after_ms = cfg_has(node, "after") ? o.after_ms : d->ov.after_ms;
	p->escalate_after_ms =
		cfg_has(node, "escalate_after") ? o.escalate_after_ms : d->ov.escalate_after_ms;
	if (cfg_has(node, "notify"))
		pm_strlist_copy(&p->notify, &o.notify);
	else
		pm_strlist_copy(&p->notify, &d->ov.notify);
	if (own_escalate && !p->statutory) {
		cfg_error(errs, cfg_at(node, "escalate"),
			  "escalate: only statutory plans escalate (statutory: true)");
		rc = -1;
	} else if (p->statutory) {
		pm_strlist_copy(&p->escalate, own_escalate ? &o.escalate : &d->ov.escalate);
	}
	if (!p->notify.n) {
		cfg_error(errs, cfg_at(p->node, "overdue"),
			  "overdue: nobody is told when the plan is overdue (set notify here or "
			  "in defaults)");
		rc = -1;
	}
	if (p->statutory && !p->escalate.n) {
		cfg_error(errs, cfg_at(p->node, "statutory"),
			  "statutory: a statutory plan escalates when overdue; set overdue "
			  "escalate (e.g. [supervisor, project_manager]) here or in defaults");
		rc = -1;
	}
	overdue_free(&o);
	return rc;
}

static int
check_refs(const struct pm_plan *p, const struct reg *reg, struct cfg_errs *errs)
{
	int rc = 0;

	if (!rcf_valid_name(p->id) && p->id[0]) {
		cfg_error(errs, cfg_at(p->node, "id"),
			  "id: '%s' is not a plan id ([a-z0-9_], 1 to 64)", p->id);
		rc = -1;
	}
	if (reg && p->skill[0] && !reg_skill_find(reg, p->skill)) {
		cfg_error(errs, cfg_at(p->node, "skill"), "skill: unknown skill '%s'", p->skill);
		rc = -1;
	}
	if (reg && p->assignee[0] && !reg_person_find(reg, p->assignee)) {
		cfg_error(errs, cfg_at(p->node, "assignee"), "assignee: unknown person '%s'",
			  p->assignee);
		rc = -1;
	}
	if (pm_empty_list(p->node, "checklist")) {
		cfg_error(errs, cfg_at(p->node, "checklist"), "checklist: list at least one item");
		rc = -1;
	}
	return rc;
}

/* Binds one plan; what it does not say comes from defaults. */
static int
build_plan(struct pm_plan *out, const struct cfg_node *node, const struct defaults *d,
	   const struct reg *reg, struct cfg_errs *errs)
{
	struct pm_plan_in in;
	int rc = 0;

	memset(&in, 0, sizeof in);
	if (cfg_bind(node, plan_fields, &in, errs) < 0)
		rc = -1;
	in.p.node = node;
	if (!cfg_has(node, "lead_time"))
		in.p.lead_ms = d->lead_ms;
	if (in.p.last_done[0]) {
		in.p.has_last_done = 1;
		if (pm_parse_date(in.p.last_done, "last_done", cfg_at(node, "last_done"),
				  &in.p.last_done_day, errs) < 0)
			rc = -1;
	}
	if (check_refs(&in.p, reg, errs) < 0)
		rc = -1;
	if (pm_parse_targets(&in, reg, errs) < 0)
		rc = -1;
	if (pm_parse_schedule(&in, errs) < 0)
		rc = -1;
	if (pm_parse_item_sets(&in, errs) < 0)
		rc = -1;
	if (build_overdue(&in.p, in.overdue, d, reg, errs) < 0)
		rc = -1;
	*out = in.p;
	return rc;
}

static int
build_plans(struct pm_set *set, const struct cfg_node *list, const struct defaults *d,
	    const struct reg *reg, struct cfg_errs *errs)
{
	int rc = 0;

	if (cfg_check_list(list, "plans", MAX_PLANS, errs) < 0)
		return -1;
	set->plans = xcalloc(cfg_len(list) ? cfg_len(list) : 1, sizeof *set->plans);
	for (size_t i = 0; i < cfg_len(list); i++) {
		const struct cfg_node *it = cfg_list_map(list, i, "plans", "plan", errs);

		if (!it)
			rc = -1;
		else if (build_plan(&set->plans[set->n_plans++], it, d, reg, errs) < 0)
			rc = -1;
	}
	cfg_check_unique_ids(set->plans, set->n_plans, sizeof *set->plans,
			     offsetof(struct pm_plan, id), offsetof(struct pm_plan, node), "plan",
			     errs);
	return rc;
}

int
pm_build(struct pm_set *out, const struct cfg_doc *doc, const struct reg *reg,
	 struct cfg_errs *errs)
{
	size_t before = errs->n + errs->dropped;
	struct defaults d;
	struct pm_file f;

	if (!doc)
		return -1;
	if (!cfg_doc_root(doc)) {
		cfg_error_at(errs, cfg_doc_file(doc), 0, "the file is empty; expected 'plans:'");
		return -1;
	}
	memset(&f, 0, sizeof f);
	memset(&d, 0, sizeof d);
	cfg_bind(cfg_doc_root(doc), file_fields, &f, errs);
	if (f.plans) {
		if (!cfg_is_null(f.defaults) && cfg_kind(f.defaults) != CFG_MAP)
			cfg_error(errs, f.defaults, "defaults: expected a mapping of key: value");
		else
			cfg_bind(f.defaults, defaults_fields, &d, errs);
		bind_overdue(&d.ov, d.overdue, reg, errs);
		build_plans(out, f.plans, &d, reg, errs);
	}
	overdue_free(&d.ov);
	return errs->n + errs->dropped == before ? 0 : -1;
}

int
pm_load_dir(const char *dir, const struct reg *reg, struct pm_set *out, struct cfg_errs *errs)
{
	char path[4096];

	memset(out, 0, sizeof *out);
	snprintf(path, sizeof path, "%s/%s", dir, PM_FILE);
	out->doc = cfg_load(path, errs);
	if (!out->doc)
		return -1;
	return pm_build(out, out->doc, reg, errs);
}

void
pm_free(struct pm_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n_plans; i++)
		pm_plan_free(&set->plans[i]);
	free(set->plans);
	cfg_doc_free(set->doc);
	memset(set, 0, sizeof *set);
}

const struct pm_plan *
pm_find(const struct pm_set *set, const char *id)
{
	for (size_t i = 0; i < set->n_plans; i++)
		if (strcmp(set->plans[i].id, id) == 0)
			return &set->plans[i];
	return NULL;
}

int
pm_plan_covers(const struct pm_plan *p, const struct reg_device *d)
{
	if (p->site_level || (p->site[0] && strcmp(p->site, d->site) != 0))
		return 0;
	if (cfg_strlist_find(&p->devices, d->id) >= 0)
		return 1;
	if (d->type < 0 || d->type >= 64 || !((p->type_mask >> d->type) & 1))
		return 0;
	for (size_t i = 0; i < p->tags.n; i++)
		if (cfg_strlist_find(&d->tags, p->tags.v[i]) < 0)
			return 0;
	return 1;
}

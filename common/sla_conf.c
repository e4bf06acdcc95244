/* sla_conf.c — config/sla.yaml: the file's top-level keys, complaints' reply
 * clocks, follow-up, dispatch settings, lookups and loading. The clocks,
 * working time and escalation chain are sla_conf_check.c's. Pure except
 * sla_load_dir, which reads the file. */
#include "sla_conf_int.h"
#include "rules_conf.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const sla_clock_names[] = {"acknowledge", "accept", "on_site", "resolve", NULL};
const char *const sla_grade_names[] = {"major", "urgent", "general", NULL};

struct file_in {
	const struct cfg_node *clocks, *overrides, *reply, *followup, *work, *esc, *weight;
	long long repeat_ms;
	char team[REG_ID_SIZE];
	struct cfg_strlist roles;
};

#define F struct file_in
static const struct cfg_field file_fields[] = {
	CFG_NODE_REQUIRED("clocks", F, clocks),
	CFG_NODE("overrides", F, overrides),
	CFG_NODE_REQUIRED("complaint_reply", F, reply),
	CFG_NODE("followup", F, followup),
	CFG_NODE_REQUIRED("working_time", F, work),
	CFG_DURATION("repeat_window", F, repeat_ms, "7d", SLA_DAY_MS, 90 * SLA_DAY_MS),
	CFG_STR("emergency_team", F, team, NULL),
	CFG_STRLIST("dispatch_roles", F, roles, "", SLA_MAX_ROLES, REG_ID_SIZE - 1),
	CFG_NODE("load_weight", F, weight),
	CFG_NODE_REQUIRED("escalation", F, esc),
	CFG_END,
};
#undef F

#define C struct sla_conf
static const struct cfg_field reply_fields[] = {
	CFG_DURATION("major", C, reply_ms[SLA_MAJOR], NULL, 60000, 7 * SLA_DAY_MS),
	CFG_DURATION("urgent", C, reply_ms[SLA_URGENT], NULL, 60000, 7 * SLA_DAY_MS),
	CFG_DURATION("general", C, reply_ms[SLA_GENERAL], NULL, 60000, 7 * SLA_DAY_MS),
	CFG_END,
};

static const struct cfg_field followup_fields[] = {
	CFG_INT("within_working_days", C, followup_days, "1", 1, 30),
	CFG_INT("reopen_score_at_most", C, reopen_score_max, "2", 1, 4),
	CFG_END,
};

/* Indexes follow rcf_wo_urgencies: emergency, ordinary. */
static const struct cfg_field weight_fields[] = {
	CFG_INT("emergency", C, load_weight[0], "2", 1, 100),
	CFG_INT("ordinary", C, load_weight[1], "1", 1, 100),
	CFG_END,
};
#undef C

const char *
sla_dur_str(long long ms, char *buf, size_t cap)
{
	if (ms && ms % 3600000 == 0)
		snprintf(buf, cap, "%lldh", ms / 3600000);
	else if (ms && ms % 60000 == 0)
		snprintf(buf, cap, "%lldm", ms / 60000);
	else if (ms % 1000 == 0)
		snprintf(buf, cap, "%llds", ms / 1000);
	else
		snprintf(buf, cap, "%lldms", ms);
	return buf;
}

/* Binds an optional mapping section (NULL or null: all defaults). */
static int
bind_section(const char *key, const struct cfg_node *node, const struct cfg_field *fields,
	     void *target, struct cfg_errs *errs)
{
	if (!cfg_is_null(node) && cfg_kind(node) != CFG_MAP) {
		struct cfg_errs quiet;

		cfg_error(errs, node, "%s: expected a mapping of key: value", key);
		/* the defaults only: a required key is not missing from a value
		 * that is not a mapping, and cfg_bind(NULL) has no line to give */
		cfg_errs_init(&quiet);
		cfg_bind(NULL, fields, target, &quiet);
		cfg_errs_free(&quiet);
		return -1;
	}
	return cfg_bind(cfg_is_null(node) ? NULL : node, fields, target, errs);
}

/* A more serious complaint is answered first: major <= urgent <= general. */
static int
parse_reply(struct sla_conf *c, const struct cfg_node *node, struct cfg_errs *errs)
{
	char a[32], b[32];

	if (bind_section("complaint_reply", node, reply_fields, c, errs) < 0)
		return -1;
	for (int g = 1; g < SLA_N_GRADES; g++) {
		if (c->reply_ms[g] >= c->reply_ms[g - 1])
			continue;
		cfg_error(errs, cfg_at(node, sla_grade_names[g]),
			  "%s: %s is shorter than %s (%s); a more serious complaint is answered "
			  "first",
			  sla_grade_names[g], sla_dur_str(c->reply_ms[g], a, sizeof a),
			  sla_grade_names[g - 1], sla_dur_str(c->reply_ms[g - 1], b, sizeof b));
		return -1;
	}
	return 0;
}

static int
check_dispatch(const struct sla_conf *c, const struct file_in *f, const struct cfg_node *root,
	       const struct reg *reg, struct cfg_errs *errs)
{
	int rc = 0;

	if (f->team[0] && reg && !reg_team_find(reg, f->team)) {
		cfg_error(errs, cfg_at(root, "emergency_team"), "emergency_team: unknown team '%s'",
			  f->team);
		rc = -1;
	}
	if (!c->dispatch_roles.n) {
		cfg_error(errs, cfg_at(root, "dispatch_roles"),
			  "dispatch_roles: name the roles that take work orders (e.g. "
			  "[technician])");
		rc = -1;
	}
	for (size_t i = 0; i < c->dispatch_roles.n; i++) {
		const char *r = c->dispatch_roles.v[i];

		if (reg_name_index(reg_roles, r) < 0) {
			cfg_error_at(errs, cfg_file(root), c->dispatch_roles.line[i],
				     "dispatch_roles: unknown role '%s'", r);
			rc = -1;
		} else if (cfg_strlist_find(&c->dispatch_roles, r) != (int)i) {
			cfg_error_at(errs, cfg_file(root), c->dispatch_roles.line[i],
				     "dispatch_roles: '%s' is listed twice", r);
			rc = -1;
		}
	}
	return rc;
}

int
sla_build(struct sla_conf *out, const struct cfg_doc *doc, const struct reg *reg,
	  struct cfg_errs *errs)
{
	size_t before = errs->n + errs->dropped;
	const struct cfg_node *root;
	struct file_in f;

	if (!doc)
		return -1;
	root = cfg_doc_root(doc);
	if (!root) {
		cfg_error_at(errs, cfg_doc_file(doc), 0, "the file is empty; expected 'clocks:'");
		return -1;
	}
	memset(&f, 0, sizeof f);
	if (cfg_kind(root) != CFG_MAP) {
		cfg_error(errs, root, "expected a mapping with clocks:, complaint_reply:, ...");
		return -1;
	}
	cfg_bind(root, file_fields, &f, errs);
	out->repeat_window_ms = f.repeat_ms;
	snprintf(out->emergency_team, sizeof out->emergency_team, "%s", f.team);
	out->dispatch_roles = f.roles;
	if (f.clocks)
		sla_parse_clocks(out, f.clocks, f.overrides, errs);
	if (f.reply)
		parse_reply(out, f.reply, errs);
	bind_section("followup", f.followup, followup_fields, out, errs);
	bind_section("load_weight", f.weight, weight_fields, out, errs);
	if (f.work)
		sla_parse_worktime(out, f.work, errs);
	if (f.esc)
		sla_parse_escalation(out, f.esc, reg, errs);
	check_dispatch(out, &f, root, reg, errs);
	return errs->n + errs->dropped == before ? 0 : -1;
}

int
sla_load_dir(const char *dir, const struct reg *reg, struct sla_conf *out, struct cfg_errs *errs)
{
	char path[4096];

	memset(out, 0, sizeof *out);
	snprintf(path, sizeof path, "%s/%s", dir, SLA_FILE);
	out->doc = cfg_load(path, errs);
	if (!out->doc)
		return -1;
	return sla_build(out, out->doc, reg, errs);
}

void
sla_free(struct sla_conf *c)
{
	if (!c)
		return;
	cfg_strlist_free(&c->dispatch_roles);
	for (int i = 0; i < c->n_esc; i++)
		cfg_strlist_free(&c->esc[i].notify);
	cfg_doc_free(c->doc);
	memset(c, 0, sizeof *c);
}

const struct sla_clocks *
sla_clocks_for(const struct sla_conf *c, int category, int urgency)
{
	if (category < 0 || category >= SLA_N_CATEGORIES || urgency < 0 ||
	    urgency >= SLA_N_URGENCIES)
		return NULL;
	return &c->clocks[category][urgency];
}

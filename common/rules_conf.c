/* rules_conf.c — config/rules.yaml: the file's defaults, the rules, lookups
 * and loading. Each rule is bound with one declarative table; what it leaves
 * out of notify, reminder, escalation, flapping and shelving comes from the
 * file's `defaults:`. Value checks are rules_conf_check.c's, overrides
 * rules_conf_override.c's, templates rules_conf_msg.c's. Pure except
 * rcf_load_dir, which reads the file. */
#include "rules_conf_int.h"
#include "log.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RULES 10000 /* as many as overrides; 1.6 kB each */

const char *const rcf_kind_names[] = {"threshold", "rate", "no_data", "event", "offline", NULL};
const char *const rcf_op_names[] = {"above", "at_least", "below", "at_most", "rise", "fall", NULL};
const char *const rcf_wo_categories[] = {
	"equipment_fault", "facility_repair", "emergency", "preventive",
	"inspection",      "repair_request",  "complaint", NULL};
const char *const rcf_wo_urgencies[] = {"emergency", "ordinary", NULL};

#define DAY_MS 86400000.0
#define R struct rcf_rule_in

/* The defaults of reminder, flap_*, shelve_max are also those of the
 * `defaults:` section (defaults_fields below). */
const struct cfg_field rcf_rule_fields[] = {
	CFG_STR("id", R, r.id, NULL),
	CFG_STR("name", R, r.name, ""),
	CFG_STRLIST("asset_types", R, r.asset_types, NULL, 32, 64),
	CFG_ENUM("kind", R, r.kind, NULL, rcf_kind_names),
	CFG_STR("metric", R, r.metric, ""),
	CFG_STR("while", R, r.guard, ""),
	CFG_ENUM("op", R, r.op, "above", rcf_op_names),
	CFG_DOUBLE("raise", R, r.raise, "0", -1e12, 1e12),
	CFG_DOUBLE("clear", R, r.clear, "0", -1e12, 1e12),
	CFG_DURATION("raise_for", R, r.raise_for_ms, "0", 0, DAY_MS),
	CFG_DURATION("clear_for", R, r.clear_for_ms, "0", 0, DAY_MS),
	CFG_DURATION("window", R, r.window_ms, "1m", 1000, DAY_MS),
	CFG_DURATION("timeout", R, r.timeout_ms, "5m", 1000, 7 * DAY_MS),
	CFG_STR("event", R, r.event, ""),
	CFG_DURATION("after", R, r.after_ms, "5m", 0, 7 * DAY_MS),
	CFG_DURATION("silence", R, r.silence_ms, "0", 0, 7 * DAY_MS),
	CFG_INT("severity", R, r.severity, NULL, 1, 4),
	CFG_STR("message", R, r.message, NULL),
	CFG_NODE("notify", R, notify),
	CFG_NODE("work_order", R, work_order),
	CFG_DURATION("reminder", R, r.reminder_ms, "15m", 0, 7 * DAY_MS),
	CFG_NODE("escalation", R, escalation),
	CFG_INT("flap_changes", R, r.flap_changes, "6", 0, RCF_MAX_FLAP),
	CFG_DURATION("flap_window", R, r.flap_window_ms, "10m", 1000, DAY_MS),
	CFG_DURATION("shelve_max", R, r.shelve_max_ms, "8h", 60000, 7 * DAY_MS),
	CFG_BOOL("enabled", R, r.enabled, "true"),
	CFG_END,
};

static const struct cfg_field defaults_fields[] = {
	CFG_NODE("notify", R, notify),
	CFG_DURATION("reminder", R, r.reminder_ms, "15m", 0, 7 * DAY_MS),
	CFG_NODE("escalation", R, escalation),
	CFG_INT("flap_changes", R, r.flap_changes, "6", 0, RCF_MAX_FLAP),
	CFG_DURATION("flap_window", R, r.flap_window_ms, "10m", 1000, DAY_MS),
	CFG_DURATION("shelve_max", R, r.shelve_max_ms, "8h", 60000, 7 * DAY_MS),
	CFG_END,
};
#undef R

/* Scalars a rule inherits from `defaults:` when it does not set them. */
static const struct {
	const char *key;
	size_t off, size;
} inherited[] = {
	{"reminder", offsetof(struct rcf_rule, reminder_ms), sizeof(long long)},
	{"flap_changes", offsetof(struct rcf_rule, flap_changes), sizeof(int)},
	{"flap_window", offsetof(struct rcf_rule, flap_window_ms), sizeof(long long)},
	{"shelve_max", offsetof(struct rcf_rule, shelve_max_ms), sizeof(long long)},
};

struct rules_file {
	const struct cfg_node *defaults, *rules, *overrides;
};

static const struct cfg_field file_fields[] = {
	CFG_NODE_REQUIRED("rules", struct rules_file, rules),
	CFG_NODE("defaults", struct rules_file, defaults),
	CFG_NODE("overrides", struct rules_file, overrides),
	CFG_END,
};

int
rcf_valid_name(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");

	return n >= 1 && n <= 64 && s[n] == '\0';
}

static void
strlist_copy(struct cfg_strlist *dst, const struct cfg_strlist *src)
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
rcf_rule_copy(struct rcf_rule *dst, const struct rcf_rule *src)
{
	*dst = *src;
	strlist_copy(&dst->asset_types, &src->asset_types);
	strlist_copy(&dst->notify, &src->notify);
	for (int i = 0; i < src->n_esc; i++)
		strlist_copy(&dst->esc[i].notify, &src->esc[i].notify);
}

void
rcf_rule_free(struct rcf_rule *r)
{
	cfg_strlist_free(&r->asset_types);
	cfg_strlist_free(&r->notify);
	for (int i = 0; i < RCF_MAX_ESCALATION; i++)
		cfg_strlist_free(&r->esc[i].notify);
	r->n_esc = 0;
}

/* Asset types by name into the rule's mask; unknown and repeated ones are errors. */
static int
resolve_types(struct rcf_rule *r, const struct cfg_node *node, struct cfg_errs *errs)
{
	char known[512];
	size_t off = 0;
	int rc = 0;

	known[0] = '\0';
	for (int i = 0; reg_asset_types[i] && off < sizeof known; i++)
		off += (size_t)snprintf(known + off, sizeof known - off, "%s%s", i ? ", " : "",
					reg_asset_types[i]);
	if (r->asset_types.n == 0 && cfg_has(node, "asset_types")) {
		cfg_error(errs, cfg_at(node, "asset_types"), "asset_types: name at least one");
		return -1;
	}
	for (size_t i = 0; i < r->asset_types.n; i++) {
		int t = reg_name_index(reg_asset_types, r->asset_types.v[i]);

		if (t < 0 || t >= 64) {
			cfg_error_at(errs, cfg_file(node), r->asset_types.line[i],
				     "asset_types: unknown asset type '%s' (expected one of: %s)",
				     r->asset_types.v[i], known);
			rc = -1;
		} else if (r->type_mask & (1ULL << t)) {
			cfg_error_at(errs, cfg_file(node), r->asset_types.line[i],
				     "asset_types: '%s' is listed twice", r->asset_types.v[i]);
			rc = -1;
		}
		if (t >= 0 && t < 64)
			r->type_mask |= 1ULL << t;
	}
	return rc;
}

static int
known_kind(const struct cfg_node *node)
{
	const char *k = cfg_str(cfg_get(node, "kind"));

	return k && reg_name_index(rcf_kind_names, k) >= 0;
}

/* Binds one rule; what it does not say comes from defaults. */
static int
build_rule(struct rcf_rule *out, const struct cfg_node *node, const struct rcf_rule_in *defaults,
	   const struct reg *reg, struct cfg_errs *errs)
{
	struct rcf_rule_in in;
	int rc = 0;

	memset(&in, 0, sizeof in);
	if (cfg_bind(node, rcf_rule_fields, &in, errs) < 0)
		rc = -1;
	in.r.node = node;
	for (size_t i = 0; i < sizeof inherited / sizeof inherited[0]; i++)
		if (!cfg_has(node, inherited[i].key))
			memcpy((char *)&in.r + inherited[i].off,
			       (const char *)&defaults->r + inherited[i].off, inherited[i].size);
	if (!cfg_has(node, "notify"))
		strlist_copy(&in.r.notify, &defaults->r.notify);
	if (!cfg_has(node, "escalation")) {
		in.r.n_esc = defaults->r.n_esc;
		for (int i = 0; i < defaults->r.n_esc; i++) {
			in.r.esc[i].after_ms = defaults->r.esc[i].after_ms;
			strlist_copy(&in.r.esc[i].notify, &defaults->r.esc[i].notify);
		}
	}
	in.r.has_clear = cfg_has(node, "clear");
	if (!in.r.has_clear)
		in.r.clear = in.r.raise;
	if (!rcf_valid_name(in.r.id) && in.r.id[0]) {
		cfg_error(errs, cfg_at(node, "id"),
			  "id: '%s' is not a rule id ([a-z0-9_], 1 to 64)", in.r.id);
		rc = -1;
	}
	if (resolve_types(&in.r, node, errs) < 0)
		rc = -1;
	if (rcf_parse_lists(&in, reg, errs) < 0)
		rc = -1;
	/* Without a known kind, what belongs to it cannot be told. */
	if (known_kind(node)) {
		if (rcf_check_kind_keys(node, in.r.kind, 1, errs) < 0)
			rc = -1;
		if (rcf_check_values(&in.r, node, errs) < 0)
			rc = -1;
	}
	if (!in.r.notify.n && !cfg_has(node, "notify")) {
		cfg_error(errs, node, "notify: nobody is told (set notify here or in defaults)");
		rc = -1;
	}
	*out = in.r;
	return rc;
}

static int
build_defaults(struct rcf_rule_in *d, const struct cfg_node *node, const struct reg *reg,
	       struct cfg_errs *errs)
{
	int rc;

	memset(d, 0, sizeof *d);
	rc = cfg_bind(node, defaults_fields, d, errs);
	if (rcf_parse_lists(d, reg, errs) < 0)
		rc = -1;
	if (rcf_check_policy(&d->r, node, errs) < 0)
		rc = -1;
	return rc;
}

static int
build_rules(struct rcf_set *set, const struct cfg_node *list, const struct rcf_rule_in *defaults,
	    const struct reg *reg, struct cfg_errs *errs)
{
	int rc = 0;

	if (cfg_check_list(list, "rules", MAX_RULES, errs) < 0)
		return -1;
	set->rules = xcalloc(cfg_len(list) ? cfg_len(list) : 1, sizeof *set->rules);
	for (size_t i = 0; i < cfg_len(list); i++) {
		const struct cfg_node *it = cfg_list_map(list, i, "rules", "rule", errs);

		if (!it)
			rc = -1;
		else if (build_rule(&set->rules[set->n_rules++], it, defaults, reg, errs) < 0)
			rc = -1;
	}
	cfg_check_unique_ids(set->rules, set->n_rules, sizeof *set->rules,
			     offsetof(struct rcf_rule, id), offsetof(struct rcf_rule, node), "rule",
			     errs);
	return rc;
}

int
rcf_build(struct rcf_set *out, const struct cfg_doc *doc, const struct reg *reg,
	  struct cfg_errs *errs)
{
	size_t before = errs->n + errs->dropped;
	struct rcf_rule_in defaults;
	struct rules_file f;

	memset(&defaults, 0, sizeof defaults);
	if (!doc)
		return -1;
	if (!cfg_doc_root(doc)) {
		cfg_error_at(errs, cfg_doc_file(doc), 0, "the file is empty; expected 'rules:'");
		return -1;
	}
	memset(&f, 0, sizeof f);
	cfg_bind(cfg_doc_root(doc), file_fields, &f, errs);
	if (f.rules) {
		build_defaults(&defaults, f.defaults, reg, errs);
		build_rules(out, f.rules, &defaults, reg, errs);
		rcf_build_overrides(out, f.overrides, reg, errs);
	}
	rcf_rule_free(&defaults.r);
	return errs->n + errs->dropped == before ? 0 : -1;
}

int
rcf_load_dir(const char *dir, const struct reg *reg, struct rcf_set *out, struct cfg_errs *errs)
{
	char path[4096];

	memset(out, 0, sizeof *out);
	snprintf(path, sizeof path, "%s/%s", dir, RCF_FILE);
	out->doc = cfg_load(path, errs);
	if (!out->doc)
		return -1;
	return rcf_build(out, out->doc, reg, errs);
}

void
rcf_free(struct rcf_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n_rules; i++)
		rcf_rule_free(&set->rules[i]);
	for (size_t i = 0; i < set->n_overrides; i++)
		rcf_rule_free(&set->overrides[i]);
	free(set->rules);
	free(set->overrides);
	cfg_doc_free(set->doc);
	memset(set, 0, sizeof *set);
}

const struct rcf_rule *
rcf_find(const struct rcf_set *set, const char *id)
{
	for (size_t i = 0; i < set->n_rules; i++)
		if (strcmp(set->rules[i].id, id) == 0)
			return &set->rules[i];
	return NULL;
}

const struct rcf_rule *
rcf_effective(const struct rcf_set *set, const struct rcf_rule *r, const char *device)
{
	size_t lo = r->ov_first, hi = r->ov_first + r->ov_n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(set->overrides[mid].device, device);

		if (c == 0)
			return &set->overrides[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return r;
}

int
rcf_applies_to(const struct rcf_rule *r, int type)
{
	return type >= 0 && type < 64 && (r->type_mask >> type) & 1;
}

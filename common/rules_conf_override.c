/* rules_conf_override.c — per-device overrides of rules.yaml: an entry names
 * a device and a rule and changes how the rule behaves for that device
 * (levels, durations, severity, who is told, enabled), never what it watches
 * (kind, metric, event, asset types). Each becomes a full copy of its rule
 * with the changes applied, so evaluation looks up one struct. Pure. */
#include "rules_conf_int.h"
#include "log.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OVERRIDES 10000
#define MAX_FIELDS 40

/* The keys an override may set besides device and rule. */
static const char *const override_keys[] = {
	"enabled",      "severity",    "raise",      "clear",      "raise_for",
	"clear_for",    "window",      "timeout",    "after",      "silence",
	"message",      "notify",      "reminder",   "escalation", "work_order",
	"flap_changes", "flap_window", "shelve_max", NULL,
};

/* Every allowed key is first bound as a node into `seen`, only so that the
 * binder reports unknown keys and a missing device or rule. */
struct ov_head {
	char device[REG_ID_SIZE];
	char rule[RCF_NAME_SIZE];
	const struct cfg_node *seen;
};

#define SEEN(k) CFG_NODE(k, struct ov_head, seen)
static const struct cfg_field head_fields[] = {
	CFG_STR("device", struct ov_head, device, NULL),
	CFG_STR("rule", struct ov_head, rule, NULL),
	SEEN("enabled"),
	SEEN("severity"),
	SEEN("raise"),
	SEEN("clear"),
	SEEN("raise_for"),
	SEEN("clear_for"),
	SEEN("window"),
	SEEN("timeout"),
	SEEN("after"),
	SEEN("silence"),
	SEEN("message"),
	SEEN("notify"),
	SEEN("reminder"),
	SEEN("escalation"),
	SEEN("work_order"),
	SEEN("flap_changes"),
	SEEN("flap_window"),
	SEEN("shelve_max"),
	CFG_END,
};
#undef SEEN

/* The rule's fields for the keys map has, plus device and rule: binding map
 * with it changes exactly what the override says. */
static void
present_fields(const struct cfg_node *map, struct cfg_field *out)
{
	const struct cfg_field *f;
	size_t n = 0;

	for (f = rcf_rule_fields; f->key; f++) {
		if (strcmp(f->key, "id") == 0) {
			out[n] = *f;
			out[n++].key = "rule";
		} else if (reg_name_index(override_keys, f->key) >= 0 && cfg_get(map, f->key)) {
			out[n++] = *f;
		}
	}
	out[n++] = (struct cfg_field)CFG_STR("device", struct rcf_rule_in, r.device, NULL);
	out[n] = (struct cfg_field)CFG_END;
}

/* A value is required for every key an override writes: a null would bind
 * the key's default rather than keep the rule's value. */
static int
check_nulls(const struct cfg_node *map, struct cfg_errs *errs)
{
	int rc = 0;

	for (size_t i = 0; i < cfg_len(map); i++) {
		if (!cfg_is_null(cfg_value(map, i)))
			continue;
		cfg_error(errs, cfg_key_node(map, i), "%s: an override must give a value",
			  cfg_key(map, i));
		rc = -1;
	}
	return rc;
}

static int
check_device(const struct reg *reg, const struct rcf_rule *r, const char *device,
	     const struct cfg_node *map, struct cfg_errs *errs)
{
	const struct reg_device *d;

	if (!reg)
		return 0;
	d = reg_device_find(reg, device);
	if (!d) {
		cfg_error(errs, cfg_at(map, "device"), "device: unknown device '%s'", device);
		return -1;
	}
	if (!rcf_applies_to(r, d->type)) {
		cfg_error(errs, cfg_at(map, "device"),
			  "device: '%s' is a %s; rule '%s' does not apply to that asset type",
			  device, reg_asset_types[d->type], r->id);
		return -1;
	}
	return 0;
}

/* Builds one override into out (its rule's index in out->ov_first).
 * Returns 0, or -1 when it is unusable (no such rule or device). */
static int
build_one(const struct rcf_set *set, const struct cfg_node *map, const struct reg *reg,
	  struct rcf_rule *out, struct cfg_errs *errs)
{
	struct cfg_field fields[MAX_FIELDS];
	struct ov_head head;
	const struct rcf_rule *base;
	struct rcf_rule_in in;

	memset(&head, 0, sizeof head);
	if (cfg_bind(map, head_fields, &head, errs) < 0 || check_nulls(map, errs) < 0)
		return -1;
	base = rcf_find(set, head.rule);
	if (!base) {
		cfg_error(errs, cfg_at(map, "rule"), "rule: unknown rule '%s'", head.rule);
		return -1;
	}
	if (check_device(reg, base, head.device, map, errs) < 0)
		return -1;
	memset(&in, 0, sizeof in);
	rcf_rule_copy(&in.r, base);
	present_fields(map, fields);
	cfg_bind(map, fields, &in, errs);
	in.r.node = map;
	in.r.ov_first = (size_t)(base - set->rules);
	in.r.ov_n = 0;
	if (cfg_has(map, "clear"))
		in.r.has_clear = 1;
	else if (!in.r.has_clear)
		in.r.clear = in.r.raise;
	rcf_parse_lists(&in, reg, errs);
	rcf_check_kind_keys(map, base->kind, 0, errs);
	rcf_check_values(&in.r, map, errs);
	*out = in.r;
	return 0;
}

static int
by_rule_device(const void *a, const void *b)
{
	const struct rcf_rule *x = a, *y = b;

	if (x->ov_first != y->ov_first)
		return x->ov_first < y->ov_first ? -1 : 1;
	return strcmp(x->device, y->device);
}

/* Sorts the overrides under their rules and reports a device overridden
 * twice for one rule (at the later entry). */
static void
index_overrides(struct rcf_set *set, struct cfg_errs *errs)
{
	qsort(set->overrides, set->n_overrides, sizeof *set->overrides, by_rule_device);
	for (size_t i = 0; i < set->n_overrides; i++) {
		struct rcf_rule *o = &set->overrides[i];
		struct rcf_rule *base = &set->rules[o->ov_first];

		if (base->ov_n == 0)
			base->ov_first = i;
		base->ov_n++;
		if (i > 0 && by_rule_device(o, o - 1) == 0) {
			const struct rcf_rule *later =
				cfg_line(o->node) > cfg_line(o[-1].node) ? o : o - 1;
			const struct rcf_rule *first = later == o ? o - 1 : o;

			cfg_error(
				errs, later->node,
				"duplicate override of rule '%s' for device '%s' (first at %s:%d)",
				o->id, o->device, cfg_file(first->node), cfg_line(first->node));
		}
	}
}

int
rcf_build_overrides(struct rcf_set *set, const struct cfg_node *list, const struct reg *reg,
		    struct cfg_errs *errs)
{
	size_t before = errs->n + errs->dropped;

	if (cfg_is_null(list))
		return 0;
	if (cfg_kind(list) != CFG_SEQ) {
		cfg_error(errs, list,
			  "overrides: expected a list of entries, each starting with '- device:'");
		return -1;
	}
	if (cfg_len(list) > MAX_OVERRIDES) {
		cfg_error(errs, list, "overrides: too many entries (%zu, at most %d)",
			  cfg_len(list), MAX_OVERRIDES);
		return -1;
	}
	set->overrides = xcalloc(cfg_len(list) ? cfg_len(list) : 1, sizeof *set->overrides);
	for (size_t i = 0; i < cfg_len(list); i++) {
		const struct cfg_node *it = cfg_item(list, i);

		if (cfg_kind(it) != CFG_MAP) {
			cfg_error(errs, it,
				  "overrides: each entry must be a mapping of key: value");
			continue;
		}
		if (build_one(set, it, reg, &set->overrides[set->n_overrides], errs) == 0)
			set->n_overrides++;
	}
	index_overrides(set, errs);
	return errs->n + errs->dropped == before ? 0 : -1;
}

/* pm_conf_targets.c — what a plan applies to: devices by id, asset types
 * narrowed by tags and site, or a site alone (site-level work), resolved
 * against the registry so that a plan which covers nothing is an error, not
 * a silent no-op. Also the name lists of overdue (roles, teams, people) and
 * dates. Pure. */
#include "pm_conf_int.h"
#include "rules_conf.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define P struct pm_plan_in
static const struct cfg_field target_fields[] = {
	CFG_STRLIST("devices", P, p.devices, "", PM_MAX_TARGETS, REG_ID_SIZE - 1),
	CFG_STRLIST("asset_types", P, p.asset_types, "", 32, 64),
	CFG_STRLIST("tags", P, p.tags, "", 16, REG_ID_SIZE - 1),
	CFG_STR("site", P, p.site, ""),
	CFG_END,
};
#undef P

int
pm_parse_date(const char *s, const char *key, const struct cfg_node *node, long *day,
	      struct cfg_errs *errs)
{
	if (reg_parse_date(s, day) == 0)
		return 0;
	cfg_error(errs, node, "%s: '%s' is not a date (YYYY-MM-DD)", key, s);
	return -1;
}

int
pm_check_names(const struct cfg_strlist *l, const char *key, const struct cfg_node *node,
	       const struct reg *reg, struct cfg_errs *errs)
{
	int rc = 0;

	for (size_t i = 0; i < l->n; i++) {
		for (size_t k = 0; k < i; k++) {
			if (strcmp(l->v[i], l->v[k]) == 0) {
				cfg_error_at(errs, cfg_file(node), l->line[i],
					     "%s: '%s' is listed twice", key, l->v[i]);
				rc = -1;
				break;
			}
		}
		if (reg && rcf_target_kind(reg, l->v[i]) == RCF_TARGET_UNKNOWN) {
			cfg_error_at(errs, cfg_file(node), l->line[i],
				     "%s: unknown role, team or person '%s'", key, l->v[i]);
			rc = -1;
		}
	}
	return rc;
}

/* Each listed name once; for devices, a known device (on the plan's site). */
static int
check_devices(struct pm_plan *p, const struct cfg_node *at, const struct reg *reg,
	      struct cfg_errs *errs)
{
	int rc = 0;

	for (size_t i = 0; i < p->devices.n; i++) {
		const char *id = p->devices.v[i];
		const struct reg_device *d = reg ? reg_device_find(reg, id) : NULL;

		if (cfg_strlist_find(&p->devices, id) != (int)i) {
			cfg_error_at(errs, cfg_file(at), p->devices.line[i],
				     "devices: '%s' is listed twice", id);
			rc = -1;
		} else if (reg && !d) {
			cfg_error_at(errs, cfg_file(at), p->devices.line[i],
				     "devices: unknown device '%s'", id);
			rc = -1;
		} else if (d && p->site[0] && strcmp(d->site, p->site) != 0) {
			cfg_error_at(errs, cfg_file(at), p->devices.line[i],
				     "devices: '%s' is on site '%s', not '%s'", id, d->site,
				     p->site);
			rc = -1;
		}
	}
	return rc;
}

static int
resolve_types(struct pm_plan *p, const struct cfg_node *at, struct cfg_errs *errs)
{
	int rc = 0;

	for (size_t i = 0; i < p->asset_types.n; i++) {
		int t = reg_name_index(reg_asset_types, p->asset_types.v[i]);

		if (t < 0 || t >= 64) {
			cfg_error_at(errs, cfg_file(at), p->asset_types.line[i],
				     "asset_types: unknown asset type '%s'", p->asset_types.v[i]);
			rc = -1;
		} else if (p->type_mask & (1ULL << t)) {
			cfg_error_at(errs, cfg_file(at), p->asset_types.line[i],
				     "asset_types: '%s' is listed twice", p->asset_types.v[i]);
			rc = -1;
		} else {
			p->type_mask |= 1ULL << t;
		}
	}
	return rc;
}

/* A plan by asset type that covers no device of the registry is a mistake
 * (a misspelt tag, the wrong site): it would never produce work. */
static int
check_covers_some(const struct pm_plan *p, const struct cfg_node *at, const struct reg *reg,
		  struct cfg_errs *errs)
{
	for (size_t i = 0; i < reg->n_devices; i++)
		if (pm_plan_covers(p, &reg->devices[i]))
			return 0;
	cfg_error(errs, at, "targets: no device matches these asset_types%s%s",
		  p->tags.n ? ", tags" : "", p->site[0] ? " and site" : "");
	return -1;
}

int
pm_parse_targets(struct pm_plan_in *in, const struct reg *reg, struct cfg_errs *errs)
{
	const struct cfg_node *t = in->targets;
	struct pm_plan *p = &in->p;
	int rc = 0;

	if (!t)
		return -1; /* missing: cfg_bind said so */
	if (cfg_kind(t) != CFG_MAP) {
		cfg_error(errs, t,
			  "targets: expected a mapping such as {asset_types: [elevator]}, "
			  "{devices: [pump-1]} or {site: demo}");
		return -1;
	}
	if (cfg_bind(t, target_fields, in, errs) < 0)
		rc = -1;
	if (reg && p->site[0] && !reg_site_find(reg, p->site)) {
		cfg_error(errs, cfg_at(t, "site"), "site: unknown site '%s'", p->site);
		rc = -1;
	}
	if (resolve_types(p, t, errs) < 0 || check_devices(p, t, reg, errs) < 0)
		rc = -1;
	if (p->tags.n && !p->asset_types.n) {
		cfg_error(errs, cfg_at(t, "tags"),
			  "tags: only with asset_types (tags narrow the asset types)");
		rc = -1;
	}
	if (!p->devices.n && !p->asset_types.n && !cfg_has(t, "devices") &&
	    !cfg_has(t, "asset_types")) {
		if (!p->site[0]) {
			cfg_error(errs, t,
				  "targets: name devices, asset_types, or a site alone for "
				  "site-level work");
			return -1;
		}
		p->site_level = 1;
	} else if (!p->devices.n && !p->asset_types.n) {
		cfg_error(errs, t, "targets: devices and asset_types are both empty");
		rc = -1;
	}
	if (rc == 0 && reg && !p->site_level && !p->devices.n)
		rc = check_covers_some(p, t, reg, errs);
	return rc;
}

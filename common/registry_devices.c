/* registry_devices.c — devices.yaml: the asset register (设备台账). Each device
 * has a type from reg_asset_types, a place (site, building, area), a parent in
 * the asset tree and the devices it feeds in the supply graph. Both graphs
 * must be acyclic and name only known devices of the same site. Pure. */
#include "registry_int.h"
#include "log.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const struct cfg_field device_fields[] = {
	CFG_STR("id", struct reg_device, id, NULL),
	CFG_STR("site", struct reg_device, site, ""),
	CFG_ENUM("type", struct reg_device, type, NULL, reg_asset_types),
	CFG_STR("name", struct reg_device, name, NULL),
	CFG_STR("parent", struct reg_device, parent, ""),
	CFG_STR("building", struct reg_device, building, ""),
	CFG_STR("area", struct reg_device, area, ""),
	CFG_STR("location", struct reg_device, location, ""),
	CFG_STR("model", struct reg_device, model, ""),
	CFG_NODE("params", struct reg_device, params),
	CFG_STR("purchase_date", struct reg_device, purchase_date, ""),
	CFG_STR("warranty_end", struct reg_device, warranty_end, ""),
	CFG_STR("supplier", struct reg_device, supplier, ""),
	CFG_STR("manual_ref", struct reg_device, manual_ref, ""),
	CFG_STRLIST("feeds", struct reg_device, feeds, "", 1000, 64),
	CFG_STRLIST("tags", struct reg_device, tags, "", 32, 64),
	CFG_END,
};

/* devices.yaml may name the site once for every device in it. */
struct devices_file {
	char site[REG_ID_SIZE];
	const struct cfg_node *devices;
};

static const struct cfg_field devices_file_fields[] = {
	CFG_NODE_REQUIRED("devices", struct devices_file, devices),
	CFG_STR("site", struct devices_file, site, ""),
	CFG_END,
};

static size_t
dev_index(const struct reg *reg, const char *id)
{
	const struct reg_device *d = reg_device_find(reg, id);

	return d ? (size_t)(d - reg->devices) : (size_t)-1;
}

/* Rated parameters: a flat mapping of short names to single values. */
static void
check_params(const struct reg_device *d, struct cfg_errs *errs)
{
	const struct cfg_node *p = d->params;

	if (!p)
		return;
	if (cfg_kind(p) != CFG_MAP) {
		cfg_error(errs, p, "params: expected a mapping such as {rated_power_kw: 15}");
		return;
	}
	for (size_t i = 0; i < cfg_len(p); i++) {
		const char *k = cfg_key(p, i);

		if (!k[0] || strlen(k) > 64 ||
		    strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(k))
			cfg_error(errs, cfg_key_node(p, i),
				  "params: '%s' is not a parameter name ([a-z0-9_], 1 to 64)", k);
		else if (cfg_kind(cfg_value(p, i)) != CFG_SCALAR)
			cfg_error(errs, cfg_value(p, i), "params: '%s' must be a single value", k);
	}
}

/* Site, building and area must agree; the area defaults to the building's. */
static void
check_place(struct reg *reg, struct reg_device *d, const char *file_site, struct cfg_errs *errs)
{
	const struct reg_building *b = NULL;
	const struct reg_area *a;

	int inherited = !d->site[0];

	if (inherited)
		snprintf(d->site, sizeof d->site, "%s", file_site);
	if (reg->no_sites)
		return;
	if (!d->site[0]) {
		cfg_error(errs, d->node, "missing required key 'site' (or a file-level 'site:')");
		return;
	}
	if (!reg_site_find(reg, d->site)) {
		if (!inherited) /* an unknown file-level site is reported once */
			cfg_error(errs, cfg_at(d->node, "site"), "site: unknown site '%s'",
				  d->site);
		return;
	}
	if (d->building[0]) {
		b = reg_building_find(reg, d->building);
		if (!b || strcmp(b->site, d->site) != 0) {
			cfg_error(errs, cfg_at(d->node, "building"),
				  "building: unknown building '%s' in site '%s'", d->building,
				  d->site);
			b = NULL;
		}
	}
	if (!d->area[0]) {
		if (b)
			strcpy(d->area, b->area);
		return;
	}
	a = reg_area_find(reg, d->area);
	if (!a || strcmp(a->site, d->site) != 0)
		cfg_error(errs, cfg_at(d->node, "area"), "area: unknown area '%s' in site '%s'",
			  d->area, d->site);
	else if (b && b->area[0] && strcmp(b->area, d->area) != 0)
		cfg_error(errs, cfg_at(d->node, "area"),
			  "area: '%s' differs from building %s's area '%s'", d->area, b->id,
			  b->area);
}

static void
check_links(struct reg *reg, struct reg_device *d, struct cfg_errs *errs)
{
	const struct reg_device *p;
	long from, to;

	if (d->parent[0]) {
		p = reg_device_find(reg, d->parent);
		if (!p)
			cfg_error(errs, cfg_at(d->node, "parent"), "parent: unknown device '%s'",
				  d->parent);
		else if (p == d)
			cfg_error(errs, cfg_at(d->node, "parent"),
				  "parent: a device cannot be its "
				  "own parent");
		else if (strcmp(p->site, d->site) != 0)
			cfg_error(errs, cfg_at(d->node, "parent"),
				  "parent: '%s' is in site '%s', not '%s'", p->id, p->site,
				  d->site);
	}
	reg_check_refs(&d->feeds, d->node, &reg->ix_devices, "feeds", "device", errs);
	for (size_t i = 0; i < d->feeds.n; i++) {
		p = reg_device_find(reg, d->feeds.v[i]);
		if (p == d)
			cfg_error_at(errs, cfg_file(d->node), d->feeds.line[i],
				     "feeds: a device cannot feed itself");
		else if (p && strcmp(p->site, d->site) != 0)
			cfg_error_at(errs, cfg_file(d->node), d->feeds.line[i],
				     "feeds: '%s' is in site '%s', not '%s'", p->id, p->site,
				     d->site);
	}
	reg_check_date(d->purchase_date, d->node, "purchase_date", errs);
	reg_check_date(d->warranty_end, d->node, "warranty_end", errs);
	if (reg_parse_date(d->purchase_date, &from) == 0 &&
	    reg_parse_date(d->warranty_end, &to) == 0 && to < from)
		cfg_error(errs, cfg_at(d->node, "warranty_end"),
			  "warranty_end: %s is before purchase_date %s", d->warranty_end,
			  d->purchase_date);
	check_params(d, errs);
}

/* The asset tree: following parents from any device must end at a root.
 * Each device is walked once; mark says which walk reached it first. */
static void
check_tree(struct reg *reg, struct cfg_errs *errs)
{
	size_t *mark = xcalloc(reg->n_devices + 1, sizeof *mark);

	for (size_t i = 0; i < reg->n_devices; i++) {
		size_t j = i, up;

		while (j != (size_t)-1 && mark[j] == 0) {
			mark[j] = i + 1;
			up = reg->devices[j].parent[0] ? dev_index(reg, reg->devices[j].parent)
						       : (size_t)-1;
			j = up == j ? (size_t)-1 : up; /* own parent: check_links says so */
		}
		if (j != (size_t)-1 && mark[j] == i + 1)
			cfg_error(errs, cfg_at(reg->devices[j].node, "parent"),
				  "parent: the asset tree loops back to '%s'", reg->devices[j].id);
	}
	free(mark);
}

/* The supply graph must be acyclic: an iterative depth-first search, so a
 * long chain cannot exhaust the stack. A cycle is reported at the feeds item
 * that closes it, with the path. */
static void
check_supply(struct reg *reg, struct cfg_errs *errs)
{
	size_t n = reg->n_devices;
	unsigned char *color = xcalloc(n + 1, 1); /* 0 new, 1 on the path, 2 done */
	size_t *stack = xcalloc(n + 1, sizeof *stack), *edge = xcalloc(n + 1, sizeof *edge);

	for (size_t root = 0; root < n; root++) {
		size_t top = 0;

		if (color[root])
			continue;
		stack[top] = root;
		edge[top] = 0;
		color[root] = 1;
		while (1) {
			struct reg_device *d = &reg->devices[stack[top]];
			size_t e = edge[top]++, to;

			if (e >= d->feeds.n) {
				color[stack[top]] = 2;
				if (top-- == 0)
					break;
				continue;
			}
			to = dev_index(reg, d->feeds.v[e]);
			if (to == (size_t)-1 || to == stack[top] || color[to] == 2)
				continue;
			if (color[to] == 1) {
				char path[400];
				size_t k = top, off = 0;

				while (stack[k] != to)
					k--;
				for (; k <= top && off < sizeof path; k++)
					off += (size_t)snprintf(path + off, sizeof path - off,
								"%s -> ",
								reg->devices[stack[k]].id);
				if (off < sizeof path)
					snprintf(path + off, sizeof path - off, "%s",
						 reg->devices[to].id);
				cfg_error_at(errs, cfg_file(d->node), d->feeds.line[e],
					     "feeds: supply cycle %s", path);
				continue;
			}
			color[to] = 1;
			stack[++top] = to;
			edge[top] = 0;
		}
	}
	free(color);
	free(stack);
	free(edge);
}

int
reg_build_devices(struct reg *reg, const struct cfg_doc *doc, struct cfg_errs *errs)
{
	size_t before = errs->n + errs->dropped;
	struct devices_file f = {0};

	reg_bind_file(doc, devices_file_fields, &f, errs);
	if (f.site[0] && !reg->no_sites && !reg_site_find(reg, f.site))
		cfg_error(errs, cfg_at(cfg_doc_root(doc), "site"), "site: unknown site '%s'",
			  f.site);
	reg->n_devices =
		reg_bind_list(f.devices, "devices", device_fields, (void **)&reg->devices,
			      sizeof *reg->devices, offsetof(struct reg_device, node), errs);
	reg_idx_build(&reg->ix_devices, reg->devices, reg->n_devices, sizeof *reg->devices,
		      "device", errs);
	for (size_t i = 0; i < reg->n_devices; i++)
		check_place(reg, &reg->devices[i], f.site, errs);
	for (size_t i = 0; i < reg->n_devices; i++)
		check_links(reg, &reg->devices[i], errs);
	check_tree(reg, errs);
	check_supply(reg, errs);
	return errs->n + errs->dropped == before ? 0 : -1;
}

/* registry_sites.c — site.yaml: sites, their areas (片区) and buildings.
 * Pure: the time-zone name is checked for form here; whether the zone exists
 * is registry_load.c's question. */
#include "registry_int.h"
#include "log.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A site entry as written: the record plus its nested lists. */
struct site_in {
	struct reg_site s;
	const struct cfg_node *areas, *buildings;
};

static const struct cfg_field site_fields[] = {
	CFG_STR("id", struct site_in, s.id, NULL),
	CFG_STR("name", struct site_in, s.name, NULL),
	CFG_STR("timezone", struct site_in, s.timezone, NULL),
	CFG_STR("address", struct site_in, s.address, ""),
	CFG_NODE("areas", struct site_in, areas),
	CFG_NODE("buildings", struct site_in, buildings),
	CFG_END,
};

static const struct cfg_field area_fields[] = {
	CFG_STR("id", struct reg_area, id, NULL),
	CFG_STR("name", struct reg_area, name, NULL),
	CFG_END,
};

static const struct cfg_field building_fields[] = {
	CFG_STR("id", struct reg_building, id, NULL),
	CFG_STR("name", struct reg_building, name, NULL),
	CFG_STR("area", struct reg_building, area, ""),
	CFG_INT("floors", struct reg_building, floors, "0", 0, 300),
	CFG_END,
};

struct sites_file {
	const struct cfg_node *sites;
};

static const struct cfg_field sites_file_fields[] = {
	CFG_NODE_REQUIRED("sites", struct sites_file, sites),
	CFG_END,
};

/* An IANA name such as Asia/Shanghai or UTC; it becomes a path under
 * zoneinfo, so nothing that could leave that directory. */
static int
valid_tz_name(const char *tz)
{
	return tz[0] && tz[0] != '/' && !strstr(tz, "..") &&
	       strspn(tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+-/") ==
		       strlen(tz);
}

/* Appends the areas or buildings of one site to the registry's arrays. */
static void
add_children(struct reg *reg, const struct site_in *in, struct cfg_errs *errs)
{
	struct reg_area *areas;
	struct reg_building *bl;
	size_t na, nb;

	na = reg_bind_list(in->areas, "areas", area_fields, (void **)&areas, sizeof *areas,
			   offsetof(struct reg_area, node), errs);
	nb = reg_bind_list(in->buildings, "buildings", building_fields, (void **)&bl, sizeof *bl,
			   offsetof(struct reg_building, node), errs);
	if (na) {
		reg->areas = realloc(reg->areas, (reg->n_areas + na) * sizeof *areas);
		if (!reg->areas)
			fatal("out of memory");
	}
	if (nb) {
		reg->buildings = realloc(reg->buildings, (reg->n_buildings + nb) * sizeof *bl);
		if (!reg->buildings)
			fatal("out of memory");
	}
	for (size_t i = 0; i < na; i++) {
		strcpy(areas[i].site, in->s.id);
		reg->areas[reg->n_areas++] = areas[i];
	}
	for (size_t i = 0; i < nb; i++) {
		strcpy(bl[i].site, in->s.id);
		reg->buildings[reg->n_buildings++] = bl[i];
	}
	free(areas);
	free(bl);
}

/* Buildings may only name an area of their own site. */
static void
check_buildings(struct reg *reg, struct cfg_errs *errs)
{
	for (size_t i = 0; i < reg->n_buildings; i++) {
		const struct reg_building *b = &reg->buildings[i];
		const struct reg_area *a;

		if (!b->area[0])
			continue;
		a = reg_area_find(reg, b->area);
		if (!a)
			cfg_error(errs, cfg_at(b->node, "area"), "area: unknown area '%s'",
				  b->area);
		else if (strcmp(a->site, b->site) != 0)
			cfg_error(errs, cfg_at(b->node, "area"),
				  "area: '%s' belongs to site '%s', not '%s'", b->area, a->site,
				  b->site);
	}
}

int
reg_build_sites(struct reg *reg, const struct cfg_doc *doc, struct cfg_errs *errs)
{
	size_t before = errs->n + errs->dropped;
	struct sites_file f = {0};
	struct site_in *in = NULL;
	size_t n;

	if (reg_bind_file(doc, sites_file_fields, &f, errs) < 0 && !f.sites)
		goto index;
	n = reg_bind_list(f.sites, "sites", site_fields, (void **)&in, sizeof *in,
			  offsetof(struct site_in, s.node), errs);
	if (n == 0 && !cfg_is_null(f.sites))
		cfg_error(errs, f.sites, "sites: at least one site is needed");
	reg->sites = xcalloc(n ? n : 1, sizeof *reg->sites);
	for (size_t i = 0; i < n; i++) {
		if (in[i].s.timezone[0] && !valid_tz_name(in[i].s.timezone))
			cfg_error(errs, cfg_at(in[i].s.node, "timezone"),
				  "timezone: '%s' is not a time-zone name such as Asia/Shanghai",
				  in[i].s.timezone);
		reg->sites[reg->n_sites++] = in[i].s;
		add_children(reg, &in[i], errs);
	}
	free(in);
index:
	reg_idx_build(&reg->ix_sites, reg->sites, reg->n_sites, sizeof *reg->sites, "site", errs);
	reg_idx_build(&reg->ix_areas, reg->areas, reg->n_areas, sizeof *reg->areas, "area", errs);
	reg_idx_build(&reg->ix_buildings, reg->buildings, reg->n_buildings, sizeof *reg->buildings,
		      "building", errs);
	check_buildings(reg, errs);
	return errs->n + errs->dropped == before ? 0 : -1;
}

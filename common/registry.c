/* registry.c — the registry model: names of asset types and roles, lookups,
 * dates, the helpers every registry file shares, and reg_build, which runs
 * the per-file builders (sites, devices, people) and the cross-checks.
 * Pure: no I/O, no clock; reading files is registry_load.c's job. */
#include "registry_int.h"
#include "log.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Stable names, stored in devices.asset_type and used by rules; derived from
 * the asset table of the domain (design/domain.md). Append, never rename. */
const char *const reg_asset_types[] = {
	"elevator",           /* 电梯 */
	"pump_room",          /* 二次供水泵房: the station holding pumps and tanks */
	"water_pump",         /* 供水泵 */
	"water_tank",         /* 水箱 */
	"sump",               /* 集水井/污水井 */
	"sump_pump",          /* 污水提升泵 */
	"distribution_room",  /* 配电室 */
	"transformer",        /* 变压器 */
	"generator",          /* 发电机 */
	"fire_panel",         /* 火灾自动报警/消防联动主机 */
	"fire_pump",          /* 消防泵 */
	"gas_detector",       /* 燃气探测器 */
	"flood_sensor",       /* 水浸/水淹探测 */
	"cctv",               /* 监控 */
	"access_control",     /* 门禁 */
	"intercom",           /* 对讲 */
	"lighting",           /* 公共照明 */
	"emergency_lighting", /* 应急照明 */
	"meter_water",        /* 智能水表 */
	"meter_power",        /* 智能电表 */
	"env_sensor",         /* 环境监测 */
	REG_TYPE_INGESTD,     /* 本系统的数据接入服务: stands for an ingestd instance */
	NULL,
};

const char *const reg_roles[] = {
	"duty_engineer",    /* 值班工程师 (24-hour duty post) */
	"technician",       /* 工程维修 */
	"supervisor",       /* 工程主管 */
	"project_manager",  /* 项目经理 */
	"customer_service", /* 客服 */
	"security",         /* 秩序维护 */
	"butler",           /* 片区管家 */
	"contractor",       /* 外包单位: elevator, gas, rescue line */
	NULL,
};

int
reg_name_index(const char *const *names, const char *name)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

int
reg_valid_id(const char *id)
{
	size_t n = strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

	return n >= 1 && n <= 64 && id[n] == '\0';
}

/* Days from the civil date (H. Hinnant's algorithm), valid for any year here. */
static long
days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
reg_parse_date(const char *s, long *days)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long y, m, d;
	int leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = strtol(s, NULL, 10);
	m = strtol(s + 5, NULL, 10);
	d = strtol(s + 8, NULL, 10);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !leap))
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

int
reg_roster_works_on(const struct reg_roster *r, long days)
{
	long start, i;

	if (r->cycle_days < 1 || reg_parse_date(r->cycle_start, &start) < 0)
		return 0;
	i = (days - start) % r->cycle_days;
	if (i < 0)
		i += r->cycle_days;
	return (int)((r->on_days >> i) & 1);
}

/* ---- shared helpers ------------------------------------------------------ */

size_t
reg_bind_list(const struct cfg_node *list, const char *what, const struct cfg_field *fields,
	      void **recs, size_t stride, size_t node_off, struct cfg_errs *errs)
{
	size_t n = 0;
	char *base;

	*recs = NULL;
	if (cfg_is_null(list))
		return 0;
	if (cfg_kind(list) != CFG_SEQ) {
		cfg_error(errs, list, "%s: expected a list of entries, each starting with '- id:'",
			  what);
		return 0;
	}
	base = xcalloc(cfg_len(list) ? cfg_len(list) : 1, stride);
	for (size_t i = 0; i < cfg_len(list); i++) {
		const struct cfg_node *it = cfg_item(list, i);

		if (cfg_kind(it) != CFG_MAP) {
			cfg_error(errs, it, "%s: each entry must be a mapping of key: value", what);
			continue;
		}
		cfg_bind(it, fields, base + n * stride, errs);
		memcpy(base + n * stride + node_off, &it, sizeof it);
		n++;
	}
	*recs = base;
	return n;
}

int
reg_bind_file(const struct cfg_doc *doc, const struct cfg_field *fields, void *target,
	      struct cfg_errs *errs)
{
	if (!cfg_doc_root(doc)) {
		cfg_error_at(errs, cfg_doc_file(doc), 0, "the file is empty; expected '%s:'",
			     fields[0].key);
		return -1;
	}
	return cfg_bind(cfg_doc_root(doc), fields, target, errs);
}

/* Records are ordered by address within their array, which is file order,
 * so the tie-break makes the later duplicate the one reported. */
static int
by_id(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int c = strcmp(x, y);

	return c ? c : (x > y) - (x < y);
}

/* Every record starts with its id and ends with its node. */
#define REC_LAYOUT(T)                                                                              \
	_Static_assert(offsetof(T, id) == 0 && offsetof(T, node) + sizeof(void *) == sizeof(T),    \
		       #T " layout")
REC_LAYOUT(struct reg_site);
REC_LAYOUT(struct reg_area);
REC_LAYOUT(struct reg_building);
REC_LAYOUT(struct reg_device);
REC_LAYOUT(struct reg_skill);
REC_LAYOUT(struct reg_person);
REC_LAYOUT(struct reg_shift);
REC_LAYOUT(struct reg_team);

static const struct cfg_node *
rec_node(const void *rec, size_t stride)
{
	const struct cfg_node *n;

	memcpy(&n, (const char *)rec + stride - sizeof n, sizeof n);
	return n;
}

void
reg_idx_build(struct reg_idx *ix, const void *base, size_t n, size_t stride, const char *what,
	      struct cfg_errs *errs)
{
	ix->rec = xcalloc(n ? n : 1, sizeof *ix->rec);
	ix->n = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rec = (const char *)base + i * stride;

		if (!reg_valid_id(rec)) {
			if (rec[0])
				cfg_error(errs, cfg_at(rec_node(rec, stride), "id"),
					  "id: '%s' is not a valid %s id ([A-Za-z0-9_-], 1 to 64 "
					  "characters)",
					  rec, what);
			continue;
		}
		ix->rec[ix->n++] = rec;
	}
	qsort(ix->rec, ix->n, sizeof *ix->rec, by_id);
	for (size_t i = 1; i < ix->n; i++) {
		if (strcmp(ix->rec[i - 1], ix->rec[i]) != 0)
			continue;
		cfg_error(errs, cfg_at(rec_node(ix->rec[i], stride), "id"),
			  "duplicate %s id '%s' (first at %s:%d)", what, (const char *)ix->rec[i],
			  cfg_file(rec_node(ix->rec[i - 1], stride)),
			  cfg_line(rec_node(ix->rec[i - 1], stride)));
	}
}

static int
cmp_key(const void *key, const void *rec)
{
	return strcmp(key, *(const char *const *)rec);
}

const void *
reg_idx_find(const struct reg_idx *ix, const char *id)
{
	const void *const *r;

	if (!ix->n)
		return NULL;
	r = bsearch(id, ix->rec, ix->n, sizeof *ix->rec, cmp_key);
	return r ? *r : NULL;
}

int
reg_check_refs(const struct cfg_strlist *l, const struct cfg_node *rec, const struct reg_idx *ix,
	       const char *key, const char *what, struct cfg_errs *errs)
{
	int rc = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (!reg_idx_find(ix, l->v[i])) {
			cfg_error_at(errs, cfg_file(rec), l->line[i], "%s: unknown %s '%s'", key,
				     what, l->v[i]);
			rc = -1;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(l->v[i], l->v[j]) == 0) {
				cfg_error_at(errs, cfg_file(rec), l->line[i],
					     "%s: '%s' is listed twice", key, l->v[i]);
				rc = -1;
				break;
			}
		}
	}
	return rc;
}

int
reg_check_date(const char *s, const struct cfg_node *rec, const char *key, struct cfg_errs *errs)
{
	long days;

	if (!s[0] || reg_parse_date(s, &days) == 0)
		return 0;
	cfg_error(errs, cfg_at(rec, key), "%s: '%s' is not a date (YYYY-MM-DD)", key, s);
	return -1;
}

/* ---- lookups and lifecycle ---------------------------------------------- */

const struct reg_site *
reg_site_find(const struct reg *reg, const char *id)
{
	return reg_idx_find(&reg->ix_sites, id);
}

const struct reg_area *
reg_area_find(const struct reg *reg, const char *id)
{
	return reg_idx_find(&reg->ix_areas, id);
}

const struct reg_building *
reg_building_find(const struct reg *reg, const char *id)
{
	return reg_idx_find(&reg->ix_buildings, id);
}

const struct reg_device *
reg_device_find(const struct reg *reg, const char *id)
{
	return reg_idx_find(&reg->ix_devices, id);
}

const struct reg_skill *
reg_skill_find(const struct reg *reg, const char *id)
{
	return reg_idx_find(&reg->ix_skills, id);
}

const struct reg_person *
reg_person_find(const struct reg *reg, const char *id)
{
	return reg_idx_find(&reg->ix_people, id);
}

const struct reg_shift *
reg_shift_find(const struct reg *reg, const char *id)
{
	return reg_idx_find(&reg->ix_shifts, id);
}

const struct reg_team *
reg_team_find(const struct reg *reg, const char *id)
{
	return reg_idx_find(&reg->ix_teams, id);
}

void
reg_free(struct reg *reg)
{
	if (!reg)
		return;
	for (size_t i = 0; i < reg->n_devices; i++) {
		cfg_strlist_free(&reg->devices[i].feeds);
		cfg_strlist_free(&reg->devices[i].tags);
	}
	for (size_t i = 0; i < reg->n_people; i++) {
		cfg_strlist_free(&reg->people[i].roles);
		cfg_strlist_free(&reg->people[i].skills);
		cfg_strlist_free(&reg->people[i].areas);
	}
	for (size_t i = 0; i < reg->n_teams; i++)
		cfg_strlist_free(&reg->teams[i].members);
	free(reg->sites);
	free(reg->areas);
	free(reg->buildings);
	free(reg->devices);
	free(reg->skills);
	free(reg->people);
	free(reg->shifts);
	free(reg->roster);
	free(reg->teams);
	free(reg->ix_sites.rec);
	free(reg->ix_areas.rec);
	free(reg->ix_buildings.rec);
	free(reg->ix_devices.rec);
	free(reg->ix_skills.rec);
	free(reg->ix_people.rec);
	free(reg->ix_shifts.rec);
	free(reg->ix_teams.rec);
	for (size_t i = 0; i < sizeof reg->docs / sizeof reg->docs[0]; i++)
		cfg_doc_free(reg->docs[i]);
	memset(reg, 0, sizeof *reg);
}

int
reg_build(struct reg *out, const struct cfg_doc *sites, const struct cfg_doc *devices,
	  const struct cfg_doc *people, struct cfg_errs *errs)
{
	size_t before = errs->n + errs->dropped;
	struct cfg_doc *keep[3];

	memcpy(keep, out->docs, sizeof keep);
	memset(out, 0, sizeof *out);
	memcpy(out->docs, keep, sizeof keep);
	out->no_sites = !sites;
	if (sites)
		reg_build_sites(out, sites, errs);
	if (devices)
		reg_build_devices(out, devices, errs);
	if (people)
		reg_build_people(out, people, errs);
	return errs->n + errs->dropped == before ? 0 : -1;
}

/* cdb_reg.c — the registry tables of 001_registry.sql into a struct reg:
 * one constant query per table, rows in byte order of their ids (COLLATE
 * "C", which is strcmp's) so that each array is its own sorted index, and
 * the link tables (feeds, roles, skills, areas, team members) merged into
 * their owners' lists in the same order. Checks only what the code relies
 * on: ids in strict order, names that fit, known asset types, sane cycles. */
#include "cdb.h"
#include "log.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct table {
	const char *what; /* for messages: "site", "device", ... */
	const char *sql;
	const struct cdb_col *cols;
	int ncols;
	size_t stride;
};

#define TABLE(what, sql, cols, T)                                                                  \
	{                                                                                          \
		what, sql, cols, (int)(sizeof cols / sizeof cols[0]), sizeof(T)                    \
	}

static const struct cdb_col site_cols[] = {
	CDB_STR_COL(struct reg_site, id),
	CDB_STR_COL(struct reg_site, name),
	CDB_STR_COL(struct reg_site, timezone),
	CDB_STR_COL(struct reg_site, address),
};
static const struct table sites = TABLE(
	"site", "SELECT site_id, name, timezone, address FROM sites ORDER BY site_id COLLATE \"C\"",
	site_cols, struct reg_site);

static const struct cdb_col area_cols[] = {
	CDB_STR_COL(struct reg_area, id),
	CDB_STR_COL(struct reg_area, site),
	CDB_STR_COL(struct reg_area, name),
};
static const struct table areas =
	TABLE("area", "SELECT area_id, site_id, name FROM areas ORDER BY area_id COLLATE \"C\"",
	      area_cols, struct reg_area);

static const struct cdb_col building_cols[] = {
	CDB_STR_COL(struct reg_building, id),
	CDB_STR_COL(struct reg_building, site),
	CDB_STR_COL(struct reg_building, area),
	CDB_STR_COL(struct reg_building, name),
	CDB_NUM_COL(struct reg_building, floors, CDB_INT),
};
static const struct table buildings =
	TABLE("building",
	      "SELECT building_id, site_id, area_id, name, floors FROM buildings"
	      " ORDER BY building_id COLLATE \"C\"",
	      building_cols, struct reg_building);

static const struct cdb_col skill_cols[] = {
	CDB_STR_COL(struct reg_skill, id),
	CDB_STR_COL(struct reg_skill, name),
};
static const struct table skills =
	TABLE("skill", "SELECT skill_id, name FROM skills ORDER BY skill_id COLLATE \"C\"",
	      skill_cols, struct reg_skill);

#define DEV struct reg_device
static const struct cdb_col device_cols[] = {
	CDB_STR_COL(DEV, id),
	CDB_STR_COL(DEV, site),
	CDB_ENUM_COL(DEV, type, reg_asset_types),
	CDB_STR_COL(DEV, name),
	CDB_STR_COL(DEV, parent),
	CDB_STR_COL(DEV, building),
	CDB_STR_COL(DEV, area),
	CDB_STR_COL(DEV, location),
	CDB_STR_COL(DEV, model),
	CDB_STR_COL(DEV, purchase_date),
	CDB_STR_COL(DEV, warranty_end),
	CDB_STR_COL(DEV, supplier),
	CDB_STR_COL(DEV, manual_ref),
	CDB_LIST_COL(DEV, tags, 32),
};
static const struct table devices = TABLE(
	"device",
	"SELECT device_id, site_id, asset_type, name, parent_id, building_id, area_id, location,"
	" model, to_char(purchase_date, 'YYYY-MM-DD'), to_char(warranty_end, 'YYYY-MM-DD'),"
	" supplier, manual_ref, tags FROM devices ORDER BY device_id COLLATE \"C\"",
	device_cols, DEV);
#undef DEV

static const struct cdb_col person_cols[] = {
	CDB_STR_COL(struct reg_person, id),
	CDB_STR_COL(struct reg_person, name),
	CDB_STR_COL(struct reg_person, phone),
	CDB_STR_COL(struct reg_person, email),
	CDB_STR_COL(struct reg_person, company),
	CDB_NUM_COL(struct reg_person, capacity, CDB_INT),
	CDB_NUM_COL(struct reg_person, active, CDB_BOOL),
};
static const struct table people =
	TABLE("person",
	      "SELECT person_id, name, phone, email, company, capacity, active FROM people"
	      " ORDER BY person_id COLLATE \"C\"",
	      person_cols, struct reg_person);

/* start_min and end_min from the server: 24:00 is 1440, as reg_build has it. */
static const struct cdb_col shift_cols[] = {
	CDB_STR_COL(struct reg_shift, id),
	CDB_STR_COL(struct reg_shift, name),
	CDB_STR_COL(struct reg_shift, start),
	CDB_STR_COL(struct reg_shift, end),
	CDB_NUM_COL(struct reg_shift, start_min, CDB_INT),
	CDB_NUM_COL(struct reg_shift, end_min, CDB_INT),
};
static const struct table shifts = TABLE(
	"shift",
	"SELECT shift_id, name, to_char(start_local, 'HH24:MI'), to_char(end_local, 'HH24:MI'),"
	" (extract(epoch FROM start_local) / 60)::int, (extract(epoch FROM end_local) / 60)::int"
	" FROM shifts ORDER BY shift_id COLLATE \"C\"",
	shift_cols, struct reg_shift);

static const struct cdb_col team_cols[] = {
	CDB_STR_COL(struct reg_team, id),
	CDB_STR_COL(struct reg_team, name),
};
static const struct table teams =
	TABLE("team", "SELECT team_id, name FROM teams ORDER BY team_id COLLATE \"C\"", team_cols,
	      struct reg_team);

/* on_days (day numbers) become the bitmask; a day outside the cycle makes
 * it NULL, which check_roster refuses like an empty one. */
static const struct cdb_col roster_cols[] = {
	CDB_STR_COL(struct reg_roster, person),
	CDB_STR_COL(struct reg_roster, shift),
	CDB_STR_COL(struct reg_roster, cycle_start),
	CDB_NUM_COL(struct reg_roster, cycle_days, CDB_INT),
	CDB_NUM_COL(struct reg_roster, on_days, CDB_ULLONG),
};
static const struct table roster = TABLE(
	"roster entry of",
	"SELECT person_id, shift_id, to_char(cycle_start, 'YYYY-MM-DD'), cycle_days,"
	" (SELECT CASE WHEN bool_and(d >= 0 AND d < cycle_days) THEN bit_or(1::bigint << d) END"
	"  FROM unnest(on_days) AS d)"
	" FROM roster ORDER BY person_id COLLATE \"C\", shift_id COLLATE \"C\"",
	roster_cols, struct reg_roster);

/* A link table: (owner id, value) rows ordered by owner, into the owners'
 * lists at list_off. */
struct link {
	const char *what;
	const char *sql;
	size_t list_off;
};

#define LINK_SQL(tbl, owner, value)                                                                \
	"SELECT " owner ", " value " FROM " tbl " ORDER BY " owner " COLLATE \"C\", " value        \
	" COLLATE \"C\""

static const struct link feeds = {"feeds of", LINK_SQL("device_feeds", "from_device", "to_device"),
				  offsetof(struct reg_device, feeds)};
static const struct link roles = {"roles of", LINK_SQL("person_roles", "person_id", "role"),
				  offsetof(struct reg_person, roles)};
static const struct link person_skills = {"skills of",
					  LINK_SQL("person_skills", "person_id", "skill_id"),
					  offsetof(struct reg_person, skills)};
static const struct link person_areas = {"areas of",
					 LINK_SQL("person_areas", "person_id", "area_id"),
					 offsetof(struct reg_person, areas)};
static const struct link members = {"members of", LINK_SQL("team_members", "team_id", "person_id"),
				    offsetof(struct reg_team, members)};

/* Rows of t into a new array *recs of *n records. */
static int
load_table(struct cdb *c, const struct table *t, void **recs, size_t *n)
{
	struct db_res *r = NULL;
	char *base;
	int rc = 0;

	if (cdb_query(c, t->what, t->sql, &r) < 0)
		return -1;
	base = xcalloc(db_res_rows(r) ? db_res_rows(r) : 1, t->stride);
	*recs = base;
	for (*n = 0; *n < db_res_rows(r) && rc == 0; ++*n)
		rc = cdb_row(c, t->what, r, *n, 0, t->cols, t->ncols, base + *n * t->stride);
	db_res_free(r);
	return rc;
}

/* The records (id first, in the query's order) as their index: the order
 * must already be strict, which also refuses a repeated id. */
static int
index_of(struct cdb *c, const char *what, const void *base, size_t n, size_t stride,
	 struct reg_idx *ix)
{
	ix->rec = xcalloc(n ? n : 1, sizeof *ix->rec);
	for (ix->n = 0; ix->n < n; ix->n++) {
		const char *id = (const char *)base + ix->n * stride;

		if (!reg_valid_id(id) || (ix->n && strcmp(ix->rec[ix->n - 1], id) >= 0))
			return cdb_fail(c, "%s '%.64s': id out of order, repeated or malformed",
					what, id);
		ix->rec[ix->n] = id;
	}
	return 0;
}

static int
load_indexed(struct cdb *c, const struct table *t, void **recs, size_t *n, struct reg_idx *ix)
{
	if (load_table(c, t, recs, n) < 0)
		return -1;
	return index_of(c, t->what, *recs, *n, t->stride, ix);
}

/* Both sides are in strcmp order of the owner id, so one pass pairs them. */
static int
load_link(struct cdb *c, const struct link *l, const struct reg_idx *owners)
{
	struct db_res *r = NULL;
	size_t rows, i = 0, o = 0;
	int rc = 0;

	if (cdb_query(c, l->what, l->sql, &r) < 0)
		return -1;
	rows = db_res_rows(r);
	while (i < rows && rc == 0) {
		const char *owner = db_res_get(r, i, 0);
		struct cfg_strlist *list;
		size_t end = i;

		while (o < owners->n && strcmp(owners->rec[o], owner) < 0)
			o++;
		if (o == owners->n || strcmp(owners->rec[o], owner) != 0) {
			rc = cdb_fail(c, "%s '%.64s': no such record", l->what, owner);
			break;
		}
		while (end < rows && strcmp(db_res_get(r, end, 0), owner) == 0)
			end++;
		list = (struct cfg_strlist *)(void *)((char *)owners->rec[o] + l->list_off);
		list->v = xcalloc(end - i, sizeof *list->v);
		list->line = xcalloc(end - i, sizeof *list->line);
		for (; i < end; i++)
			list->v[list->n++] = xstrdup(db_res_get(r, i, 1));
	}
	db_res_free(r);
	return rc;
}

static int
check_roster(struct cdb *c, const struct reg *reg)
{
	for (size_t i = 0; i < reg->n_roster; i++) {
		const struct reg_roster *ro = &reg->roster[i];
		long days;

		if (ro->cycle_days < 1 || ro->cycle_days > REG_MAX_CYCLE || !ro->on_days ||
		    ro->on_days >> ro->cycle_days || reg_parse_date(ro->cycle_start, &days) < 0)
			return cdb_fail(c, "roster entry of %.64s for shift %.64s: bad cycle",
					ro->person, ro->shift);
	}
	return 0;
}

int
cdb_load_reg(struct cdb *c, struct reg *reg, int with_devices)
{
	if (load_indexed(c, &sites, (void **)&reg->sites, &reg->n_sites, &reg->ix_sites) < 0 ||
	    load_indexed(c, &areas, (void **)&reg->areas, &reg->n_areas, &reg->ix_areas) < 0 ||
	    load_indexed(c, &buildings, (void **)&reg->buildings, &reg->n_buildings,
			 &reg->ix_buildings) < 0 ||
	    load_indexed(c, &skills, (void **)&reg->skills, &reg->n_skills, &reg->ix_skills) < 0 ||
	    (with_devices && (load_indexed(c, &devices, (void **)&reg->devices, &reg->n_devices,
					   &reg->ix_devices) < 0 ||
			      load_link(c, &feeds, &reg->ix_devices) < 0)) ||
	    load_indexed(c, &people, (void **)&reg->people, &reg->n_people, &reg->ix_people) < 0 ||
	    load_link(c, &roles, &reg->ix_people) < 0 ||
	    load_link(c, &person_skills, &reg->ix_people) < 0 ||
	    load_link(c, &person_areas, &reg->ix_people) < 0 ||
	    load_indexed(c, &shifts, (void **)&reg->shifts, &reg->n_shifts, &reg->ix_shifts) < 0 ||
	    load_table(c, &roster, (void **)&reg->roster, &reg->n_roster) < 0 ||
	    check_roster(c, reg) < 0 ||
	    load_indexed(c, &teams, (void **)&reg->teams, &reg->n_teams, &reg->ix_teams) < 0 ||
	    load_link(c, &members, &reg->ix_teams) < 0)
		return -1;
	return 0;
}

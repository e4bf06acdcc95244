/* apply_tables.c — how each registry table is written by `fmctl apply`. A
 * whole table travels as one statement: every column is one array parameter
 * that SQL unnests, the upsert updates a row only when a value differs (so
 * re-applying an unchanged configuration rewrites nothing) and returns one
 * row per insert or update for the tally. Entities missing from the
 * configuration are listed, and deleted only with --prune. No SQL is built
 * at run time: every statement is a constant. */
#include "apply.h"
#include "apply_sql.h"
#include "log.h"
#include "pgtext.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define MAX_COLS 15

struct table {
	const char *name;
	const char *noun; /* for "would remove device X" */
	int ncols;
	/* $1..$ncols: column arrays; returns (xmax = 0) per written row */
	const char *upsert;
	/* entities: $1 = keys in the configuration */
	const char *absent, *prune;
	/* rows owned by an entity: $1, $2 = the wanted (owner, value) pairs,
	 * $3 = owners in the configuration; their other rows go */
	const char *stale;
	void (*cols)(const struct reg *r, struct pgtext *c, struct pgtext *owners);
};

#define ENTITY_SQL(tbl, key)                                                                       \
	"SELECT " key " FROM " tbl " WHERE " key " <> ALL($1::text[]) ORDER BY 1",                 \
		"DELETE FROM " tbl " WHERE " key " <> ALL($1::text[]) RETURNING " key, NULL
#define OWNED_SQL(tbl, owner, value)                                                               \
	NULL, NULL,                                                                                \
		"DELETE FROM " tbl " WHERE " owner " = ANY($3::text[]) AND (" owner ", " value     \
		") NOT IN (SELECT * FROM unnest($1::text[], $2::text[]))"
#define LINK_INSERT(tbl, owner, value)                                                             \
	"INSERT INTO " tbl " (" owner ", " value ") SELECT * FROM unnest($1::text[], "             \
	"$2::text[]) ON CONFLICT DO NOTHING RETURNING true"

static const char *
nz(const char *s)
{
	return s && s[0] ? s : NULL;
}

static void
begin(struct pgtext *c, int n)
{
	for (int i = 0; i < n; i++)
		pgtext_array_begin(&c[i]);
}

static void
end(struct pgtext *c, int n)
{
	for (int i = 0; i < n; i++)
		pgtext_array_end(&c[i]);
}

/* ---- sites, areas, buildings -------------------------------------------- */

static void
cols_sites(const struct reg *r, struct pgtext *c, struct pgtext *owners)
{
	(void)owners;
	begin(c, 4);
	for (size_t i = 0; i < r->n_sites; i++) {
		pgtext_array_add(&c[0], r->sites[i].id);
		pgtext_array_add(&c[1], r->sites[i].name);
		pgtext_array_add(&c[2], r->sites[i].timezone);
		pgtext_array_add(&c[3], nz(r->sites[i].address));
	}
	end(c, 4);
}

static void
cols_areas(const struct reg *r, struct pgtext *c, struct pgtext *owners)
{
	(void)owners;
	begin(c, 3);
	for (size_t i = 0; i < r->n_areas; i++) {
		pgtext_array_add(&c[0], r->areas[i].id);
		pgtext_array_add(&c[1], r->areas[i].site);
		pgtext_array_add(&c[2], r->areas[i].name);
	}
	end(c, 3);
}

static void
cols_buildings(const struct reg *r, struct pgtext *c, struct pgtext *owners)
{
	char floors[16];

	(void)owners;
	begin(c, 5);
	for (size_t i = 0; i < r->n_buildings; i++) {
		const struct reg_building *b = &r->buildings[i];

		snprintf(floors, sizeof floors, "%d", b->floors);
		pgtext_array_add(&c[0], b->id);
		pgtext_array_add(&c[1], b->site);
		pgtext_array_add(&c[2], nz(b->area));
		pgtext_array_add(&c[3], b->name);
		pgtext_array_add(&c[4], b->floors > 0 ? floors : NULL);
	}
	end(c, 5);
}

/* ---- devices -------------------------------------------------------------- */

/* Rated parameters as a JSON object: plain numbers and booleans keep their
 * type, everything else is a string. jsonb compares by value, so the text
 * form does not matter for the no-change test. */
static void
params_json(const struct cfg_node *p, struct pgtext *out)
{
	pgtext_reset(out);
	pgtext_append(out, "{");
	for (size_t i = 0; i < cfg_len(p); i++) {
		const struct cfg_node *v = cfg_value(p, i);
		const char *s = cfg_str(v);

		if (i)
			pgtext_append(out, ", ");
		pgtext_json_string(out, cfg_key(p, i));
		pgtext_append(out, ": ");
		if (cfg_is_null(v))
			pgtext_append(out, "null");
		else if (!cfg_quoted(v) && (pgtext_is_json_number(s) || strcmp(s, "true") == 0 ||
					    strcmp(s, "false") == 0))
			pgtext_append(out, s);
		else
			pgtext_json_string(out, s);
	}
	pgtext_append(out, "}");
}

static void
cols_devices(const struct reg *r, struct pgtext *c, struct pgtext *owners)
{
	struct pgtext tmp = {0};

	(void)owners;
	begin(c, 15);
	for (size_t i = 0; i < r->n_devices; i++) {
		const struct reg_device *d = &r->devices[i];

		pgtext_array_add(&c[0], d->id);
		pgtext_array_add(&c[1], d->site);
		pgtext_array_add(&c[2], reg_asset_types[d->type]);
		pgtext_array_add(&c[3], nz(d->parent));
		pgtext_array_add(&c[4], d->name);
		pgtext_array_add(&c[5], nz(d->area));
		pgtext_array_add(&c[6], nz(d->building));
		pgtext_array_add(&c[7], nz(d->location));
		pgtext_array_add(&c[8], nz(d->model));
		params_json(d->params, &tmp);
		pgtext_array_add(&c[9], pgtext_str(&tmp));
		pgtext_array_add(&c[10], nz(d->purchase_date));
		pgtext_array_add(&c[11], nz(d->warranty_end));
		pgtext_array_add(&c[12], nz(d->supplier));
		pgtext_array_add(&c[13], nz(d->manual_ref));
		pgtext_array_begin(&tmp);
		for (size_t k = 0; k < d->tags.n; k++)
			pgtext_array_add(&tmp, d->tags.v[k]);
		pgtext_array_end(&tmp);
		pgtext_array_add(&c[14], pgtext_str(&tmp));
	}
	end(c, 15);
	pgtext_free(&tmp);
}

static void
cols_feeds(const struct reg *r, struct pgtext *c, struct pgtext *owners)
{
	begin(c, 2);
	pgtext_array_begin(owners);
	for (size_t i = 0; i < r->n_devices; i++) {
		pgtext_array_add(owners, r->devices[i].id);
		for (size_t k = 0; k < r->devices[i].feeds.n; k++) {
			pgtext_array_add(&c[0], r->devices[i].id);
			pgtext_array_add(&c[1], r->devices[i].feeds.v[k]);
		}
	}
	pgtext_array_end(owners);
	end(c, 2);
}

/* ---- people ----------------------------------------------------------------- */

static void
cols_skills(const struct reg *r, struct pgtext *c, struct pgtext *owners)
{
	(void)owners;
	begin(c, 2);
	for (size_t i = 0; i < r->n_skills; i++) {
		pgtext_array_add(&c[0], r->skills[i].id);
		pgtext_array_add(&c[1], r->skills[i].name);
	}
	end(c, 2);
}

static void
cols_people(const struct reg *r, struct pgtext *c, struct pgtext *owners)
{
	char cap[16];

	(void)owners;
	begin(c, 7);
	for (size_t i = 0; i < r->n_people; i++) {
		const struct reg_person *p = &r->people[i];

		snprintf(cap, sizeof cap, "%d", p->capacity);
		pgtext_array_add(&c[0], p->id);
		pgtext_array_add(&c[1], p->name);
		pgtext_array_add(&c[2], nz(p->phone));
		pgtext_array_add(&c[3], nz(p->email));
		pgtext_array_add(&c[4], nz(p->company));
		pgtext_array_add(&c[5], cap);
		pgtext_array_add(&c[6], p->active ? "t" : "f");
	}
	end(c, 7);
}

/* The (person, value) pairs of one of a person's lists. */
static void
person_pairs(const struct reg *r, size_t list_off, struct pgtext *c, struct pgtext *owners)
{
	begin(c, 2);
	pgtext_array_begin(owners);
	for (size_t i = 0; i < r->n_people; i++) {
		const struct reg_person *p = &r->people[i];
		const struct cfg_strlist *l =
			(const struct cfg_strlist *)(const void *)((const char *)p + list_off);

		pgtext_array_add(owners, p->id);
		for (size_t k = 0; k < l->n; k++) {
			pgtext_array_add(&c[0], p->id);
			pgtext_array_add(&c[1], l->v[k]);
		}
	}
	pgtext_array_end(owners);
	end(c, 2);
}

static void
cols_roles(const struct reg *r, struct pgtext *c, struct pgtext *owners)
{
	person_pairs(r, offsetof(struct reg_person, roles), c, owners);
}

static void
cols_person_skills(const struct reg *r, struct pgtext *c, struct pgtext *owners)
{
	person_pairs(r, offsetof(struct reg_person, skills), c, owners);
}

static void
cols_person_areas(const struct reg *r, struct pgtext *c, struct pgtext *owners)
{
	person_pairs(r, offsetof(struct reg_person, areas), c, owners);
}

static void
cols_shifts(const struct reg *r, struct pgtext *c, struct pgtext *owners)
{
	(void)owners;
	begin(c, 4);
	for (size_t i = 0; i < r->n_shifts; i++) {
		pgtext_array_add(&c[0], r->shifts[i].id);
		pgtext_array_add(&c[1], r->shifts[i].name);
		pgtext_array_add(&c[2], r->shifts[i].start);
		pgtext_array_add(&c[3], r->shifts[i].end);
	}
	end(c, 4);
}

static void
cols_roster(const struct reg *r, struct pgtext *c, struct pgtext *owners)
{
	struct pgtext days = {0};
	char num[16];

	begin(c, 5);
	pgtext_array_begin(owners);
	for (size_t i = 0; i < r->n_people; i++)
		pgtext_array_add(owners, r->people[i].id);
	pgtext_array_end(owners);
	for (size_t i = 0; i < r->n_roster; i++) {
		const struct reg_roster *ro = &r->roster[i];

		pgtext_array_add(&c[0], ro->person);
		pgtext_array_add(&c[1], ro->shift);
		pgtext_array_add(&c[2], ro->cycle_start);
		snprintf(num, sizeof num, "%d", ro->cycle_days);
		pgtext_array_add(&c[3], num);
		pgtext_array_begin(&days);
		for (int d = 0; d < ro->cycle_days; d++) {
			if (!((ro->on_days >> d) & 1))
				continue;
			snprintf(num, sizeof num, "%s%d", days.n++ ? "," : "", d);
			pgtext_append(&days, num);
		}
		pgtext_array_end(&days);
		pgtext_array_add(&c[4], pgtext_str(&days));
	}
	end(c, 5);
	pgtext_free(&days);
}

static void
cols_teams(const struct reg *r, struct pgtext *c, struct pgtext *owners)
{
	(void)owners;
	begin(c, 2);
	for (size_t i = 0; i < r->n_teams; i++) {
		pgtext_array_add(&c[0], r->teams[i].id);
		pgtext_array_add(&c[1], r->teams[i].name);
	}
	end(c, 2);
}

static void
cols_members(const struct reg *r, struct pgtext *c, struct pgtext *owners)
{
	begin(c, 2);
	pgtext_array_begin(owners);
	for (size_t i = 0; i < r->n_teams; i++) {
		pgtext_array_add(owners, r->teams[i].id);
		for (size_t k = 0; k < r->teams[i].members.n; k++) {
			pgtext_array_add(&c[0], r->teams[i].id);
			pgtext_array_add(&c[1], r->teams[i].members.v[k]);
		}
	}
	pgtext_array_end(owners);
	end(c, 2);
}

/* In foreign-key order; removals run in reverse. */
static const struct table tables[] = {
	{"sites", "site", 4, UPSERT_SITES, ENTITY_SQL("sites", "site_id"), cols_sites},
	{"areas", "area", 3, UPSERT_AREAS, ENTITY_SQL("areas", "area_id"), cols_areas},
	{"buildings", "building", 5, UPSERT_BUILDINGS, ENTITY_SQL("buildings", "building_id"),
	 cols_buildings},
	{"skills", "skill", 2, UPSERT_SKILLS, ENTITY_SQL("skills", "skill_id"), cols_skills},
	{"devices", "device", 15, UPSERT_DEVICES, ENTITY_SQL("devices", "device_id"), cols_devices},
	{"device_feeds", NULL, 2, LINK_INSERT("device_feeds", "from_device", "to_device"),
	 OWNED_SQL("device_feeds", "from_device", "to_device"), cols_feeds},
	{"people", "person", 7, UPSERT_PEOPLE, ENTITY_SQL("people", "person_id"), cols_people},
	{"person_roles", NULL, 2, LINK_INSERT("person_roles", "person_id", "role"),
	 OWNED_SQL("person_roles", "person_id", "role"), cols_roles},
	{"person_skills", NULL, 2, LINK_INSERT("person_skills", "person_id", "skill_id"),
	 OWNED_SQL("person_skills", "person_id", "skill_id"), cols_person_skills},
	{"person_areas", NULL, 2, LINK_INSERT("person_areas", "person_id", "area_id"),
	 OWNED_SQL("person_areas", "person_id", "area_id"), cols_person_areas},
	{"shifts", "shift", 4, UPSERT_SHIFTS, ENTITY_SQL("shifts", "shift_id"), cols_shifts},
	{"roster", NULL, 5, UPSERT_ROSTER, OWNED_SQL("roster", "person_id", "shift_id"),
	 cols_roster},
	{"teams", "team", 2, UPSERT_TEAMS, ENTITY_SQL("teams", "team_id"), cols_teams},
	{"team_members", NULL, 2, LINK_INSERT("team_members", "team_id", "person_id"),
	 OWNED_SQL("team_members", "team_id", "person_id"), cols_members},
};

#define NTABLES (sizeof tables / sizeof tables[0])
_Static_assert(NTABLES <= APPLY_MAX_TABLES, "apply_result too small");

static enum db_status
write_table(struct db *db, const struct reg *reg, const struct table *t, struct apply_tally *tally)
{
	struct pgtext c[MAX_COLS] = {{0}}, owners = {0};
	const char *params[MAX_COLS];
	struct db_res *res = NULL;
	enum db_status s;

	t->cols(reg, c, &owners);
	for (int i = 0; i < t->ncols; i++)
		params[i] = pgtext_str(&c[i]);
	s = db_exec(db, t->upsert, t->ncols, params, &res);
	if (s != DB_OK)
		goto out;
	for (size_t i = 0; i < db_res_rows(res); i++) {
		if (strcmp(db_res_get(res, i, 0), "t") == 0)
			tally->inserted++;
		else
			tally->updated++;
	}
	db_res_free(res);
	res = NULL;
	if (t->stale) {
		const char *p[3] = {pgtext_str(&c[0]), pgtext_str(&c[1]), pgtext_str(&owners)};

		s = db_exec(db, t->stale, 3, p, &res);
		if (s == DB_OK)
			tally->removed += db_res_affected(res);
	}
out:
	db_res_free(res);
	for (int i = 0; i < MAX_COLS; i++)
		pgtext_free(&c[i]);
	pgtext_free(&owners);
	return s;
}

/* Entities in the database that the configuration no longer has. */
static enum db_status
remove_absent(struct db *db, const struct reg *reg, const struct table *t, int prune, int dry_run,
	      FILE *out, struct apply_tally *tally, long *pending)
{
	struct pgtext c[MAX_COLS] = {{0}}, owners = {0};
	struct db_res *res = NULL;
	const char *keys;
	enum db_status s;

	t->cols(reg, c, &owners);
	keys = pgtext_str(&c[0]);
	s = db_exec(db, prune ? t->prune : t->absent, 1, &keys, &res);
	for (size_t i = 0; s == DB_OK && i < db_res_rows(res); i++) {
		if (prune) {
			fprintf(out, "%s %s %s\n", dry_run ? "would remove" : "removed", t->noun,
				db_res_get(res, i, 0));
			tally->removed++;
		} else {
			fprintf(out, "would remove %s %s; use --prune\n", t->noun,
				db_res_get(res, i, 0));
			(*pending)++;
		}
	}
	db_res_free(res);
	for (int i = 0; i < MAX_COLS; i++)
		pgtext_free(&c[i]);
	pgtext_free(&owners);
	return s;
}

enum db_status
apply_registry(struct db *db, const struct reg *reg, int prune, int dry_run, FILE *out,
	       struct apply_result *res)
{
	enum db_status s = DB_OK;

	memset(res, 0, sizeof *res);
	res->n = NTABLES;
	for (size_t i = 0; i < NTABLES && s == DB_OK; i++) {
		res->t[i].table = tables[i].name;
		s = write_table(db, reg, &tables[i], &res->t[i]);
	}
	for (size_t i = NTABLES; i-- > 0 && s == DB_OK;)
		if (tables[i].absent)
			s = remove_absent(db, reg, &tables[i], prune, dry_run, out, &res->t[i],
					  &res->pending);
	return s;
}

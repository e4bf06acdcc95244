/* apply_sql.h — the upsert statements of `fmctl apply`, one per registry
 * table. Each takes one array parameter per column, updates a row only when
 * some value IS DISTINCT FROM the configuration's (so nothing unchanged is
 * rewritten and no xmin moves), and returns (xmax = 0) for every row it
 * wrote: true for an insert, false for an update. */
#ifndef FM_APPLY_SQL_H
#define FM_APPLY_SQL_H

#define UPSERT_SITES                                                                               \
	"INSERT INTO sites AS t (site_id, name, timezone, address)"                                \
	" SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])"                    \
	" ON CONFLICT (site_id) DO UPDATE SET name = EXCLUDED.name,"                               \
	" timezone = EXCLUDED.timezone, address = EXCLUDED.address, updated_at = now()"            \
	" WHERE (t.name, t.timezone, t.address)"                                                   \
	" IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.timezone, EXCLUDED.address)"                   \
	" RETURNING (t.xmax = 0)"

#define UPSERT_AREAS                                                                               \
	"INSERT INTO areas AS t (area_id, site_id, name)"                                          \
	" SELECT * FROM unnest($1::text[], $2::text[], $3::text[])"                                \
	" ON CONFLICT (area_id) DO UPDATE SET site_id = EXCLUDED.site_id,"                         \
	" name = EXCLUDED.name, updated_at = now()"                                                \
	" WHERE (t.site_id, t.name) IS DISTINCT FROM (EXCLUDED.site_id, EXCLUDED.name)"            \
	" RETURNING (t.xmax = 0)"

#define UPSERT_BUILDINGS                                                                           \
	"INSERT INTO buildings AS t (building_id, site_id, area_id, name, floors)"                 \
	" SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],"                    \
	" $5::integer[])"                                                                          \
	" ON CONFLICT (building_id) DO UPDATE SET site_id = EXCLUDED.site_id,"                     \
	" area_id = EXCLUDED.area_id, name = EXCLUDED.name, floors = EXCLUDED.floors,"             \
	" updated_at = now()"                                                                      \
	" WHERE (t.site_id, t.area_id, t.name, t.floors) IS DISTINCT FROM"                         \
	" (EXCLUDED.site_id, EXCLUDED.area_id, EXCLUDED.name, EXCLUDED.floors)"                    \
	" RETURNING (t.xmax = 0)"

#define UPSERT_SKILLS                                                                              \
	"INSERT INTO skills AS t (skill_id, name)"                                                 \
	" SELECT * FROM unnest($1::text[], $2::text[])"                                            \
	" ON CONFLICT (skill_id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()"           \
	" WHERE t.name IS DISTINCT FROM EXCLUDED.name"                                             \
	" RETURNING (t.xmax = 0)"

/* tags arrive as one array literal per device and are cast per row. */
#define UPSERT_DEVICES                                                                             \
	"INSERT INTO devices AS t (device_id, site_id, asset_type, parent_id, name,"               \
	" area_id, building_id, location, model, params, purchase_date, warranty_end,"             \
	" supplier, manual_ref, tags)"                                                             \
	" SELECT id, site, typ, par, nam, area, bld, loc, mdl, prm, pd, we, sup, man,"             \
	" tg::text[]"                                                                              \
	" FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],"                 \
	" $6::text[], $7::text[], $8::text[], $9::text[], $10::jsonb[], $11::date[],"              \
	" $12::date[], $13::text[], $14::text[], $15::text[])"                                     \
	" AS u(id, site, typ, par, nam, area, bld, loc, mdl, prm, pd, we, sup, man, tg)"           \
	" ON CONFLICT (device_id) DO UPDATE SET site_id = EXCLUDED.site_id,"                       \
	" asset_type = EXCLUDED.asset_type, parent_id = EXCLUDED.parent_id,"                       \
	" name = EXCLUDED.name, area_id = EXCLUDED.area_id,"                                       \
	" building_id = EXCLUDED.building_id, location = EXCLUDED.location,"                       \
	" model = EXCLUDED.model, params = EXCLUDED.params,"                                       \
	" purchase_date = EXCLUDED.purchase_date, warranty_end = EXCLUDED.warranty_end,"           \
	" supplier = EXCLUDED.supplier, manual_ref = EXCLUDED.manual_ref,"                         \
	" tags = EXCLUDED.tags, updated_at = now()"                                                \
	" WHERE (t.site_id, t.asset_type, t.parent_id, t.name, t.area_id, t.building_id,"          \
	" t.location, t.model, t.params, t.purchase_date, t.warranty_end, t.supplier,"             \
	" t.manual_ref, t.tags) IS DISTINCT FROM (EXCLUDED.site_id, EXCLUDED.asset_type,"          \
	" EXCLUDED.parent_id, EXCLUDED.name, EXCLUDED.area_id, EXCLUDED.building_id,"              \
	" EXCLUDED.location, EXCLUDED.model, EXCLUDED.params, EXCLUDED.purchase_date,"             \
	" EXCLUDED.warranty_end, EXCLUDED.supplier, EXCLUDED.manual_ref, EXCLUDED.tags)"           \
	" RETURNING (t.xmax = 0)"

#define UPSERT_PEOPLE                                                                              \
	"INSERT INTO people AS t (person_id, name, phone, email, company, capacity,"               \
	" active)"                                                                                 \
	" SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],"                    \
	" $5::text[], $6::integer[], $7::boolean[])"                                               \
	" ON CONFLICT (person_id) DO UPDATE SET name = EXCLUDED.name,"                             \
	" phone = EXCLUDED.phone, email = EXCLUDED.email, company = EXCLUDED.company,"             \
	" capacity = EXCLUDED.capacity, active = EXCLUDED.active, updated_at = now()"              \
	" WHERE (t.name, t.phone, t.email, t.company, t.capacity, t.active)"                       \
	" IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.phone, EXCLUDED.email,"                        \
	" EXCLUDED.company, EXCLUDED.capacity, EXCLUDED.active)"                                   \
	" RETURNING (t.xmax = 0)"

#define UPSERT_SHIFTS                                                                              \
	"INSERT INTO shifts AS t (shift_id, name, start_local, end_local)"                         \
	" SELECT * FROM unnest($1::text[], $2::text[], $3::time[], $4::time[])"                    \
	" ON CONFLICT (shift_id) DO UPDATE SET name = EXCLUDED.name,"                              \
	" start_local = EXCLUDED.start_local, end_local = EXCLUDED.end_local,"                     \
	" updated_at = now()"                                                                      \
	" WHERE (t.name, t.start_local, t.end_local) IS DISTINCT FROM"                             \
	" (EXCLUDED.name, EXCLUDED.start_local, EXCLUDED.end_local)"                               \
	" RETURNING (t.xmax = 0)"

/* on_days arrive as one array literal per row and are cast per row. */
#define UPSERT_ROSTER                                                                              \
	"INSERT INTO roster AS t (person_id, shift_id, cycle_start, cycle_days, on_days)"          \
	" SELECT p, s, cs, cd, od::integer[] FROM unnest($1::text[], $2::text[],"                  \
	" $3::date[], $4::integer[], $5::text[]) AS u(p, s, cs, cd, od)"                           \
	" ON CONFLICT (person_id, shift_id) DO UPDATE SET"                                         \
	" cycle_start = EXCLUDED.cycle_start, cycle_days = EXCLUDED.cycle_days,"                   \
	" on_days = EXCLUDED.on_days"                                                              \
	" WHERE (t.cycle_start, t.cycle_days, t.on_days) IS DISTINCT FROM"                         \
	" (EXCLUDED.cycle_start, EXCLUDED.cycle_days, EXCLUDED.on_days)"                           \
	" RETURNING (t.xmax = 0)"

#define UPSERT_TEAMS                                                                               \
	"INSERT INTO teams AS t (team_id, name)"                                                   \
	" SELECT * FROM unnest($1::text[], $2::text[])"                                            \
	" ON CONFLICT (team_id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()"            \
	" WHERE t.name IS DISTINCT FROM EXCLUDED.name"                                             \
	" RETURNING (t.xmax = 0)"

#endif

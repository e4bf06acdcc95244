-- 013_schedd_registry.sql — schedd resolves the notify lists of its plans
-- from the registry in PostgreSQL (common/cdb_reg.c: areas, people and their
-- roles, shifts, the roster, teams), so it reads all of 001's tables like
-- alertd and dispatchd; 006 gave it only sites and devices, and schedd
-- logged in as a member of fm_schedd failed with "permission denied for
-- table areas" (found when the integration tests moved to the daemons' own
-- login roles).
GRANT SELECT ON sites, areas, buildings, devices, device_feeds, skills, people, person_roles,
	person_skills, person_areas, shifts, roster, teams, team_members
	TO fm_schedd;

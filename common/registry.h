/* registry.h — the community registry read from config/: sites with their
 * areas (片区) and buildings; devices forming an asset tree (parent) and a
 * supply graph (feeds); people with roles, skills and areas; skills, shifts,
 * the duty roster and teams. reg_build is pure (parsed documents in, a
 * checked model or file:line errors out); reg_load_dir reads the files. */
#ifndef FM_REGISTRY_H
#define FM_REGISTRY_H

#include "config.h"

#include <stddef.h>

/* The files of the registry, in a configuration directory. */
#define REG_FILE_SITES "site.yaml"
#define REG_FILE_DEVICES "devices.yaml"
#define REG_FILE_PEOPLE "people.yaml"

/* Ids of sites, areas, buildings, devices, people, skills, shifts and teams
 * match [A-Za-z0-9_-]{1,64}: device and person ids become MQTT topic levels
 * and broker usernames. */
#define REG_ID_SIZE 65
#define REG_NAME_SIZE 192
#define REG_DATE_SIZE 11 /* YYYY-MM-DD */

/* Asset types, NULL-terminated; the index is stable within a build and the
 * name is what is stored and what rules refer to. */
extern const char *const reg_asset_types[];
/* Not a field device: a device of this type named "ingestd-{instance}"
 * stands for that ingestd instance, so that rules can alarm on its health
 * (alertd turns its stats into events: spool_full). Nothing publishes as it
 * and fmsim does not simulate it. */
#define REG_TYPE_INGESTD "fm_ingestd"
#define REG_INGESTD_DEVICE_PREFIX "ingestd-"
/* Roles of people, NULL-terminated (duty_engineer, technician, ...). */
extern const char *const reg_roles[];

/* Every record keeps the mapping it came from (node) for file:line messages;
 * the nodes live as long as the documents (owned by struct reg when it was
 * loaded with reg_load_dir). id is always the first member. */
struct reg_site {
	char id[REG_ID_SIZE];
	char name[REG_NAME_SIZE];
	char timezone[REG_ID_SIZE]; /* IANA name, e.g. Asia/Shanghai */
	char address[REG_NAME_SIZE];
	const struct cfg_node *node;
};

struct reg_area {
	char id[REG_ID_SIZE]; /* unique across all sites */
	char site[REG_ID_SIZE];
	char name[REG_NAME_SIZE];
	const struct cfg_node *node;
};

struct reg_building {
	char id[REG_ID_SIZE]; /* unique across all sites */
	char site[REG_ID_SIZE];
	char area[REG_ID_SIZE]; /* "" when the site has no areas */
	char name[REG_NAME_SIZE];
	int floors; /* 0: not given */
	const struct cfg_node *node;
};

struct reg_device {
	char id[REG_ID_SIZE];
	char site[REG_ID_SIZE];
	int type; /* index into reg_asset_types */
	char name[REG_NAME_SIZE];
	char parent[REG_ID_SIZE];   /* asset tree; "" for a top-level asset */
	char building[REG_ID_SIZE]; /* "" when not in a building */
	char area[REG_ID_SIZE];     /* given, else the building's area, else "" */
	char location[REG_NAME_SIZE];
	/* ledger (设备台账); "" when not given */
	char model[REG_NAME_SIZE];
	char purchase_date[REG_DATE_SIZE];
	char warranty_end[REG_DATE_SIZE];
	char supplier[REG_NAME_SIZE]; /* supplier and its contact */
	char manual_ref[REG_NAME_SIZE];
	const struct cfg_node *params; /* flat mapping of rated parameters, or NULL */
	struct cfg_strlist feeds;      /* devices this one supplies (power, water) */
	struct cfg_strlist tags;
	const struct cfg_node *node;
};

struct reg_skill {
	char id[REG_ID_SIZE];
	char name[REG_NAME_SIZE];
	const struct cfg_node *node;
};

struct reg_person {
	char id[REG_ID_SIZE];
	char name[REG_NAME_SIZE];
	char phone[40];
	char email[128];
	char company[REG_NAME_SIZE]; /* contractors: their company */
	int capacity;                /* open work orders at once */
	int active;
	struct cfg_strlist roles;  /* names from reg_roles */
	struct cfg_strlist skills; /* skill ids */
	struct cfg_strlist areas;  /* area ids (片区 responsibility) */
	const struct cfg_node *node;
};

struct reg_shift {
	char id[REG_ID_SIZE];
	char name[REG_NAME_SIZE];
	char start[6], end[6];  /* "HH:MM" local time of the site */
	int start_min, end_min; /* minutes after midnight; end <= start: next day */
	const struct cfg_node *node;
};

/* One person works one shift on the days of a cycle: the shift that starts
 * on local date D is worked when bit ((D - cycle_start) mod cycle_days) of
 * on_days is set. A weekly roster is a 7-day cycle starting on a Monday. */
#define REG_MAX_CYCLE 56
struct reg_roster {
	char person[REG_ID_SIZE];
	char shift[REG_ID_SIZE];
	char cycle_start[REG_DATE_SIZE];
	int cycle_days;              /* 1..REG_MAX_CYCLE */
	unsigned long long on_days;  /* bit i: day i of the cycle */
	const struct cfg_node *node; /* the roster entry it came from */
};

struct reg_team {
	char id[REG_ID_SIZE];
	char name[REG_NAME_SIZE];
	struct cfg_strlist members; /* person ids */
	const struct cfg_node *node;
};

/* A sorted view of records by id, for lookups. */
struct reg_idx {
	const void **rec;
	size_t n;
};

struct reg {
	struct reg_site *sites;
	struct reg_area *areas;
	struct reg_building *buildings;
	struct reg_device *devices;
	struct reg_skill *skills;
	struct reg_person *people;
	struct reg_shift *shifts;
	struct reg_roster *roster;
	struct reg_team *teams;
	size_t n_sites, n_areas, n_buildings, n_devices, n_skills, n_people, n_shifts, n_roster,
		n_teams;
	struct reg_idx ix_sites, ix_areas, ix_buildings, ix_devices, ix_skills, ix_people,
		ix_shifts, ix_teams;
	struct cfg_doc *docs[3]; /* owned when loaded by reg_load_dir */
	int no_sites;            /* site.yaml unreadable: its references go unchecked */
};

/* Builds and checks the registry from the parsed site, devices and people
 * documents (the nodes must outlive out). A NULL document is one that could
 * not be read (its error is already reported): it is skipped, and so are the
 * references into it, so the other files are still checked. Every problem is
 * added to errs as "file:line: message": bad or duplicate ids, unknown asset
 * types, roles, skills, areas, sites, buildings, shifts and people, a parent or
 * feeds naming a missing device, cycles in the tree or the supply graph, bad
 * dates and times, and a duty roster that leaves a gap in the day. Time-zone
 * names are checked for form only (see reg_check_timezones). Returns 0, or -1
 * when errors were added; out (zeroed, or holding only documents) is filled
 * either way and must be reg_free'd. Pure. */
int
reg_build(struct reg *out, const struct cfg_doc *sites, const struct cfg_doc *devices,
	  const struct cfg_doc *people, struct cfg_errs *errs);

/* Checks that every site's time zone exists under zoneinfo_dir (normally
 * /usr/share/zoneinfo). Returns 0 or -1 with errors added. */
int
reg_check_timezones(const struct reg *reg, const char *zoneinfo_dir, struct cfg_errs *errs);

/* Reads dir/site.yaml, dir/devices.yaml and dir/people.yaml, builds the
 * registry (out owns the documents) and checks the time zones. Returns 0, or
 * -1 with every error in errs (a file that cannot be parsed does not stop the
 * others from being checked); out must be reg_free'd either way. */
int
reg_load_dir(const char *dir, struct reg *out, struct cfg_errs *errs);

/* Frees everything out owns (including loaded documents); NULL is a no-op. */
void
reg_free(struct reg *reg);

/* Lookups by id; NULL when absent. Valid until reg_free. */
const struct reg_site *
reg_site_find(const struct reg *reg, const char *id);
const struct reg_area *
reg_area_find(const struct reg *reg, const char *id);
const struct reg_building *
reg_building_find(const struct reg *reg, const char *id);
const struct reg_device *
reg_device_find(const struct reg *reg, const char *id);
const struct reg_skill *
reg_skill_find(const struct reg *reg, const char *id);
const struct reg_person *
reg_person_find(const struct reg *reg, const char *id);
const struct reg_shift *
reg_shift_find(const struct reg *reg, const char *id);
const struct reg_team *
reg_team_find(const struct reg *reg, const char *id);

/* Index of name in a NULL-terminated list (reg_asset_types, reg_roles), or -1. */
int
reg_name_index(const char *const *names, const char *name);

/* 1 when id matches [A-Za-z0-9_-]{1,64}. */
int
reg_valid_id(const char *id);

/* Days since 1970-01-01 of a valid "YYYY-MM-DD" into *days; returns 0 or -1
 * for anything else (including 2023-02-29). Pure. */
int
reg_parse_date(const char *s, long *days);

/* 1 when the roster entry puts its person on its shift starting on local
 * date days (days since 1970-01-01). Pure. */
int
reg_roster_works_on(const struct reg_roster *r, long days);

#endif

/* who.c — notify lists to people: roles, teams and person ids resolved
 * against the registry, the duty roster read in the site's local time, and
 * the areas (片区) that tie a person to sites. who_build loads the zones (the
 * only I/O); the queries are pure and allocation-free. It never publishes. */
#include "who.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where the person ids go: stops at max, skips ids already written. */
struct who_out {
	char (*v)[REG_ID_SIZE];
	int n, max;
};

/* A moment as the roster sees it: local date (days since 1970-01-01) and
 * minute of that day. */
struct who_local {
	long day;
	int min;
	int valid;
};

int
who_build(struct who *w, const struct reg *reg, const char *zoneinfo_dir)
{
	const char *dir = zoneinfo_dir ? zoneinfo_dir : TU_ZONEINFO_DIR;
	int rc = 0;

	memset(w, 0, sizeof *w);
	w->reg = reg;
	w->n_zones = reg->n_sites;
	if (w->n_zones)
		w->zones = xcalloc(w->n_zones, sizeof *w->zones);
	for (size_t i = 0; i < reg->n_sites; i++) {
		const struct reg_site *s = &reg->sites[i];

		if (tu_tz_load_dir(dir, s->timezone, &w->zones[i]) == 0)
			continue;
		/* Rosters are in local time: UTC puts shifts hours off, but
		 * alarms still reach someone (the fallback covers gaps). */
		log_error("who_zone_missing",
			  "site=%s timezone=%s dir=%s fallback=UTC "
			  "reason=\"cannot load the time zone; roster times read as UTC\"",
			  s->id, s->timezone, dir);
		tu_tz_utc(&w->zones[i]);
		rc = -1;
	}
	return rc;
}

void
who_free(struct who *w)
{
	if (!w)
		return;
	free(w->zones);
	memset(w, 0, sizeof *w);
}

/* The zone of site, or NULL when the site is not in the registry. */
static const struct tu_zone *
site_zone(const struct who *w, const char *site)
{
	const struct reg_site *s = reg_site_find(w->reg, site);
	size_t i;

	if (!s)
		return NULL;
	i = (size_t)(s - w->reg->sites);
	return i < w->n_zones ? &w->zones[i] : NULL;
}

static struct who_local
local_now(const struct tu_zone *z, long long now_ms)
{
	struct who_local l = {0, 0, 0};
	struct tu_civil c;

	if (tu_utc_to_local(z, now_ms, &c) < 0)
		return l;
	l.day = (long)tu_days_from_civil(c.year, c.month, c.day);
	l.min = c.hour * 60 + c.min;
	l.valid = 1;
	return l;
}

/* A person with areas serves the sites of those areas; without, every site. */
static int
serves(const struct reg *reg, const struct reg_person *p, const char *site)
{
	if (p->areas.n == 0)
		return 1;
	for (size_t i = 0; i < p->areas.n; i++) {
		const struct reg_area *a = reg_area_find(reg, p->areas.v[i]);

		if (a && strcmp(a->site, site) == 0)
			return 1;
	}
	return 0;
}

/* The person if they may be notified at site at all, else NULL. */
static const struct reg_person *
eligible(const struct reg *reg, const char *person, const char *site)
{
	const struct reg_person *p = reg_person_find(reg, person);

	return p && p->active && serves(reg, p, site) ? p : NULL;
}

/* A shift that ends at or before its start runs past midnight, so the early
 * hours of day D belong to the roster bit of day D - 1. */
static int
entry_covers(const struct reg *reg, const struct reg_roster *r, struct who_local l)
{
	const struct reg_shift *s = reg_shift_find(reg, r->shift);

	if (!s || !l.valid)
		return 0;
	if (s->end_min > s->start_min)
		return reg_roster_works_on(r, l.day) && l.min >= s->start_min && l.min < s->end_min;
	return (reg_roster_works_on(r, l.day) && l.min >= s->start_min) ||
	       (reg_roster_works_on(r, l.day - 1) && l.min < s->end_min);
}

static int
rostered(const struct reg *reg, const char *person, struct who_local l)
{
	for (size_t i = 0; i < reg->n_roster; i++)
		if (strcmp(reg->roster[i].person, person) == 0 &&
		    entry_covers(reg, &reg->roster[i], l))
			return 1;
	return 0;
}

int
who_on_shift(const struct who *w, const char *site, const char *person, long long now_ms)
{
	const struct tu_zone *z = site_zone(w, site);

	if (!z || !eligible(w->reg, person, site))
		return 0;
	return rostered(w->reg, person, local_now(z, now_ms));
}

int
who_has_role(const struct who *w, const char *person, const char *role)
{
	const struct reg_person *p = reg_person_find(w->reg, person);

	return p && p->active && cfg_strlist_find(&p->roles, role) >= 0;
}

static void
out_add(struct who_out *o, const char *id)
{
	if (o->n >= o->max)
		return;
	for (int i = 0; i < o->n; i++)
		if (strcmp(o->v[i], id) == 0)
			return;
	snprintf(o->v[o->n++], REG_ID_SIZE, "%s", id);
}

/* Adds the people of site with role; with l valid, only those on shift.
 * Returns how many matched (before de-duplication and truncation). */
static int
add_role(const struct reg *reg, const char *site, const char *role, const struct who_local *l,
	 struct who_out *o)
{
	int found = 0;

	for (size_t i = 0; i < reg->n_people; i++) {
		const struct reg_person *p = &reg->people[i];

		if (!eligible(reg, p->id, site) || cfg_strlist_find(&p->roles, role) < 0)
			continue;
		if (l && !rostered(reg, p->id, *l))
			continue;
		out_add(o, p->id);
		found++;
	}
	return found;
}

int
who_resolve(const struct who *w, const char *site, const struct cfg_strlist *targets,
	    long long now_ms, char (*out)[REG_ID_SIZE], int max, int *fallback)
{
	const struct reg *reg = w->reg;
	const struct tu_zone *z = site_zone(w, site);
	struct who_out o = {out, 0, max};
	struct who_local l;

	if (fallback)
		*fallback = 0;
	if (!z)
		return -1;
	l = local_now(z, now_ms);
	for (size_t i = 0; i < targets->n; i++) {
		const char *t = targets->v[i];
		const struct reg_team *team;

		if (strcmp(t, WHO_DUTY_ROLE) == 0) {
			/* Nobody on shift must not mean nobody told: the
			 * whole duty post is, and the caller says why. */
			if (add_role(reg, site, t, &l, &o) == 0) {
				add_role(reg, site, t, NULL, &o);
				if (fallback)
					*fallback = 1;
			}
		} else if (reg_name_index(reg_roles, t) >= 0) {
			add_role(reg, site, t, NULL, &o);
		} else if ((team = reg_team_find(reg, t)) != NULL) {
			for (size_t k = 0; k < team->members.n; k++)
				if (eligible(reg, team->members.v[k], site))
					out_add(&o, team->members.v[k]);
		} else if (eligible(reg, t, site)) {
			out_add(&o, t);
		}
	}
	return o.n;
}

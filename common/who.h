/* who.h — who is to be notified now: a notify list of role names, team ids
 * and person ids turned into person ids along the duty roster, in each site's
 * local time. Built once per registry (loading the sites' time zones is its
 * only I/O); every query afterwards is pure: now_ms comes in, no clock, no
 * allocation. It never publishes and never decides when to notify. */
#ifndef FM_WHO_H
#define FM_WHO_H

#include "registry.h"
#include "timeutil.h"

#include <stddef.h>

/* The role whose members are taken from the roster rather than all at once. */
#define WHO_DUTY_ROLE "duty_engineer"

struct who {
	const struct reg *reg; /* borrowed: must outlive the struct who */
	struct tu_zone *zones; /* one per reg->sites[i], same order; owned */
	size_t n_zones;
};

/* Loads the time zone of every site of reg from zoneinfo_dir (NULL:
 * TU_ZONEINFO_DIR). A zone that cannot be loaded is logged and replaced by
 * UTC, so w is usable either way. Returns 0, or -1 when some site fell back
 * to UTC. who_free(w) releases; w must be who_free'd in both cases. I/O. */
int
who_build(struct who *w, const struct reg *reg, const char *zoneinfo_dir);

/* Frees what w owns; a zeroed w and NULL are no-ops. */
void
who_free(struct who *w);

/* The people to notify at site now for targets (role names, team ids, person
 * ids as rcf_build checked them), written to out[0..max): de-duplicated, in
 * the order of the targets (within a role or a team: registry order).
 *   - WHO_DUTY_ROLE: the active duty engineers of the site on shift now; when
 *     nobody is (a gap in the roster), every active duty engineer of the site
 *     and *fallback = 1 (else 0; fallback may be NULL) so the caller logs it.
 *   - another role: every active person of the site with it.
 *   - a team id: its active members of the site. A person id: that person if
 *     active and of the site.
 * "Of the site": a person with areas serves the sites of those areas, one
 * without areas serves every site. Unknown names are skipped. Returns the
 * number written (at most max), or -1 for a site that is not in the registry
 * (nothing written). Pure. */
int
who_resolve(const struct who *w, const char *site, const struct cfg_strlist *targets,
	    long long now_ms, char (*out)[REG_ID_SIZE], int max, int *fallback);

/* 1 when person is active, serves site and a roster entry puts them on a
 * shift covering now_ms in the site's local time (a shift crossing midnight
 * counts from the roster day it started on); else 0. Pure. */
int
who_on_shift(const struct who *w, const char *site, const char *person, long long now_ms);

/* 1 when person exists, is active and has role; else 0. Pure. */
int
who_has_role(const struct who *w, const char *person, const char *role);

#endif

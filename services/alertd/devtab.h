/* devtab.h — the devices as alertd's engine keeps them: id, site, asset type,
 * name and the devices each one feeds. A registry device record carries ~1.4
 * KB of ledger text alertd never reads; for 10,000 devices that would be most
 * of alertd's memory, so alertd reads this table instead (conf_db_load) and
 * tests build it from a registry. Strings are owned by the table. */
#ifndef FM_ALERTD_DEVTAB_H
#define FM_ALERTD_DEVTAB_H

#include "registry.h"

#include <stddef.h>

struct devtab_dev {
	char *id, *site, *name;
	int type;     /* index into reg_asset_types */
	char **feeds; /* device ids this one supplies */
	int n_feeds;
};

struct devtab {
	struct devtab_dev *v;
	size_t n, cap;
};

/* Appends a device; its strings are copied. Returns its index, or -1 on
 * out-of-memory. */
long
devtab_add(struct devtab *t, const char *id, const char *site, int type, const char *name);
/* Records that device i feeds device id. 0 or -1 (out of memory). */
int
devtab_add_feed(struct devtab *t, size_t i, const char *id);
/* The registry's devices. 0 or -1 (out of memory, t freed). */
int
devtab_from_reg(struct devtab *t, const struct reg *reg);
/* Frees everything; a zeroed table is empty. */
void
devtab_free(struct devtab *t);

#endif

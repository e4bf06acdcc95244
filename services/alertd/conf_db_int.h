/* conf_db_int.h — alertd's own table readers, on top of common/cdb.h: the
 * rules (conf_db_rules.c) and the compact device table (conf_db_devtab.c). */
#ifndef FM_ALERTD_CONF_DB_INT_H
#define FM_ALERTD_CONF_DB_INT_H

#include "cdb.h"
#include "rules_conf.h"

/* The rules table into set (zeroed by the caller). 0 or -1; set is
 * rcf_free'able either way. */
int
cdb_load_rules(struct cdb *c, struct rcf_set *set);

/* The devices and feeds into t (zeroed by the caller). */
struct devtab;
int
cdb_load_devtab(struct cdb *c, struct devtab *t);

#endif

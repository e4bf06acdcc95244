/* conf_db.h — alertd's configuration as `fmctl apply` stored it in PostgreSQL
 * (schemas/sql/001_registry.sql, 007_rules.sql): the registry and the alarm
 * rules, read in one consistent snapshot at start and on SIGHUP. alertd never
 * reads the YAML files of config/; the database is where a configuration is applied. */
#ifndef FM_ALERTD_CONF_DB_H
#define FM_ALERTD_CONF_DB_H

#include "registry.h"
#include "rules_conf.h"

#include <stddef.h>

struct db;
struct devtab;

/* Reads the registry into reg and the rules into rules, both zeroed first,
 * in one read-only REPEATABLE READ transaction (connecting db when it is
 * not connected). What a reader of the YAML gets, the same here: every
 * reg_*_find, rcf_find, rcf_effective, rcf_applies_to and rule_index_build
 * work unchanged. What differs: every node is NULL (no file:line), devices
 * have no params, records are in id order (rules by id, each rule's
 * overrides by device) rather than file order, and fields a rule's kind does
 * not have are 0 rather than the YAML defaults.
 * With devs non-NULL the devices and their feeds go there (devtab.h: what
 * alertd's engine keeps) and reg has none; with NULL they are in reg.
 * Returns 0, the caller then owning reg (reg_free), rules (rcf_free) and
 * devs (devtab_free); or
 * -1 with a one-line reason in err (errcap > 0 bytes): the server is down, a
 * query failed, or a row holds something this build cannot take (an unknown
 * asset type, an over-long name, too many escalation steps), and reg and
 * rules are left zeroed with nothing to free. */
int
conf_db_load(struct db *db, struct reg *reg, struct devtab *devs, struct rcf_set *rules, char *err,
	     size_t errcap);

#endif

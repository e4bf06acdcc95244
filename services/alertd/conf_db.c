/* conf_db.c — loading alertd's configuration from PostgreSQL: the registry
 * (common/cdb_reg.c), the compact device table (conf_db_devtab.c) and the
 * rules (conf_db_rules.c) in one read-only snapshot. */
#include "alertd/conf_db.h"
#include "alertd/conf_db_int.h"
#include "alertd/devtab.h"
#include "db.h"

#include <string.h>

/* ---- the load ------------------------------------------------------------------ */

int
conf_db_load(struct db *db, struct reg *reg, struct devtab *devs, struct rcf_set *rules, char *err,
	     size_t errcap)
{
	struct cdb c = {db, err, errcap};
	int rc = -1;

	memset(reg, 0, sizeof *reg);
	memset(rules, 0, sizeof *rules);
	if (devs)
		memset(devs, 0, sizeof *devs);
	err[0] = '\0';
	if (db_connect(db) != DB_OK)
		return cdb_fail(&c, "cannot connect: %s", db_error(db));
	if (db_begin(db) != DB_OK)
		return cdb_fail(&c, "begin: %s", db_error(db));
	if (cdb_query(&c, "snapshot", CDB_SNAPSHOT, NULL) == 0 &&
	    cdb_load_reg(&c, reg, !devs) == 0 && (!devs || cdb_load_devtab(&c, devs) == 0) &&
	    cdb_load_rules(&c, rules) == 0)
		rc = db_commit(db) == DB_OK ? 0 : cdb_fail(&c, "commit: %s", db_error(db));
	if (rc == 0)
		return 0;
	/* Read-only: nothing to undo but the open transaction. */
	db_rollback(db);
	reg_free(reg);
	rcf_free(rules);
	if (devs)
		devtab_free(devs);
	return -1;
}

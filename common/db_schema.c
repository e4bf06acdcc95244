/* db_schema.c — the schema version check every daemon runs at start, on the
 * public db.h API only (no libpq here). Daemons run no DDL: they read
 * schema_migrations, which `fmctl migrate` maintains, and refuse an older
 * schema. */
#include "db.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

int
db_schema_version(struct db *db)
{
	struct db_res *r = NULL;
	const char *v;
	int version = -1;

	/* A database never migrated has no table: that is version 0, not an
	 * error (and asking first keeps a caller's transaction intact). */
	if (db_exec(db, "SELECT to_regclass('schema_migrations') IS NOT NULL", 0, NULL, &r) !=
	    DB_OK)
		return -1;
	v = db_res_get(r, 0, 0);
	if (v && strcmp(v, "f") == 0)
		version = 0;
	db_res_free(r);
	if (version == 0 || !v)
		return version;
	if (db_exec(db, "SELECT coalesce(max(version), 0) FROM schema_migrations", 0, NULL, &r) !=
	    DB_OK)
		return -1;
	v = db_res_get(r, 0, 0);
	version = v ? atoi(v) : -1;
	db_res_free(r);
	return version;
}

int
db_require_schema(struct db *db, int min_version)
{
	int v = db_schema_version(db);

	if (v < 0) {
		log_error("db_schema_unknown", "err=\"%s\"", db_error(db));
		return -1;
	}
	if (v < min_version) {
		log_error("db_schema_too_old", "version=%d need=%d hint=\"run fmctl migrate\"", v,
			  min_version);
		return -1;
	}
	return 0;
}

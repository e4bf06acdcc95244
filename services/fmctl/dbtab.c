/* dbtab.c — a query's rows into a table. The only place where a view
 * command's rows cross from db_res (common/db) into the formatter. */
#include "dbtab.h"

#include "db.h"

#include <stdio.h>
#include <stdlib.h>

int
dbtab_query(struct fconn *c, const char *sql, int nparams, const char *const *params,
	    struct table *t)
{
	struct db_res *r = NULL;
	const char **row = NULL;
	int rc, ncols;

	if ((rc = fconn_db(c)) != FMCTL_OK)
		return rc;
	if (db_exec(c->db, sql, nparams, params, &r) != DB_OK) {
		fprintf(stderr, "fmctl: query failed: %s\n", db_error(c->db));
		return FMCTL_FINDING;
	}
	ncols = db_res_cols(r);
	row = calloc((size_t)ncols + 1, sizeof *row);
	rc = row ? FMCTL_OK : FMCTL_FINDING;
	for (size_t i = 0; rc == FMCTL_OK && i < db_res_rows(r); i++) {
		for (int k = 0; k < ncols; k++)
			row[k] = db_res_get(r, i, k);
		if (table_add(t, row) < 0)
			rc = FMCTL_FINDING;
	}
	free(row);
	db_res_free(r);
	return rc;
}

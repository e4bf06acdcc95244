/* dbtab.h — a query's rows into a table (table.h): the bridge between the
 * database views of fmctl and the formatter, so a listing command is its
 * columns, its SQL and its filters. Parameterised statements only. Times
 * are shown as date_trunc('second', col): ISO date and time with the UTC
 * offset in the session's time zone (fconn_db sets DateStyle ISO; PGTZ
 * chooses the zone). */
#ifndef FM_FMCTL_DBTAB_H
#define FM_FMCTL_DBTAB_H

#include "conn.h"
#include "table.h"

/* Runs sql with nparams text parameters (NULL entries are SQL NULL) on c's
 * database (connecting first) and appends every row to t, whose columns
 * must be the query's, in order. FMCTL_OK, FMCTL_UNAVAILABLE, or
 * FMCTL_FINDING when the query failed (the server's message printed). */
int
dbtab_query(struct fconn *c, const char *sql, int nparams, const char *const *params,
	    struct table *t);

#endif

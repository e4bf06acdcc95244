/* sla_db.h — sla.yaml as `fmctl apply` stored it in PostgreSQL (011:
 * sla_clocks, sla_settings, sla_escalation), read by dispatchd at start
 * into the same model sla_build makes from the file. Nothing here decides
 * anything. */
#ifndef FM_DISPATCHD_SLA_DB_H
#define FM_DISPATCHD_SLA_DB_H

#include "sla_conf.h"

#include <stddef.h>

struct db;

/* Reads the three tables into out (zeroed first). Returns 0, the caller
 * then owning out (sla_free); or -1 with a one-line reason in err: the
 * server is down, a query failed, sla.yaml was never applied, or a row this
 * build cannot take. out is sla_free'able either way. */
int
sla_db_load(struct db *db, struct sla_conf *out, char *err, size_t errcap);

/* Splits a PostgreSQL text[] of identifiers ({a,b,c}: no quoting needed)
 * into out (empty on entry). Returns 0, or -1 for anything else (quoted or
 * NULL elements, nesting), out then empty. */
int
sla_db_split(const char *text, struct cfg_strlist *out);

#endif

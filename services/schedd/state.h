/* state.h — schedd's pm_state rows: restored into the instances at start
 * (and on reload, before the running state is carried over), written back
 * by one upsert per instance. The upsert is prepared once; a failure leaves
 * the instance dirty, and the caller retries it later. */
#ifndef FM_SCHEDD_STATE_H
#define FM_SCHEDD_STATE_H

#include "schedd/conf_db.h"

struct db;

/* Prepares the upsert on db (at most once per db). 0 or -1. */
int
state_prepare(struct db *db);

/* Every pm_state row of a known instance into c (inside the caller's
 * snapshot). Rows of plans or devices no longer configured are ignored.
 * 0, or -1 with the reason in err. */
int
state_restore(struct db *db, struct sched_conf *c, char *err, size_t errcap);

/* Writes one instance's row. DB_OK, DB_RETRY or DB_FAIL (db.h). */
int
state_write(struct db *db, const struct sched_conf *c, const struct sched_inst *in);

#endif

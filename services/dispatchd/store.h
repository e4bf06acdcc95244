/* store.h — dispatchd's rows in PostgreSQL (005 and 011): work_orders is
 * the source of truth, wo_events the audit of every transition. Each write
 * is one transaction: an order's row with its events (and the site's
 * rotation counter when a dispatch moved it). Open orders are read back
 * whole at start, so clocks and assignments carry on after a crash. Every
 * statement is prepared; nothing here decides anything. */
#ifndef FM_DISPATCHD_STORE_H
#define FM_DISPATCHD_STORE_H

#include "dispatchd/main_int.h"

/* One wo_events row. detail: a JSON object, or NULL for {}. */
struct store_ev {
	const char *transition;
	const char *from, *to; /* from NULL: 'created' */
	const char *actor;
	const char *detail;
	long long ts_ms;
};

/* What an intake adds to the row beside the order itself. */
struct store_new {
	const char *description, *reporter; /* NULL: none */
	long long due_at_ms;                /* 0: none */
	long long missed;                   /* occurrences a downtime skipped */
};

/* Registers the statements (prepared again on every reconnect). 0 / -1. */
int
store_prepare(struct db *db);

/* Calls fn for every order that is neither closed nor cancelled. DB_OK,
 * DB_RETRY or DB_FAIL (also when fn returned -1). */
int
store_load_open(struct db *db, int (*fn)(void *ctx, const struct dorder *o), void *ctx);

/* Inserts o with its 'created' event. When o->key is taken already,
 * nothing is written and *dup is 1. DB_OK, DB_RETRY or DB_FAIL. */
int
store_insert(struct db *db, const struct dorder *o, const struct store_new *n, int *dup);

/* Updates o's row (due instants from st) and appends the
 * events; rot_site non-NULL also stores the site's rotation counter. */
int
store_save(struct db *db, const struct dorder *o, const struct sla_status *st,
	   const struct store_ev *ev, int n_ev, const char *rot_site, unsigned rot);

/* The latest order on device of kind completed at or after since_ms, other
 * than self, into out (REG_ID_SIZE bytes; "" when none). */
int
store_repeat_of(struct db *db, const char *device, const char *kind, long long since_ms,
		const char *self, char *out);

/* The rotation counter of site (0 when it has none yet). */
int
store_rotation(struct db *db, const char *site, unsigned *out);

#endif

/* watchtab.h — what `fmctl watch` shows: the open alarms and work orders,
 * kept from their retained topics (fm/v1/{site}/alarm/{id} and
 * fm/v1/{site}/wo/{id}; an empty payload means closed) and rendered as one
 * table, alarms first by severity, then orders by priority. Pure: the
 * caller feeds messages and the clock. */
#ifndef FM_FMCTL_WATCHTAB_H
#define FM_FMCTL_WATCHTAB_H

#include "table.h"

#include <stddef.h>

struct msg_flat;

struct wtab_item {
	char topic[256];
	int is_alarm;       /* else a work order */
	struct msg_flat *f; /* the retained state, flattened */
};

struct wtab {
	struct wtab_item *items;
	int n, cap;
	unsigned long long bad; /* payloads that were not JSON objects */
};

enum wtab_change {
	WTAB_NONE, /* not an alarm or work-order topic, or nothing changed */
	WTAB_SET,  /* added or updated */
	WTAB_GONE, /* closed: emptied, or a state that is no longer open */
	WTAB_BAD,  /* not a JSON object: counted in bad, ignored */
};

#define WTAB_NCOLS 12
#define WTAB_BUF 72 /* bytes of one cell's text in wtab_row's bufs */
/* type site id sev device what state acked assignee age due message */
extern const struct table_col wtab_cols[WTAB_NCOLS];

/* Zero-initialised is empty. wtab_free releases everything. */
void
wtab_free(struct wtab *w);

/* Applies one retained state. *index: the item changed (-1 when gone). */
enum wtab_change
wtab_update(struct wtab *w, const char *topic, const char *payload, size_t len, int *index);

/* Appends every item to t (columns wtab_cols), sorted, each alarm styled
 * with its severity. now_ms: UTC, for the ages and the time left. 0, or -1
 * out of memory. */
int
wtab_render(const struct wtab *w, long long now_ms, struct table *t);

/* One item's row values: borrowed from the item and from bufs
 * (WTAB_NCOLS of WTAB_BUF bytes), valid while both are. */
void
wtab_row(const struct wtab_item *it, long long now_ms, const char *row[WTAB_NCOLS],
	 char bufs[][WTAB_BUF]);

/* "45s", "12m", "3h05m", "2d04h"; negative durations get a leading "-". */
void
wtab_fmt_dur(long long ms, char *buf, size_t cap);

#endif

/* due_int.h — what due.c shares with due_instant.c (sub-day plans): date
 * checks, local instants, key parts. The rest of schedd uses due.h. */
#ifndef FM_SCHEDD_DUE_INT_H
#define FM_SCHEDD_DUE_INT_H

#include "schedd/due.h"

/* 1 when d is a date of years 0..9999. */
int
due_date_valid(const struct due_date *d);

/* The instant of local time sec_of_day on date d in zone z (a gap moves it
 * later, an overlap takes the earlier). 0 or -1. */
int
due_local_instant(const struct tu_zone *z, const struct due_date *d, int sec_of_day, long long *ms);

/* 1 when id may be a part of a key: not empty, no ':'. */
int
due_id_ok(const char *id);

/* A fixed plan's grid: with occurrences 0..covered covered (by a completion
 * or a request) and k_now the latest whose request time has come, the state
 * and missed count into out; returns the index of the occurrence. */
long long
due_grid_pick(long long covered, long long k_now, int has_history, struct due_result *out);

/* "plan:device:when" into buf; its length, or -1 (buf "" if cap > 0) when
 * an id is not a key part, when is NULL, or it does not fit. */
int
due_key_join(char *buf, size_t cap, const char *plan, const char *device, const char *when);

/* n decimal digits at s into *out. 0, or -1 for a non-digit. */
int
due_digits(const char *s, int n, int *out);

/* due_instant.c, for valid plans with a sub-day unit: whether the
 * history's instants and now_ms are in range, then due_next of a fixed or a
 * floating plan (out zeroed by the caller). */
int
due_instant_history_valid(const struct due_history *h, long long now_ms);
int
due_instant_fixed(const struct due_plan *p, const struct tu_zone *z, const struct due_history *h,
		  long long now_ms, struct due_result *out);
int
due_instant_floating(const struct due_plan *p, const struct tu_zone *z, const struct due_history *h,
		     long long now_ms, struct due_result *out);

#endif

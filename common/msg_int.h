/* msg_int.h — helpers shared by the msg_*.c files only; not part of the msg
 * API and free of any JSON-library type. */
#ifndef FM_MSG_INT_H
#define FM_MSG_INT_H

/* Significant digits (1..17) to print v with: the fewest that read back as
 * the same double, but at least its integer digits (up to 17) so that 100
 * prints as 100.0, not 1e2. Chooses JSON_REAL_PRECISION for a dump. */
int
msg_real_digits(double v);

/* 1 if s is a NUL-terminated [a-z0-9_]{1,64}: metric, event, detail key. */
int
msg_name_valid(const char *s);

/* 1 if s is a NUL-terminated [A-Za-z0-9_-]{1,64}: the identifiers that are
 * also topic levels (site, device, alarm_id, person, wo_id). The same rule as
 * topic_id_valid, kept here so that msg does not depend on topic. */
int
msg_id_valid(const char *s);

#endif

/* msg_int.h — helpers shared by msg_decode.c and msg_encode.c only; not part
 * of the msg API and free of any JSON-library type. */
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

#endif

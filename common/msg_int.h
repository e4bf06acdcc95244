/* msg_int.h — helpers shared by the msg_*.c files only; not part of the msg
 * API. The JSON tree appears only as the opaque struct json_t (jansson's
 * json_t), so that this header need not include the library's. */
#ifndef FM_MSG_INT_H
#define FM_MSG_INT_H

#include <stddef.h>

#include "msg.h"

struct json_t;

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

/* 1 if s is an idempotency key: [A-Za-z0-9_:.-]{1,MSG_KEY_MAX}. */
int
msg_key_valid(const char *s);

/* 1 if s is a work-order state: [a-z_]{1,MSG_WO_STATE_MAX}. */
int
msg_wo_state_valid(const char *s);

/* Wire names of the work-order enums, indexed by their values. */
extern const char *const msg_wo_source_names[MSG_WO_SRC_COUNT];
extern const char *const msg_wo_kind_names[MSG_WO_KIND_COUNT];
extern const char *const msg_wo_priority_names[MSG_WO_PRIO_COUNT];

/* The index of s in names[0..n-1], or -1. */
int
msg_name_index(const char *const *names, int n, const char *s);

/* ---- Decoding helpers (msg_parse.c) ----------------------------------
 * Each returns MSG_OK or the reason to report; the tree stays the caller's. */

/* lim, or the defaults with both time checks off when lim is NULL. */
const struct msg_limits *
msg_limits_or_default(const struct msg_limits *lim);

/* Parses len bytes into an object: empty, too large, every JSON error by
 * name, not_object. On MSG_OK the caller owns *root (json_decref). */
enum msg_reason
msg_load_object(const char *buf, size_t len, const struct msg_limits *lim, struct json_t **root);

/* unknown_field unless every key of root is in the NULL-terminated list. */
enum msg_reason
msg_check_fields(struct json_t *root, const char *const *allowed);

/* An optional identity field: absent is fine, a non-string is
 * identity_type, a value other than expect (unless NULL) identity_mismatch. */
enum msg_reason
msg_check_identity(struct json_t *root, const char *key, const char *expect);

/* A non-negative integer field; missing is the reason when absent (MSG_OK
 * for an optional field, leaving *present 0). */
enum msg_reason
msg_read_count(struct json_t *root, const char *key, enum msg_reason missing, enum msg_reason type,
	       enum msg_reason negative, long long *v, int *present);

/* ts_future / ts_too_old per the limits. */
enum msg_reason
msg_check_ts(const struct msg_limits *lim, long long ts_ms);

/* An optional "ts": type, sign, then msg_check_ts. */
enum msg_reason
msg_read_ts(struct json_t *root, const struct msg_limits *lim, long long *ts_ms, int *has_ts);

/* A required string field: missing / not a string. *out is borrowed from
 * the tree. */
enum msg_reason
msg_read_string(struct json_t *root, const char *key, enum msg_reason missing, enum msg_reason type,
		const char **out);

/* A string field that may be absent or null (out becomes ""), else must pass
 * valid() and fit in cap bytes with its NUL. */
enum msg_reason
msg_read_opt_word(struct json_t *root, const char *key, int (*valid)(const char *),
		  enum msg_reason type, enum msg_reason value, char *out, size_t cap);

/* ---- Encoding helpers (msg_encode.c) --------------------------------- */

/* Writes "" into buf if cap > 0; returns -1. */
int
msg_reject(char *buf, size_t cap);

/* Dumps root into buf and frees it. digits: JSON_REAL_PRECISION for every
 * real in the tree (the largest any of them needs). failed: a set_new or a
 * constructor failed while building (out of memory, bad UTF-8). Returns the
 * length, or msg_reject's -1. */
int
msg_finish(struct json_t *root, int failed, int digits, char *buf, size_t cap);

/* json_object_set_new that also accepts a NULL obj or value (a failed
 * constructor) and reports it as 1; the value is freed in every case. */
int
msg_put(struct json_t *obj, const char *key, struct json_t *v);

/* A new string, or a JSON null for NULL; NULL if s is not UTF-8. */
struct json_t *
msg_string_or_null(const char *s);

#endif

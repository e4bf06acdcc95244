/* msg_ops.h — what a person's tool (fmctl) sends and reads. Encoders of the
 * commands people publish on fm/v1/{site}/ops/{person}/{verb} (ack, shelve,
 * wo, request, followup), each checked by decoding its own output with the
 * daemons' decoder, so fmctl never sends what a daemon would refuse as
 * malformed; and a lenient reader that flattens any JSON object (a retained
 * alarm or work order, a notification, a stats message) into key/value text
 * for display. Pure: no I/O, no clock; thread-safe. */
#ifndef FM_MSG_OPS_H
#define FM_MSG_OPS_H

#include "msg.h"
#include "msg_wo.h"

#include <stddef.h>

/* Each encoder writes compact JSON and a NUL into buf (cap bytes) and
 * returns its length without the NUL, or -1 (buf "" if cap > 0) when the
 * input would not decode with the daemons' decoder or does not fit. */

/* ack: {"alarm_id","note"?,"ts"?}; shelve adds "duration_s". note is written
 * when has_note, ts when has_ts. */
int
msg_encode_command(const struct msg_command *c, char *buf, size_t cap);

/* {"wo_id","action","reason"?,"note"?,"ts"?}: reason and note when not "".
 * detail_json is not read (checklists and readings are not written). */
int
msg_encode_wo_command(const struct msg_wo_command *c, char *buf, size_t cap);

/* {"request_id"?,"device"?,"location"?,"category","urgency","grade"?,
 * "skill"?,"description","contact","ts"?}: the optional strings when not "",
 * grade when >= 0 (0 major, 1 urgent, 2 general). */
int
msg_encode_repair_request(const struct msg_repair_request *r, char *buf, size_t cap);

/* {"wo_id","score","note"?,"ts"?}: note when not "". detail_json is not read. */
int
msg_encode_followup(const struct msg_followup *f, char *buf, size_t cap);

/* ---- Flattening reader ---------------------------------------------- */

#define MSG_FLAT_MAX 128       /* fields kept; more set truncated */
#define MSG_FLAT_KEY_MAX 96    /* bytes of a dotted key, without the NUL */
#define MSG_FLAT_VALUE_MAX 512 /* bytes of a value's text, without the NUL */
#define MSG_FLAT_DEPTH 4       /* object nesting followed; deeper is kept as JSON */

enum msg_flat_type { MSG_FLAT_NULL, MSG_FLAT_STRING, MSG_FLAT_NUMBER, MSG_FLAT_BOOL };

struct msg_flat_field {
	char key[MSG_FLAT_KEY_MAX + 1];     /* "state", "counters.received", "due.accept" */
	char value[MSG_FLAT_VALUE_MAX + 1]; /* "" for null; "true"/"false"; the number's text */
	enum msg_flat_type type;
};

/* In the payload's key order. Large (about 78 KiB): allocate it. */
struct msg_flat {
	int n;
	int truncated; /* a field, key or value did not fit and was cut or left out */
	struct msg_flat_field f[MSG_FLAT_MAX];
};

/* Flattens a JSON object: nested objects become dotted keys; an array of
 * strings, numbers or booleans becomes its items joined with ","; any other
 * array (and objects past MSG_FLAT_DEPTH) is kept as compact JSON text. A
 * value too long is cut at a UTF-8 boundary. lim NULL: the default size
 * limit. MSG_OK with *out filled; else the envelope reason (empty,
 * bad_json, duplicate_key, not_object, ...) and out->n 0. */
enum msg_reason
msg_flat_decode(const char *buf, size_t len, const struct msg_limits *lim, struct msg_flat *out);

/* The value text of key, or NULL when absent or null. */
const char *
msg_flat_get(const struct msg_flat *f, const char *key);

#endif

/* msg_stats.c — reading one counter of a daemon's retained stats, for a
 * daemon that watches another (alertd raises an alarm when ingestd's spool
 * can take no more). */
#include "msg.h"
#include "msg_int.h"

#include <jansson.h>
#include <string.h>

enum msg_reason
msg_decode_stats_counter(const char *buf, size_t len, const struct msg_limits *lim,
			 const char *expect_daemon, const char *expect_instance,
			 const char *counter, struct msg_stats_counter *out)
{
	json_t *root = NULL, *counters, *v;
	enum msg_reason r;

	memset(out, 0, sizeof *out);
	lim = msg_limits_or_default(lim);
	r = msg_load_object(buf, len, lim, &root);
	if (r == MSG_OK)
		r = msg_check_identity(root, "daemon", expect_daemon);
	if (r == MSG_OK)
		r = msg_check_identity(root, "instance", expect_instance);
	if (r == MSG_OK)
		r = msg_read_ts(root, lim, &out->ts_ms, &out->has_ts);
	if (r == MSG_OK) {
		counters = json_object_get(root, "counters");
		if (!counters)
			r = MSG_ERR_COUNTERS_MISSING;
		else if (!json_is_object(counters))
			r = MSG_ERR_COUNTERS_TYPE;
		else if ((v = json_object_get(counters, counter)) != NULL && !json_is_integer(v))
			r = MSG_ERR_COUNTER_TYPE;
		else if (v) {
			out->value = json_integer_value(v);
			out->has_value = 1;
		}
	}
	json_decref(root);
	if (r != MSG_OK)
		memset(out, 0, sizeof *out);
	return r;
}

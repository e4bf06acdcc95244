/* loadmsg.h — what the load generator publishes: device ids
 * (<prefix>NNNNNN), the share of devices and messages of each connection,
 * and the telemetry payload, encoded by hand into the caller's buffer
 * because msg_encode_telemetry (a JSON tree per message) is far too slow to
 * saturate a broker. Pure: no I/O, no clock, no allocation. */
#ifndef FMSIM_LOADMSG_H
#define FMSIM_LOADMSG_H

#include <stddef.h>

#define LOADMSG_DEVICES_MAX 999999 /* six digits in the id */
#define LOADMSG_PREFIX_MAX 58      /* so that prefix + 6 digits fit in 64 */
#define LOADMSG_METRICS_MAX 256    /* as MSG_METRICS_MAX */
/* Enough for LOADMSG_METRICS_MAX metrics: {"seq":..,"ts":..,"metrics":{..}} */
#define LOADMSG_PAYLOAD_MAX 8192

/* 1 when prefix is [A-Za-z0-9_-]{1,LOADMSG_PREFIX_MAX}, else 0. */
int
loadmsg_prefix_valid(const char *prefix);

/* The id of device index (0-based): prefix then index + 1 in six digits,
 * "ld000001" for ("ld", 0). Returns its length, or -1 when the prefix is not
 * valid, index is outside 0..LOADMSG_DEVICES_MAX-1 or cap is too small. */
int
loadmsg_device_id(char *buf, size_t cap, const char *prefix, long long index);

/* Splits n items into parts shares as evenly as possible (the first
 * n % parts shares get one more) and gives share k: its first item and
 * count. Used for devices per connection and messages per connection. */
void
loadmsg_share(long long n, int parts, int k, long long *first, long long *count);

/* The name of metric i: "m00", "m01" ... "m255". Returns its length, or -1
 * when i is outside 0..LOADMSG_METRICS_MAX-1 or cap is too small. */
int
loadmsg_metric_name(char *buf, size_t cap, int i);

/* The value of metric i in message seq of device dev, in tenths: a
 * deterministic 0..99999, so a retry carries the same payload and a test can
 * recompute it. The payload shows it as a decimal with one fraction digit. */
long long
loadmsg_value_tenths(long long dev, long long seq, int i);

/* Writes {"seq":S,"ts":T,"metrics":{"m00":V,...}} with n_metrics metrics
 * and a NUL into buf. Returns the length without the NUL, or -1 when seq or
 * ts_ms is negative, n_metrics is outside 1..LOADMSG_METRICS_MAX, or it does
 * not fit (LOADMSG_PAYLOAD_MAX always does). */
int
loadmsg_encode(char *buf, size_t cap, long long dev, long long seq, long long ts_ms, int n_metrics);

#endif

/* loadmsg.c — device ids, shares and the telemetry payload of loadmsg.h.
 * The encoder writes digits itself: snprintf per field would cost more
 * than the publish. Everything it writes is a valid telemetry message
 * (tests/unit/test_fmsim_loadmsg.c decodes it with msg_decode_telemetry). */
#include "loadmsg.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int
loadmsg_prefix_valid(const char *prefix)
{
	size_t n = prefix ? strlen(prefix) : 0;

	if (n == 0 || n > LOADMSG_PREFIX_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)prefix[i]) && prefix[i] != '_' && prefix[i] != '-')
			return 0;
	return 1;
}

int
loadmsg_device_id(char *buf, size_t cap, const char *prefix, long long index)
{
	int n;

	if (!loadmsg_prefix_valid(prefix) || index < 0 || index >= LOADMSG_DEVICES_MAX)
		return -1;
	n = snprintf(buf, cap, "%s%06lld", prefix, index + 1);
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

void
loadmsg_share(long long n, int parts, int k, long long *first, long long *count)
{
	long long base, extra;

	if (parts < 1 || k < 0 || k >= parts || n < 0) {
		*first = 0;
		*count = 0;
		return;
	}
	base = n / parts;
	extra = n % parts;
	*count = base + (k < extra ? 1 : 0);
	*first = base * k + (k < extra ? k : extra);
}

int
loadmsg_metric_name(char *buf, size_t cap, int i)
{
	int n;

	if (i < 0 || i >= LOADMSG_METRICS_MAX)
		return -1;
	n = snprintf(buf, cap, "m%02d", i);
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

long long
loadmsg_value_tenths(long long dev, long long seq, int i)
{
	unsigned long long h = (unsigned long long)dev * 7919u + (unsigned long long)seq * 31u +
			       (unsigned long long)i * 131u;

	return (long long)(h % 100000u);
}

/* Appends the decimal digits of v >= 0 at p; returns the new end. */
static char *
put_uint(char *p, unsigned long long v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *
put_str(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* Longest text of one metric: ,"m255":9999.9 */
#define METRIC_TEXT_MAX 16
/* Longest text around the metrics: {"seq":<19>,"ts":<19>,"metrics":{ and }} */
#define FRAME_TEXT_MAX 72

int
loadmsg_encode(char *buf, size_t cap, long long dev, long long seq, long long ts_ms, int n_metrics)
{
	char *p = buf;

	if (seq < 0 || ts_ms < 0 || n_metrics < 1 || n_metrics > LOADMSG_METRICS_MAX)
		return -1;
	if (cap < FRAME_TEXT_MAX + (size_t)n_metrics * METRIC_TEXT_MAX + 1) {
		if (cap > 0)
			buf[0] = '\0';
		return -1;
	}
	p = put_str(p, "{\"seq\":", 7);
	p = put_uint(p, (unsigned long long)seq);
	p = put_str(p, ",\"ts\":", 6);
	p = put_uint(p, (unsigned long long)ts_ms);
	p = put_str(p, ",\"metrics\":{", 12);
	for (int i = 0; i < n_metrics; i++) {
		long long v = loadmsg_value_tenths(dev, seq, i);

		if (i > 0)
			*p++ = ',';
		*p++ = '"';
		*p++ = 'm';
		if (i < 10)
			*p++ = '0';
		p = put_uint(p, (unsigned long long)i);
		*p++ = '"';
		*p++ = ':';
		p = put_uint(p, (unsigned long long)(v / 10));
		*p++ = '.';
		*p++ = (char)('0' + v % 10);
	}
	p = put_str(p, "}}", 2);
	*p = '\0';
	return (int)(p - buf);
}

/* mqtt_wire.c — the MQTT 5 PUBLISH reader behind mqtt_wire.h. Every length
 * is checked against the bytes present: the input may be a file that a
 * killed process left half written. */
#include "mqtt_wire.h"

#include <string.h>

/* A Variable Byte Integer (MQTT 5, 1.5.5): at most 4 bytes. Returns the
 * bytes it took, or 0 when it is torn or too long. */
static size_t
varint(const unsigned char *p, size_t len, size_t *value)
{
	size_t v = 0;

	for (size_t i = 0; i < 4 && i < len; i++) {
		v |= (size_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*value = v;
			return i + 1;
		}
	}
	return 0;
}

int
mq_wire_parse_publish(const unsigned char *buf, size_t len, struct mq_wire_publish *out)
{
	size_t n, rem, tlen, plen, at;

	memset(out, 0, sizeof *out);
	if (len < 2 || buf[0] >> 4 != 3)
		return -1;
	out->qos = (buf[0] >> 1) & 3;
	out->retained = buf[0] & 1;
	out->dup = (buf[0] >> 3) & 1;
	if (out->qos == 3 || !(n = varint(buf + 1, len - 1, &rem)) || rem != len - 1 - n)
		return -1;
	at = 1 + n;
	if (len - at < 2)
		return -1;
	tlen = (size_t)buf[at] << 8 | buf[at + 1];
	at += 2;
	if (tlen >= sizeof out->topic || len - at < tlen || memchr(buf + at, 0, tlen))
		return -1;
	memcpy(out->topic, buf + at, tlen);
	out->topic[tlen] = '\0';
	at += tlen;
	if (out->qos > 0) {
		if (len - at < 2)
			return -1;
		out->msgid = (unsigned)buf[at] << 8 | buf[at + 1];
		at += 2;
	}
	if (!(n = varint(buf + at, len - at, &plen)) || len - at - n < plen)
		return -1;
	at += n + plen;
	out->payload = buf + at;
	out->len = len - at;
	return 0;
}

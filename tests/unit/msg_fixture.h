/* msg_fixture.h — what the msg decoder tests share: a fixed clock, the
 * topic's identity, and one decode() over the three payload kinds. Included
 * by one test file each (static: no clash between test binaries). */
#ifndef TEST_MSG_FIXTURE_H
#define TEST_MSG_FIXTURE_H

#include "msg.h"

#define NOW_MS 1763891300000LL /* 2025-11-23T09:48:20Z */
#define SITE "riverside"
#define DEVICE "pump-01"

enum kind { TEL, EVT, STA };

static struct msg_telemetry tel;
static struct msg_event evt;
static struct msg_status sta;

static inline enum msg_reason
decode(enum kind k, const char *buf, size_t len, const struct msg_limits *lim)
{
	switch (k) {
	case TEL:
		return msg_decode_telemetry(buf, len, lim, SITE, DEVICE, &tel);
	case EVT:
		return msg_decode_event(buf, len, lim, SITE, DEVICE, &evt);
	case STA:
		return msg_decode_status(buf, len, lim, SITE, DEVICE, &sta);
	}
	return MSG_REASON_COUNT;
}

static inline struct msg_limits
limits(void)
{
	struct msg_limits lim;

	msg_limits_default(&lim, NOW_MS);
	return lim;
}

#endif

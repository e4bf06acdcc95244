/* mqrx_proto.c — MQTT 5 encoding and decoding for the receiving client
 * (mqrx_proto.h). Every length read from the wire is checked against what
 * the buffer holds before it is used. */
#include "mqrx_proto.h"

#include <string.h>

/* --- encoding --- */

struct wr {
	uint8_t *p;
	size_t cap, n;
	int bad;
};

static void
put(struct wr *w, const void *src, size_t len)
{
	if (w->bad || len > w->cap - w->n) {
		w->bad = 1;
		return;
	}
	memcpy(w->p + w->n, src, len);
	w->n += len;
}

static void
put_u8(struct wr *w, unsigned v)
{
	uint8_t b = (uint8_t)v;

	put(w, &b, 1);
}

static void
put_u16(struct wr *w, unsigned v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	put(w, b, 2);
}

static void
put_u32(struct wr *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

	put(w, b, 4);
}

static void
put_varint(struct wr *w, uint32_t v)
{
	do {
		uint8_t b = v % 128;

		v /= 128;
		put_u8(w, v ? b | 0x80u : b);
	} while (v);
}

static void
put_str(struct wr *w, const char *s)
{
	size_t len = strlen(s);

	if (len > 0xffff) {
		w->bad = 1;
		return;
	}
	put_u16(w, (unsigned)len);
	put(w, s, len);
}

/* Writes the fixed header in front of a body built at buf + 5 and moves the
 * body up against it. */
static int
finish(uint8_t *buf, size_t cap, unsigned first, const struct wr *body)
{
	struct wr h = {buf, cap, 0, 0};

	if (body->bad || body->n > MQP_VARINT_MAX)
		return -1;
	put_u8(&h, first);
	put_varint(&h, (uint32_t)body->n);
	if (h.bad || h.n + body->n > cap)
		return -1;
	memmove(buf + h.n, body->p, body->n);
	return (int)(h.n + body->n);
}

int
mqp_connect(uint8_t *buf, size_t cap, const struct mqp_connect *c)
{
	struct wr w;
	uint8_t props[16];
	struct wr pr = {props, sizeof props, 0, 0};
	unsigned flags = c->clean_start ? 0x02 : 0;

	if (cap < 5 || !c->client_id || c->keepalive_s < 0 || c->keepalive_s > 0xffff)
		return -1;
	w = (struct wr){buf + 5, cap - 5, 0, 0};
	if (c->username)
		flags |= 0x80;
	if (c->password)
		flags |= 0x40;
	if (c->session_expiry_s) {
		put_u8(&pr, 0x11);
		put_u32(&pr, c->session_expiry_s);
	}
	if (c->receive_max) {
		put_u8(&pr, 0x21);
		put_u16(&pr, c->receive_max);
	}
	if (c->max_packet) {
		put_u8(&pr, 0x27);
		put_u32(&pr, c->max_packet);
	}
	put_str(&w, "MQTT");
	put_u8(&w, 5);
	put_u8(&w, flags);
	put_u16(&w, (unsigned)c->keepalive_s);
	put_varint(&w, (uint32_t)pr.n);
	put(&w, props, pr.n);
	put_str(&w, c->client_id);
	if (c->username)
		put_str(&w, c->username);
	if (c->password)
		put_str(&w, c->password);
	return finish(buf, cap, MQP_CONNECT << 4, &w);
}

int
mqp_subscribe(uint8_t *buf, size_t cap, uint16_t id, const char *const *filters, size_t n, int qos)
{
	struct wr w;

	if (cap < 5 || n == 0 || id == 0 || qos < 0 || qos > 2)
		return -1;
	w = (struct wr){buf + 5, cap - 5, 0, 0};
	put_u16(&w, id);
	put_varint(&w, 0); /* no properties */
	for (size_t i = 0; i < n; i++) {
		if (!filters[i][0])
			return -1;
		put_str(&w, filters[i]);
		/* no local 0 (required for shared subscriptions), retain
		 * handling 1: retained messages only when the subscription is
		 * new, not again at every reconnect of a persistent session */
		put_u8(&w, 0x10u | (unsigned)qos);
	}
	return finish(buf, cap, MQP_SUBSCRIBE << 4 | 0x02, &w);
}

void
mqp_puback(uint8_t *buf, uint16_t id)
{
	buf[0] = MQP_PUBACK << 4;
	buf[1] = 2;
	buf[2] = (uint8_t)(id >> 8);
	buf[3] = (uint8_t)id;
}

void
mqp_pingreq(uint8_t *buf)
{
	buf[0] = MQP_PINGREQ << 4;
	buf[1] = 0;
}

void
mqp_disconnect(uint8_t *buf)
{
	buf[0] = MQP_DISCONNECT << 4;
	buf[1] = 0;
}

/* --- decoding --- */

struct rd {
	const uint8_t *p;
	size_t len, at;
	int bad;
};

static unsigned
get_u8(struct rd *r)
{
	if (r->bad || r->at >= r->len) {
		r->bad = 1;
		return 0;
	}
	return r->p[r->at++];
}

static unsigned
get_u16(struct rd *r)
{
	unsigned hi = get_u8(r);

	return hi << 8 | get_u8(r);
}

/* A variable byte integer, or -1 (and r->bad) when malformed or cut short. */
static long
get_varint(struct rd *r)
{
	unsigned long v = 0;

	for (int i = 0; i < 4; i++) {
		unsigned b = get_u8(r);

		v |= (unsigned long)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			return r->bad ? -1 : (long)v;
	}
	r->bad = 1;
	return -1;
}

static const uint8_t *
get_bytes(struct rd *r, size_t n)
{
	const uint8_t *p = r->p + r->at;

	if (r->bad || n > r->len - r->at) {
		r->bad = 1;
		return NULL;
	}
	r->at += n;
	return p;
}

/* Walks a property list, checking each property's length by its type;
 * returns Server Keep Alive (0x13) if present, else -1. Sets r->bad when
 * malformed. */
static int
walk_props(struct rd *r)
{
	long plen = get_varint(r);
	size_t end;
	int keepalive = -1;

	if (plen < 0 || (size_t)plen > r->len - r->at) {
		r->bad = 1;
		return -1;
	}
	end = r->at + (size_t)plen;
	while (!r->bad && r->at < end) {
		unsigned id = get_u8(r);

		switch (id) {
		case 0x01:
		case 0x17:
		case 0x19:
		case 0x24:
		case 0x25:
		case 0x28:
		case 0x29:
		case 0x2a:
			get_u8(r);
			break;
		case 0x13:
			keepalive = (int)get_u16(r);
			break;
		case 0x21:
		case 0x22:
		case 0x23:
			get_u16(r);
			break;
		case 0x02:
		case 0x11:
		case 0x18:
		case 0x27:
			get_bytes(r, 4);
			break;
		case 0x0b:
			get_varint(r);
			break;
		case 0x26: /* user property: a string pair */
			get_bytes(r, get_u16(r));
			/* fall through */
		case 0x03:
		case 0x08:
		case 0x09:
		case 0x12:
		case 0x15:
		case 0x16:
		case 0x1a:
		case 0x1c:
		case 0x1f:
			get_bytes(r, get_u16(r));
			break;
		default:
			r->bad = 1;
		}
	}
	if (r->at != end)
		r->bad = 1;
	return keepalive;
}

/* Skips a property list without looking inside (PUBLISH's: a receiver that
 * announced no topic aliases needs none of them). */
static int
skip_props(struct rd *r)
{
	long plen = get_varint(r);

	return plen < 0 || !get_bytes(r, (size_t)plen) ? -1 : 0;
}

static int
parse_body(struct rd *r, unsigned flags, struct mqp_packet *p)
{
	switch (p->type) {
	case MQP_CONNACK: {
		unsigned f = get_u8(r);

		if (f & 0xfe)
			return -1; /* reserved */
		p->session_present = (int)(f & 1);
		p->reason = (int)get_u8(r);
		p->server_keepalive = walk_props(r);
		break;
	}
	case MQP_PUBLISH:
		p->qos = (int)(flags >> 1 & 3);
		p->dup = (int)(flags >> 3 & 1);
		p->retain = (int)(flags & 1);
		if (p->qos == 3 || (p->qos == 0 && p->dup))
			return -1;
		p->topic_len = get_u16(r);
		p->topic = get_bytes(r, p->topic_len);
		if (p->qos) {
			p->id = (uint16_t)get_u16(r);
			if (!r->bad && p->id == 0)
				return -1;
		}
		if (skip_props(r) < 0)
			return -1;
		p->payload = r->p + r->at;
		p->payload_len = r->len - r->at;
		r->at = r->len;
		break;
	case MQP_SUBACK:
		p->id = (uint16_t)get_u16(r);
		walk_props(r);
		p->codes = r->p + r->at;
		p->n_codes = r->len - r->at;
		if (!r->bad && p->n_codes == 0)
			return -1;
		r->at = r->len;
		break;
	case MQP_PINGRESP:
		break;
	case MQP_DISCONNECT:
		if (r->len > r->at) {
			p->reason = (int)get_u8(r);
			if (r->len > r->at)
				walk_props(r);
		}
		break;
	default:
		return -1; /* nothing else is sent to a receive-only client */
	}
	return r->bad || r->at != r->len ? -1 : 0;
}

long
mqp_parse(const uint8_t *buf, size_t len, struct mqp_packet *p, size_t *need)
{
	struct rd hdr = {buf, len, 1, 0};
	unsigned first;
	long rl;
	size_t hlen;
	struct rd body;

	*need = 0;
	if (len < 2)
		return MQP_NEED;
	first = buf[0];
	for (int i = 1; i <= 4; i++) {
		if (i >= (int)len)
			return MQP_NEED; /* the length is not complete yet */
		if (!(buf[i] & 0x80))
			break;
		if (i == 4)
			return MQP_BAD;
	}
	rl = get_varint(&hdr);
	if (rl < 0)
		return MQP_BAD;
	hlen = hdr.at;
	*need = hlen + (size_t)rl;
	if (len < *need)
		return MQP_NEED;
	memset(p, 0, sizeof *p);
	p->type = (enum mqp_type)(first >> 4);
	p->len = *need;
	p->server_keepalive = -1;
	if (p->type != MQP_PUBLISH && (first & 0x0f))
		return MQP_BAD; /* reserved flags of every other packet a client receives */
	body = (struct rd){buf + hlen, (size_t)rl, 0, 0};
	if (parse_body(&body, first & 0x0f, p) < 0)
		return MQP_BAD;
	return (long)p->len;
}

const char *
mqp_reason_name(int reason)
{
	switch (reason) {
	case 0x00:
		return "success";
	case 0x01:
		return "granted_qos_1";
	case 0x02:
		return "granted_qos_2";
	case 0x04:
		return "disconnect_with_will";
	case 0x80:
		return "unspecified_error";
	case 0x81:
		return "malformed_packet";
	case 0x82:
		return "protocol_error";
	case 0x83:
		return "implementation_specific_error";
	case 0x84:
		return "unsupported_protocol_version";
	case 0x85:
		return "client_identifier_not_valid";
	case 0x86:
		return "bad_user_name_or_password";
	case 0x87:
		return "not_authorized";
	case 0x88:
		return "server_unavailable";
	case 0x89:
		return "server_busy";
	case 0x8a:
		return "banned";
	case 0x8b:
		return "server_shutting_down";
	case 0x8d:
		return "keep_alive_timeout";
	case 0x8e:
		return "session_taken_over";
	case 0x8f:
		return "topic_filter_invalid";
	case 0x93:
		return "receive_maximum_exceeded";
	case 0x95:
		return "packet_too_large";
	case 0x97:
		return "quota_exceeded";
	case 0x9c:
		return "use_another_server";
	case 0x9d:
		return "server_moved";
	case 0x9e:
		return "shared_subscriptions_not_supported";
	case 0x9f:
		return "connection_rate_exceeded";
	case 0xa1:
		return "subscription_identifiers_not_supported";
	case 0xa2:
		return "wildcard_subscriptions_not_supported";
	default:
		return "other";
	}
}

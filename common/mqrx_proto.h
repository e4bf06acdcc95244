/* mqrx_proto.h — the MQTT 5 packets a receive-only client needs, encoded and
 * decoded without I/O (OASIS MQTT 5.0, sections 2 and 3): CONNECT, SUBSCRIBE,
 * PUBACK, PINGREQ and DISCONNECT out; CONNACK, PUBLISH, SUBACK, PINGRESP and
 * DISCONNECT in. Pure: mqrx.c does the socket. */
#ifndef FM_MQRX_PROTO_H
#define FM_MQRX_PROTO_H

#include <stddef.h>
#include <stdint.h>

enum mqp_type {
	MQP_CONNECT = 1,
	MQP_CONNACK = 2,
	MQP_PUBLISH = 3,
	MQP_PUBACK = 4,
	MQP_SUBSCRIBE = 8,
	MQP_SUBACK = 9,
	MQP_PINGREQ = 12,
	MQP_PINGRESP = 13,
	MQP_DISCONNECT = 14,
};

#define MQP_VARINT_MAX 268435455u /* the largest remaining length */

struct mqp_connect {
	const char *client_id;
	const char *username; /* NULL: none */
	const char *password; /* NULL: none */
	int clean_start;
	int keepalive_s;
	uint32_t session_expiry_s;
	uint16_t receive_max; /* 0: not sent (the server's default, 65,535) */
	uint32_t max_packet;  /* 0: not sent (no limit) */
};

/* Each writes one packet into buf and returns its length, or -1 when it does
 * not fit in cap or a field is out of range. */
int
mqp_connect(uint8_t *buf, size_t cap, const struct mqp_connect *c);
int
mqp_subscribe(uint8_t *buf, size_t cap, uint16_t id, const char *const *filters, size_t n, int qos);
/* PUBACK with reason "success" (two bytes of packet id, reason omitted). */
#define MQP_PUBACK_LEN 4
void
mqp_puback(uint8_t *buf, uint16_t id);
#define MQP_PINGREQ_LEN 2
void
mqp_pingreq(uint8_t *buf);
/* DISCONNECT, normal: the will is not published, the session stays. */
#define MQP_DISCONNECT_LEN 2
void
mqp_disconnect(uint8_t *buf);

/* One received packet; pointers point into the caller's buffer. */
struct mqp_packet {
	enum mqp_type type;
	size_t len; /* of the whole packet, fixed header included */
	/* CONNACK */
	int session_present;
	int reason;           /* CONNACK, DISCONNECT (0 when omitted) */
	int server_keepalive; /* CONNACK's Server Keep Alive, -1 when absent */
	/* PUBLISH */
	const uint8_t *topic;
	size_t topic_len;
	int qos, dup, retain;
	uint16_t id; /* PUBLISH (QoS > 0), SUBACK */
	const uint8_t *payload;
	size_t payload_len;
	/* SUBACK: one reason code per filter */
	const uint8_t *codes;
	size_t n_codes;
};

enum mqp_parse {
	MQP_NEED = 0, /* incomplete: *need says how many bytes the packet has, 0
		       * if its length is not known yet */
	MQP_BAD = -1, /* malformed, or a packet a client never receives */
};

/* Decodes the packet at the start of buf[0, len). Returns its length (> 0)
 * and fills *p; MQP_NEED with *need; MQP_BAD. */
long
mqp_parse(const uint8_t *buf, size_t len, struct mqp_packet *p, size_t *need);

/* A reason code's name (MQTT 5, 2.4), for logs. */
const char *
mqp_reason_name(int reason);

#endif

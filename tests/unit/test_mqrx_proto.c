/* test_mqrx_proto.c — the MQTT 5 packets of the receiving client: the exact
 * bytes of what it sends (checked by hand against OASIS MQTT 5.0, 3.1, 3.8
 * — options 0x11: QoS 1, retain handling 1 — and 3.4), what it decodes from a broker, packets arriving a byte at a time,
 * and a table of malformed input that must be refused, never read past. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mqrx_proto.h"

static void
connect_bytes(void **state)
{
	static const uint8_t want[] = {0x10, 0x22, 0x00, 0x04, 'M',  'Q',  'T',  'T',  0x05,
				       0xc0, 0x00, 0x1e, 0x0d, 0x11, 0x00, 0x01, 0x51, 0x80,
				       0x21, 0x00, 0x40, 0x27, 0x00, 0x40, 0x00, 0x00, 0x00,
				       0x02, 'c',  '1',  0x00, 0x01, 'u',  0x00, 0x01, 'p'};
	struct mqp_connect c = {"c1", "u", "p", 0, 30, 86400, 64, 4u << 20};
	uint8_t buf[64];
	int n;

	(void)state;
	n = mqp_connect(buf, sizeof buf, &c);
	assert_int_equal(n, sizeof want);
	assert_memory_equal(buf, want, sizeof want);
	/* clean start, no account, no properties */
	c = (struct mqp_connect){"x", NULL, NULL, 1, 0, 0, 0, 0};
	n = mqp_connect(buf, sizeof buf, &c);
	assert_int_equal(n, 16);
	assert_int_equal(buf[9], 0x02);
	assert_int_equal(buf[12], 0x00);
	/* does not fit */
	c = (struct mqp_connect){"c1", "u", "p", 0, 30, 86400, 64, 4u << 20};
	assert_int_equal(mqp_connect(buf, sizeof want - 1, &c), -1);
	c.keepalive_s = 70000;
	assert_int_equal(mqp_connect(buf, sizeof buf, &c), -1);
}

static void
subscribe_bytes(void **state)
{
	static const uint8_t want[] = {0x82, 0x16, 0x00, 0x07, 0x00, 0x00, 0x03, 'a',
				       '/',  '+',  0x11, 0x00, 0x0a, '$',  's',  'h',
				       'a',  'r',  'e',  '/',  'g',  '/',  'b',  0x11};
	const char *f[] = {"a/+", "$share/g/b"}, *empty[] = {""};
	uint8_t buf[64];

	(void)state;
	assert_int_equal(mqp_subscribe(buf, sizeof buf, 7, f, 2, 1), sizeof want);
	assert_memory_equal(buf, want, sizeof want);
	assert_int_equal(mqp_subscribe(buf, sizeof buf, 0, f, 2, 1), -1);
	assert_int_equal(mqp_subscribe(buf, sizeof buf, 7, f, 0, 1), -1);
	assert_int_equal(mqp_subscribe(buf, sizeof buf, 7, empty, 1, 1), -1);
	assert_int_equal(mqp_subscribe(buf, 10, 7, f, 2, 1), -1);
}

static void
small_packets(void **state)
{
	uint8_t b[4];

	(void)state;
	mqp_puback(b, 0x1234);
	assert_memory_equal(b, ((uint8_t[]){0x40, 0x02, 0x12, 0x34}), 4);
	mqp_pingreq(b);
	assert_memory_equal(b, ((uint8_t[]){0xc0, 0x00}), 2);
	mqp_disconnect(b);
	assert_memory_equal(b, ((uint8_t[]){0xe0, 0x00}), 2);
}

/* PUBLISH QoS 1, DUP, retain, id 0x0102, one property (payload format),
 * topic "t/1", payload "{}". */
static const uint8_t publish1[] = {0x3b, 0x0c, 0x00, 0x03, 't',  '/', '1',
				   0x01, 0x02, 0x02, 0x01, 0x01, '{', '}'};

static void
parse_publish(void **state)
{
	static const uint8_t qos0[] = {0x30, 0x06, 0x00, 0x01, 'x', 0x00, 'h', 'i'};
	struct mqp_packet p;
	size_t need;

	(void)state;
	assert_int_equal(mqp_parse(publish1, sizeof publish1, &p, &need), sizeof publish1);
	assert_int_equal(p.type, MQP_PUBLISH);
	assert_int_equal(p.qos, 1);
	assert_int_equal(p.dup, 1);
	assert_int_equal(p.retain, 1);
	assert_int_equal(p.id, 0x0102);
	assert_int_equal(p.topic_len, 3);
	assert_memory_equal(p.topic, "t/1", 3);
	assert_int_equal(p.payload_len, 2);
	assert_memory_equal(p.payload, "{}", 2);
	assert_int_equal(mqp_parse(qos0, sizeof qos0, &p, &need), sizeof qos0);
	assert_int_equal(p.qos, 0);
	assert_int_equal(p.id, 0);
	assert_int_equal(p.payload_len, 2);
	assert_memory_equal(p.payload, "hi", 2);
}

static void
parse_control(void **state)
{
	/* session present, success, Server Keep Alive 20, a user property */
	static const uint8_t connack[] = {0x20, 0x0e, 0x01, 0x00, 0x0b, 0x13, 0x00, 0x14,
					  0x26, 0x00, 0x01, 'k',  0x00, 0x02, 'v',  'w'};
	static const uint8_t refused[] = {0x20, 0x03, 0x00, 0x86, 0x00};
	static const uint8_t suback[] = {0x90, 0x06, 0x00, 0x07, 0x00, 0x01, 0x01, 0x87};
	static const uint8_t pingresp[] = {0xd0, 0x00};
	static const uint8_t disc[] = {0xe0, 0x02, 0x8e, 0x00}, disc0[] = {0xe0, 0x00};
	struct mqp_packet p;
	size_t need;

	(void)state;
	assert_int_equal(mqp_parse(connack, sizeof connack, &p, &need), sizeof connack);
	assert_int_equal(p.type, MQP_CONNACK);
	assert_int_equal(p.session_present, 1);
	assert_int_equal(p.reason, 0);
	assert_int_equal(p.server_keepalive, 20);
	assert_int_equal(mqp_parse(refused, sizeof refused, &p, &need), sizeof refused);
	assert_int_equal(p.session_present, 0);
	assert_int_equal(p.reason, 0x86);
	assert_int_equal(p.server_keepalive, -1);
	assert_string_equal(mqp_reason_name(p.reason), "bad_user_name_or_password");
	assert_int_equal(mqp_parse(suback, sizeof suback, &p, &need), sizeof suback);
	assert_int_equal(p.type, MQP_SUBACK);
	assert_int_equal(p.id, 7);
	assert_int_equal(p.n_codes, 3);
	assert_memory_equal(p.codes, ((uint8_t[]){0x01, 0x01, 0x87}), 3);
	assert_int_equal(mqp_parse(pingresp, sizeof pingresp, &p, &need), 2);
	assert_int_equal(p.type, MQP_PINGRESP);
	assert_int_equal(mqp_parse(disc, sizeof disc, &p, &need), sizeof disc);
	assert_int_equal(p.type, MQP_DISCONNECT);
	assert_string_equal(mqp_reason_name(p.reason), "session_taken_over");
	assert_int_equal(mqp_parse(disc0, sizeof disc0, &p, &need), 2);
	assert_int_equal(p.reason, 0);
}

/* Every prefix of a packet is "need more", with the packet's size once the
 * length is complete; two packets back to back come out one by one. */
static void
parse_incremental(void **state)
{
	uint8_t two[2 * sizeof publish1];
	struct mqp_packet p;
	size_t need;

	(void)state;
	for (size_t n = 0; n < sizeof publish1; n++) {
		assert_int_equal(mqp_parse(publish1, n, &p, &need), MQP_NEED);
		assert_int_equal(need, n < 2 ? 0 : sizeof publish1);
	}
	memcpy(two, publish1, sizeof publish1);
	memcpy(two + sizeof publish1, publish1, sizeof publish1);
	assert_int_equal(mqp_parse(two, sizeof two, &p, &need), sizeof publish1);
	assert_int_equal(mqp_parse(two + sizeof publish1, sizeof publish1, &p, &need),
			 sizeof publish1);
	/* a length still being read: 0x80 0x80 needs a third byte */
	assert_int_equal(mqp_parse((const uint8_t[]){0x30, 0x80, 0x80}, 3, &p, &need), MQP_NEED);
	assert_int_equal(need, 0);
	/* a big packet's size is known from its header alone */
	assert_int_equal(mqp_parse((const uint8_t[]){0x30, 0x80, 0x80, 0x01}, 4, &p, &need),
			 MQP_NEED);
	assert_int_equal(need, 4 + 16384);
}

struct bad_case {
	const char *what;
	uint8_t bytes[24];
	size_t len;
};

static const struct bad_case bads[] = {
	{"length of five bytes", {0x30, 0xff, 0xff, 0xff, 0xff, 0x01}, 6},
	{"PUBLISH QoS 3", {0x36, 0x05, 0x00, 0x01, 'x', 0x00, 0x00}, 7},
	{"PUBLISH QoS 1 packet id 0", {0x32, 0x06, 0x00, 0x01, 'x', 0x00, 0x00, 0x00}, 8},
	{"topic past the packet", {0x30, 0x04, 0x00, 0x09, 'x', 'y'}, 6},
	{"properties past the packet", {0x30, 0x05, 0x00, 0x01, 'x', 0x07, 'a'}, 7},
	{"PUBLISH without property length", {0x30, 0x03, 0x00, 0x01, 'x'}, 5},
	{"CONNACK unknown property", {0x20, 0x05, 0x00, 0x00, 0x02, 0x7f, 0x00}, 7},
	{"CONNACK property cut short", {0x20, 0x05, 0x00, 0x00, 0x02, 0x13, 0x00}, 7},
	{"CONNACK string property past the list",
	 {0x20, 0x06, 0x00, 0x00, 0x03, 0x1f, 0x00, 0x05},
	 8},
	{"CONNACK too short", {0x20, 0x01, 0x00}, 3},
	{"CONNACK reserved flags", {0x21, 0x03, 0x00, 0x00, 0x00}, 5},
	{"CONNACK reserved acknowledge flags", {0x20, 0x03, 0x02, 0x00, 0x00}, 5},
	{"PUBLISH QoS 0 with DUP", {0x38, 0x04, 0x00, 0x01, 'x', 0x00}, 6},
	{"SUBACK without codes", {0x90, 0x03, 0x00, 0x07, 0x00}, 5},
	{"PINGRESP with a body", {0xd0, 0x01, 0x00}, 3},
	{"PUBACK (a client never receives one)", {0x40, 0x02, 0x00, 0x01}, 4},
	{"CONNECT (a client never receives one)", {0x10, 0x00}, 2},
	{"packet type 0", {0x00, 0x00}, 2},
	{"packet type 15", {0xf0, 0x00}, 2},
	{"DISCONNECT trailing garbage", {0xe0, 0x03, 0x00, 0x00, 0x55}, 5},
};

static void
parse_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		struct mqp_packet p;
		size_t need;
		/* exact-size heap copy: ASan sees any read past it */
		uint8_t *b = malloc(bads[i].len);

		memcpy(b, bads[i].bytes, bads[i].len);
		if (mqp_parse(b, bads[i].len, &p, &need) != MQP_BAD)
			fail_msg("not refused: %s", bads[i].what);
		free(b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(connect_bytes),   cmocka_unit_test(subscribe_bytes),
		cmocka_unit_test(small_packets),   cmocka_unit_test(parse_publish),
		cmocka_unit_test(parse_control),   cmocka_unit_test(parse_incremental),
		cmocka_unit_test(parse_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

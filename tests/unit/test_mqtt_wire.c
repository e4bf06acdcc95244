/* test_mqtt_wire.c — reading an MQTT 5 PUBLISH as Paho 1.3.11 keeps a
 * received QoS 2 message on disk (r5-<id>.msg): the record a real run left,
 * then every way a kill or a stray file can make it unreadable. */
#include "mqtt_wire.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* r5-13.msg from a subscriber killed in its handler: QoS 2, topic "exp/t",
 * packet id 13, a user property a=b, payload "hello-k". */
static const unsigned char paho_record[] = {
	0x34, 0x18, 0x00, 0x05, 'e',  'x', 'p', '/', 't', 0x00, 0x0d, 0x07, 0x26,
	0x00, 0x01, 'a',  0x00, 0x01, 'b', 'h', 'e', 'l', 'l',  'o',  '-',  'k',
};

static void
reads_the_paho_record(void **state)
{
	struct mq_wire_publish p;

	(void)state;
	assert_int_equal(mq_wire_parse_publish(paho_record, sizeof paho_record, &p), 0);
	assert_string_equal(p.topic, "exp/t");
	assert_int_equal(p.qos, 2);
	assert_int_equal(p.retained, 0);
	assert_int_equal(p.dup, 0);
	assert_int_equal(p.msgid, 13);
	assert_int_equal(p.len, 7);
	assert_memory_equal(p.payload, "hello-k", 7);
}

static void
torn_records_are_refused(void **state)
{
	struct mq_wire_publish p;

	(void)state;
	/* a kill while Paho wrote the file: every shorter prefix */
	for (size_t n = 0; n < sizeof paho_record; n++)
		assert_int_equal(mq_wire_parse_publish(paho_record, n, &p), -1);
}

static void
others_are_refused(void **state)
{
	unsigned char b[sizeof paho_record + 1];
	struct mq_wire_publish p;

	(void)state;
	memcpy(b, paho_record, sizeof paho_record);
	b[0] = 0x82; /* SUBSCRIBE */
	assert_int_equal(mq_wire_parse_publish(b, sizeof paho_record, &p), -1);
	b[0] = 0x36; /* QoS 3 */
	assert_int_equal(mq_wire_parse_publish(b, sizeof paho_record, &p), -1);
	memcpy(b, paho_record, sizeof paho_record);
	b[sizeof paho_record] = 'x'; /* a byte past the remaining length */
	assert_int_equal(mq_wire_parse_publish(b, sizeof b, &p), -1);
	memcpy(b, paho_record, sizeof paho_record);
	b[6] = '\0'; /* NUL inside the topic */
	assert_int_equal(mq_wire_parse_publish(b, sizeof paho_record, &p), -1);
	memcpy(b, paho_record, sizeof paho_record);
	b[11] = 0x40; /* properties longer than the packet */
	assert_int_equal(mq_wire_parse_publish(b, sizeof paho_record, &p), -1);
}

static void
long_payload_and_qos1(void **state)
{
	unsigned char b[400];
	struct mq_wire_publish p;
	size_t at = 0, rem = 2 + 3 + 2 + 1 + 300;

	(void)state;
	b[at++] = 0x3b;                                 /* PUBLISH, dup, QoS 1, retained */
	b[at++] = (unsigned char)(0x80 | (rem & 0x7f)); /* two-byte remaining length */
	b[at++] = (unsigned char)(rem >> 7);
	b[at++] = 0;
	b[at++] = 3;
	memcpy(b + at, "a/b", 3);
	at += 3;
	b[at++] = 0x01;
	b[at++] = 0x02;
	b[at++] = 0; /* no properties */
	memset(b + at, 'z', 300);
	at += 300;
	assert_int_equal(mq_wire_parse_publish(b, at, &p), 0);
	assert_string_equal(p.topic, "a/b");
	assert_int_equal(p.qos, 1);
	assert_int_equal(p.dup, 1);
	assert_int_equal(p.retained, 1);
	assert_int_equal(p.msgid, 0x0102);
	assert_int_equal(p.len, 300);
	assert_int_equal(((const unsigned char *)p.payload)[299], 'z');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_the_paho_record),
		cmocka_unit_test(torn_records_are_refused),
		cmocka_unit_test(others_are_refused),
		cmocka_unit_test(long_payload_and_qos1),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

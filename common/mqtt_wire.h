/* mqtt_wire.h — reads one MQTT 5 PUBLISH packet as it travels on the wire
 * (and as Paho's file persistence keeps a received QoS 2 message). Pure: no
 * I/O, no allocation; nothing here knows Paho. */
#ifndef FM_MQTT_WIRE_H
#define FM_MQTT_WIRE_H

#include <stddef.h>

struct mq_wire_publish {
	char topic[512];     /* NUL-terminated copy */
	const void *payload; /* points into the packet */
	size_t len;
	int qos, retained, dup;
	unsigned msgid; /* 0 for QoS 0 */
};

/* Parses the complete packet buf[0..len) (fixed header included). Returns 0,
 * or -1 when it is not a whole MQTT 5 PUBLISH: another packet type, a torn
 * or overlong packet, a topic longer than the copy or holding a NUL. */
int
mq_wire_parse_publish(const unsigned char *buf, size_t len, struct mq_wire_publish *out);

#endif

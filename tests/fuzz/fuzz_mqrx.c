/* fuzz_mqrx.c — libFuzzer harness for the receiving MQTT client's packet
 * decoder (common/mqrx_proto.c), which reads bytes a broker — or whatever
 * answers on its port — sends. The input is a stream: packets are decoded
 * one after another as the client does. A decoded packet must lie inside the
 * input, its topic and payload inside the packet; "need more" must ask for
 * more than there is. Any crash, sanitizer report or abort() is a finding. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mqrx_proto.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
inside(const uint8_t *p, size_t n, const uint8_t *lo, size_t len)
{
	return p >= lo && (size_t)(p - lo) <= len && n <= len - (size_t)(p - lo);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t at = 0;

	while (at < size) {
		struct mqp_packet p;
		size_t need;
		long got = mqp_parse(data + at, size - at, &p, &need);

		if (got == MQP_BAD)
			break;
		if (got == MQP_NEED) {
			if (need != 0 && need <= size - at)
				abort();
			break;
		}
		if (got < 2 || (size_t)got > size - at || p.len != (size_t)got)
			abort();
		if (p.type == MQP_PUBLISH &&
		    (!inside(p.topic, p.topic_len, data + at, p.len) ||
		     !inside(p.payload, p.payload_len, data + at, p.len) || p.qos > 2))
			abort();
		if (p.type == MQP_SUBACK &&
		    (p.n_codes == 0 || !inside(p.codes, p.n_codes, data + at, p.len)))
			abort();
		at += (size_t)got;
	}
	return 0;
}

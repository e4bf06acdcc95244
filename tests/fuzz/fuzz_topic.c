/* fuzz_topic.c — libFuzzer harness for the topic parser. A topic that parses
 * must format back to exactly the input bytes; a rejection must carry a
 * named reason. Short inputs are also tried as identifiers in a built topic,
 * which must parse back to the same identifier. Any crash or abort() is a
 * finding. Build:
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -Icommon tests/fuzz/fuzz_topic.c common/topic.c common/log.c */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "topic.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_as_identifier(const uint8_t *data, size_t size)
{
	char id[TOPIC_ID_MAX + 2], buf[TOPIC_MAX_LEN + 1];
	struct topic t;
	int n;

	if (size > TOPIC_ID_MAX + 1)
		return;
	memcpy(id, data, size);
	id[size] = '\0';
	n = topic_build_dev(buf, sizeof(buf), "site", id, TOPIC_EVENT);
	if (n < 0) {
		if (topic_id_valid(id) && strlen(id) == size)
			abort();
		return;
	}
	if (topic_parse(buf, (size_t)n, &t) != TOPIC_OK || strcmp(t.device, id) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[TOPIC_MAX_LEN + 1];
	struct topic t;
	enum topic_err err;
	int n;

	err = topic_parse((const char *)data, size, &t);
	if ((unsigned)err >= TOPIC_ERR_COUNT || strcmp(topic_err_name(err), "unknown") == 0)
		abort();
	if (err == TOPIC_OK) {
		n = topic_format(&t, buf, sizeof(buf));
		if (n < 0 || (size_t)n != size || memcmp(buf, data, size) != 0)
			abort();
	}
	check_as_identifier(data, size);
	return 0;
}

/* mqtt_replay.c — hands the handler, at start, the QoS 2 messages that Paho
 * 1.3.11 recorded as received (files r5-<id>.msg under the persistence
 * directory) and that may never have reached the handler. Paho writes that
 * record before it answers PUBREC and deletes it only at PUBREL, after the
 * handler ran; but with MQTT 5 it neither persists its queue of messages
 * waiting for the handler nor delivers the record after a restart (it takes
 * the broker's redelivery for a duplicate). So a kill -9 between the read
 * and the handler's answer loses the message unless we offer it again here.
 * At-least-once: a message the handler already took comes again. The files
 * stay Paho's: it restores them and deletes them when the broker releases. */
#include "mqtt_int.h"
#include "mqtt_wire.h"

#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLAY_MAX_BYTES (512 * 1024) /* larger than any message the broker lets through */

/* Reads a whole file into buf (cap bytes). Returns its length, or -1. */
static long
read_file(const char *path, unsigned char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, cap, f);
	if (ferror(f) || (n == cap && fgetc(f) != EOF)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return (long)n;
}

/* Offers one record to the handler. Returns 0, or -1 when the handler asked
 * for a retry (stop: the rest stays for the next start). */
static int
replay_file(struct mq *m, const char *path, unsigned char *buf, int *offered)
{
	struct mq_wire_publish p;
	struct mq_msg mm;
	long n = read_file(path, buf, REPLAY_MAX_BYTES);

	if (n < 0 || mq_wire_parse_publish(buf, (size_t)n, &p) < 0) {
		/* torn by the kill before PUBREC went out: the broker sends it again */
		log_warn("mqtt_replay_unreadable", "path=%s", path);
		return 0;
	}
	mm.topic = p.topic;
	mm.payload = p.payload;
	mm.len = p.len;
	mm.qos = p.qos;
	mm.retained = p.retained;
	mm.dup = 1;
	if (m->handler(m->ctx, &mm) == MQ_RETRY)
		return -1;
	(*offered)++;
	return 0;
}

/* The records of one client's directory (Paho names it after the client id
 * and the server). */
static int
replay_dir(struct mq *m, const char *dir, unsigned char *buf, int *offered)
{
	char path[1200];
	struct dirent *e;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d)
		return 0;
	while (rc == 0 && (e = readdir(d))) {
		size_t l = strlen(e->d_name);

		if (strncmp(e->d_name, "r5-", 3) != 0 || l < 8 ||
		    strcmp(e->d_name + l - 4, ".msg") != 0)
			continue;
		if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
			continue;
		rc = replay_file(m, path, buf, offered);
	}
	closedir(d);
	return rc;
}

int
mq_replay_received(struct mq *m, const char *persist_dir)
{
	char sub[1024];
	struct dirent *e;
	unsigned char *buf;
	DIR *d = opendir(persist_dir);
	int offered = 0, rc = 0;

	if (!d) {
		if (errno != ENOENT)
			log_warn("mqtt_replay_failed", "dir=%s error=\"%s\"", persist_dir,
				 strerror(errno));
		return 0;
	}
	buf = xmalloc(REPLAY_MAX_BYTES);
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.' ||
		    snprintf(sub, sizeof sub, "%s/%s", persist_dir, e->d_name) >= (int)sizeof sub)
			continue;
		rc = replay_dir(m, sub, buf, &offered);
	}
	closedir(d);
	free(buf);
	if (offered || rc)
		log_info("mqtt_replayed", "client_id=%s messages=%d stopped=%d", m->client_id,
			 offered, rc != 0);
	return rc;
}

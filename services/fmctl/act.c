/* act.c — publish a person's command and wait for the daemon's answer
 * (act.h). The subscription to the person's notify topic is made before
 * the publish, so the reply cannot be missed. */
#include "act.h"
#include "conn.h"
#include "topic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum act_result
act_match(const struct msg_flat *n, const char *verb, const char *id)
{
	const char *kind = msg_flat_get(n, "kind"), *v = msg_flat_get(n, "verb");
	const char *alarm = msg_flat_get(n, "alarm_id"), *msg = msg_flat_get(n, "message");
	char want[96];
	int accepted;

	if (!kind || !v || strcmp(v, verb) != 0)
		return ACT_NONE;
	if (strcmp(kind, "accepted") != 0 && strcmp(kind, "rejected") != 0)
		return ACT_NONE;
	accepted = kind[0] == 'a';
	if (id && (strcmp(verb, "ack") == 0 || strcmp(verb, "shelve") == 0)) {
		if (!alarm || strcmp(alarm, id) != 0)
			return ACT_NONE;
	} else if (id && accepted) {
		snprintf(want, sizeof want, "work order %s ", id);
		if (!msg || strstr(msg, want) == NULL)
			return ACT_NONE;
	}
	return accepted ? ACT_ACCEPTED : ACT_REJECTED;
}

/* The id of the work order an accepted request opened ("work order X is"). */
static void
opened_id(const char *msg, char *out, size_t cap)
{
	const char *p = msg ? strstr(msg, "work order ") : NULL;
	size_t n;

	out[0] = '\0';
	if (!p)
		return;
	p += strlen("work order ");
	n = strcspn(p, " ");
	if (n < cap && n > 0) {
		memcpy(out, p, n);
		out[n] = '\0';
	}
}

static int
print_reply(const struct cli *cli, const struct act *a, const struct msg_flat *n, enum act_result r)
{
	static const struct table_col cols[] = {
		{"verb", TABLE_STR, 0},   {"id", TABLE_STR, 0},      {"result", TABLE_STR, 0},
		{"reason", TABLE_STR, 0}, {"message", TABLE_STR, 0},
	};
	struct table *t = table_new(cols, 5);
	const char *msg = msg_flat_get(n, "message");
	char id[MSG_ID_MAX + 1];
	const char *row[5];

	if (a->id)
		snprintf(id, sizeof id, "%s", a->id);
	else
		opened_id(msg, id, sizeof id);
	row[0] = a->verb;
	row[1] = id[0] ? id : NULL;
	row[2] = r == ACT_ACCEPTED ? "accepted" : "rejected";
	row[3] = msg_flat_get(n, "reason");
	row[4] = msg;
	if (t && table_add(t, row) < 0) {
		table_free(t);
		t = NULL;
	}
	return cli_print(cli, t);
}

/* Waits for the reply; *r stays ACT_NONE when none came in time. */
static void
await_reply(struct fconn *c, const struct cli *cli, const struct act *a, struct msg_flat *n,
	    enum act_result *r)
{
	long long left = cli->wait_ms, end = cli_now_ms() + cli->wait_ms;
	struct fconn_msg *m;

	*r = ACT_NONE;
	while (*r == ACT_NONE && left > 0) {
		m = fconn_next(c, left);
		if (m && msg_flat_decode(m->payload, m->len, NULL, n) == MSG_OK)
			*r = act_match(n, a->verb, a->id);
		free(m);
		left = end - cli_now_ms();
	}
}

int
act_run(const struct fmctl_opts *o, const struct cli *cli, const struct act *a)
{
	char site[TOPIC_ID_MAX + 1], notify[TOPIC_MAX_LEN + 1], ops[TOPIC_MAX_LEN + 1];
	const char *filters[1] = {notify};
	struct msg_flat *n = NULL;
	enum act_result r;
	struct fconn c;
	int rc, vi;

	if (!cli->as) {
		fprintf(stderr, "fmctl: %s: --as PERSON is required (who acts)\n", a->verb);
		return FMCTL_USAGE;
	}
	if ((rc = fconn_init(&c, o)) != FMCTL_OK)
		goto done;
	if ((rc = fconn_site(&c, cli->site, site, sizeof site)) != FMCTL_OK)
		goto done;
	for (vi = TOPIC_VERB_ACK; vi < TOPIC_VERB_COUNT; vi++)
		if (strcmp(topic_verb_name((enum topic_verb)vi), a->verb) == 0)
			break;
	if (topic_build_notify(notify, sizeof notify, site, cli->as) < 0 ||
	    topic_build_ops(ops, sizeof ops, site, cli->as, (enum topic_verb)vi) < 0) {
		fprintf(stderr, "fmctl: no topic for site %s, person %s\n", site, cli->as);
		rc = FMCTL_USAGE;
		goto done;
	}
	n = malloc(sizeof *n);
	if (!n) {
		rc = FMCTL_FINDING;
		goto done;
	}
	if ((rc = fconn_mqtt(&c, cli, filters, 1)) != FMCTL_OK)
		goto done;
	if ((rc = fconn_publish(&c, ops, a->payload, a->len)) != FMCTL_OK)
		goto done;
	await_reply(&c, cli, a, n, &r);
	if (r == ACT_NONE) {
		fprintf(stderr,
			"fmctl: %s: the broker took the command but no reply came on %s within "
			"%lld ms\n",
			a->verb, notify, cli->wait_ms);
		rc = FMCTL_TIMEOUT;
		goto done;
	}
	rc = print_reply(cli, a, n, r);
	if (rc == FMCTL_OK && r == ACT_REJECTED)
		rc = FMCTL_REFUSED;
done:
	free(n);
	fconn_close(&c);
	return rc;
}

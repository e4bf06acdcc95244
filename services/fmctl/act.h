/* act.h — how a person's command is carried out: published as the person
 * (--as) on fm/v1/{site}/ops/{person}/{verb}, then the daemon's reply on
 * fm/v1/{site}/notify/{person} awaited (accepted, or rejected with a
 * reason) and printed as one row (verb, id, result, reason, message). The
 * broker's ACL binds the topic's person to the login, so there is no way to
 * act as someone else: the person level is always --as. */
#ifndef FM_FMCTL_ACT_H
#define FM_FMCTL_ACT_H

#include "cli.h"
#include "fmctl.h"
#include "msg_ops.h"

enum act_result { ACT_NONE, ACT_ACCEPTED, ACT_REJECTED };

/* Whether notification n answers a command of verb about id (an alarm or
 * work order id; NULL: the reply names none, as for a new request). Replies
 * carry no correlation id, so a reply must name the verb, be kind accepted
 * or rejected, and name id where the daemon writes it: alertd's alarm_id;
 * dispatchd's "work order <id> is <state>" message when accepted. Pure. */
enum act_result
act_match(const struct msg_flat *n, const char *verb, const char *id);

struct act {
	const char *verb;    /* ack, shelve, wo, request, followup */
	const char *id;      /* the alarm or work order acted on; NULL for request */
	const char *payload; /* the encoded command */
	size_t len;
};

/* Loads the configuration, finds the site (cli->site or the only one),
 * logs in as cli->as, publishes and waits up to cli->wait_ms for the
 * reply. Returns the exit status: FMCTL_OK accepted, FMCTL_REFUSED
 * rejected, FMCTL_TIMEOUT no reply, FMCTL_DENIED / FMCTL_UNAVAILABLE from
 * the broker, FMCTL_USAGE without --as. */
int
act_run(const struct fmctl_opts *o, const struct cli *cli, const struct act *a);

/* The usage lines every acting command shares. */
#define ACT_USAGE_COMMON                                                                           \
	"  --as PERSON         act as this person (required): the broker account\n"                \
	"                      and the person level of the topic\n"                                \
	"  --password-file F   the person's password (mode 0600); else FM_MQTT_PASSWORD\n"         \
	"  --site SITE         default: the only site in the registry (PostgreSQL)\n"              \
	"  --wait DURATION     how long to wait for the daemon's reply (default 5s)\n"             \
	"  --format F          table (default), json or csv\n"                                     \
	"Exit: 0 accepted, 2 usage, 3 server unreachable, 4 refused by the daemon\n"               \
	"      (reason printed), 5 refused by the broker (login or ACL), 6 no reply.\n"

#endif

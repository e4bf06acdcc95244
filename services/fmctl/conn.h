/* conn.h — fmctl's connections: the configuration (fm.yaml with FM_*
 * overrides), PostgreSQL for the history views, and an MQTT client that
 * logs in either as the operators' console (the account of fm.yaml /
 * FM_MQTT_USERNAME, broker user "fmctl" by default) or, with --as, as the
 * person acting, so that the broker's ACL decides what the person may do.
 * Received messages are queued by Paho's thread and taken by the command's
 * thread with fconn_next. */
#ifndef FM_FMCTL_CONN_H
#define FM_FMCTL_CONN_H

#include "cli.h"
#include "fmconf.h"
#include "fmctl.h"

#include <pthread.h>
#include <stddef.h>

#define FCONN_QUEUE_MAX 100000 /* messages waiting; more are dropped and counted */

/* A received message: topic and payload (NUL-terminated, len bytes). Owned
 * by the caller of fconn_next: free(). */
struct fconn_msg {
	struct fconn_msg *next;
	char *topic;
	size_t len;
	int retained;
	char payload[]; /* len bytes and a NUL */
};

struct fconn {
	struct fm_config cfg;
	struct db *db;
	struct mq *mq;
	char user[65];       /* the broker account in use */
	char client_id[128]; /* fmctl-<user>-<pid>: unique, clean session */
	char password[129];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct fconn_msg *head, *tail;
	size_t queued;
	unsigned long long dropped;
};

/* Loads the configuration. FMCTL_OK, or FMCTL_FINDING (errors printed). */
int
fconn_init(struct fconn *c, const struct fmctl_opts *o);
void
fconn_close(struct fconn *c);

/* Connects to PostgreSQL: FMCTL_OK or FMCTL_UNAVAILABLE (printed). */
int
fconn_db(struct fconn *c);

/* The site to act on: given (--site), else the only site of the registry
 * (DB sites table; connects to PostgreSQL). FMCTL_OK, FMCTL_USAGE when the
 * registry holds none or several, or fconn_db's status. */
int
fconn_site(struct fconn *c, const char *given, char *site, size_t cap);

/* Connects to the broker as cli->as (password from cli->password_file, a
 * file only its owner may read, else FM_MQTT_PASSWORD) or as the console,
 * then subscribes to the n filters (QoS 1). FMCTL_OK; FMCTL_DENIED when
 * the broker refused the login or a subscription; FMCTL_UNAVAILABLE when it
 * could not be reached; FMCTL_USAGE for a bad password file (all printed). */
int
fconn_mqtt(struct fconn *c, const struct cli *cli, const char *const *filters, int n);

/* Publishes QoS 1 and waits for the PUBACK. FMCTL_OK, FMCTL_DENIED (the
 * broker refused it: not authorised), FMCTL_UNAVAILABLE (printed). */
int
fconn_publish(struct fconn *c, const char *topic, const char *payload, size_t len);

/* The next received message, waiting up to wait_ms (0: only what is
 * queued). NULL when none came. */
struct fconn_msg *
fconn_next(struct fconn *c, long long wait_ms);

/* Takes messages until none arrived for quiet_ms or max_ms passed, handing
 * each to fn (which takes ownership). For retained snapshots: MQTT has no
 * end-of-retained marker, so a quiet pause after the SUBACK stands for it. */
void
fconn_drain(struct fconn *c, long long quiet_ms, long long max_ms,
	    void (*fn)(void *ctx, struct fconn_msg *m), void *ctx);

#endif

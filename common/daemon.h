/* daemon.h — what every daemon does before its own work: parse -c/-n/-v/-h,
 * load config/fm.yaml (with FM_* overrides), set logging, install signal
 * handlers. SIGTERM/SIGINT set daemon_stop, SIGHUP daemon_reload, SIGUSR1
 * daemon_dump_stats; the daemon's loop polls them. */
#ifndef FM_DAEMON_H
#define FM_DAEMON_H

#include "fmconf.h"
#include "mqtt.h"

#include <signal.h>

extern volatile sig_atomic_t daemon_stop;
extern volatile sig_atomic_t daemon_reload;
extern volatile sig_atomic_t daemon_dump_stats;

struct daemon {
	const char *name; /* "ingestd", ... */
	const char *config_path;
	int check_only; /* -n */
	int verbose;    /* -v */
	struct fm_config cfg;
	struct fm_daemon_conf *self; /* this daemon's section of cfg */
};

enum daemon_start { DAEMON_RUN, DAEMON_EXIT_OK, DAEMON_EXIT_FAIL };

/* Parses argv and loads the configuration into d. Prints configuration
 * errors as file:line: message. DAEMON_EXIT_OK after -h or a successful -n;
 * DAEMON_EXIT_FAIL on bad usage or configuration; DAEMON_RUN otherwise (the
 * signal handlers are then installed). */
enum daemon_start
daemon_start(struct daemon *d, const char *name, const char *summary, int argc, char **argv);

/* The fixed MQTT client id of this daemon instance: "<name>-<instance>". */
void
daemon_client_id(const struct daemon *d, char *buf, size_t cap);

/* The daemon's MQTT client as config/fm.yaml describes it (URL, account,
 * keepalive, persistent session, in-flight window, timeouts), with its fixed
 * client id written into client_id, and the filters remembered as QoS 1
 * subscriptions (made at connect, restored after every reconnect). Does not
 * connect. NULL when the options are refused (logged). */
struct mq *
daemon_mq_new(const struct daemon *d, char *client_id, size_t cap, mq_handler handler, void *ctx,
	      const char *const *filters, size_t n_filters);

/* A second client of the same instance for what the daemon publishes, with
 * the fixed client id "<name>-<instance>-out" and no subscriptions. Why:
 * the broker reads each connection in order, one packet at a time, so on
 * the connection that receives the telemetry stream a publish queues behind
 * that connection's PUBACKs (thousands a second); under load alertd's
 * alarms waited there for up to 230 ms (tests/bench/alertd.sh, seen in a
 * packet capture). Does not connect; NULL when refused (logged). */
struct mq *
daemon_mq_publisher(const struct daemon *d, char *client_id, size_t cap);

#endif

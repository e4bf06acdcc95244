/* main_int.h — the alertd process as its wiring files share it: main.c (the
 * loop and the MQTT handler), main_setup.c (configuration, store, reload,
 * shutdown) and main_stats.c (counters on fm/v1/_sys/alertd/{instance}). */
#ifndef FM_ALERTD_MAIN_INT_H
#define FM_ALERTD_MAIN_INT_H

#include "alertd/devtab.h"
#include "alertd/engine.h"
#include "alertd/intake.h"
#include "alertd/out.h"
#include "who.h"
#include "daemon.h"
#include "latency.h"
#include "msg.h"
#include "registry.h"
#include "rules_conf.h"

#include <pthread.h>

#define ALERTD_TICK_MS 100 /* how often time is fed to the engine */
/* Events recovered at start: from a little before the last sign of life, at
 * most a day back (older ones are history, not alarms). */
#define ALERTD_RECOVER_OVERLAP_MS 5000LL
#define ALERTD_RECOVER_MAX_MS (24LL * 3600 * 1000)

struct db;
struct mq;
struct alert_store;

/* One loaded configuration: the engine points into it, so it lives on the
 * heap and is replaced whole on reload. */
struct alertd_conf {
	struct reg reg; /* sites, people, roster: no devices */
	struct devtab devs;
	struct rcf_set rules;
	struct who who;
};

struct alertd {
	struct daemon d;
	char client_id[160];
	char journal_dir[512];
	struct db *db; /* the main thread's: configuration */
	struct alertd_conf *conf;
	struct engine *eng;
	pthread_mutex_t lock; /* the engine, intake, out and eval */
	struct intake in;
	struct out out;
	struct msg_limits lim;
	struct latency eval; /* message in -> everything it caused queued, µs */
	struct alert_store *store;
	struct mq *mq;  /* "alertd-<instance>": subscribes, receives */
	struct mq *pub; /* "alertd-<instance>-out": everything alertd publishes */
	char pub_client_id[160];
};

/* main_setup.c */
int
alertd_load(struct alertd *g);
int
alertd_open_store(struct alertd *g);
void
alertd_reload(struct alertd *g);
void
alertd_shutdown(struct alertd *g);

/* main_stats.c: publishes the counters (retained); print: also on stderr. */
void
alertd_stats(struct alertd *g, int print);

#endif

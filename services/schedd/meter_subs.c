/* meter_subs.c — schedd reads the telemetry of the devices its plans meter
 * (run hours, starts), not of every device: one subscription per metered
 * device, made and dropped as the configuration changes. On a site of
 * thousands of devices with a few dozen pumps that is most of the broker's
 * fan-out to schedd, and schedd's CPU, saved.
 *
 * The broker keeps a persistent session's subscriptions across restarts, so
 * a device that stopped being metered while schedd was down would stay
 * subscribed: the set subscribed is remembered in a file (one filter a line,
 * <spool dir>/schedd-<instance>/meter_subs) and what it lists that is no
 * longer metered is unsubscribed at start. */
#include "log.h"
#include "mqtt.h"
#include "schedd/main_int.h"
#include "topic.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* 1 when some plan of c among its first `upto` instances meters device at
 * site. */
static int
metered(const struct sched_conf *c, size_t upto, const char *site, const char *device)
{
	for (size_t i = 0; c && i < upto && i < c->n_insts; i++)
		if (c->plans[c->insts[i].plan].has_meter &&
		    strcmp(c->insts[i].device, device) == 0 && strcmp(c->insts[i].site, site) == 0)
			return 1;
	return 0;
}

/* 1, with its device's telemetry filter in filter, when instance i is the
 * first of c that meters its device (several plans may meter one). */
static int
meter_filter(const struct sched_conf *c, size_t i, char filter[TOPIC_MAX_LEN + 1])
{
	const struct sched_inst *in = &c->insts[i];

	return c->plans[in->plan].has_meter && in->device[0] &&
	       !metered(c, i, in->site, in->device) &&
	       topic_build_dev(filter, TOPIC_MAX_LEN + 1, in->site, in->device, TOPIC_TELEMETRY) >=
		       0;
}

/* (Un)subscribes the telemetry of every metered device of `from` that `than`
 * does not meter, once per device. Returns how many. */
static int
apply(struct mq *mq, const struct sched_conf *from, const struct sched_conf *than, int sub)
{
	char filter[TOPIC_MAX_LEN + 1];
	int n = 0;

	for (size_t i = 0; from && i < from->n_insts; i++) {
		const struct sched_inst *in = &from->insts[i];

		if (!meter_filter(from, i, filter) || metered(than, SIZE_MAX, in->site, in->device))
			continue;
		if (sub ? mq_subscribe(mq, filter, 1) : mq_unsubscribe(mq, filter))
			log_warn("meter_subscription_failed", "filter=%s action=%s", filter,
				 sub ? "subscribe" : "unsubscribe");
		n++;
	}
	return n;
}

/* Writes the filters c subscribes to over the file (through a rename). */
static void
remember(const struct schedd *g, const struct sched_conf *c)
{
	char tmp[sizeof g->meter_subs_path + 4], filter[TOPIC_MAX_LEN + 1];
	FILE *f;
	int bad;

	if (!g->meter_subs_path[0])
		return;
	snprintf(tmp, sizeof tmp, "%s.tmp", g->meter_subs_path);
	f = fopen(tmp, "w");
	bad = !f;
	for (size_t i = 0; f && c && i < c->n_insts; i++)
		if (meter_filter(c, i, filter))
			bad |= fprintf(f, "%s\n", filter) < 0;
	if ((f && fclose(f) != 0) || bad || rename(tmp, g->meter_subs_path) < 0)
		log_warn("meter_subscriptions_unsaved", "file=%s error=\"%s\"", g->meter_subs_path,
			 strerror(errno));
}

void
schedd_meter_subs(struct schedd *g, const struct sched_conf *old, const struct sched_conf *now)
{
	int gone = apply(g->mq, old, now, 0), added = apply(g->mq, now, old, 1);

	if (gone || added)
		log_info("meter_subscriptions", "added=%d removed=%d", added, gone);
	if (old) /* at start: once the stale ones are gone (schedd_meter_subs_prune) */
		remember(g, now);
}

void
schedd_meter_subs_prune(struct schedd *g)
{
	char line[TOPIC_MAX_LEN + 2];
	struct topic t;
	FILE *f;
	int n = 0;

	if (!g->meter_subs_path[0])
		return;
	f = fopen(g->meter_subs_path, "r");
	while (f && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (topic_parse(line, strlen(line), &t) != TOPIC_OK || t.kind != TOPIC_TELEMETRY ||
		    metered(g->conf, SIZE_MAX, t.site, t.device))
			continue;
		if (mq_unsubscribe(g->mq, line) == 0)
			n++;
	}
	if (f)
		fclose(f);
	remember(g, g->conf);
	if (n)
		log_info("meter_subscriptions_pruned", "removed=%d reason=\"no longer metered\"",
			 n);
}

void
schedd_meter_subs_file(struct schedd *g)
{
	char *path = g->meter_subs_path, *slash;
	const char *dir = g->d.cfg.spool.dir;
	int n = snprintf(path, sizeof g->meter_subs_path, "%s/schedd-%s/meter_subs", dir,
			 g->d.self->instance);

	if (n < 0 || (size_t)n >= sizeof g->meter_subs_path) {
		log_warn("meter_subscriptions_unsaved", "dir=%s error=\"path too long\"", dir);
		path[0] = '\0';
		return;
	}
	slash = strrchr(path, '/');
	*slash = '\0'; /* the instance's directory, for a moment */
	if ((mkdir(dir, 0700) < 0 && errno != EEXIST) ||
	    (mkdir(path, 0700) < 0 && errno != EEXIST)) {
		log_warn("meter_subscriptions_unsaved", "dir=%s error=\"%s\"", path,
			 strerror(errno));
		path[0] = '\0';
		return;
	}
	*slash = '/';
}

/* meter_subs.c — schedd reads the telemetry of the devices its plans meter
 * (run hours, starts), not of every device: one subscription per metered
 * device, made and dropped as the configuration changes. On a site of
 * thousands of devices with a few dozen pumps that is most of the broker's
 * fan-out to schedd, and schedd's CPU, saved. */
#include "log.h"
#include "mqtt.h"
#include "schedd/main_int.h"
#include "topic.h"

#include <stdint.h>
#include <string.h>

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

/* (Un)subscribes the telemetry of every metered device of `from` that `than`
 * does not meter, once per device (several plans may meter one). Returns
 * how many. */
static int
apply(struct mq *mq, const struct sched_conf *from, const struct sched_conf *than, int sub)
{
	char filter[TOPIC_MAX_LEN + 1];
	int n = 0;

	for (size_t i = 0; from && i < from->n_insts; i++) {
		const struct sched_inst *in = &from->insts[i];

		if (!from->plans[in->plan].has_meter || !in->device[0] ||
		    metered(from, i, in->site, in->device) ||
		    metered(than, SIZE_MAX, in->site, in->device) ||
		    topic_build_dev(filter, sizeof filter, in->site, in->device, TOPIC_TELEMETRY) <
			    0)
			continue;
		if (sub ? mq_subscribe(mq, filter, 1) : mq_unsubscribe(mq, filter))
			log_warn("meter_subscription_failed", "filter=%s action=%s", filter,
				 sub ? "subscribe" : "unsubscribe");
		n++;
	}
	return n;
}

void
schedd_meter_subs(struct schedd *g, const struct sched_conf *old, const struct sched_conf *now)
{
	int gone = apply(g->mq, old, now, 0), added = apply(g->mq, now, old, 1);

	if (gone || added)
		log_info("meter_subscriptions", "added=%d removed=%d", added, gone);
}

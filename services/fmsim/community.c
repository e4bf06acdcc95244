/* community.c — `fmsim community`: simulates every device of one site of the
 * registry (config/) on one MQTT connection: a retained birth status for
 * each at start, telemetry every interval (jittered per device), faults from
 * --fault, --scenario and the control FIFO. SIGTERM/SIGINT: nothing more is
 * published, the connection closes cleanly (no will, so no offline flood),
 * exit 0. SIGUSR1 logs the counters. This file is wiring: options, start-up,
 * the loop. */
#include "community.h"

#include "config.h"
#include "log.h"
#include "mqtt.h"
#include "sim_fault.h"
#include "timeutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLL_MAX_MS 100         /* the longest the loop sleeps: signals, schedules */
#define INTERVAL_MAX_MS 50000LL /* +10 % jitter stays under a minute */

static void
usage(FILE *out)
{
	char list[2048];

	fprintf(out,
		"usage: fmsim community [--site S] [--config DIR] [--speed X] [--interval DUR]\n"
		"                       [--fault NAME[:DEVICE][@AFTER[+FOR]]]... [--scenario "
		"FILE]\n"
		"                       [--control PATH] [--seed N] [--start HH:MM] [--for "
		"DUR]\n"
		"  --site S         the site to simulate (default: the registry's first)\n"
		"  --config DIR     the registry (default: beside fm.yaml)\n"
		"  --speed X        simulated time runs X times faster (default 1; 60: an "
		"hour a minute)\n"
		"  --interval DUR   telemetry period of each device, jittered +-10%% "
		"(default 10s, at most 50s)\n"
		"  --fault SPEC     inject NAME on DEVICE (default: the first of its type) "
		"AFTER\n"
		"                   the start, for FOR (default: until cleared); repeatable\n"
		"  --scenario FILE  lines \"AFTER NAME [DEVICE] [FOR]\"; # comments\n"
		"  --control PATH   the FIFO `fmsim fault` writes to (default var/fmsim.ctl)\n"
		"  --seed N         the random streams (default 1): same seed, same run\n"
		"  --start HH:MM    simulated time of day at start (default: the site's "
		"local time)\n"
		"  --for DUR        stop after DUR (default: at SIGTERM/SIGINT)\n"
		"faults:\n");
	if (sim_fault_list(list, sizeof list) == 0)
		fputs(list, out);
}

static int
parse_start(const char *v, int *out)
{
	int h, m, n = 0;

	if (sscanf(v, "%2d:%2d%n", &h, &m, &n) != 2 || v[n] || h < 0 || h > 23 || m < 0 || m > 59) {
		fprintf(stderr, "fmsim community: --start: expected HH:MM, got '%s'\n", v);
		return -1;
	}
	*out = h * 3600 + m * 60;
	return 0;
}

static int
parse_dur(const char *opt, const char *v, long long min, long long *out)
{
	if (cfg_parse_duration(v, out) < 0 || *out < min || *out > 86400000LL * 365) {
		fprintf(stderr, "fmsim community: --%s: bad duration '%s'\n", opt, v);
		return -1;
	}
	return 0;
}

/* rules.yaml's contract: every device is heard from at least once a minute
 * (its no-data and silence rules count on it), jitter included. */
static int
interval_ok(long long ms)
{
	if (ms <= INTERVAL_MAX_MS)
		return 0;
	fprintf(stderr,
		"fmsim community: --interval: at most %llds (devices report at least "
		"once a minute)\n",
		INTERVAL_MAX_MS / 1000);
	return -1;
}

static int
add_fault(struct comm_opts *o, const char *spec)
{
	struct sim_action a;
	char err[512];

	if (sim_spec_parse_opt(spec, &a, err, sizeof err) < 0) {
		fprintf(stderr, "fmsim community: --fault: %s\n", err);
		return -1;
	}
	o->sched = realloc(o->sched, (o->n_sched + 1) * sizeof *o->sched);
	if (!o->sched)
		fatal("out of memory");
	o->sched[o->n_sched++] = a;
	return 0;
}

/* 1: --help, 0: run, -1: bad usage (printed). */
static int
parse(int argc, char **argv, struct comm_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 1;
		}
		if (!v)
			bad = 1;
		else if (strcmp(a, "--site") == 0)
			o->site = v;
		else if (strcmp(a, "--config") == 0)
			o->config_dir = v;
		else if (strcmp(a, "--control") == 0)
			o->control = v;
		else if (strcmp(a, "--scenario") == 0)
			o->scenario = v;
		else if (strcmp(a, "--speed") == 0)
			bad = fmsim_parse_double("community", "speed", v, 0.01, 3600, &o->speed);
		else if (strcmp(a, "--interval") == 0)
			bad = parse_dur("interval", v, 100, &o->interval_ms) ||
			      interval_ok(o->interval_ms) < 0;
		else if (strcmp(a, "--for") == 0)
			bad = parse_dur("for", v, 1, &o->for_ms);
		else if (strcmp(a, "--seed") == 0)
			bad = fmsim_parse_ll("community", "seed", v, 0, 1LL << 62, &o->seed);
		else if (strcmp(a, "--start") == 0)
			bad = parse_start(v, &o->start_s);
		else if (strcmp(a, "--fault") == 0)
			bad = add_fault(o, v);
		else
			bad = 1;
		if (bad) {
			fprintf(stderr, "fmsim community: bad option '%s'\n", a);
			return -1;
		}
		i++;
	}
	return 0;
}

/* The site's local time of day now, in seconds (UTC if its zone is
 * unknown here). */
static int
local_now_s(const struct reg_site *site)
{
	static struct tu_zone z; /* 26 KiB */
	struct tu_civil lt;

	if (tu_tz_load(site->timezone, &z) < 0) {
		log_warn("timezone_unknown", "site=%s timezone=%s using=UTC", site->id,
			 site->timezone);
		tu_tz_utc(&z);
	}
	if (tu_utc_to_local(&z, tu_now_ms(), &lt) < 0)
		return 0;
	return lt.hour * 3600 + lt.min * 60 + lt.sec;
}

/* Scheduled faults name devices of this site that they fit. */
static int
check_schedule(const struct community *c)
{
	struct sim_effect e;

	for (size_t s = 0; s < c->o.n_sched; s++) {
		const struct sim_action *a = &c->o.sched[s];
		int i = a->device[0] ? comm_dev_find(c, a->device) : 0;

		if (i < 0 ||
		    (a->device[0] && sim_fault_effect(a->fault, c->devs[i].type, &e) < 0)) {
			fprintf(stderr, "fmsim community: fault %s: %s is %s\n",
				sim_fault_name(a->fault), a->device,
				i < 0 ? "not a device of this site" : "of a type it does not fit");
			return -1;
		}
	}
	return 0;
}

static int
setup_mq(struct community *c, const struct daemon *d)
{
	const struct fm_mqtt_conf *mc = &d->cfg.mqtt;
	struct mq_opts mo = {0};
	char client_id[TOPIC_ID_MAX + 32];

	snprintf(client_id, sizeof client_id, "fmsim-community-%s", c->site->id);
	mo.url = mc->url;
	mo.client_id = client_id;
	mo.username = mc->username[0] ? mc->username : NULL;
	mo.password = mc->password[0] ? mc->password : NULL;
	mo.ca_file = mc->ca_file[0] ? mc->ca_file : NULL;
	mo.keepalive_s = mc->keepalive_s;
	mo.clean_start = 1; /* a publisher: nothing to resume */
	mo.max_inflight = mc->max_inflight;
	mo.connect_timeout_ms = mc->connect_timeout_ms;
	mo.publish_timeout_ms = mc->publish_timeout_ms;
	c->mq = mq_new(&mo, NULL, NULL);
	if (!c->mq || mq_connect_retry(c->mq, 30000, (volatile int *)&daemon_stop) < 0) {
		fprintf(stderr, "fmsim community: cannot connect to %s\n", mc->url);
		return FMSIM_UNAVAILABLE;
	}
	return FMSIM_OK;
}

static int
setup(struct community *c, struct daemon *d)
{
	struct cfg_errs errs;
	int rc;

	cfg_errs_init(&errs);
	rc = reg_load_dir(c->o.config_dir, &c->reg, &errs);
	cfg_errs_print(&errs, stderr);
	cfg_errs_free(&errs);
	if (rc < 0)
		return FMSIM_FINDING;
	c->site = c->o.site ? reg_site_find(&c->reg, c->o.site)
			    : (c->reg.n_sites ? &c->reg.sites[0] : NULL);
	if (!c->site) {
		fprintf(stderr, "fmsim community: no site %s in %s\n", c->o.site ? c->o.site : "",
			c->o.config_dir);
		return FMSIM_USAGE;
	}
	if (c->o.scenario && comm_scenario_load(c, c->o.scenario) < 0)
		return FMSIM_USAGE;
	c->t0_ms = tu_mono_ms();
	c->sim_t0_s = c->o.start_s >= 0 ? c->o.start_s : local_now_s(c->site);
	if (comm_devs_build(c) < 0 || check_schedule(c) < 0)
		return FMSIM_USAGE;
	c->sched_done = xcalloc(c->o.n_sched + 1, 1);
	if (sim_ctl_open(&c->ctl, c->o.control) < 0)
		return FMSIM_FINDING;
	return setup_mq(c, d);
}

static void
log_stats(const struct community *c, long long now_ms)
{
	char active[512] = "";
	size_t at = 0;
	double h = fmod(comm_sim_time(c, now_ms), 86400.0) / 3600.0;

	for (int k = 0; k < c->n_active && at < sizeof active; k++) {
		snprintf(active + at, sizeof active - at, "%s%s@%s", k ? "," : "",
			 sim_fault_name(c->active[k].fault), c->devs[c->active[k].dev].reg->id);
		at += strlen(active + at);
	}
	log_info("stats",
		 "published=%lld publish_failed=%lld not_connected=%lld faults_active=%d "
		 "active=%s faults_injected=%lld faults_cleared=%lld faults_rejected=%lld "
		 "control_lines=%lld control_too_long=%lld sim_time=%02d:%02d",
		 c->st.published, c->st.publish_failed, c->st.not_connected, c->n_active,
		 at ? active : "-", c->st.faults_injected, c->st.faults_cleared,
		 c->st.faults_rejected, c->st.control_lines, c->ctl.too_long, (int)h,
		 (int)((h - (int)h) * 60));
}

static void
on_control(void *ctx, const char *line)
{
	struct community *c = ctx;

	comm_fault_control(c, line, tu_mono_ms());
}

static void
run(struct community *c)
{
	while (!daemon_stop) {
		long long now = tu_mono_ms(), wait = POLL_MAX_MS;

		if (c->o.for_ms && now - c->t0_ms >= c->o.for_ms)
			break;
		comm_fault_tick(c, now);
		for (int i = 0; i < c->n_devs && !daemon_stop; i++) {
			struct comm_dev *d = &c->devs[i];

			if (now >= d->next_ms) {
				if (!d->offline)
					comm_publish_telemetry(c, i, now);
				d->next_ms += d->interval_ms;
				if (d->next_ms <= now) /* fell behind: no burst */
					d->next_ms = now + d->interval_ms;
			}
			if (d->next_ms - now < wait)
				wait = d->next_ms - now;
		}
		if (daemon_dump_stats) {
			daemon_dump_stats = 0;
			log_stats(c, now);
		}
		sim_ctl_poll(&c->ctl, wait > 0 ? (int)wait : 0, on_control, c);
	}
}

int
cmd_community(struct daemon *d, int argc, char **argv)
{
	static struct community c;
	int rc;

	memset(&c, 0, sizeof c);
	c.ctl.rfd = c.ctl.wfd = -1;
	c.o = (struct comm_opts){.config_dir = d->cfg.config_dir,
				 .control = "var/fmsim.ctl",
				 .speed = 1,
				 .interval_ms = 10000,
				 .seed = 1,
				 .start_s = -1};
	rc = parse(argc, argv, &c.o);
	if (rc) {
		free(c.o.sched);
		return rc > 0 ? FMSIM_OK : FMSIM_USAGE;
	}
	rc = setup(&c, d);
	if (rc == FMSIM_OK && !daemon_stop) {
		for (int i = 0; i < c.n_devs; i++)
			comm_publish_status(&c, i, 1);
		log_info("started",
			 "site=%s devices=%d speed=%g interval_ms=%lld control=%s "
			 "faults_scheduled=%zu "
			 "sim_time=%02d:%02d",
			 c.site->id, c.n_devs, c.o.speed, c.o.interval_ms, c.o.control, c.o.n_sched,
			 (int)(c.sim_t0_s / 3600), (int)(c.sim_t0_s / 60) % 60);
		run(&c);
		log_stats(&c, tu_mono_ms());
		log_info("stopped", "site=%s", c.site->id);
	}
	if (c.mq)
		mq_disconnect(c.mq);
	mq_free(c.mq);
	sim_ctl_close(&c.ctl);
	comm_devs_free(&c);
	reg_free(&c.reg);
	free(c.sched_done);
	free(c.o.sched);
	return rc;
}

/* daemon.c — the start of every daemon: options, configuration, logging and
 * signals. It owns no resources beyond the configuration it loaded and never
 * connects to a server (each daemon's main does that). */
#include "daemon.h"

#include "log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

volatile sig_atomic_t daemon_stop;
volatile sig_atomic_t daemon_reload;
volatile sig_atomic_t daemon_dump_stats;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		daemon_reload = 1;
	else if (sig == SIGUSR1)
		daemon_dump_stats = 1;
	else
		daemon_stop = 1;
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static void
usage(FILE *out, const char *name, const char *summary)
{
	fprintf(out,
		"usage: %s [-c FILE] [-n] [-v] [-h]\n"
		"%s\n"
		"  -c FILE  configuration (default config/fm.yaml)\n"
		"  -n       check the configuration and exit\n"
		"  -v       verbose (debug logging)\n"
		"  -h       this help\n"
		"environment: FM_MQTT_URL FM_MQTT_USERNAME FM_MQTT_PASSWORD FM_DB_CONNINFO\n"
		"             FM_SPOOL_DIR FM_INSTANCE (and libpq's PG* variables)\n",
		name, summary);
}

enum daemon_start
daemon_start(struct daemon *d, const char *name, const char *summary, int argc, char **argv)
{
	struct cfg_errs errs;
	int ch, rc;

	memset(d, 0, sizeof *d);
	d->name = name;
	d->config_path = "config/fm.yaml";
	log_set_prog(name);
	while ((ch = getopt(argc, argv, "c:nvh")) != -1) {
		switch (ch) {
		case 'c':
			d->config_path = optarg;
			break;
		case 'n':
			d->check_only = 1;
			break;
		case 'v':
			d->verbose = 1;
			break;
		case 'h':
			usage(stdout, name, summary);
			return DAEMON_EXIT_OK;
		default:
			usage(stderr, name, summary);
			return DAEMON_EXIT_FAIL;
		}
	}
	if (optind != argc) {
		usage(stderr, name, summary);
		return DAEMON_EXIT_FAIL;
	}
	cfg_errs_init(&errs);
	rc = fmconf_load(d->config_path, &d->cfg, &errs);
	if (rc < 0) {
		cfg_errs_print(&errs, stderr);
		cfg_errs_free(&errs);
		fprintf(stderr, "%s: configuration %s rejected\n", name, d->config_path);
		return DAEMON_EXIT_FAIL;
	}
	cfg_errs_free(&errs);
	d->self = fmconf_daemon(&d->cfg, name);
	log_set_level(d->verbose ? LOG_DEBUG : (enum log_level)d->cfg.log.level);
	if (d->check_only) {
		printf("%s: configuration %s ok\n", name, d->config_path);
		return DAEMON_EXIT_OK;
	}
	install_signals();
	return DAEMON_RUN;
}

void
daemon_client_id(const struct daemon *d, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s-%s", d->name, d->self ? d->self->instance : "0");
}

static struct mq *
client_for(const struct daemon *d, const char *client_id, mq_handler handler, void *ctx)
{
	const struct fm_mqtt_conf *mc = &d->cfg.mqtt;
	struct mq_opts o = {
		.url = mc->url,
		.client_id = client_id,
		.username = mc->username[0] ? mc->username : NULL,
		.password = mc->password[0] ? mc->password : NULL,
		.ca_file = mc->ca_file[0] ? mc->ca_file : NULL,
		.keepalive_s = mc->keepalive_s,
		.session_expiry_s = mc->session_expiry_s,
		.max_inflight = mc->max_inflight,
		.connect_timeout_ms = mc->connect_timeout_ms,
		.publish_timeout_ms = mc->publish_timeout_ms,
	};

	return mq_new(&o, handler, ctx);
}

struct mq *
daemon_mq_new(const struct daemon *d, char *client_id, size_t cap, mq_handler handler, void *ctx,
	      const char *const *filters, size_t n_filters)
{
	struct mq *m;

	daemon_client_id(d, client_id, cap);
	m = client_for(d, client_id, handler, ctx);
	for (size_t i = 0; m && i < n_filters; i++)
		mq_subscribe(m, filters[i], 1);
	return m;
}

struct mq *
daemon_mq_publisher(const struct daemon *d, char *client_id, size_t cap)
{
	size_t len;

	daemon_client_id(d, client_id, cap);
	len = strlen(client_id);
	snprintf(client_id + len, cap - len, "-out");
	return client_for(d, client_id, NULL, NULL);
}

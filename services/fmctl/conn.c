/* conn.c — fmctl's connections (conn.h). The MQTT client of a person is
 * short-lived: a unique client id and a clean session each run, so nothing
 * is queued for a person's tool between runs and two runs never take each
 * other's session. */
#include "conn.h"

#include "db.h"
#include "log.h"
#include "mqtt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
fconn_init(struct fconn *c, const struct fmctl_opts *o)
{
	struct cfg_errs errs;
	pthread_condattr_t ca;
	int rc;

	memset(c, 0, sizeof *c);
	pthread_mutex_init(&c->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cv, &ca);
	pthread_condattr_destroy(&ca);
	cfg_errs_init(&errs);
	rc = fmconf_load(o->config_path, &c->cfg, &errs);
	if (rc < 0)
		cfg_errs_print(&errs, stderr);
	cfg_errs_free(&errs);
	return rc < 0 ? FMCTL_FINDING : FMCTL_OK;
}

void
fconn_close(struct fconn *c)
{
	struct fconn_msg *m;

	if (c->mq) {
		mq_disconnect(c->mq);
		mq_free(c->mq);
		c->mq = NULL;
	}
	db_free(c->db);
	c->db = NULL;
	while ((m = fconn_next(c, 0)) != NULL)
		free(m);
	memset(c->password, 0, sizeof c->password);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
}

int
fconn_db(struct fconn *c)
{
	if (c->db && db_connected(c->db))
		return FMCTL_OK;
	if (!c->db) {
		c->db = db_new(c->cfg.db.conninfo);
		db_set_connect_timeout_ms(c->db, c->cfg.db.connect_timeout_ms);
	}
	if (db_connect(c->db) != DB_OK) {
		fprintf(stderr, "fmctl: cannot reach PostgreSQL: %s\n", db_error(c->db));
		return FMCTL_UNAVAILABLE;
	}
	/* times print as 2025-11-23 10:00:00+08 whatever the server's default */
	db_exec(c->db, "SET datestyle TO ISO", 0, NULL, NULL);
	return FMCTL_OK;
}

int
fconn_site(struct fconn *c, const char *given, char *site, size_t cap)
{
	struct db_res *r = NULL;
	int rc;

	if (given) {
		snprintf(site, cap, "%s", given);
		return FMCTL_OK;
	}
	if ((rc = fconn_db(c)) != FMCTL_OK)
		return rc;
	if (db_exec(c->db, "SELECT site_id FROM sites ORDER BY site_id LIMIT 2", 0, NULL, &r) !=
	    DB_OK) {
		fprintf(stderr, "fmctl: reading the sites: %s\n", db_error(c->db));
		return FMCTL_FINDING;
	}
	rc = db_res_rows(r) == 1 ? FMCTL_OK : FMCTL_USAGE;
	if (rc == FMCTL_OK)
		snprintf(site, cap, "%s", db_res_get(r, 0, 0));
	else
		fprintf(stderr, "fmctl: the registry holds %s site: give --site\n",
			db_res_rows(r) ? "more than one" : "no");
	db_res_free(r);
	return rc;
}

/* The password of a person: a file only its owner may read (as fm.yaml's
 * password_file), else FM_MQTT_PASSWORD. */
static int
read_password(struct fconn *c, const char *path)
{
	const char *env = getenv("FM_MQTT_PASSWORD");
	struct stat st;
	ssize_t n;
	int fd;

	if (!path) {
		snprintf(c->password, sizeof c->password, "%s", env ? env : "");
		return 0;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "fmctl: --password-file %s: %s\n", path,
			fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		fprintf(stderr,
			"fmctl: --password-file %s: mode %04o lets group or others read it; "
			"chmod 600 it\n",
			path, (unsigned)(st.st_mode & 07777));
		close(fd);
		return -1;
	}
	n = read(fd, c->password, sizeof c->password - 1);
	close(fd);
	if (n < 0)
		n = 0;
	c->password[n] = '\0';
	c->password[strcspn(c->password, "\r\n")] = '\0';
	return 0;
}

static enum mq_verdict
on_message(void *ctx, const struct mq_msg *m)
{
	struct fconn *c = ctx;
	size_t tl = strlen(m->topic);
	struct fconn_msg *q;

	pthread_mutex_lock(&c->mu);
	if (c->queued >= FCONN_QUEUE_MAX) {
		c->dropped++;
		pthread_mutex_unlock(&c->mu);
		return MQ_DROP;
	}
	pthread_mutex_unlock(&c->mu);
	q = malloc(sizeof *q + m->len + 1 + tl + 1);
	if (!q)
		return MQ_RETRY;
	q->next = NULL;
	q->len = m->len;
	q->retained = m->retained;
	if (m->len)
		memcpy(q->payload, m->payload, m->len);
	q->payload[m->len] = '\0';
	q->topic = q->payload + m->len + 1;
	memcpy(q->topic, m->topic, tl + 1);
	pthread_mutex_lock(&c->mu);
	if (c->tail)
		c->tail->next = q;
	else
		c->head = q;
	c->tail = q;
	c->queued++;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	return MQ_OK;
}

/* A refusal by the broker is a reason code >= 0x80 (MQTT 5); anything else
 * (negative Paho codes) means it was not reached. */
static int
broker_status(struct fconn *c, const char *what)
{
	int reason = mq_last_reason(c->mq);

	fprintf(stderr, "fmctl: %s as %s: %s\n", what, c->user, mq_error(c->mq));
	return reason >= 0x80 ? FMCTL_DENIED : FMCTL_UNAVAILABLE;
}

int
fconn_mqtt(struct fconn *c, const struct cli *cli, const char *const *filters, int n)
{
	const struct fm_mqtt_conf *mc = &c->cfg.mqtt;
	struct mq_opts o;

	if (cli->as) {
		snprintf(c->user, sizeof c->user, "%s", cli->as);
		if (read_password(c, cli->password_file) < 0)
			return FMCTL_USAGE;
	} else {
		snprintf(c->user, sizeof c->user, "%s", mc->username[0] ? mc->username : "fmctl");
		snprintf(c->password, sizeof c->password, "%s", mc->password);
	}
	snprintf(c->client_id, sizeof c->client_id, "fmctl-%s-%ld", c->user, (long)getpid());
	memset(&o, 0, sizeof o);
	o.url = mc->url;
	o.client_id = c->client_id;
	o.username = c->user;
	o.password = c->password[0] ? c->password : NULL;
	o.ca_file = mc->ca_file[0] ? mc->ca_file : NULL;
	o.keepalive_s = 30;
	o.clean_start = 1;
	o.connect_timeout_ms = mc->connect_timeout_ms;
	o.publish_timeout_ms = mc->publish_timeout_ms;
	c->mq = mq_new(&o, on_message, c);
	if (!c->mq)
		return FMCTL_USAGE;
	if (mq_connect(c->mq) < 0)
		return broker_status(c, "cannot log in to the broker");
	for (int i = 0; i < n; i++)
		if (mq_subscribe(c->mq, filters[i], 1) < 0)
			return broker_status(c, "subscription refused");
	return FMCTL_OK;
}

int
fconn_publish(struct fconn *c, const char *topic, const char *payload, size_t len)
{
	if (mq_publish(c->mq, topic, payload, len, 1, 0) == 0)
		return FMCTL_OK;
	return broker_status(c, "publish refused");
}

struct fconn_msg *
fconn_next(struct fconn *c, long long wait_ms)
{
	long long deadline = mono_ms() + wait_ms;
	struct fconn_msg *m;
	struct timespec ts;

	pthread_mutex_lock(&c->mu);
	while (!c->head && wait_ms > 0 && mono_ms() < deadline) {
		ts.tv_sec = (time_t)(deadline / 1000);
		ts.tv_nsec = (long)(deadline % 1000) * 1000000;
		pthread_cond_timedwait(&c->cv, &c->mu, &ts);
	}
	m = c->head;
	if (m) {
		c->head = m->next;
		if (!c->head)
			c->tail = NULL;
		c->queued--;
	}
	pthread_mutex_unlock(&c->mu);
	return m;
}

void
fconn_drain(struct fconn *c, long long quiet_ms, long long max_ms,
	    void (*fn)(void *ctx, struct fconn_msg *m), void *ctx)
{
	long long end = mono_ms() + max_ms, left;
	struct fconn_msg *m;

	while ((left = end - mono_ms()) > 0) {
		m = fconn_next(c, left < quiet_ms ? left : quiet_ms);
		if (!m)
			break;
		fn(ctx, m);
	}
}

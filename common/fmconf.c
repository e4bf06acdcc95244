/* fmconf.c — config/fm.yaml: one declarative table per section, then the
 * FM_* environment overrides, then the password file. Every section may be
 * absent (its defaults apply). Relative paths stay relative to the working
 * directory; only config_dir (the registry) is taken from the file's place.
 * It must never log or print the password. */
#include "fmconf.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const fsync_names[] = {"always", "interval", "never", NULL};

static const struct cfg_field mqtt_fields[] = {
	CFG_STR("url", struct fm_mqtt_conf, url, "tcp://127.0.0.1:1883"),
	CFG_STR("username", struct fm_mqtt_conf, username, ""),
	/* Bound only to refuse it with a helpful message. */
	CFG_STR("password", struct fm_mqtt_conf, password, ""),
	CFG_STR("password_file", struct fm_mqtt_conf, password_file, ""),
	CFG_STR("ca_file", struct fm_mqtt_conf, ca_file, ""),
	CFG_INT("keepalive_s", struct fm_mqtt_conf, keepalive_s, "30", 1, 65535),
	CFG_INT("session_expiry_s", struct fm_mqtt_conf, session_expiry_s, "86400", 0, INT_MAX),
	CFG_DURATION("connect_timeout", struct fm_mqtt_conf, connect_timeout_ms, "10s", 100,
		     3600000),
	CFG_DURATION("publish_timeout", struct fm_mqtt_conf, publish_timeout_ms, "10s", 100,
		     3600000),
	CFG_INT("max_inflight", struct fm_mqtt_conf, max_inflight, "64", 1, 65535),
	CFG_END,
};

static const struct cfg_field db_fields[] = {
	CFG_STR("conninfo", struct fm_db_conf, conninfo, ""),
	CFG_DURATION("connect_timeout", struct fm_db_conf, connect_timeout_ms, "5s", 100, 3600000),
	CFG_DURATION("reconnect_max", struct fm_db_conf, reconnect_max_ms, "30s", 100, 3600000),
	CFG_END,
};

static const struct cfg_field spool_fields[] = {
	CFG_STR("dir", struct fm_spool_conf, dir, "var/spool"),
	CFG_ENUM("fsync", struct fm_spool_conf, fsync, "interval", fsync_names),
	CFG_DURATION("fsync_interval", struct fm_spool_conf, fsync_interval_ms, "100ms", 1, 60000),
	CFG_LLONG("max_bytes", struct fm_spool_conf, max_bytes, "1G", 1LL << 20, 1LL << 40),
	CFG_LLONG("segment_bytes", struct fm_spool_conf, segment_bytes, "64M", 1LL << 16,
		  1LL << 30),
	CFG_END,
};

/* The level is bound as text and parsed by log_level_parse, the one place
 * that knows the level names. */
struct log_text {
	char level[16];
};
static const struct cfg_field log_fields[] = {
	CFG_STR("level", struct log_text, level, "info"),
	CFG_END,
};

static const struct cfg_field daemon_fields[] = {
	CFG_STR("instance", struct fm_daemon_conf, instance, ""),
	CFG_DURATION("stats_interval", struct fm_daemon_conf, stats_interval_ms, "10s", 1000,
		     3600000),
	CFG_END,
};

/* The ingestd section: the fields every daemon has, and its own. */
struct ingestd_section {
	struct fm_daemon_conf d;
	struct fm_ingestd_conf i;
};

static const struct cfg_field ingestd_fields[] = {
	CFG_STR("instance", struct ingestd_section, d.instance, ""),
	CFG_DURATION("stats_interval", struct ingestd_section, d.stats_interval_ms, "10s", 1000,
		     3600000),
	CFG_BOOL("shared", struct ingestd_section, i.shared, "false"),
	CFG_STR("share_group", struct ingestd_section, i.share_group, "ingestd"),
	CFG_INT("batch_rows", struct ingestd_section, i.batch_rows, "5000", 1, 1000000),
	CFG_DURATION("batch_time", struct ingestd_section, i.batch_ms, "50ms", 1, 60000),
	CFG_LLONG("max_payload_bytes", struct ingestd_section, i.max_payload_bytes, "64k", 64,
		  262144),
	CFG_DURATION("future_skew", struct ingestd_section, i.future_skew_ms, "5m", 0, 86400000),
	CFG_INT("retention_days", struct ingestd_section, i.retention_days, "90", 2, 36500),
	CFG_INT("partitions_ahead_days", struct ingestd_section, i.partitions_ahead_days, "7", 1,
		366),
	CFG_DURATION("registry_reload", struct ingestd_section, i.registry_reload_ms, "60s", 1000,
		     86400000),
	CFG_DURATION("drain_time", struct ingestd_section, i.drain_ms, "5s", 0, 600000),
	CFG_END,
};

/* The file as bound: log.level is text until log_level_parse has seen it. */
struct file_conf {
	struct fm_mqtt_conf mqtt;
	struct fm_db_conf db;
	struct fm_spool_conf spool;
	struct log_text log;
	struct ingestd_section ingestd;
	struct fm_daemon_conf alertd, schedd, dispatchd, fmsim;
};

static const struct cfg_field top_fields[] = {
	CFG_SECTION("mqtt", struct file_conf, mqtt, mqtt_fields),
	CFG_SECTION("db", struct file_conf, db, db_fields),
	CFG_SECTION("spool", struct file_conf, spool, spool_fields),
	CFG_SECTION("log", struct file_conf, log, log_fields),
	CFG_SECTION("ingestd", struct file_conf, ingestd, ingestd_fields),
	CFG_SECTION("alertd", struct file_conf, alertd, daemon_fields),
	CFG_SECTION("schedd", struct file_conf, schedd, daemon_fields),
	CFG_SECTION("dispatchd", struct file_conf, dispatchd, daemon_fields),
	CFG_SECTION("fmsim", struct file_conf, fmsim, daemon_fields),
	CFG_END,
};

static const char *const url_schemes[] = {"tcp://", "ssl://", "mqtt://", "mqtts://",
					  "ws://",  "wss://", NULL};

/* Copies an environment variable over dst when it is set. */
static void
env_override(const char *name, char *dst, size_t cap, struct cfg_errs *errs)
{
	const char *v = getenv(name);

	if (!v)
		return;
	if (strlen(v) >= cap) {
		cfg_error_at(errs, name, 0, "environment value too long (%zu bytes, at most %zu)",
			     strlen(v), cap - 1);
		return;
	}
	strcpy(dst, v);
}

static void
check_url(const char *url, const struct cfg_node *at, const char *origin, struct cfg_errs *errs)
{
	for (const char *const *s = url_schemes; *s; s++)
		if (strncmp(url, *s, strlen(*s)) == 0 && url[strlen(*s)] != '\0')
			return;
	if (origin)
		cfg_error_at(errs, origin, 0,
			     "'%s' is not a broker URL such as tcp://host:1883 "
			     "or ssl://host:8883",
			     url);
	else
		cfg_error(errs, at,
			  "url: '%s' is not a broker URL such as tcp://host:1883 "
			  "or ssl://host:8883",
			  url);
}

/* Reads the password: the file must be private to its owner (0600 or
 * stricter) because anyone who reads it can act as this daemon. */
static void
read_password_file(struct fm_mqtt_conf *m, const struct cfg_node *at, struct cfg_errs *errs)
{
	const char *path = m->password_file;
	struct stat st;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		cfg_error(errs, at, "password_file '%s': %s", path, strerror(errno));
		return;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		cfg_error(errs, at, "password_file '%s': not a regular file", path);
		goto out;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		cfg_error(errs, at,
			  "password_file '%s': mode %04o lets group or others read it; "
			  "chmod 600 it",
			  path, (unsigned)(st.st_mode & 07777));
		goto out;
	}
	n = read(fd, m->password, sizeof m->password);
	if (n < 0) {
		cfg_error(errs, at, "password_file '%s': %s", path, strerror(errno));
		n = 0;
	} else if ((size_t)n >= sizeof m->password) {
		cfg_error(errs, at, "password_file '%s': password too long (at most %zu bytes)",
			  path, sizeof m->password - 1);
		n = 0;
	}
	m->password[n] = '\0';
	while (n > 0 && (m->password[n - 1] == '\n' || m->password[n - 1] == '\r'))
		m->password[--n] = '\0';
	if (memchr(m->password, '\0', (size_t)n)) {
		cfg_error(errs, at, "password_file '%s': contains a NUL byte", path);
		m->password[0] = '\0';
	}
out:
	close(fd);
}

/* The node of section.key for positions, or the section, or the root. */
static const struct cfg_node *
where(const struct cfg_node *root, const char *section, const char *key)
{
	const struct cfg_node *s = cfg_get(root, section);
	const struct cfg_node *k = cfg_get(s, key);

	return k ? k : s ? s : root;
}

static void
set_paths(struct fm_config *cfg, const char *path, struct cfg_errs *errs)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) : 1;

	if (strlen(path) >= sizeof cfg->path) {
		cfg_error_at(errs, path, 0, "path too long (at most %zu bytes)",
			     sizeof cfg->path - 1);
		return;
	}
	strcpy(cfg->path, path);
	if (!slash)
		strcpy(cfg->config_dir, ".");
	else if (dirlen == 0)
		strcpy(cfg->config_dir, "/");
	else
		snprintf(cfg->config_dir, sizeof cfg->config_dir, "%.*s", (int)dirlen, path);
}

static void
apply_env(struct fm_config *cfg, struct cfg_errs *errs)
{
	struct fm_daemon_conf *d[] = {&cfg->ingestd, &cfg->alertd, &cfg->schedd, &cfg->dispatchd,
				      &cfg->fmsim};
	char host[HOST_NAME_MAX + 1];

	env_override("FM_MQTT_URL", cfg->mqtt.url, sizeof cfg->mqtt.url, errs);
	env_override("FM_MQTT_USERNAME", cfg->mqtt.username, sizeof cfg->mqtt.username, errs);
	env_override("FM_MQTT_PASSWORD", cfg->mqtt.password, sizeof cfg->mqtt.password, errs);
	env_override("FM_MQTT_CA_FILE", cfg->mqtt.ca_file, sizeof cfg->mqtt.ca_file, errs);
	env_override("FM_DB_CONNINFO", cfg->db.conninfo, sizeof cfg->db.conninfo, errs);
	env_override("FM_SPOOL_DIR", cfg->spool.dir, sizeof cfg->spool.dir, errs);
	if (gethostname(host, sizeof host) < 0 || host[0] == '\0')
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
		env_override("FM_INSTANCE", d[i]->instance, sizeof d[i]->instance, errs);
		if (d[i]->instance[0] == '\0')
			snprintf(d[i]->instance, sizeof d[i]->instance, "%s", host);
	}
}

/* A daemon instance names an MQTT topic level (fm/v1/_sys/{daemon}/{instance}). */
static void
check_instances(struct fm_config *cfg, const struct cfg_node *root, struct cfg_errs *errs)
{
	static const char *const names[] = {"ingestd", "alertd", "schedd", "dispatchd", "fmsim"};
	const char *env = getenv("FM_INSTANCE");

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *v = fmconf_daemon(cfg, names[i])->instance;

		if (strspn(v,
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") ==
			    strlen(v) &&
		    strlen(v) <= 64)
			continue;
		if (env) {
			cfg_error_at(errs, "FM_INSTANCE", 0,
				     "'%s' must be 1-64 characters of "
				     "A-Z a-z 0-9 _ . -",
				     v);
			return;
		}
		cfg_error(errs, where(root, names[i], "instance"),
			  "instance: '%s' must be 1-64 "
			  "characters of A-Z a-z 0-9 _ . -",
			  v);
	}
}

int
fmconf_load(const char *path, struct fm_config *cfg, struct cfg_errs *errs)
{
	size_t before = errs->n + errs->dropped;
	struct file_conf *fc = xcalloc(1, sizeof *fc);
	const struct cfg_node *root;
	struct cfg_doc *doc;
	int level;

	memset(cfg, 0, sizeof *cfg);
	set_paths(cfg, path, errs);
	doc = cfg_load(path, errs);
	if (!doc)
		goto fail;
	root = cfg_doc_root(doc);
	cfg_bind(root, top_fields, fc, errs);
	if (fc->mqtt.password[0]) {
		cfg_error(errs, where(root, "mqtt", "password"),
			  "password: never put a "
			  "password in the file; use password_file or FM_MQTT_PASSWORD");
		memset(fc->mqtt.password, 0, sizeof fc->mqtt.password);
	}
	cfg->mqtt = fc->mqtt;
	cfg->db = fc->db;
	cfg->spool = fc->spool;
	cfg->ingestd = fc->ingestd.d;
	cfg->ingest = fc->ingestd.i;
	cfg->alertd = fc->alertd;
	cfg->schedd = fc->schedd;
	cfg->dispatchd = fc->dispatchd;
	cfg->fmsim = fc->fmsim;
	level = log_level_parse(fc->log.level);
	if (level < 0)
		cfg_error(errs, where(root, "log", "level"),
			  "level: unknown value '%s' (expected one of: debug, info, warn, error)",
			  fc->log.level);
	cfg->log.level = level < 0 ? LOG_INFO : level;
	check_url(cfg->mqtt.url, where(root, "mqtt", "url"), NULL, errs);
	apply_env(cfg, errs);
	if (getenv("FM_MQTT_URL"))
		check_url(cfg->mqtt.url, NULL, "FM_MQTT_URL", errs);
	check_instances(cfg, root, errs);
	if (!getenv("FM_MQTT_PASSWORD") && cfg->mqtt.password_file[0])
		read_password_file(&cfg->mqtt, where(root, "mqtt", "password_file"), errs);
	cfg_doc_free(doc);
fail:
	explicit_bzero(fc, sizeof *fc);
	free(fc);
	return errs->n + errs->dropped == before ? 0 : -1;
}

struct fm_daemon_conf *
fmconf_daemon(struct fm_config *cfg, const char *name)
{
	static const struct {
		const char *name;
		size_t offset;
	} daemons[] = {
		{"ingestd", offsetof(struct fm_config, ingestd)},
		{"alertd", offsetof(struct fm_config, alertd)},
		{"schedd", offsetof(struct fm_config, schedd)},
		{"dispatchd", offsetof(struct fm_config, dispatchd)},
		{"fmsim", offsetof(struct fm_config, fmsim)},
	};

	for (size_t i = 0; i < sizeof daemons / sizeof daemons[0]; i++)
		if (strcmp(daemons[i].name, name) == 0)
			return (struct fm_daemon_conf *)(void *)((char *)cfg + daemons[i].offset);
	return NULL;
}

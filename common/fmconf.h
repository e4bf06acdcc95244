/* fmconf.h — config/fm.yaml: connections, spool, logging and one section per
 * daemon, with the FM_* environment overrides applied after the file.
 * One declarative table per section lives in fmconf.c; unknown keys are errors. */
#ifndef FM_FMCONF_H
#define FM_FMCONF_H

#include "config.h"

enum fm_fsync { FM_FSYNC_ALWAYS, FM_FSYNC_INTERVAL, FM_FSYNC_NEVER };

struct fm_mqtt_conf {
	char url[256];		/* FM_MQTT_URL */
	char username[65];	/* FM_MQTT_USERNAME */
	char password[129];	/* FM_MQTT_PASSWORD; never put it in the file */
	char password_file[256];/* a mode-0600 file holding the password */
	char ca_file[256];	/* for ssl:// URLs */
	int keepalive_s;
	int session_expiry_s;
	long long connect_timeout_ms;
	long long publish_timeout_ms;
	int max_inflight;
};

struct fm_db_conf {
	char conninfo[512];	/* FM_DB_CONNINFO; empty: libpq's PG* variables */
	long long connect_timeout_ms;
	long long reconnect_max_ms;
};

struct fm_spool_conf {
	char dir[256];		/* FM_SPOOL_DIR */
	int fsync;		/* enum fm_fsync */
	long long fsync_interval_ms;
	long long max_bytes;
	long long segment_bytes;
};

struct fm_log_conf {
	int level;		/* enum log_level */
};

/* Settings every daemon section has. Later issues add their own fields. */
struct fm_daemon_conf {
	char instance[65];	/* FM_INSTANCE; default: the host name */
	long long stats_interval_ms;
};

struct fm_config {
	char path[256];		/* the file that was loaded */
	char config_dir[256];	/* registry, rules, plans: relative to the file */
	struct fm_mqtt_conf mqtt;
	struct fm_db_conf db;
	struct fm_spool_conf spool;
	struct fm_log_conf log;
	struct fm_daemon_conf ingestd, alertd, schedd, dispatchd, fmsim;
};

/* Loads path into cfg: defaults, file, then environment overrides
 * (FM_MQTT_URL, FM_MQTT_USERNAME, FM_MQTT_PASSWORD, FM_DB_CONNINFO,
 * FM_SPOOL_DIR, FM_INSTANCE). A password_file is read here (it must not be
 * readable by group or others). Returns 0, or -1 with errors in errs. */
int
fmconf_load(const char *path, struct fm_config *cfg, struct cfg_errs *errs);

/* The section of a daemon by name ("ingestd", ...), or NULL. */
struct fm_daemon_conf *
fmconf_daemon(struct fm_config *cfg, const char *name);

#endif

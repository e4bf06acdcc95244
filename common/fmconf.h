/* fmconf.h — config/fm.yaml: connections, spool, logging and one section per
 * daemon, with the FM_* environment overrides applied after the file.
 * One declarative table per section lives in fmconf.c; unknown keys are errors. */
#ifndef FM_FMCONF_H
#define FM_FMCONF_H

#include "config.h"

enum fm_fsync { FM_FSYNC_ALWAYS, FM_FSYNC_INTERVAL, FM_FSYNC_NEVER };

struct fm_mqtt_conf {
	char url[256];           /* FM_MQTT_URL */
	char username[65];       /* FM_MQTT_USERNAME */
	char password[129];      /* FM_MQTT_PASSWORD; never put it in the file */
	char password_file[256]; /* a mode-0600 file holding the password */
	char ca_file[256];       /* for ssl:// URLs */
	int keepalive_s;
	int session_expiry_s;
	long long connect_timeout_ms;
	long long publish_timeout_ms;
	int max_inflight;
};

struct fm_db_conf {
	char conninfo[512]; /* FM_DB_CONNINFO; empty: libpq's PG* variables */
	long long connect_timeout_ms;
	long long reconnect_max_ms;
};

struct fm_spool_conf {
	char dir[256]; /* FM_SPOOL_DIR */
	int fsync;     /* enum fm_fsync */
	long long fsync_interval_ms;
	long long max_bytes;
	long long segment_bytes;
};

struct fm_log_conf {
	int level; /* enum log_level */
};

/* Settings every daemon section has. Later issues add their own fields. */
struct fm_daemon_conf {
	char instance[65]; /* FM_INSTANCE; default: the host name */
	long long stats_interval_ms;
};

/* ingestd's own settings (section "ingestd", beside instance and stats_interval). */
struct fm_ingestd_conf {
	int shared; /* subscribe as $share/<share_group>/... */
	char share_group[65];
	int batch_rows;               /* commit a batch at this many rows ... */
	long long batch_ms;           /* ... or when its oldest record waited this long */
	long long max_payload_bytes;  /* larger payloads are rejected (too_large) */
	long long future_skew_ms;     /* ts further ahead is rejected (ts_future) */
	int retention_days;           /* history kept; older ts rejected, partitions dropped */
	int partitions_ahead_days;    /* daily partitions created ahead */
	long long registry_reload_ms; /* re-read the device registry this often */
	long long drain_ms;           /* on shutdown, how long to drain the spool */
};

struct fm_config {
	char path[256];       /* the file that was loaded */
	char config_dir[256]; /* registry, rules, plans: relative to the file */
	struct fm_mqtt_conf mqtt;
	struct fm_db_conf db;
	struct fm_spool_conf spool;
	struct fm_log_conf log;
	struct fm_daemon_conf ingestd, alertd, schedd, dispatchd, fmsim;
	struct fm_ingestd_conf ingest;
};

/* Loads path into cfg: defaults, file, then environment overrides
 * (FM_MQTT_URL, FM_MQTT_USERNAME, FM_MQTT_PASSWORD, FM_MQTT_CA_FILE,
 * FM_DB_CONNINFO, FM_SPOOL_DIR, FM_INSTANCE). A password_file is read here (it must not be
 * readable by group or others). Returns 0, or -1 with errors in errs. */
int
fmconf_load(const char *path, struct fm_config *cfg, struct cfg_errs *errs);

/* The section of a daemon by name ("ingestd", ...), or NULL. */
struct fm_daemon_conf *
fmconf_daemon(struct fm_config *cfg, const char *name);

#endif

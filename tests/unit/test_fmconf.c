/* test_fmconf.c — common/fmconf: defaults, the shipped config/fm.yaml, the
 * FM_* environment overrides, the password file (read, newline stripped,
 * refused when group or others may read it) and file:line errors. Files are
 * written to a temporary directory. */
#include "fmconf.h"
#include "log.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static const char *const env_names[] = {"FM_MQTT_URL",     "FM_MQTT_USERNAME", "FM_MQTT_PASSWORD",
					"FM_MQTT_CA_FILE", "FM_DB_CONNINFO",   "FM_SPOOL_DIR",
					"FM_INSTANCE"};
static char dir[64];

static int
setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof env_names / sizeof env_names[0]; i++)
		unsetenv(env_names[i]);
	strcpy(dir, "/tmp/test_fmconf.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes text to dir/name with mode; returns the path (static buffer). */
static const char *
write_file(const char *name, const char *text, mode_t mode)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/* Loads text as dir/fm.yaml; returns fmconf_load's result. */
static int
load(const char *text, struct fm_config *cfg, struct cfg_errs *errs)
{
	char path[128];

	snprintf(path, sizeof path, "%s", write_file("fm.yaml", text, 0644));
	cfg_errs_init(errs);
	return fmconf_load(path, cfg, errs);
}

static void
test_defaults(void **state)
{
	struct fm_config cfg;
	struct cfg_errs errs;
	char host[256];

	(void)state;
	assert_int_equal(load("# all defaults\n", &cfg, &errs), 0);
	assert_string_equal(cfg.mqtt.url, "tcp://127.0.0.1:1883");
	assert_string_equal(cfg.mqtt.username, "");
	assert_string_equal(cfg.mqtt.password, "");
	assert_int_equal(cfg.mqtt.keepalive_s, 30);
	assert_int_equal(cfg.mqtt.session_expiry_s, 86400);
	assert_int_equal(cfg.mqtt.connect_timeout_ms, 10000);
	assert_string_equal(cfg.db.conninfo, "");
	assert_string_equal(cfg.spool.dir, "var/spool");
	assert_int_equal(cfg.spool.fsync, FM_FSYNC_INTERVAL);
	assert_int_equal(cfg.spool.fsync_interval_ms, 100);
	assert_int_equal(cfg.spool.max_bytes, 1LL << 30);
	assert_int_equal(cfg.spool.segment_bytes, 64LL << 20);
	assert_int_equal(cfg.log.level, LOG_INFO);
	assert_int_equal(cfg.alertd.stats_interval_ms, 10000);
	gethostname(host, sizeof host);
	assert_string_equal(cfg.ingestd.instance, host);
	assert_string_equal(cfg.config_dir, dir);
	assert_non_null(strstr(cfg.path, "/fm.yaml"));
	assert_ptr_equal(fmconf_daemon(&cfg, "schedd"), &cfg.schedd);
	assert_ptr_equal(fmconf_daemon(&cfg, "fmsim"), &cfg.fmsim);
	assert_null(fmconf_daemon(&cfg, "nosuchd"));
	cfg_errs_free(&errs);
}

/* The shipped file spells out the defaults: loading it changes nothing. */
static void
test_shipped_file(void **state)
{
	struct fm_config cfg, def;
	struct cfg_errs errs;

	(void)state;
	cfg_errs_init(&errs);
	if (fmconf_load("config/fm.yaml", &cfg, &errs) != 0) {
		cfg_errs_print(&errs, stderr);
		fail();
	}
	assert_string_equal(cfg.config_dir, "config");
	assert_int_equal(load("", &def, &errs), 0);
	assert_memory_equal(&cfg.mqtt, &def.mqtt, sizeof cfg.mqtt);
	assert_memory_equal(&cfg.db, &def.db, sizeof cfg.db);
	assert_memory_equal(&cfg.spool, &def.spool, sizeof cfg.spool);
	assert_memory_equal(&cfg.ingestd, &def.ingestd, sizeof cfg.ingestd);
	assert_int_equal(cfg.log.level, def.log.level);
	cfg_errs_free(&errs);
}

static void
test_env_overrides(void **state)
{
	struct fm_config cfg;
	struct cfg_errs errs;

	(void)state;
	setenv("FM_MQTT_URL", "ssl://broker.example:8883", 1);
	setenv("FM_MQTT_USERNAME", "ingestd", 1);
	setenv("FM_MQTT_PASSWORD", "s3cret", 1);
	setenv("FM_MQTT_CA_FILE", "/etc/fm/tls/ca.crt", 1);
	setenv("FM_DB_CONNINFO", "host=db dbname=fm", 1);
	setenv("FM_SPOOL_DIR", "/var/lib/fm/spool", 1);
	setenv("FM_INSTANCE", "node-2", 1);
	assert_int_equal(load("mqtt:\n  url: tcp://file:1883\n  username: fromfile\n"
			      "  password_file: /nonexistent\nspool:\n  dir: x\n",
			      &cfg, &errs),
			 0);
	assert_string_equal(cfg.mqtt.url, "ssl://broker.example:8883");
	assert_string_equal(cfg.mqtt.username, "ingestd");
	/* the environment's password wins; the file is not even opened */
	assert_string_equal(cfg.mqtt.password, "s3cret");
	assert_string_equal(cfg.mqtt.ca_file, "/etc/fm/tls/ca.crt");
	assert_string_equal(cfg.db.conninfo, "host=db dbname=fm");
	assert_string_equal(cfg.spool.dir, "/var/lib/fm/spool");
	assert_string_equal(cfg.ingestd.instance, "node-2");
	assert_string_equal(cfg.dispatchd.instance, "node-2");
	cfg_errs_free(&errs);

	setenv("FM_MQTT_URL", "broker:1883", 1);
	setenv("FM_INSTANCE", "a/b", 1);
	assert_int_equal(load("", &cfg, &errs), -1);
	assert_int_equal(errs.n, 2);
	assert_string_equal(errs.msg[0], "FM_MQTT_URL: 'broker:1883' is not a broker URL such as "
					 "tcp://host:1883 or ssl://host:8883");
	assert_string_equal(errs.msg[1], "FM_INSTANCE: 'a/b' must be 1-64 characters of "
					 "A-Z a-z 0-9 _ . -");
	cfg_errs_free(&errs);
	for (size_t i = 0; i < sizeof env_names / sizeof env_names[0]; i++)
		unsetenv(env_names[i]);
}

static void
test_password_file(void **state)
{
	struct fm_config cfg;
	struct cfg_errs errs;
	char text[256], want[512], pw[128];

	(void)state;
	snprintf(pw, sizeof pw, "%s", write_file("pw", "hunter2\n", 0600));
	snprintf(text, sizeof text, "mqtt:\n  password_file: %s\n", pw);
	assert_int_equal(load(text, &cfg, &errs), 0);
	assert_string_equal(cfg.mqtt.password, "hunter2");
	cfg_errs_free(&errs);

	write_file("pw", "hunter2\r\n", 0400);
	assert_int_equal(load(text, &cfg, &errs), 0);
	assert_string_equal(cfg.mqtt.password, "hunter2");
	cfg_errs_free(&errs);

	write_file("pw", "hunter2\n", 0640);
	assert_int_equal(load(text, &cfg, &errs), -1);
	snprintf(want, sizeof want,
		 "%s/fm.yaml:2: password_file '%s': mode 0640 lets group or "
		 "others read it; chmod 600 it",
		 dir, pw);
	assert_string_equal(errs.msg[0], want);
	assert_string_equal(cfg.mqtt.password, "");
	cfg_errs_free(&errs);

	write_file("pw", "hunter2\n", 0604);
	assert_int_equal(load(text, &cfg, &errs), -1);
	cfg_errs_free(&errs);

	snprintf(text, sizeof text, "mqtt:\n  password_file: %s/missing\n", dir);
	assert_int_equal(load(text, &cfg, &errs), -1);
	snprintf(want, sizeof want,
		 "%s/fm.yaml:2: password_file '%s/missing': No such file or "
		 "directory",
		 dir, dir);
	assert_string_equal(errs.msg[0], want);
	cfg_errs_free(&errs);
}

static void
test_errors(void **state)
{
	static const struct {
		const char *yaml;
		const char *expect; /* after "dir/fm.yaml:" */
	} cases[] = {
		{"mqtt:\n  password: x\n",
		 "2: password: never put a password in the file; use password_file or "
		 "FM_MQTT_PASSWORD"},
		{"mqtt:\n  url: localhost\n", "2: url: 'localhost' is not a broker URL such as "
					      "tcp://host:1883 or ssl://host:8883"},
		{"mqtt:\n  keepalive_s: 0\n", "2: keepalive_s: out of range 1..65535"},
		{"spool:\n  fsync: sometimes\n",
		 "2: fsync: unknown value 'sometimes' (expected one of: always, interval, never)"},
		{"spool:\n  max_bytes: 1k\n", "2: max_bytes: out of range 1M..1024G"},
		{"spool:\n  fsync_interval: soon\n", "2: fsync_interval: expected a duration"},
		{"log:\n  level: loud\n",
		 "2: level: unknown value 'loud' (expected one of: debug, info, warn, error)"},
		{"alertd:\n  instance: a b\n",
		 "2: instance: 'a b' must be 1-64 characters of A-Z a-z 0-9 _ . -"},
		{"ingestd:\n  stats_interval: 10ms\n", "2: stats_interval: out of range 1s..1h"},
		{"dbx:\n  conninfo: x\n",
		 "1: unknown key 'dbx' (known: mqtt, db, spool, log, ingestd,"},
		{"db: [1]\n", "1: expected a mapping of key: value"},
		{"mqtt: {url: tcp://a:1, url: tcp://b:1}\n",
		 "1: duplicate key 'url' (first at line 1)"},
	};
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fm_config cfg;
		struct cfg_errs errs;
		char want[512];

		snprintf(want, sizeof want, "%s/fm.yaml:%s", dir, cases[i].expect);
		if (load(cases[i].yaml, &cfg, &errs) != -1 || errs.n == 0 ||
		    strncmp(errs.msg[0], want, strlen(want)) != 0) {
			print_error("yaml \"%s\": want \"%s\", got \"%s\"\n", cases[i].yaml, want,
				    errs.n ? errs.msg[0] : "(none)");
			failed++;
		}
		cfg_errs_free(&errs);
	}
	assert_int_equal(failed, 0);
}

static void
test_missing_file(void **state)
{
	struct fm_config cfg;
	struct cfg_errs errs;

	(void)state;
	cfg_errs_init(&errs);
	assert_int_equal(fmconf_load("/nonexistent/fm.yaml", &cfg, &errs), -1);
	assert_string_equal(errs.msg[0],
			    "/nonexistent/fm.yaml: cannot open: No such file or directory");
	assert_string_equal(cfg.config_dir, "/nonexistent");
	cfg_errs_free(&errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shipped_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_overrides, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

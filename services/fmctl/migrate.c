/* migrate.c — `fmctl migrate`: applies the pending schemas/sql/NNN_name.sql
 * files in order, each in its own transaction together with its
 * schema_migrations row, under an advisory lock so that concurrent runs are
 * safe. Forward-only: it never edits or reverts an applied migration, and it
 * refuses a directory that disagrees with the database (a gap, a duplicate
 * number, or a database newer than the files). */
#include "fmctl.h"

#include "db.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIGRATION_MAX_BYTES (8 * 1024 * 1024)
#define MIGRATION_MAX_FILES 9999

/* Serialises every fmctl migrate on one database (the lock is per database). */
#define LOCK_SQL "SELECT pg_advisory_xact_lock(hashtext('fmctl migrate'))"
#define CREATE_SQL                                                                                 \
	"CREATE TABLE IF NOT EXISTS schema_migrations ("                                           \
	" version integer PRIMARY KEY CHECK (version > 0),"                                        \
	" name text NOT NULL,"                                                                     \
	" checksum text NOT NULL,"                                                                 \
	" applied_at timestamptz NOT NULL DEFAULT now())"

struct migration {
	int version;
	char name[256]; /* the file name, e.g. 002_history.sql */
};

struct migrate_opts {
	const char *dir;
	int status;
	long long wait_ms;
};

static void
usage(FILE *out)
{
	fprintf(out, "usage: fmctl migrate [--dir DIR] [--status] [--wait SECONDS]\n"
		     "  --dir DIR       migrations (default: $FM_SCHEMA_DIR or schemas/sql)\n"
		     "  --status        list applied and pending migrations, change nothing\n"
		     "  --wait SECONDS  keep trying to reach PostgreSQL this long (default 0)\n"
		     "Connects with FM_DB_CONNINFO or libpq's PG* variables.\n"
		     "Exit: 0 up to date, 1 refused or failed, 2 usage, 3 database unreachable.\n");
}

static int
parse_args(struct migrate_opts *mo, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"dir", required_argument, NULL, 'd'},
		{"status", no_argument, NULL, 's'},
		{"wait", required_argument, NULL, 'w'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *env = getenv("FM_SCHEMA_DIR");
	char *end;
	int ch;

	mo->dir = env && *env ? env : "schemas/sql";
	optind = 0; /* GNU: rescan from argv[1]; main's getopt ran before */
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			mo->dir = optarg;
			break;
		case 's':
			mo->status = 1;
			break;
		case 'w':
			errno = 0;
			mo->wait_ms = strtoll(optarg, &end, 10) * 1000;
			if (errno || end == optarg || *end || mo->wait_ms < 0 ||
			    mo->wait_ms > 86400000LL) {
				fprintf(stderr, "fmctl: migrate: --wait needs 0..86400 seconds\n");
				return FMCTL_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return FMCTL_OK;
		default:
			usage(stderr);
			return FMCTL_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "fmctl: migrate: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return FMCTL_USAGE;
	}
	return -1;
}

/* "NNN_name.sql" -> NNN; -1 for anything else. */
static int
migration_version(const char *name)
{
	size_t digits = strspn(name, "0123456789"), len = strlen(name);
	const char *rest = name + digits;

	if (digits == 0 || digits > 4 || rest[0] != '_' || len < digits + 6 ||
	    strcmp(name + len - 4, ".sql") != 0)
		return -1;
	if (strspn(rest + 1, "abcdefghijklmnopqrstuvwxyz0123456789_") != len - digits - 5)
		return -1;
	return atoi(name);
}

static int
by_version(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

/* Lists the migrations in dir, sorted; checks they are numbered 1..n with no
 * gap or duplicate. Returns n, or -1 after printing why. *out is the
 * caller's to free. */
static int
scan_dir(const char *dir, struct migration **out)
{
	struct migration *m = NULL;
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0, bad = 0;

	*out = NULL;
	if (!d) {
		fprintf(stderr, "fmctl: migrate: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		int v;

		if (len < 4 || strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		v = migration_version(e->d_name);
		if (v < 1 || len >= sizeof m->name || n >= MIGRATION_MAX_FILES) {
			fprintf(stderr,
				"fmctl: migrate: %s/%s: not a migration name "
				"(NNN_lower_case_name.sql, NNN from 001)\n",
				dir, e->d_name);
			bad = 1;
			continue;
		}
		m = realloc(m, (size_t)(n + 1) * sizeof *m);
		if (!m)
			fatal("out of memory");
		m[n].version = v;
		memcpy(m[n].name, e->d_name, len + 1);
		n++;
	}
	closedir(d);
	qsort(m, (size_t)n, sizeof *m, by_version);
	for (int i = 0; i < n && !bad; i++) {
		if (i > 0 && m[i].version == m[i - 1].version) {
			fprintf(stderr, "fmctl: migrate: %s and %s have the same number\n",
				m[i - 1].name, m[i].name);
			bad = 1;
		} else if (m[i].version != i + 1) {
			fprintf(stderr,
				"fmctl: migrate: %s/%s: expected migration %03d next: "
				"numbers must run from 001 without gaps\n",
				dir, m[i].name, i + 1);
			bad = 1;
		}
	}
	if (!bad && n == 0) {
		fprintf(stderr, "fmctl: migrate: no migrations in %s\n", dir);
		bad = 1;
	}
	if (bad) {
		free(m);
		return -1;
	}
	*out = m;
	return n;
}

/* Reads a migration into a NUL-terminated buffer (the caller frees it). */
static char *
read_file(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;
	char *buf = NULL;
	size_t n;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fmctl: migrate: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(MIGRATION_MAX_BYTES + 1);
	n = fread(buf, 1, MIGRATION_MAX_BYTES + 1, f);
	if (ferror(f) || n > MIGRATION_MAX_BYTES || memchr(buf, '\0', n)) {
		fprintf(stderr, "fmctl: migrate: %s: %s\n", path,
			ferror(f) ? strerror(errno) : "too large or not text");
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
	}
	fclose(f);
	return buf;
}

/* After a failed statement: 3 when the server went away, else 1. */
static int
failed(struct db *db, const char *what)
{
	int rc = db_connected(db) ? FMCTL_FINDING : FMCTL_UNAVAILABLE;

	fprintf(stderr, "fmctl: migrate: %s: %s\n", what, db_error(db));
	db_rollback(db);
	return rc;
}

/* Warns about applied migrations whose file changed since: forward-only
 * means the fix is a new migration, and a reader must not trust the file. */
static void
check_applied(struct db *db, const char *dir, const struct migration *m, int applied)
{
	for (int i = 0; i < applied; i++) {
		char ver[16], *sql = read_file(dir, m[i].name);
		const char *params[2] = {ver, sql}, *same;
		struct db_res *r;

		if (!sql)
			continue;
		snprintf(ver, sizeof ver, "%d", m[i].version);
		if (db_exec(db,
			    "SELECT checksum = md5($2) FROM schema_migrations"
			    " WHERE version = $1::integer",
			    2, params, &r) == DB_OK) {
			same = db_res_get(r, 0, 0);
			if (!same || strcmp(same, "t") != 0)
				fprintf(stderr,
					"fmctl: migrate: warning: %s %s; migrations are "
					"forward-only: add a new one instead of editing\n",
					m[i].name,
					same ? "changed after it was applied"
					     : "is not recorded as applied");
			db_res_free(r);
		}
		free(sql);
	}
}

/* One transaction: take the lock, read the version and apply the next
 * migration, if any, with its schema_migrations row. Returns an exit status;
 * *applied says whether a migration was applied. */
static int
step(struct db *db, const char *dir, const struct migration *m, int n, int verify, int *version,
     int *applied)
{
	char ver[16], *sql;
	const char *params[3];
	int v;

	*applied = 0;
	if (db_begin(db) != DB_OK || db_exec(db, LOCK_SQL, 0, NULL, NULL) != DB_OK ||
	    db_exec(db, CREATE_SQL, 0, NULL, NULL) != DB_OK)
		return failed(db, "schema_migrations");
	if ((v = db_schema_version(db)) < 0)
		return failed(db, "schema_migrations");
	*version = v;
	if (v > n) {
		fprintf(stderr,
			"fmctl: migrate: the database is at version %d, newer than the "
			"newest migration in %s (%03d): use the matching fmctl\n",
			v, dir, n);
		db_rollback(db);
		return FMCTL_FINDING;
	}
	if (verify)
		check_applied(db, dir, m, v);
	if (v == n) {
		db_rollback(db);
		return FMCTL_OK;
	}
	if (!(sql = read_file(dir, m[v].name))) {
		db_rollback(db);
		return FMCTL_FINDING;
	}
	snprintf(ver, sizeof ver, "%d", m[v].version);
	params[0] = ver, params[1] = m[v].name, params[2] = sql;
	if (db_exec_script(db, sql) != DB_OK ||
	    db_exec(db,
		    "INSERT INTO schema_migrations (version, name, checksum)"
		    " VALUES ($1::integer, $2, md5($3))",
		    3, params, NULL) != DB_OK ||
	    db_commit(db) != DB_OK) {
		free(sql);
		return failed(db, m[v].name);
	}
	free(sql);
	*version = v + 1;
	*applied = 1;
	return FMCTL_OK;
}

static int
show_status(struct db *db, const struct migration *m, int n)
{
	struct db_res *r = NULL;
	int v = db_schema_version(db);
	size_t row = 0;

	if (v < 0)
		return failed(db, "schema_migrations");
	if (v > 0 && db_exec(db,
			     "SELECT version, to_char(applied_at AT TIME ZONE 'UTC',"
			     " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM schema_migrations"
			     " ORDER BY version",
			     0, NULL, &r) != DB_OK)
		return failed(db, "schema_migrations");
	for (int i = 0; i < n; i++) {
		const char *at = NULL;

		for (; r && row < db_res_rows(r) && atoi(db_res_get(r, row, 0)) <= m[i].version;
		     row++)
			if (atoi(db_res_get(r, row, 0)) == m[i].version)
				at = db_res_get(r, row, 1);
		printf("%-8s %-40s %s\n", at ? "applied" : "pending", m[i].name, at ? at : "");
	}
	db_res_free(r);
	if (v > n) {
		printf("schema at version %d: newer than these migrations (%d)\n", v, n);
		return FMCTL_FINDING;
	}
	printf("schema at version %d, %d pending\n", v, n - v);
	return FMCTL_OK;
}

int
cmd_migrate(const struct fmctl_opts *o, int argc, char **argv)
{
	struct migrate_opts mo = {NULL, 0, 0};
	struct migration *m = NULL;
	struct db *db = NULL;
	int n, rc, version = 0, applied = 0, one;

	(void)o; /* the database comes from FM_DB_CONNINFO / PG* */
	if ((rc = parse_args(&mo, argc, argv)) >= 0)
		return rc;
	if ((n = scan_dir(mo.dir, &m)) < 0)
		return FMCTL_FINDING;
	db = db_new(NULL);
	db_set_application_name(db, "fmctl");
	db_set_connect_timeout_ms(db, 10000);
	if (db_connect_retry(db, mo.wait_ms, 2000, NULL) != DB_OK) {
		fprintf(stderr, "fmctl: migrate: cannot reach PostgreSQL: %s\n", db_error(db));
		rc = FMCTL_UNAVAILABLE;
		goto out;
	}
	if (mo.status) {
		rc = show_status(db, m, n);
		goto out;
	}
	do {
		rc = step(db, mo.dir, m, n, applied == 0, &version, &one);
		if (one)
			printf("applied %s\n", m[version - 1].name);
		applied += one;
	} while (rc == FMCTL_OK && one);
	if (rc == FMCTL_OK && applied)
		printf("schema at version %d (applied %d)\n", version, applied);
	else if (rc == FMCTL_OK)
		printf("schema at version %d, nothing to apply\n", version);
out:
	db_free(db);
	free(m);
	return rc;
}

/* check.c — `fmsim check`: loads an oracle file into temporary tables and
 * asks PostgreSQL, in one aggregate query, which acknowledged messages have
 * no (or not all) rows in readings and how many rows are duplicates; with
 * --wait it repeats until nothing is missing. It only reads readings:
 * everything it writes is session-local and temporary. */
#include "fmsim.h"
#include "oracle.h"

#include "db.h"
#include "log.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK_POLL_MS 500

#define CREATE_SQL                                                                                 \
	"CREATE TEMP TABLE fmsim_devices (device_id text PRIMARY KEY);"                            \
	"CREATE TEMP TABLE fmsim_acked (device_id text NOT NULL, lo bigint NOT NULL,"              \
	" hi bigint NOT NULL)"
#define EXPAND_SQL                                                                                 \
	"CREATE TEMP TABLE fmsim_expected AS SELECT a.device_id, s.seq FROM fmsim_acked a"         \
	" CROSS JOIN LATERAL generate_series(a.lo, a.hi) AS s(seq);"                               \
	"ANALYZE fmsim_devices; ANALYZE fmsim_expected"
/* Per stored message (device, seq) of the run's devices and time window:
 * how many rows and how many distinct metrics. Rows beyond one per (device,
 * seq, metric) are duplicates whatever their ts; an acknowledged message with
 * fewer than $3 metrics stored is missing. $1, $2: the window in UTC ms. */
#define COUNT_SQL                                                                                  \
	"WITH r AS ("                                                                              \
	" SELECT r.device_id, r.seq, count(*) AS n_rows, count(DISTINCT r.metric) AS n_metrics"    \
	" FROM readings r JOIN fmsim_devices d ON d.device_id = r.device_id"                       \
	" WHERE r.ts >= timestamptz 'epoch' + $1::bigint * interval '1 millisecond'"               \
	" AND r.ts <= timestamptz 'epoch' + $2::bigint * interval '1 millisecond'"                 \
	" GROUP BY r.device_id, r.seq)"                                                            \
	" SELECT count(e.seq),"                                                                    \
	" count(*) FILTER (WHERE e.seq IS NOT NULL AND r.n_metrics >= $3::int),"                   \
	" count(*) FILTER (WHERE e.seq IS NOT NULL AND r.seq IS NULL),"                            \
	" count(*) FILTER (WHERE e.seq IS NOT NULL AND r.n_metrics < $3::int),"                    \
	" coalesce(sum(r.n_rows - r.n_metrics), 0),"                                               \
	" count(*) FILTER (WHERE e.seq IS NULL)"                                                   \
	" FROM fmsim_expected e FULL JOIN r ON r.device_id = e.device_id AND r.seq = e.seq"

struct check_opts {
	const char *oracle_path;
	double wait_s;
	double settle_s; /* 0: wait all of wait_s */
	int metrics;     /* 0: the oracle's */
};

/* The oracle in memory: device ids, and ranges by device index. */
struct check_range {
	size_t dev;
	long long lo, hi;
};

struct check_data {
	char (*ids)[ORACLE_ID_MAX + 1];
	size_t n_ids, cap_ids;
	struct check_range *ranges;
	size_t n_ranges, cap_ranges;
};

struct check_counts {
	long long acked, stored, absent, partial, duplicates, unacked_stored;
};

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: fmsim check --oracle FILE [--wait SECONDS [--settle SECONDS]]\n"
		"                   [--metrics M]\n"
		"  --oracle FILE    written by `fmsim load --oracle FILE`\n"
		"  --wait SECONDS   ingestion is asynchronous: poll until nothing is missing\n"
		"                   or SECONDS pass (default 0: look once)\n"
		"  --settle SECONDS with --wait: stop early once the missing count has not\n"
		"                   changed for SECONDS (a message that will never come)\n"
		"  --metrics M      rows expected per message (default: the oracle's)\n"
		"Looks at readings of the oracle's devices within its time window. Prints\n"
		"acked, stored (acknowledged and complete), missing (acknowledged, with fewer\n"
		"rows than metrics; partial of them have some), duplicates (rows beyond one\n"
		"per device, seq and metric, whatever their ts) and unacked_stored (stored\n"
		"but never acknowledged: fine, QoS 1 is at least once).\n"
		"Connects with fm.yaml db.conninfo, FM_DB_CONNINFO or PG*.\n"
		"Exit: 0 nothing missing or duplicated, 1 otherwise, 2 usage or a bad\n"
		"oracle file, 3 database unreachable.\n");
}

static int
parse_args(struct check_opts *co, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"oracle", required_argument, NULL, 'o'}, {"wait", required_argument, NULL, 'w'},
		{"settle", required_argument, NULL, 's'}, {"metrics", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	long long v;
	int ch;

	memset(co, 0, sizeof *co);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			co->oracle_path = optarg;
			break;
		case 'w':
			if (fmsim_parse_double("check", "wait", optarg, 0, 86400, &co->wait_s) < 0)
				return -1;
			break;
		case 's':
			if (fmsim_parse_double("check", "settle", optarg, 0, 86400, &co->settle_s) <
			    0)
				return -1;
			break;
		case 'm':
			if (fmsim_parse_ll("check", "metrics", optarg, 1, 256, &v) < 0)
				return -1;
			co->metrics = (int)v;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			fprintf(stderr, "fmsim check: unknown option or missing value: '%s'\n",
				argv[optind - 1]);
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc || !co->oracle_path) {
		usage(stderr);
		return -1;
	}
	return 0;
}

static void
on_device(void *ctx, const char *id)
{
	struct check_data *cd = ctx;

	if (cd->n_ids == cd->cap_ids) {
		cd->cap_ids = cd->cap_ids ? cd->cap_ids * 2 : 256;
		cd->ids = realloc(cd->ids, cd->cap_ids * sizeof *cd->ids);
		if (!cd->ids)
			fatal("out of memory");
	}
	snprintf(cd->ids[cd->n_ids++], sizeof cd->ids[0], "%s", id);
}

static void
on_range(void *ctx, const char *id, long long lo, long long hi)
{
	struct check_data *cd = ctx;

	(void)id; /* always the device on_device was last called with */
	if (cd->n_ranges == cd->cap_ranges) {
		cd->cap_ranges = cd->cap_ranges ? cd->cap_ranges * 2 : 256;
		cd->ranges = realloc(cd->ranges, cd->cap_ranges * sizeof *cd->ranges);
		if (!cd->ranges)
			fatal("out of memory");
	}
	cd->ranges[cd->n_ranges++] = (struct check_range){cd->n_ids - 1, lo, hi};
}

/* Reads and checks the whole file before anything goes to the server. */
static int
read_oracle(const char *path, struct oracle_reader *rd, struct check_data *cd)
{
	enum oracle_err e = ORACLE_OK;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	memset(rd, 0, sizeof *rd);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "fmsim check: cannot read %s: %m\n", path);
		return -1;
	}
	while (e == ORACLE_OK && getline(&line, &cap, f) >= 0)
		e = oracle_read_line(rd, line, on_device, on_range, cd);
	if (e == ORACLE_OK && ferror(f)) {
		fprintf(stderr, "fmsim check: cannot read %s: %m\n", path);
		e = ORACLE_ERR_COUNT;
	} else if (e == ORACLE_OK && (e = oracle_read_end(rd)) != ORACLE_OK) {
		fprintf(stderr, "fmsim check: %s: %s (devices=%lld acked=%lld in the file)\n", path,
			oracle_err_name(e), rd->devices, rd->acked);
	} else if (e != ORACLE_OK) {
		fprintf(stderr, "fmsim check: %s:%lld: %s\n", path, rd->line, oracle_err_name(e));
	}
	free(line);
	fclose(f);
	return e == ORACLE_OK ? 0 : -1;
}

static enum db_status
copy_oracle(struct db *db, const struct check_data *cd)
{
	char lo[24], hi[24];
	const char *f[3];
	enum db_status s;

	s = db_copy_begin(db, "COPY fmsim_devices (device_id) FROM STDIN");
	for (size_t i = 0; s == DB_OK && i < cd->n_ids; i++) {
		f[0] = cd->ids[i];
		s = db_copy_row(db, 1, f);
	}
	if (s == DB_OK)
		s = db_copy_end(db);
	if (s == DB_OK)
		s = db_copy_begin(db, "COPY fmsim_acked (device_id, lo, hi) FROM STDIN");
	for (size_t i = 0; s == DB_OK && i < cd->n_ranges; i++) {
		snprintf(lo, sizeof lo, "%lld", cd->ranges[i].lo);
		snprintf(hi, sizeof hi, "%lld", cd->ranges[i].hi);
		f[0] = cd->ids[cd->ranges[i].dev];
		f[1] = lo;
		f[2] = hi;
		s = db_copy_row(db, 3, f);
	}
	if (s == DB_OK)
		s = db_copy_end(db);
	return s;
}

static enum db_status
count(struct db *db, const struct oracle_header *h, int metrics, struct check_counts *c)
{
	char t0[24], t1[24], m[16];
	const char *params[3] = {t0, t1, m};
	long long *out[6] = {&c->acked,   &c->stored,     &c->absent,
			     &c->partial, &c->duplicates, &c->unacked_stored};
	struct db_res *res = NULL;
	enum db_status s;

	snprintf(t0, sizeof t0, "%lld", h->t0_ms);
	snprintf(t1, sizeof t1, "%lld", h->t1_ms);
	snprintf(m, sizeof m, "%d", metrics);
	s = db_exec(db, COUNT_SQL, 3, params, &res);
	if (s != DB_OK)
		return s;
	for (int i = 0; i < 6; i++) {
		const char *v = db_res_rows(res) == 1 ? db_res_get(res, 0, i) : NULL;

		*out[i] = v ? strtoll(v, NULL, 10) : 0;
	}
	db_res_free(res);
	return DB_OK;
}

static void
sleep_ms(long long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

static int
run(struct daemon *d, const struct check_opts *co, const struct oracle_header *h,
    const struct check_data *cd)
{
	int metrics = co->metrics ? co->metrics : h->metrics, rc;
	long long waited_ms = 0, still_ms = 0, last = -1;
	struct check_counts c;
	enum db_status s;
	struct db *db;

	db = db_new(d->cfg.db.conninfo);
	db_set_connect_timeout_ms(db, d->cfg.db.connect_timeout_ms);
	s = db_connect(db);
	if (s == DB_OK && db_schema_version(db) < 2) {
		fprintf(stderr, "fmsim check: the database has no readings table; run "
				"fmctl migrate first\n");
		rc = db_connected(db) ? FMSIM_FINDING : FMSIM_UNAVAILABLE;
		goto out;
	}
	if (s == DB_OK)
		s = db_exec_script(db, CREATE_SQL);
	if (s == DB_OK)
		s = copy_oracle(db, cd);
	if (s == DB_OK)
		s = db_exec_script(db, EXPAND_SQL);
	while (s == DB_OK) {
		s = count(db, h, metrics, &c);
		if (s != DB_OK)
			break;
		if (c.absent + c.partial != last)
			last = c.absent + c.partial, still_ms = 0;
		if (c.absent + c.partial == 0 || waited_ms >= co->wait_s * 1000 ||
		    (co->settle_s > 0 && still_ms >= co->settle_s * 1000) || daemon_stop)
			break;
		if (d->verbose)
			fprintf(stderr, "fmsim check: %lld missing after %.1f s\n",
				c.absent + c.partial, (double)waited_ms / 1000);
		sleep_ms(CHECK_POLL_MS);
		waited_ms += CHECK_POLL_MS;
		still_ms += CHECK_POLL_MS;
	}
	if (s != DB_OK) {
		fprintf(stderr, "fmsim check: %s: %s\n",
			db_connected(db) ? "query failed" : "cannot reach PostgreSQL",
			db_error(db));
		rc = s == DB_RETRY ? FMSIM_UNAVAILABLE : FMSIM_FINDING;
		goto out;
	}
	printf("fmsim check: acked=%lld stored=%lld missing=%lld duplicates=%lld "
	       "unacked_stored=%lld partial=%lld metrics=%d\n",
	       c.acked, c.stored, c.absent + c.partial, c.duplicates, c.unacked_stored, c.partial,
	       metrics);
	rc = c.absent + c.partial == 0 && c.duplicates == 0 ? FMSIM_OK : FMSIM_FINDING;
out:
	db_free(db);
	return rc;
}

int
cmd_check(struct daemon *d, int argc, char **argv)
{
	struct check_data cd = {0};
	struct oracle_reader rd;
	struct check_opts co;
	int rc;

	rc = parse_args(&co, argc, argv);
	if (rc)
		return rc > 0 ? FMSIM_OK : FMSIM_USAGE;
	if (read_oracle(co.oracle_path, &rd, &cd) < 0)
		rc = FMSIM_USAGE;
	else
		rc = run(d, &co, &rd.h, &cd);
	free(cd.ids);
	free(cd.ranges);
	return rc;
}

/* bench_spool.c — how fast ingestd's spool appends (200-byte and 2 KiB
 * records under each fsync policy) and reads back, in a directory of its own
 * under $TMPDIR or /var/tmp (a real disk, not tmpfs, or "always" means
 * nothing). Prints figures; never fails on a number. */
#include "spool.h"

#include "log.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define CASE_SECONDS_MAX 5.0

struct bench_case {
	const char *label;
	enum spool_fsync policy;
	size_t len;
	long records;
};

static char dir[256];

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
count_bytes(void *ctx, const struct spool_pos *at, int type, const void *data, size_t len)
{
	long long *bytes = ctx;

	(void)at;
	(void)type;
	(void)data;
	*bytes += (long long)len;
	return 0;
}

static void
print_rate(const char *what, const char *label, size_t len, long n, long long bytes, double s,
	   long long fsyncs)
{
	printf("%-6s %-16s record=%5zuB  n=%7ld  %9.0f rec/s  %7.1f MB/s", what, label, len, n,
	       (double)n / s, (double)bytes / s / 1e6);
	if (fsyncs >= 0)
		printf("  fsyncs=%lld", fsyncs);
	printf("\n");
}

/* Appends up to c->records records (fewer if CASE_SECONDS_MAX passes), then
 * reads them all back. 0, or -1 if the spool failed. */
static int
run_case(const struct bench_case *c, int measure_read)
{
	struct spool_opts o = {.dir = dir, .max_bytes = 1LL << 40, .fsync = c->policy};
	struct spool_stats st;
	struct spool_pos pos = {0, 0};
	unsigned char *buf = malloc(c->len);
	struct spool *s = NULL;
	long long bytes = 0;
	double t0, t1;
	long n;
	int got;

	if (!buf)
		return -1;
	for (size_t i = 0; i < c->len; i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	s = spool_open(&o);
	if (!s)
		goto fail;
	t0 = now_s();
	for (n = 0; n < c->records;) {
		memcpy(buf, &n, sizeof n);
		if (spool_append(s, 1, buf, c->len) != SPOOL_OK)
			goto fail;
		n++;
		if ((n & 255) == 0 && now_s() - t0 > CASE_SECONDS_MAX)
			break;
	}
	t1 = now_s();
	spool_stats(s, &st);
	print_rate("append", c->label, c->len, n, (long long)n * (long long)c->len, t1 - t0,
		   st.fsyncs);
	if (measure_read) {
		t0 = now_s();
		while ((got = spool_read(s, &pos, 10000, 0, count_bytes, &bytes)) > 0)
			;
		t1 = now_s();
		if (got < 0)
			goto fail;
		print_rate("read", "from page cache", c->len, n, bytes, t1 - t0, -1);
	}
	spool_close(s);
	free(buf);
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
fail:
	fprintf(stderr, "bench_spool: %s case failed (see log)\n", c->label);
	spool_close(s);
	free(buf);
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return -1;
}

static void
bench_crc(void)
{
	static unsigned char block[1 << 20];
	uint32_t crc = 0;
	double t0, t1;
	int rounds = 512;

	for (size_t i = 0; i < sizeof block; i++)
		block[i] = (unsigned char)(i * 131);
	t0 = now_s();
	for (int r = 0; r < rounds; r++)
		crc = spool_crc32c(crc, block, sizeof block);
	t1 = now_s();
	printf("crc32c (table, slicing-by-8): %.0f MB/s (crc %08x)\n",
	       (double)rounds * sizeof block / (t1 - t0) / 1e6, (unsigned)crc);
}

int
main(void)
{
	static const struct bench_case cases[] = {
		{"fsync=never", SPOOL_FSYNC_NEVER, 200, 1000000},
		{"fsync=never", SPOOL_FSYNC_NEVER, 2048, 200000},
		{"fsync=interval", SPOOL_FSYNC_INTERVAL, 200, 1000000},
		{"fsync=interval", SPOOL_FSYNC_INTERVAL, 2048, 200000},
		{"fsync=always", SPOOL_FSYNC_ALWAYS, 200, 2000},
		{"fsync=always", SPOOL_FSYNC_ALWAYS, 2048, 2000},
	};
	const char *tmp = getenv("TMPDIR");
	int failed = 0;

	log_set_level(LOG_WARN);
	snprintf(dir, sizeof dir, "%s/bench_spool.XXXXXX", tmp && tmp[0] ? tmp : "/var/tmp");
	if (!mkdtemp(dir)) {
		perror("bench_spool: mkdtemp");
		return 1;
	}
	printf("spool bench in %s (segments of %lld MiB; at most %.0f s per case)\n", dir,
	       SPOOL_SEGMENT_BYTES_DEFAULT >> 20, CASE_SECONDS_MAX);
	bench_crc();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		failed |= run_case(&cases[i], cases[i].policy == SPOOL_FSYNC_NEVER) < 0;
	remove(dir);
	return failed;
}

/* log.c — the line logger behind log.h. Writes each line with one write(2) so
 * lines from threads never interleave; it never allocates and never blocks on
 * anything but stderr. */
#include "log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level cur_level = LOG_INFO;
static const char *prog_name = "fm";
static pthread_mutex_t limit_mu = PTHREAD_MUTEX_INITIALIZER;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

int
log_level_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, level_names[i]) == 0)
			return i;
	return -1;
}

void
log_set_level(enum log_level level)
{
	cur_level = level;
}

enum log_level
log_get_level(void)
{
	return cur_level;
}

void
log_set_prog(const char *prog)
{
	prog_name = prog;
}

void
log_vmsg(enum log_level level, const char *event, const char *fmt, va_list ap)
{
	char line[2048];
	struct timespec ts;
	struct tm tm;
	size_t n;
	int r;

	if (level < cur_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S", &tm);
	r = snprintf(line + n, sizeof line - n, ".%03ldZ prog=%s level=%s event=%s",
		     ts.tv_nsec / 1000000, prog_name, level_names[level], event);
	if (r > 0)
		n += (size_t)r < sizeof line - n ? (size_t)r : sizeof line - n - 1;
	if (fmt && n < sizeof line - 2) {
		line[n++] = ' ';
		r = vsnprintf(line + n, sizeof line - n, fmt, ap);
		if (r > 0)
			n += (size_t)r < sizeof line - n ? (size_t)r : sizeof line - n - 1;
	}
	if (n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0)
		return; /* nowhere left to complain */
}

void
log_msg(enum log_level level, const char *event, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, event, fmt, ap);
	va_end(ap);
}

void
log_limited(struct log_limit *lim, enum log_level level, const char *event, const char *fmt, ...)
{
	struct timespec ts;
	long long now_ms;
	unsigned long suppressed;
	char buf[1536];
	va_list ap;

	if (level < cur_level)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	pthread_mutex_lock(&limit_mu);
	if (now_ms < lim->next_ms) {
		lim->suppressed++;
		pthread_mutex_unlock(&limit_mu);
		return;
	}
	suppressed = lim->suppressed;
	lim->suppressed = 0;
	lim->next_ms = now_ms + lim->interval_ms;
	pthread_mutex_unlock(&limit_mu);

	buf[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(buf, sizeof buf, fmt, ap);
		va_end(ap);
	}
	if (suppressed)
		log_msg(level, event, "%s%ssuppressed=%lu", buf, buf[0] ? " " : "", suppressed);
	else
		log_msg(level, event, fmt ? "%s" : NULL, buf);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		fatal("out of memory");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		fatal("out of memory");
	return p;
}

void *
xgrow(void *p, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t want;

	if (n < *cap)
		return p;
	want = *cap ? *cap * 2 : first;
	p = realloc(p, want * size);
	if (!p)
		fatal("out of memory");
	*cap = want;
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		fatal("out of memory");
	return p;
}

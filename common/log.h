/* log.h — one line per event on stderr: "ts level=... event=... key=value ...".
 * Repeated complaints are rate-limited per call site (at most one line per
 * interval, with a count of what was suppressed). Thread-safe. No allocation. */
#ifndef FM_LOG_H
#define FM_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Parses "debug|info|warn|error"; returns the level or -1. */
int
log_level_parse(const char *name);

void
log_set_level(enum log_level level);

enum log_level
log_get_level(void);

/* Sets the program name printed as prog=... (the string must outlive logging). */
void
log_set_prog(const char *prog);

/* event: a short snake_case name; fmt: further "key=value" fields or NULL. */
void
log_msg(enum log_level level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void
log_vmsg(enum log_level level, const char *event, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* A rate limiter for one call site: static struct log_limit l = LOG_LIMIT(10000); */
struct log_limit {
	long long interval_ms;
	long long next_ms; /* monotonic time of the next allowed line */
	unsigned long suppressed;
};
#define LOG_LIMIT(interval_ms)                                                                     \
	{                                                                                          \
		(interval_ms), 0, 0                                                                \
	}

/* Logs at most once per interval for this limiter; the next line that is let
 * through carries suppressed=N for the lines dropped meanwhile. */
void
log_limited(struct log_limit *lim, enum log_level level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define log_debug(ev, ...)                                                                         \
	do {                                                                                       \
		if (log_get_level() <= LOG_DEBUG)                                                  \
			log_msg(LOG_DEBUG, ev, __VA_ARGS__);                                       \
	} while (0)
#define log_info(ev, ...) log_msg(LOG_INFO, ev, __VA_ARGS__)
#define log_warn(ev, ...) log_msg(LOG_WARN, ev, __VA_ARGS__)
#define log_error(ev, ...) log_msg(LOG_ERROR, ev, __VA_ARGS__)

/* Prints "prog: message" to stderr and exits 1. Startup and out-of-memory only. */
void
fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Allocation that cannot fail (calls fatal on out-of-memory). */
void *
xmalloc(size_t n);
void *
xcalloc(size_t n, size_t size);
char *
xstrdup(const char *s);
/* The array p of n items of size bytes with room for one more: when n has
 * reached *cap it is reallocated to twice as many (first when *cap is 0). */
void *
xgrow(void *p, size_t *cap, size_t n, size_t size, size_t first);

#endif

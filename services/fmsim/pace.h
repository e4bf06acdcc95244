/* pace.h — a token bucket that paces publishes to a target rate. Pure: the
 * caller reads the monotonic clock and passes now_us; nothing is allocated,
 * nothing is slept here (the caller waits as long as pace_take says). */
#ifndef FMSIM_PACE_H
#define FMSIM_PACE_H

struct pace {
	double rate_per_us; /* tokens added per microsecond; 0: unlimited */
	double burst;       /* most tokens the bucket holds (>= 1) */
	double tokens;
	long long last_us; /* when tokens was last brought up to date */
};

/* rate_per_s <= 0 means unlimited. burst: the most publishes allowed back to
 * back after an idle spell (values below 1 are taken as 1). The bucket starts
 * with one token, so a run does not begin with a burst. */
void
pace_init(struct pace *p, double rate_per_s, double burst, long long now_us);

/* Takes one token and returns 0 when one is available; otherwise takes
 * nothing and returns the microseconds (>= 1) until one will be. A clock that
 * steps backwards adds no tokens. */
long long
pace_take(struct pace *p, long long now_us);

#endif

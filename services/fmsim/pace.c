/* pace.c — the token bucket of pace.h. Fractional tokens carry over, so the
 * long-run rate is exact even when the caller wakes late; the burst cap keeps
 * a late wake-up from turning into a flood. Pure: no clock, no sleeping. */
#include "pace.h"

void
pace_init(struct pace *p, double rate_per_s, double burst, long long now_us)
{
	p->rate_per_us = rate_per_s > 0 ? rate_per_s / 1e6 : 0;
	p->burst = burst >= 1 ? burst : 1;
	p->tokens = 1;
	p->last_us = now_us;
}

long long
pace_take(struct pace *p, long long now_us)
{
	double missing;
	long long wait_us;

	if (p->rate_per_us <= 0)
		return 0;
	if (now_us > p->last_us) {
		p->tokens += (double)(now_us - p->last_us) * p->rate_per_us;
		if (p->tokens > p->burst)
			p->tokens = p->burst;
		p->last_us = now_us;
	}
	if (p->tokens >= 1) {
		p->tokens -= 1;
		return 0;
	}
	missing = 1 - p->tokens;
	wait_us = (long long)(missing / p->rate_per_us) + 1;
	return wait_us;
}

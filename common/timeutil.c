/* timeutil.c — the two clocks, proleptic Gregorian calendar arithmetic and
 * RFC 3339 text. Apart from tu_now_ms/tu_mono_ms everything here is pure and
 * never consults libc's time-zone machinery (TZ, localtime, mktime), so results
 * do not depend on the host's configuration. */
#include "timeutil.h"

#include <string.h>
#include <time.h>

#define MS_PER_DAY 86400000LL
/* Days from 1970-01-01 to 0000-01-01 and to 9999-12-31. */
#define MIN_DAYS (-719528LL)
#define MAX_DAYS 2932896LL

static long long
clock_ms(clockid_t id)
{
	struct timespec ts;

	/* Both clocks always exist on Linux; a failure would be a kernel bug. */
	clock_gettime(id, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long
tu_now_ms(void)
{
	return clock_ms(CLOCK_REALTIME);
}

long long
tu_mono_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

long long
tu_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int
tu_is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
tu_days_in_month(int year, int month)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && tu_is_leap_year(year))
		return 29;
	return dim[month - 1];
}

/* Howard Hinnant's days_from_civil: years start in March so that the leap
 * day is the last day of the (shifted) year, and eras are 400 years. */
long long
tu_days_from_civil(int year, int month, int day)
{
	long long y = (long long)year - (month <= 2);
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long mp = month > 2 ? month - 3 : month + 9;
	long long doy = (153 * mp + 2) / 5 + day - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

int
tu_civil_from_days(long long days, int *year, int *month, int *day)
{
	if (days < MIN_DAYS || days > MAX_DAYS)
		return -1;
	long long z = days + 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);

	*year = (int)(yoe + era * 400 + (m <= 2));
	*month = m;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	return 0;
}

int
tu_weekday(long long days)
{
	/* 1970-01-01 was a Thursday. */
	long long w = (days % 7 + 11) % 7;
	return (int)w;
}

static int
date_valid(int year, int month, int day)
{
	return year >= 0 && year <= 9999 && day >= 1 && day <= tu_days_in_month(year, month);
}

int
tu_civil_valid(const struct tu_civil *c)
{
	return date_valid(c->year, c->month, c->day) && c->hour >= 0 && c->hour <= 23 &&
	       c->min >= 0 && c->min <= 59 && c->sec >= 0 && c->sec <= 59 && c->ms >= 0 &&
	       c->ms <= 999;
}

static void
set_derived(struct tu_civil *c)
{
	long long days = tu_days_from_civil(c->year, c->month, c->day);

	c->wday = tu_weekday(days);
	c->yday = (int)(days - tu_days_from_civil(c->year, 1, 1));
}

int
tu_add_months(struct tu_civil *c, int months)
{
	if (!date_valid(c->year, c->month, c->day))
		return -1;
	long long total = (long long)c->year * 12 + (c->month - 1) + months;
	if (total < 0 || total > 9999LL * 12 + 11)
		return -1;
	int y = (int)(total / 12), m = (int)(total % 12) + 1;
	int dim = tu_days_in_month(y, m);

	c->year = y;
	c->month = m;
	if (c->day > dim)
		c->day = dim;
	set_derived(c);
	return 0;
}

int
tu_utc_civil(long long utc_ms, struct tu_civil *out)
{
	long long days = utc_ms / MS_PER_DAY;
	long long rem = utc_ms % MS_PER_DAY;

	if (utc_ms < TU_MIN_MS || utc_ms > TU_MAX_MS)
		return -1;
	if (rem < 0) {
		rem += MS_PER_DAY;
		days--;
	}
	memset(out, 0, sizeof(*out));
	tu_civil_from_days(days, &out->year, &out->month, &out->day);
	out->hour = (int)(rem / 3600000);
	out->min = (int)(rem / 60000 % 60);
	out->sec = (int)(rem / 1000 % 60);
	out->ms = (int)(rem % 1000);
	set_derived(out);
	memcpy(out->abbr, "UTC", 4);
	return 0;
}

int
tu_civil_utc(const struct tu_civil *c, long long *utc_ms)
{
	if (!tu_civil_valid(c))
		return -1;
	*utc_ms = tu_days_from_civil(c->year, c->month, c->day) * MS_PER_DAY + c->hour * 3600000LL +
		  c->min * 60000LL + c->sec * 1000LL + c->ms;
	return 0;
}

int
tu_format_rfc3339(long long utc_ms, char *buf, size_t cap)
{
	struct tu_civil c;
	static const char digits[] = "0123456789";
	char tmp[TU_RFC3339_LEN];

	if (cap > 0)
		buf[0] = '\0';
	if (cap < TU_RFC3339_LEN || tu_utc_civil(utc_ms, &c) != 0)
		return -1;
	/* Fixed layout "YYYY-MM-DDTHH:MM:SS.mmmZ": fill digits by position. */
	const struct {
		int pos, width, value;
	} fields[] = {
		{0, 4, c.year}, {5, 2, c.month}, {8, 2, c.day}, {11, 2, c.hour},
		{14, 2, c.min}, {17, 2, c.sec},  {20, 3, c.ms},
	};
	memcpy(tmp, "0000-00-00T00:00:00.000Z", TU_RFC3339_LEN);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		int v = fields[i].value;
		for (int k = fields[i].width - 1; k >= 0; k--) {
			tmp[fields[i].pos + k] = digits[v % 10];
			v /= 10;
		}
	}
	memcpy(buf, tmp, TU_RFC3339_LEN);
	return TU_RFC3339_LEN - 1;
}

/* Reads exactly n digits at *p; advances *p. -1 if any is not a digit. */
static int
read_digits(const char **p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)(*p)[i];
		if (ch < '0' || ch > '9')
			return -1;
		v = v * 10 + (ch - '0');
	}
	*p += n;
	return v;
}

static int
expect(const char **p, char ch)
{
	if (**p != ch)
		return -1;
	(*p)++;
	return 0;
}

int
tu_parse_rfc3339(const char *s, long long *utc_ms)
{
	struct tu_civil c;
	const char *p = s;
	long long local_ms;
	int off_s = 0;

	memset(&c, 0, sizeof(c));
	if ((c.year = read_digits(&p, 4)) < 0 || expect(&p, '-') ||
	    (c.month = read_digits(&p, 2)) < 0 || expect(&p, '-') ||
	    (c.day = read_digits(&p, 2)) < 0)
		return -1;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if ((c.hour = read_digits(&p, 2)) < 0 || expect(&p, ':') ||
	    (c.min = read_digits(&p, 2)) < 0 || expect(&p, ':') || (c.sec = read_digits(&p, 2)) < 0)
		return -1;
	if (*p == '.') {
		int n = 0;
		p++;
		while (*p >= '0' && *p <= '9') {
			if (n < 3)
				c.ms = c.ms * 10 + (*p - '0');
			n++;
			p++;
		}
		if (n == 0)
			return -1;
		for (; n < 3; n++)
			c.ms *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, oh, om;
		p++;
		if ((oh = read_digits(&p, 2)) < 0 || expect(&p, ':') ||
		    (om = read_digits(&p, 2)) < 0 || oh > 23 || om > 59)
			return -1;
		off_s = sign * (oh * 3600 + om * 60);
	} else {
		return -1;
	}
	if (*p != '\0' || tu_civil_utc(&c, &local_ms) != 0)
		return -1;
	local_ms -= off_s * 1000LL;
	if (local_ms < TU_MIN_MS || local_ms > TU_MAX_MS)
		return -1;
	*utc_ms = local_ms;
	return 0;
}

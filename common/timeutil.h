/* timeutil.h — clocks, civil-calendar arithmetic, RFC 3339, and time zones
 * read from the system's TZif files. Only tu_now_ms/tu_mono_ms read a clock
 * and only tu_tz_load/tu_tz_load_dir touch the file system; everything else is
 * pure (no I/O, no allocation, no global state, no libc time-zone calls) and
 * works on the proleptic Gregorian calendar for years 0000..9999. */
#ifndef FM_TIMEUTIL_H
#define FM_TIMEUTIL_H

#include <stddef.h>

/* The supported range of UTC instants: 0000-01-01T00:00:00.000Z ..
 * 9999-12-31T23:59:59.999Z, in milliseconds since the Unix epoch. */
#define TU_MIN_MS (-62167219200000LL)
#define TU_MAX_MS 253402300799999LL

/* Fits "9999-12-31T23:59:59.999Z" and its NUL. */
#define TU_RFC3339_LEN 25

#define TU_ABBR_MAX 15
#define TU_ZONE_NAME_MAX 127
#define TU_ZONE_MAX_TRANS 2000
#define TU_ZONE_MAX_TYPES 256
#define TU_ZONEINFO_DIR "/usr/share/zoneinfo"

/* A civil (wall-clock) date and time. Inputs use year..ms; wday, yday,
 * utc_offset_s, is_dst and abbr are outputs, ignored on input. */
struct tu_civil {
	int year;         /* 0..9999 */
	int month;        /* 1..12 */
	int day;          /* 1..days in month */
	int hour;         /* 0..23 */
	int min;          /* 0..59 */
	int sec;          /* 0..59 (no leap seconds) */
	int ms;           /* 0..999 */
	int wday;         /* 0 = Sunday .. 6 = Saturday */
	int yday;         /* 0 = January 1 .. 365 */
	int utc_offset_s; /* local minus UTC, seconds (+28800 in Shanghai) */
	int is_dst;
	char abbr[TU_ABBR_MAX + 1]; /* "CST", "EDT", "+08"; "UTC" for tu_utc_civil */
};

/* One local-time type of a zone. */
struct tu_ztype {
	int utoff_s;
	int is_dst;
	char abbr[TU_ABBR_MAX + 1];
};

/* A transition date of a POSIX TZ rule: 'J' (julian day 1..365, Feb 29
 * never counted), 'D' (zero-based day 0..365, Feb 29 counted) or 'M'
 * (month 1..12, week 1..5 where 5 = last, weekday 0..6 = Sunday..). time_s is
 * local time of day in seconds, -167h..+167h as RFC 8536 allows. */
struct tu_tzdate {
	char kind;
	int day;
	int month;
	int week;
	int wday;
	int time_s;
};

/* A POSIX TZ string such as "CST-8" or "EST5EDT,M3.2.0,M11.1.0". */
struct tu_tzrule {
	struct tu_ztype std;
	int has_dst;
	struct tu_ztype dst;
	struct tu_tzdate start; /* into DST, in standard local time */
	struct tu_tzdate end;   /* out of DST, in daylight local time */
};

/* A loaded zone: fixed size (about 26 KiB), no pointers, copyable. Before the
 * first transition types[0] applies; after the last one, the rule does (if
 * has_rule), else the last transition's type. */
struct tu_zone {
	char name[TU_ZONE_NAME_MAX + 1];
	int n_trans;
	long long trans_s[TU_ZONE_MAX_TRANS]; /* UTC seconds, strictly ascending */
	unsigned char trans_type[TU_ZONE_MAX_TRANS];
	int n_types;
	struct tu_ztype types[TU_ZONE_MAX_TYPES];
	int has_rule;
	struct tu_tzrule rule;
};

/* What tu_local_to_utc found for a wall-clock time. */
enum tu_local {
	TU_LOCAL_INVALID = -1, /* a field out of range, or the result out of range */
	TU_LOCAL_UNIQUE = 0,   /* exactly one instant */
	TU_LOCAL_GAP,          /* skipped (spring forward): moved later by the gap */
	TU_LOCAL_OVERLAP,      /* repeated (fall back): the earlier instant */
};

/* UTC milliseconds since the epoch (CLOCK_REALTIME): stored timestamps. */
long long
tu_now_ms(void);

/* Milliseconds on CLOCK_MONOTONIC: timeouts and intervals only. */
long long
tu_mono_ms(void);
/* Microseconds on CLOCK_MONOTONIC: latency measurements. */
long long
tu_mono_us(void);

/* Civil-calendar helpers. Days are counted from 1970-01-01 (day 0). */
int
tu_is_leap_year(int year);

/* 28..31, or 0 when month is not 1..12. */
int
tu_days_in_month(int year, int month);

/* month 1..12; day may run past the month's end (Jan 32 = Feb 1). */
long long
tu_days_from_civil(int year, int month, int day);

/* Inverse of tu_days_from_civil; 0, or -1 outside years 0..9999. */
int
tu_civil_from_days(long long days, int *year, int *month, int *day);

/* 0 = Sunday .. 6 = Saturday. */
int
tu_weekday(long long days);

/* Adds months (may be negative) to c's date; a day past the new month's end
 * is clamped to it (Jan 31 + 1 month = Feb 28/29). Time fields are kept;
 * wday and yday are recomputed. 0, or -1 (c unchanged) for an invalid date or
 * a result outside years 0..9999. */
int
tu_add_months(struct tu_civil *c, int months);

/* 1 if year..ms form a valid civil time in range, else 0. */
int
tu_civil_valid(const struct tu_civil *c);

/* UTC breakdown of an instant (offset 0, abbr "UTC"). 0, or -1 out of range. */
int
tu_utc_civil(long long utc_ms, struct tu_civil *out);

/* The instant of c read as UTC. 0, or -1 if c is not tu_civil_valid. */
int
tu_civil_utc(const struct tu_civil *c, long long *utc_ms);

/* Writes "YYYY-MM-DDTHH:MM:SS.mmmZ" into buf; returns 24, or -1 when utc_ms
 * is out of range or cap < TU_RFC3339_LEN (buf is then "" if cap > 0). */
int
tu_format_rfc3339(long long utc_ms, char *buf, size_t cap);

/* Parses an RFC 3339 date-time: "YYYY-MM-DD" "T"|"t"|" " "HH:MM:SS", an
 * optional fraction (digits past milliseconds are truncated), and "Z", "z" or
 * "+hh:mm"/"-hh:mm". Leap seconds (:60) are rejected. 0, or -1 on any error
 * (*utc_ms untouched). */
int
tu_parse_rfc3339(const char *s, long long *utc_ms);

/* A zone name is safe to look up: 1..TU_ZONE_NAME_MAX bytes of
 * [A-Za-z0-9_+-] in '/'-separated non-empty components. So no "..", no
 * dot-files, no absolute paths. 1 or 0. */
int
tu_tz_name_valid(const char *name);

/* Reads TU_ZONEINFO_DIR/name (or dir/name) and parses it. 0, or -1 for an
 * invalid or unknown name, an unreadable file, or bad TZif data. I/O. */
int
tu_tz_load(const char *name, struct tu_zone *z);

int
tu_tz_load_dir(const char *dir, const char *name, struct tu_zone *z);

/* Parses TZif version 2+ data (RFC 8536: the 64-bit section and the footer;
 * files with leap-second records are refused). name is copied (truncated to
 * TU_ZONE_NAME_MAX). 0, or -1 with *z zeroed. Pure. */
int
tu_tz_parse(const unsigned char *data, size_t len, const char *name, struct tu_zone *z);

/* A zone made of a POSIX TZ string alone, e.g. "CST-8", "<+0530>-5:30",
 * "EST5EDT,M3.2.0,M11.1.0", "AEST-10AEDT,M10.1.0,M4.1.0/3". A DST name without
 * rules is refused (POSIX leaves its dates to the implementation). 0 or -1. */
int
tu_tz_posix(const char *tz, struct tu_zone *z);

/* Makes *z the UTC zone without touching the file system. */
void
tu_tz_utc(struct tu_zone *z);

/* Local wall-clock time of an instant in zone z. 0, or -1 out of range. */
int
tu_utc_to_local(const struct tu_zone *z, long long utc_ms, struct tu_civil *out);

/* The instant of a wall-clock time in zone z (year..ms of local are read).
 * In a gap the time is moved later by the gap's length (02:30 on a New York
 * spring-forward day is 03:30 EDT); in an overlap the earlier instant is
 * chosen (01:30 on the fall-back day is 01:30 EDT). The return value says
 * which case applied; *utc_ms is set unless TU_LOCAL_INVALID. */
enum tu_local
tu_local_to_utc(const struct tu_zone *z, const struct tu_civil *local, long long *utc_ms);

#endif

/* registry_roster.c — the roster section of people.yaml. An entry is either
 * weekly (a shift on named weekdays for some people) or a rotation (a cycle
 * of shifts and days off from a start date, each person one day later than
 * the previous). Both become struct reg_roster cycles. Also checks that the
 * duty post (值班岗) is staffed around the clock. Pure. */
#include "registry_int.h"
#include "log.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Any Monday: the start of every weekly cycle. */
#define WEEK_START "2024-01-01"
/* Checking more days than this adds nothing a configuration could mean. */
#define COVERAGE_MAX_DAYS (7 * REG_MAX_CYCLE * 10)

static const char *const weekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL};
static const char *const weekday_names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

struct roster_in {
	char shift[REG_ID_SIZE];
	struct cfg_strlist days;
	struct cfg_strlist rotation;
	char start[32];
	struct cfg_strlist people;
	const struct cfg_node *node;
};

static const struct cfg_field roster_fields[] = {
	CFG_STR("shift", struct roster_in, shift, ""),
	CFG_STRLIST("days", struct roster_in, days, "", 7, 8),
	CFG_STRLIST("rotation", struct roster_in, rotation, "", REG_MAX_CYCLE, 64),
	CFG_STR("start", struct roster_in, start, ""),
	CFG_STRLIST("people", struct roster_in, people, NULL, 1000, 64),
	CFG_END,
};

/* Adds day bit to the person's cycle for the shift, merging entries that
 * share a cycle; one person's shift cannot follow two different cycles. */
static void
add_row(struct reg *reg, size_t *cap, const struct roster_in *in, size_t who, const char *shift,
	const char *start, int cycle, unsigned long long bits, struct cfg_errs *errs)
{
	struct reg_roster *r;

	for (size_t i = 0; i < reg->n_roster; i++) {
		r = &reg->roster[i];
		if (strcmp(r->person, in->people.v[who]) != 0 || strcmp(r->shift, shift) != 0)
			continue;
		if (r->cycle_days == cycle && strcmp(r->cycle_start, start) == 0) {
			r->on_days |= bits;
			return;
		}
		cfg_error_at(errs, cfg_file(in->node), in->people.line[who],
			     "people: '%s' already works shift '%s' by the entry at line %d; "
			     "one person's shift follows one cycle",
			     in->people.v[who], shift, cfg_line(r->node));
		return;
	}
	if (reg->n_roster == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		reg->roster = realloc(reg->roster, *cap * sizeof *reg->roster);
		if (!reg->roster)
			fatal("out of memory");
	}
	r = &reg->roster[reg->n_roster++];
	memset(r, 0, sizeof *r);
	snprintf(r->person, sizeof r->person, "%s", in->people.v[who]);
	snprintf(r->shift, sizeof r->shift, "%s", shift);
	snprintf(r->cycle_start, sizeof r->cycle_start, "%s", start);
	r->cycle_days = cycle;
	r->on_days = bits;
	r->node = in->node;
}

/* Weekly entry: shift on days, every person alike. */
static void
add_weekly(struct reg *reg, size_t *cap, const struct roster_in *in, struct cfg_errs *errs)
{
	unsigned long long bits = 0;
	int rc = 0, d;

	if (!reg_shift_find(reg, in->shift)) {
		cfg_error(errs, cfg_at(in->node, "shift"), "shift: unknown shift '%s'", in->shift);
		rc = -1;
	}
	if (in->start[0]) {
		cfg_error(errs, cfg_at(in->node, "start"),
			  "start: only a rotation has a start "
			  "date; a weekly entry repeats every week");
		rc = -1;
	}
	if (in->days.n == 0) {
		cfg_error(errs, cfg_at(in->node, "days"),
			  "days: a weekly entry needs days, e.g. [mon, tue, wed, thu, fri]");
		rc = -1;
	}
	for (size_t i = 0; i < in->days.n; i++) {
		d = reg_name_index(weekdays, in->days.v[i]);
		if (d < 0) {
			cfg_error_at(errs, cfg_file(in->node), in->days.line[i],
				     "days: unknown day '%s' (mon, tue, wed, thu, fri, sat, sun)",
				     in->days.v[i]);
			rc = -1;
		} else if (bits & (1ULL << d)) {
			cfg_error_at(errs, cfg_file(in->node), in->days.line[i],
				     "days: '%s' is listed twice", in->days.v[i]);
			rc = -1;
		} else {
			bits |= 1ULL << d;
		}
	}
	if (rc < 0)
		return;
	for (size_t k = 0; k < in->people.n; k++)
		if (reg_person_find(reg, in->people.v[k]))
			add_row(reg, cap, in, k, in->shift, WEEK_START, 7, bits, errs);
}

/* Rotation: person k works rotation[(day - start - k) mod length]. */
static void
add_rotation(struct reg *reg, size_t *cap, const struct roster_in *in, struct cfg_errs *errs)
{
	size_t len = in->rotation.n;
	long start;
	int rc = 0;

	if (reg_parse_date(in->start, &start) < 0) {
		if (in->start[0])
			cfg_error(errs, cfg_at(in->node, "start"),
				  "start: '%s' is not a date (YYYY-MM-DD)", in->start);
		else
			cfg_error(errs, in->node,
				  "start: a rotation needs the date of its first day");
		rc = -1;
	}
	if (in->days.n) {
		cfg_error(errs, cfg_at(in->node, "days"),
			  "days: a rotation has no days; its "
			  "cycle is the rotation list");
		rc = -1;
	}
	for (size_t j = 0; j < len; j++) {
		if (strcmp(in->rotation.v[j], "off") != 0 &&
		    !reg_shift_find(reg, in->rotation.v[j])) {
			cfg_error_at(errs, cfg_file(in->node), in->rotation.line[j],
				     "rotation: unknown shift '%s' (or 'off')", in->rotation.v[j]);
			rc = -1;
		}
	}
	if (len == 0) {
		cfg_error(errs, cfg_at(in->node, "rotation"), "rotation: needs at least one shift");
		rc = -1;
	}
	if (rc < 0)
		return;
	for (size_t k = 0; k < in->people.n; k++) {
		if (!reg_person_find(reg, in->people.v[k]))
			continue;
		for (size_t j = 0; j < len; j++)
			if (strcmp(in->rotation.v[j], "off") != 0)
				add_row(reg, cap, in, k, in->rotation.v[j], in->start, (int)len,
					1ULL << ((j + k) % len), errs);
	}
}

int
reg_build_roster(struct reg *reg, const struct cfg_node *list, struct cfg_errs *errs)
{
	size_t before = errs->n + errs->dropped, cap = 0, n;
	struct roster_in *in;

	n = reg_bind_list(list, "roster", roster_fields, (void **)&in, sizeof *in,
			  offsetof(struct roster_in, node), errs);
	for (size_t i = 0; i < n; i++) {
		reg_check_refs(&in[i].people, in[i].node, &reg->ix_people, "people", "person",
			       errs);
		if (in[i].shift[0] && in[i].rotation.n)
			cfg_error(errs, in[i].node,
				  "an entry has either 'shift' and 'days' "
				  "(weekly) or 'rotation' and 'start', not both");
		else if (in[i].shift[0])
			add_weekly(reg, &cap, &in[i], errs);
		else if (cfg_get(in[i].node, "rotation"))
			add_rotation(reg, &cap, &in[i], errs);
		else
			cfg_error(errs, in[i].node,
				  "an entry needs 'shift' and 'days' (weekly) or "
				  "'rotation' and 'start'");
	}
	for (size_t i = 0; i < n; i++) {
		cfg_strlist_free(&in[i].days);
		cfg_strlist_free(&in[i].rotation);
		cfg_strlist_free(&in[i].people);
	}
	free(in);
	return errs->n + errs->dropped == before ? 0 : -1;
}

/* ---- duty coverage ------------------------------------------------------ */

static long
gcd(long a, long b)
{
	while (b) {
		long t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static int
is_duty(const struct reg *reg, const char *person)
{
	const struct reg_person *p = reg_person_find(reg, person);

	return p && p->active && cfg_strlist_find(&p->roles, "duty_engineer") >= 0;
}

static void
fmt_date(char *buf, size_t cap, long days)
{
	long z = days + 719468, era, doe, yoe, y, doy, mp, d, m;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(buf, cap, "%04ld-%02ld-%02ld (%s)", y + (m <= 2), m, d,
		 weekday_names[((days % 7) + 7 + 3) % 7]);
}

/* Marks the minutes of the day `day` covered by duty shifts starting that day
 * or running over from the day before. */
static void
cover_day(const struct reg *reg, long day, unsigned char *cover)
{
	memset(cover, 0, 1440);
	for (size_t i = 0; i < reg->n_roster; i++) {
		const struct reg_roster *r = &reg->roster[i];
		const struct reg_shift *s = reg_shift_find(reg, r->shift);
		int overnight;

		if (!s || !is_duty(reg, r->person))
			continue;
		overnight = s->end_min <= s->start_min;
		if (reg_roster_works_on(r, day))
			memset(cover + s->start_min, 1,
			       (size_t)((overnight ? 1440 : s->end_min) - s->start_min));
		if (overnight && reg_roster_works_on(r, day - 1))
			memset(cover, 1, (size_t)s->end_min);
	}
}

int
reg_check_coverage(const struct reg *reg, const struct cfg_node *at, struct cfg_errs *errs)
{
	unsigned char cover[1440];
	long period = 1, first;
	int duty = 0;

	for (size_t i = 0; i < reg->n_people; i++)
		duty |= is_duty(reg, reg->people[i].id);
	if (!duty) {
		cfg_error(errs, at,
			  "roster: nobody active has the role duty_engineer; the duty "
			  "post (值班岗) receives every alarm");
		return -1;
	}
	for (size_t i = 0; i < reg->n_roster; i++)
		if (is_duty(reg, reg->roster[i].person) && period <= COVERAGE_MAX_DAYS)
			period = period / gcd(period, reg->roster[i].cycle_days) *
				 reg->roster[i].cycle_days;
	if (period > COVERAGE_MAX_DAYS)
		period = COVERAGE_MAX_DAYS;
	reg_parse_date(WEEK_START, &first);
	for (long day = first; day < first + period; day++) {
		char date[64];
		int m = 0, end;

		cover_day(reg, day, cover);
		while (m < 1440 && cover[m])
			m++;
		if (m == 1440)
			continue;
		for (end = m; end < 1440 && !cover[end]; end++)
			;
		fmt_date(date, sizeof date, day);
		cfg_error(
			errs, at,
			"roster: no active duty_engineer on shift from %02d:%02d to "
			"%02d:%02d on %s; the duty post (值班岗) must be staffed around the clock",
			m / 60, m % 60, end / 60, end % 60, date);
		return -1;
	}
	return 0;
}

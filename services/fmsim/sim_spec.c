/* sim_spec.c — parsing of fault requests: command-line options, scenario
 * lines and control lines, all into struct sim_action. Checks the fault name
 * against the table, device ids for form only (the community knows its
 * devices) and durations with cfg_parse_duration. Pure. */
#include "sim_spec.h"

#include "config.h"
#include "sim_fault.h"
#include "topic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 5

static int
set_fault(struct sim_action *a, const char *name, char *err, size_t errcap)
{
	size_t at;

	a->fault = sim_fault_find(name);
	if (a->fault >= 0)
		return 0;
	snprintf(err, errcap, "unknown fault '%s'; known:", name);
	at = strlen(err);
	for (int f = 0; f < SIM_F_COUNT && at < errcap; f++) {
		snprintf(err + at, errcap - at, " %s", sim_fault_name(f));
		at += strlen(err + at);
	}
	return -1;
}

static int
set_device(struct sim_action *a, const char *id, char *err, size_t errcap)
{
	if (strcmp(id, "-") == 0) {
		a->device[0] = '\0';
		return 0;
	}
	if (!topic_id_valid(id)) {
		snprintf(err, errcap, "bad device id '%s'", id);
		return -1;
	}
	snprintf(a->device, sizeof a->device, "%s", id);
	return 0;
}

static int
set_duration(const char *what, const char *s, long long *ms, char *err, size_t errcap)
{
	if (cfg_parse_duration(s, ms) < 0 || *ms < 0) {
		snprintf(err, errcap, "bad %s '%s' (durations: 500ms, 30s, 5m, 2h)", what, s);
		return -1;
	}
	return 0;
}

/* Splits a copy of line on blanks into at most MAX_FIELDS fields; returns
 * their number, or -1 when there are more. */
static int
split(char *copy, char **f)
{
	int n = 0;
	char *save = NULL;

	for (char *t = strtok_r(copy, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == MAX_FIELDS)
			return -1;
		f[n++] = t;
	}
	return n;
}

int
sim_spec_parse_opt(const char *s, struct sim_action *a, char *err, size_t errcap)
{
	char copy[SIM_CTL_LINE_MAX];
	char *at, *plus, *colon;

	memset(a, 0, sizeof *a);
	if (strlen(s) >= sizeof copy) {
		snprintf(err, errcap, "fault spec too long");
		return -1;
	}
	snprintf(copy, sizeof copy, "%s", s);
	at = strchr(copy, '@');
	if (at) {
		*at++ = '\0';
		plus = strchr(at, '+');
		if (plus) {
			*plus++ = '\0';
			if (set_duration("duration", plus, &a->for_ms, err, errcap) < 0)
				return -1;
		}
		if (set_duration("delay", at, &a->after_ms, err, errcap) < 0)
			return -1;
	}
	colon = strchr(copy, ':');
	if (colon) {
		*colon++ = '\0';
		if (set_device(a, colon, err, errcap) < 0)
			return -1;
	}
	return set_fault(a, copy, err, errcap);
}

int
sim_spec_parse_scenario(const char *line, struct sim_action *a, char *err, size_t errcap)
{
	char copy[SIM_CTL_LINE_MAX], *f[MAX_FIELDS];
	long long ms;
	int n;

	memset(a, 0, sizeof *a);
	if (strlen(line) >= sizeof copy) {
		snprintf(err, errcap, "line too long");
		return -1;
	}
	snprintf(copy, sizeof copy, "%s", line);
	n = split(copy, f);
	if (n == 0 || (n > 0 && f[0][0] == '#'))
		return 1;
	if (n < 2 || n > 4) {
		snprintf(err, errcap, "expected: AFTER NAME [DEVICE] [FOR]");
		return -1;
	}
	if (set_duration("delay", f[0], &a->after_ms, err, errcap) < 0 ||
	    set_fault(a, f[1], err, errcap) < 0)
		return -1;
	if (n == 3 && cfg_parse_duration(f[2], &ms) == 0) {
		a->for_ms = ms;
		return 0;
	}
	if (n >= 3 && set_device(a, f[2], err, errcap) < 0)
		return -1;
	if (n == 4 && set_duration("duration", f[3], &a->for_ms, err, errcap) < 0)
		return -1;
	return 0;
}

int
sim_spec_format_ctl(const struct sim_action *a, char *buf, size_t cap)
{
	int n;

	if (a->clear)
		n = snprintf(buf, cap, "clear %s %s\n", sim_fault_name(a->fault),
			     a->device[0] ? a->device : "-");
	else
		n = snprintf(buf, cap, "fault %s %s %lld\n", sim_fault_name(a->fault),
			     a->device[0] ? a->device : "-", a->for_ms);
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

int
sim_spec_parse_ctl(const char *line, struct sim_action *a, char *err, size_t errcap)
{
	char copy[SIM_CTL_LINE_MAX], *f[MAX_FIELDS], *end;
	int n;

	memset(a, 0, sizeof *a);
	if (strlen(line) >= sizeof copy) {
		snprintf(err, errcap, "line too long");
		return -1;
	}
	snprintf(copy, sizeof copy, "%s", line);
	n = split(copy, f);
	if (n == 4 && strcmp(f[0], "fault") == 0) {
		a->for_ms = strtoll(f[3], &end, 10);
		if (*end || a->for_ms < 0) {
			snprintf(err, errcap, "bad duration '%s'", f[3]);
			return -1;
		}
	} else if (n == 3 && strcmp(f[0], "clear") == 0) {
		a->clear = 1;
	} else {
		snprintf(err, errcap,
			 "expected: fault NAME DEVICE|- FOR_MS, or clear NAME DEVICE|-");
		return -1;
	}
	if (set_fault(a, f[1], err, errcap) < 0)
		return -1;
	return set_device(a, f[2], err, errcap);
}

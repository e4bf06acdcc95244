/* sla_conf.h — work-order service levels (config/sla.yaml): the clocks per
 * category x urgency, complaints' reply clocks, the follow-up (回访) deadline
 * in working days and what a working day is, the repeat-repair window, the
 * escalation chain and what dispatch needs (the emergency team, the roles
 * that take orders, load weights). sla_build is pure: a parsed document and
 * the registry in, a checked model or file:line errors out. It never runs a
 * clock (services/dispatchd/sla.h does) and never touches a server. */
#ifndef FM_SLA_CONF_H
#define FM_SLA_CONF_H

#include "config.h"
#include "registry.h"

#define SLA_FILE "sla.yaml"

/* The categories and urgencies are rules_conf.h's rcf_wo_categories and
 * rcf_wo_urgencies (work_orders.kind and .priority), in that order. */
#define SLA_N_CATEGORIES 7
#define SLA_N_URGENCIES 2
#define SLA_MAX_ESCALATION 8
#define SLA_MAX_NOTIFY 16
#define SLA_MAX_ROLES 8

/* The name in an escalation step's notify list that means the order's
 * assignee (the technician), whoever that is when the step comes due. */
#define SLA_TARGET_ASSIGNEE "assignee"

/* The clocks of an order, counted from its start. Names in sla_clock_names
 * ("acknowledge", "accept", "on_site", "resolve"). */
enum sla_clock {
	SLA_ACK,     /* registered and dispatched to someone */
	SLA_ACCEPT,  /* accepted by a technician (respond) */
	SLA_ON_SITE, /* the technician arrived */
	SLA_RESOLVE, /* completed; paused time does not count */
	SLA_N_CLOCKS,
};
extern const char *const sla_clock_names[];

/* Complaint grades (work_orders.complaint_grade): names in sla_grade_names. */
enum sla_grade { SLA_MAJOR, SLA_URGENT, SLA_GENERAL, SLA_N_GRADES };
extern const char *const sla_grade_names[];

/* One category x urgency: each clock's length; 0 means no such clock (an
 * emergency's resolve time is incident-driven). */
struct sla_clocks {
	long long ms[SLA_N_CLOCKS];
};

/* Working time in the site's local time zone: on the weekdays of day_mask
 * (bit 0 = Sunday .. bit 6 = Saturday, as tu_weekday), from start_min to
 * end_min (minutes after midnight, start < end: no overnight working day). */
struct sla_worktime {
	unsigned day_mask;
	int start_min, end_min;
};

/* One escalation step: after_ms after the first breach of an order that is
 * still open, notify these (role names, team ids, person ids, or
 * SLA_TARGET_ASSIGNEE). Steps come in increasing after_ms. */
struct sla_escalation {
	long long after_ms;
	struct cfg_strlist notify;
	const struct cfg_node *node;
};

struct sla_conf {
	struct sla_clocks clocks[SLA_N_CATEGORIES][SLA_N_URGENCIES];
	long long reply_ms[SLA_N_GRADES]; /* complaints: reply within */
	int followup_days;                /* 回访 within this many working days */
	int reopen_score_max;             /* a follow-up score at or under it reopens */
	struct sla_worktime work;
	long long repeat_window_ms;        /* 返修: same device and category within */
	char emergency_team[REG_ID_SIZE];  /* a team id: who takes emergencies */
	struct cfg_strlist dispatch_roles; /* roles whose people take ordinary orders */
	int load_weight[SLA_N_URGENCIES];  /* an open order's weight in a person's load */
	struct sla_escalation esc[SLA_MAX_ESCALATION];
	int n_esc;
	struct cfg_doc *doc; /* owned when loaded by sla_load_dir */
};

/* Builds and checks the model from a parsed sla.yaml. reg may be NULL (the
 * registry could not be read): references into it are then not checked.
 * Every problem is added as "file:line: message": unknown keys, a missing
 * urgency, durations out of bounds, clocks out of order (accept after on
 * site, on site after resolve), unknown or repeated categories and urgencies
 * in overrides, bad weekdays and times of day, an unknown emergency team,
 * unknown roles and notify targets, escalation steps out of order. Returns 0,
 * or -1 when errors were added; out is filled either way and must be
 * sla_free'd. The nodes of doc must outlive out. A NULL doc (its error
 * already reported) returns -1 and adds nothing. Pure. */
int
sla_build(struct sla_conf *out, const struct cfg_doc *doc, const struct reg *reg,
	  struct cfg_errs *errs);

/* Reads dir/sla.yaml and builds the model (out owns the document). Returns 0
 * or -1 with errors in errs; out must be sla_free'd either way. */
int
sla_load_dir(const char *dir, const struct reg *reg, struct sla_conf *out, struct cfg_errs *errs);

/* Frees what c owns; a zeroed c and NULL are no-ops. */
void
sla_free(struct sla_conf *c);

/* The clocks of category x urgency (indexes into rcf_wo_categories and
 * rcf_wo_urgencies), or NULL when either is out of range. */
const struct sla_clocks *
sla_clocks_for(const struct sla_conf *c, int category, int urgency);

#endif

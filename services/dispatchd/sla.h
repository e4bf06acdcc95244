/* sla.h — the SLA clocks of a work order: (order, policy, site zone, now) ->
 * the due instant of each clock, which are breached (and which newly), the
 * escalation steps due, when the acceptance window of the current dispatch
 * runs out, and when to look again. Everything is computed from the order's
 * stored numbers (wo_fsm.h), so clocks carry on across a restart.
 * Pure: no I/O, no clock (now_ms comes in, UTC ms), no allocation. */
#ifndef FM_DISPATCHD_SLA_H
#define FM_DISPATCHD_SLA_H

#include "dispatchd/wo_fsm.h"
#include "sla_conf.h"
#include "timeutil.h"

#include <limits.h>

/* No such clock, or nothing to wait for. */
#define SLA_NONE LLONG_MAX

/* The clocks of sla_conf.h (acknowledge, accept, on_site, resolve) and two
 * more: a complaint's reply (met when the order is completed) and the
 * follow-up visit (回访, met when it is recorded; runs in working time from
 * completion). Bit i of wo.breached and of the status masks is clock i. */
#define SLA_REPLY SLA_N_CLOCKS
#define SLA_FOLLOWUP (SLA_N_CLOCKS + 1)
#define SLA_N_ALL (SLA_N_CLOCKS + 2)

/* What the clocks of one order are: sla_policy_for fills it from sla.yaml. */
struct sla_policy {
	long long clock_ms[SLA_N_ALL]; /* 0: no clock; SLA_FOLLOWUP unused */
	int followup_days;             /* working days */
	struct sla_worktime work;
	long long esc_ms[SLA_MAX_ESCALATION]; /* steps, counted from the first breach */
	int n_esc;
};

/* The policy of an order of category x urgency (rcf_wo_categories and
 * rcf_wo_urgencies indexes) and complaint grade (enum sla_grade, or -1: the
 * order has no reply clock). Out-of-range indexes give no clocks. */
void
sla_policy_for(struct sla_policy *p, const struct sla_conf *c, int category, int urgency,
	       int grade);

struct sla_status {
	long long due_ms[SLA_N_ALL]; /* SLA_NONE: no clock (or not started: follow-up) */
	unsigned breached;           /* bit per clock breached by now_ms */
	unsigned newly;              /* breached but not yet in o->breached: record, report */
	/* The earliest breach instant among the clocks that escalate (all but
	 * the follow-up, which is flagged only); 0 when none. */
	long long first_breach_ms;
	/* Steps of the chain due by now_ms (0..n_esc) while the order is open and
	 * not yet completed; the caller escalates while o->escalation_level is
	 * lower, notifying esc[level]. */
	int escalation_due;
	/* The acceptance window of the current dispatch: at or after it an order
	 * still dispatched goes to the next candidate. SLA_NONE when the order is
	 * not waiting for acceptance or has no accept clock. */
	long long redispatch_ms;
	/* The next instant at which sla_check would say something new (a breach,
	 * a step, the window): the caller's timer. SLA_NONE: nothing ahead. */
	long long next_ms;
};

/* The clocks of o under p at now_ms in the site's zone z. A clock is
 * breached when it was met after its due instant, or is unmet and now_ms is
 * past it. The resolve clock does not count paused time (finished pauses and
 * the current one). A cancelled order has no clocks. */
void
sla_check(const struct wo *o, const struct sla_policy *p, const struct tu_zone *z, long long now_ms,
	  struct sla_status *st);

/* The instant at which `minutes` of working time w (local time of zone z)
 * have passed since from_ms; from_ms itself when minutes is 0. SLA_NONE when
 * w has no working day or the result leaves the calendar. */
long long
sla_add_working(const struct tu_zone *z, const struct sla_worktime *w, long long from_ms,
		long long minutes);

/* "acknowledge", "accept", "on_site", "resolve", "reply", "followup"; "?". */
const char *
sla_name(int clock);

#endif

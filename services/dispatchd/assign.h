/* assign.h — who takes a work order: (registry and roster, request, the
 * people's open loads, rotation counter, now) -> a person, or "nobody:
 * escalate now" with the stage that ran dry. Candidates have the skill, are
 * on shift now (site time), cover the device's area where the order has one
 * and the person has areas, are under their capacity, and were not skipped
 * (declined, or let the acceptance window pass); least weighted load wins,
 * ties rotate. Emergencies go to the 24-hour emergency team.
 * Pure: no I/O, no clock (now_ms comes in), no allocation. */
#ifndef FM_DISPATCHD_ASSIGN_H
#define FM_DISPATCHD_ASSIGN_H

#include "dispatchd/wo_fsm.h"
#include "who.h"

#include <stddef.h>

/* A person's open orders (state not closed or cancelled) as the caller
 * counted them: how many, and their weight (sla.yaml load_weight). A person
 * missing from the list has none. */
struct assign_load {
	const char *person;
	int open;
	int weighted;
};

/* What dispatch needs from sla.yaml and the database. */
struct assign_ctx {
	const struct who *who;           /* registry and roster */
	const char *emergency_team;      /* a team id */
	const struct cfg_strlist *roles; /* dispatch_roles: who takes ordinary orders */
	const struct assign_load *loads;
	size_t n_loads;
};

struct assign_request {
	const char *site;
	const char *skill; /* NULL or "": none required */
	const char *area;  /* the device's area; NULL or "": anywhere */
	int emergency;
	const struct wo *order; /* its skip list; NULL: nobody skipped */
};

enum assign_rc {
	ASSIGN_OK,       /* result.person takes it */
	ASSIGN_ESCALATE, /* nobody: escalate at once; result.why says where it ran dry */
};

/* The stage of the candidate filter that left nobody, in filter order. */
enum assign_why {
	ASSIGN_WHY_NONE,        /* a person was found */
	ASSIGN_WHY_NO_POOL,     /* no active person of the dispatch roles (or no team) */
	ASSIGN_WHY_NO_SKILL,    /* nobody with the skill */
	ASSIGN_WHY_OFF_SHIFT,   /* nobody with it on shift now at the site */
	ASSIGN_WHY_NO_AREA,     /* nobody on shift covers the area */
	ASSIGN_WHY_AT_CAPACITY, /* all of them hold capacity open orders */
	ASSIGN_WHY_ALL_SKIPPED, /* all of them declined or timed out */
};

struct assign_result {
	enum assign_rc rc;
	enum assign_why why;
	char person[REG_ID_SIZE];
	/* Emergencies relax the filter rather than leave an incident unmanned:
	 * 1 skill and area, 2 skill in any area, 3 any team member on shift.
	 * Ordinary orders are always tier 1. */
	int tier;
	int tied; /* candidates that shared the least load */
};

/* Picks the assignee of req at now_ms. Among the candidates with the least
 * weighted load (ties in registry order, or team order for emergencies), the
 * one at *rotation modulo their number; *rotation then advances, so equal
 * people take turns. Returns result->rc. */
enum assign_rc
assign_pick(const struct assign_ctx *ctx, const struct assign_request *req, long long now_ms,
	    unsigned *rotation, struct assign_result *result);

/* "none", "no_pool", "no_skill", "off_shift", "no_area", "at_capacity",
 * "all_skipped"; "?" when out of range. */
const char *
assign_why_name(enum assign_why why);

#endif

/* pm_conf_int.h — what the pm_conf*.c files share; everyone else uses
 * pm_conf.h. */
#ifndef FM_PM_CONF_INT_H
#define FM_PM_CONF_INT_H

#include "pm_conf.h"

#define PM_DAY_MS 86400000LL

/* What overdue: binds (in a plan, and in the file's defaults). */
struct pm_overdue_in {
	long long after_ms, escalate_after_ms;
	struct cfg_strlist notify, escalate;
};
extern const struct cfg_field pm_overdue_fields[];

/* A plan while it is bound: the sections arrive as nodes and are bound after
 * the plan's own keys; text that is parsed after binding is kept here. */
struct pm_plan_in {
	struct pm_plan p;
	const struct cfg_node *targets, *calendar, *meter, *window, *item_sets, *overdue;
	char every[32], start[8], end[8];
};

/* 1 when map has key with an empty list ([]) as its value. */
int
pm_empty_list(const struct cfg_node *map, const char *key);

/* Binds and checks the sections of in (targets, calendar, meter, window,
 * item sets) against reg (NULL: unchecked). Returns 0 or -1. */
int
pm_parse_targets(struct pm_plan_in *in, const struct reg *reg, struct cfg_errs *errs);
int
pm_parse_schedule(struct pm_plan_in *in, struct cfg_errs *errs);
int
pm_parse_item_sets(struct pm_plan_in *in, struct cfg_errs *errs);

/* Checks each name of l (key at node) against reg: roles, teams or people,
 * none twice. Returns 0 or -1. */
int
pm_check_names(const struct cfg_strlist *l, const char *key, const struct cfg_node *node,
	       const struct reg *reg, struct cfg_errs *errs);

/* "YYYY-MM-DD" of key at node into *day (days since 1970-01-01); adds an
 * error and returns -1 when it is not a date. */
int
pm_parse_date(const char *s, const char *key, const struct cfg_node *node, long *day,
	      struct cfg_errs *errs);

void
pm_strlist_copy(struct cfg_strlist *dst, const struct cfg_strlist *src);
void
pm_plan_free(struct pm_plan *p);

#endif

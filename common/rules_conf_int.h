/* rules_conf_int.h — what the rules_conf*.c files share; everyone else uses
 * rules_conf.h. */
#ifndef FM_RULES_CONF_INT_H
#define FM_RULES_CONF_INT_H

#include "rules_conf.h"

/* A rule while it is bound: the lists and the work order arrive as nodes and
 * are parsed after binding (they may come from the file's defaults). */
struct rcf_rule_in {
	struct rcf_rule r;
	const struct cfg_node *notify, *escalation, *work_order;
};

/* Every key of a rule, bound into struct rcf_rule_in. */
extern const struct cfg_field rcf_rule_fields[];

/* Deep copy (string lists are duplicated); dst is overwritten. */
void
rcf_rule_copy(struct rcf_rule *dst, const struct rcf_rule *src);
void
rcf_rule_free(struct rcf_rule *r);

/* Parses whichever of in's notify, escalation and work_order nodes are set
 * into in->r, checking names against reg (NULL: unchecked). Returns 0 or -1. */
int
rcf_parse_lists(struct rcf_rule_in *in, const struct reg *reg, struct cfg_errs *errs);

/* Keys of node that do not belong to kind are errors; with required set, so
 * are the keys kind needs that node lacks. Returns 0 or -1. */
int
rcf_check_kind_keys(const struct cfg_node *node, int kind, int required, struct cfg_errs *errs);

/* Checks the values of a bound rule (levels, names, durations, the message
 * template); positions come from node, the mapping the values came from
 * (the rule, or an override). Returns 0 or -1. */
int
rcf_check_values(const struct rcf_rule *r, const struct cfg_node *node, struct cfg_errs *errs);

/* Checks what the alarm lifecycle takes from a rule or from the defaults:
 * flap_changes (0 or at least 2) and reminder (0 or at least 1m). */
int
rcf_check_policy(const struct rcf_rule *r, const struct cfg_node *node, struct cfg_errs *errs);

/* Builds set->overrides from the overrides list; set->rules is complete. */
int
rcf_build_overrides(struct rcf_set *set, const struct cfg_node *list, const struct reg *reg,
		    struct cfg_errs *errs);

#endif

/* rule_index.h — which rules an input concerns, by asset type and metric or
 * event name, so that the cost of a reading does not grow with the rules that
 * cannot match it: a lookup is one hash probe and returns exactly the rules
 * to evaluate. Built once per rule set; lookups are pure and allocation-free. */
#ifndef FM_ALERTD_RULE_INDEX_H
#define FM_ALERTD_RULE_INDEX_H

#include "rules_conf.h"

#include <stddef.h>

struct rule_index_run; /* private to rule_index.c */

struct rule_index {
	const struct rcf_rule **rules; /* in runs of one (type, key) each */
	size_t n;
	struct rule_index_run *slots; /* open-addressing hash of the runs */
	size_t n_slots;               /* a power of two */
	int n_types;
};

/* Indexes the rules of set (which must outlive ix) under every asset type
 * they apply to. A rule that is disabled and has no override enabling it is
 * left out. Returns 0; exits on out-of-memory. rule_index_free(ix) releases. */
int
rule_index_build(struct rule_index *ix, const struct rcf_set *set);
void
rule_index_free(struct rule_index *ix);

/* The rules (base rules: resolve each with rcf_effective) that a reading of
 * metric on a device of asset type t concerns: thresholds and rates on that
 * metric or guarded by it (while:), and no-data rules on it. *n gets the
 * count; the array is valid until rule_index_free. */
const struct rcf_rule *const *
rule_index_metric(const struct rule_index *ix, int type, const char *metric, size_t *n);

/* The event rules on event for asset type t. */
const struct rcf_rule *const *
rule_index_event(const struct rule_index *ix, int type, const char *event, size_t *n);

/* The offline rules of asset type t: feed them every message of the device
 * (once per message, not once per metric) and every status. */
const struct rcf_rule *const *
rule_index_presence(const struct rule_index *ix, int type, size_t *n);

/* Every rule of asset type t (to create a device's states and tick them). */
const struct rcf_rule *const *
rule_index_type(const struct rule_index *ix, int type, size_t *n);

#endif

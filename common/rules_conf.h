/* rules_conf.h — alarm rules (config/rules.yaml): the rule model that alertd
 * evaluates, its parser and checker (fmctl check and apply use it), and the
 * message templates. rcf_build is pure: a parsed document and the registry in,
 * a checked rule set or file:line errors out. It never evaluates a rule
 * (services/alertd/rules.h does) and never touches a server. */
#ifndef FM_RULES_CONF_H
#define FM_RULES_CONF_H

#include "config.h"
#include "registry.h"

#include <stddef.h>

#define RCF_FILE "rules.yaml"

/* Rule ids, metric and event names: [a-z0-9_]{1,64} (metric and event names
 * are the payload's; a rule id is stored in alarms.rule_id). */
#define RCF_NAME_SIZE 65
#define RCF_MESSAGE_SIZE 512
#define RCF_MAX_ESCALATION 8 /* steps in an escalation chain */
#define RCF_MAX_NOTIFY 16    /* names in one notify list */
#define RCF_MAX_FLAP 16      /* flapping: most changes counted in a window */

/* What a rule watches; names in rcf_kind_names. */
enum rcf_kind {
	RCF_THRESHOLD, /* a metric beyond a level, with a separate clear level */
	RCF_RATE,      /* a metric changing by at least an amount within a window */
	RCF_NO_DATA,   /* no reading of a metric for a time */
	RCF_EVENT,     /* a discrete device event, active / cleared */
	RCF_OFFLINE,   /* the device is gone: last will, or nothing heard */
};
extern const char *const rcf_kind_names[];

/* Comparison of a threshold rule (above >, at_least >=, below <, at_most <=)
 * or direction of a rate rule (rise, fall); names in rcf_op_names. */
enum rcf_op { RCF_ABOVE, RCF_AT_LEAST, RCF_BELOW, RCF_AT_MOST, RCF_RISE, RCF_FALL };
extern const char *const rcf_op_names[];

/* Work-order request: kind and priority are the names of work_orders.kind and
 * work_orders.priority (schemas/sql/005_work_orders.sql). */
extern const char *const rcf_wo_categories[];
extern const char *const rcf_wo_urgencies[];
#define RCF_ASSIGNEE_SUPPLIER "supplier" /* the device's ledger supplier */

struct rcf_work_order {
	int wanted;                 /* 0: the rule opens no work order */
	int category;               /* index into rcf_wo_categories */
	int urgency;                /* index into rcf_wo_urgencies */
	char skill[REG_ID_SIZE];    /* a skill id, or "" */
	char assignee[REG_ID_SIZE]; /* a person id, RCF_ASSIGNEE_SUPPLIER, or "" (dispatch) */
};

/* One step of an escalation chain: when the alarm is still unacknowledged
 * after_ms after it was raised, notify these. Steps are in increasing after_ms. */
struct rcf_escalation {
	long long after_ms;
	struct cfg_strlist notify; /* role names, team ids or person ids */
};

/* A rule, or the effective rule of one device when an override names it.
 * Levels and values are in the metric's own unit. */
struct rcf_rule {
	char id[RCF_NAME_SIZE];
	char name[REG_NAME_SIZE]; /* a title for people; "" when not given */
	struct cfg_strlist asset_types;
	unsigned long long type_mask; /* bit i: reg_asset_types[i] */
	int kind;                     /* enum rcf_kind */
	/* threshold, rate and no_data: the metric; threshold and rate may also
	 * apply only while another metric is non-zero (while: running) */
	char metric[RCF_NAME_SIZE];
	char guard[RCF_NAME_SIZE]; /* "" when not given */
	int op;                    /* enum rcf_op */
	/* threshold: the level that raises and the level that clears (on the
	 * other side of it: hysteresis). rate: the change within window_ms that
	 * raises, and the change at or under which it clears. Without a clear
	 * level (has_clear 0) clear == raise and the alarm clears as soon as the
	 * raise condition no longer holds. */
	double raise, clear;
	int has_clear;
	long long raise_for_ms, clear_for_ms; /* the condition must hold this long */
	long long window_ms;                  /* rate */
	long long timeout_ms;                 /* no_data */
	char event[RCF_NAME_SIZE];            /* event */
	long long after_ms, silence_ms;       /* offline: after the last will; silence (0: off) */
	int severity;                   /* 1 = I 特别重大 (most severe) .. 4 = IV 一般 */
	char message[RCF_MESSAGE_SIZE]; /* template, see rcf_render */
	struct cfg_strlist notify;
	struct rcf_work_order wo;
	long long reminder_ms; /* re-notify an unacknowledged alarm this often; 0: never */
	struct rcf_escalation esc[RCF_MAX_ESCALATION];
	int n_esc;
	int flap_changes; /* raise/clear changes within flap_window_ms that make it
				  * flapping; 0: no detection */
	long long flap_window_ms;
	long long shelve_max_ms; /* longest a person may shelve the alarm */
	int enabled;
	char device[REG_ID_SIZE];    /* "" for a rule; the device of an override */
	const struct cfg_node *node; /* where it was defined (a rule or an override) */
	/* a rule: its overrides are set->overrides[ov_first .. ov_first + ov_n);
	 * an override: ov_first is the index of its rule, ov_n is 0 */
	size_t ov_first, ov_n;
};

/* A checked rule set. overrides are full copies of their rule with the
 * override's values applied, grouped by rule and sorted by device. */
struct rcf_set {
	struct rcf_rule *rules;
	size_t n_rules;
	struct rcf_rule *overrides;
	size_t n_overrides;
	struct cfg_doc *doc; /* owned when loaded by rcf_load_dir */
};

/* Builds and checks the rule set from a parsed rules.yaml. reg may be NULL
 * (the registry could not be read): references into it are then not checked.
 * Every problem is added as "file:line: message": unknown keys, bad names,
 * unknown asset types, devices, skills and notify targets, severity outside
 * 1..4, a clear level on the wrong side of the raise level, durations out of
 * bounds, escalation steps out of order, unknown message placeholders, and
 * keys that do not belong to the rule's kind. Returns 0, or -1 when errors were
 * added; out is filled either way and must be rcf_free'd. The nodes of doc
 * must outlive out. A NULL doc (a file that could not be read, its error
 * already reported) returns -1 and adds nothing. Pure. */
int
rcf_build(struct rcf_set *out, const struct cfg_doc *doc, const struct reg *reg,
	  struct cfg_errs *errs);

/* Reads dir/rules.yaml and builds the set (out owns the document). Returns 0
 * or -1 with errors in errs; out must be rcf_free'd either way. */
int
rcf_load_dir(const char *dir, const struct reg *reg, struct rcf_set *out, struct cfg_errs *errs);

/* Frees what set owns; a zeroed set and NULL are no-ops. */
void
rcf_free(struct rcf_set *set);

/* The rule with this id, or NULL. */
const struct rcf_rule *
rcf_find(const struct rcf_set *set, const char *id);

/* The rule as it applies to device: its override for that device, or the rule
 * itself. r must belong to set. */
const struct rcf_rule *
rcf_effective(const struct rcf_set *set, const struct rcf_rule *r, const char *device);

/* 1 when the rule applies to asset type t (an index into reg_asset_types). */
int
rcf_applies_to(const struct rcf_rule *r, int type);

/* 1 when s is a metric, event or rule name: [a-z0-9_]{1,64}. */
int
rcf_valid_name(const char *s);

/* What a notify name refers to, resolved against the registry in this order:
 * a role (reg_roles), a team id, a person id. */
enum rcf_target { RCF_TARGET_UNKNOWN, RCF_TARGET_ROLE, RCF_TARGET_TEAM, RCF_TARGET_PERSON };
enum rcf_target
rcf_target_kind(const struct reg *reg, const char *name);

/* ---- message templates ------------------------------------------------- */

/* What a template may name: {device} (id), {name} (the device's name),
 * {site}, {rule}, {value} (the value that raised it: the reading, or the
 * change within the window for a rate rule) and {threshold} (the raise level). */
struct rcf_render_ctx {
	const char *device, *name, *site, *rule; /* NULL renders as "" */
	double value, threshold;
	int has_value, has_threshold; /* 0 renders as "n/a" */
};

/* Renders tmpl into buf (cap > 0 bytes, always NUL-terminated). Numbers are
 * written with at most two decimals, trailing zeros dropped. A '{' that does
 * not start a known placeholder is copied as is. Returns 0, or -1 when the
 * text was cut to fit (between UTF-8 characters, never inside one). Pure,
 * allocation-free. */
int
rcf_render(const char *tmpl, const struct rcf_render_ctx *ctx, char *buf, size_t cap);

/* Checks a template: every {word} must be a known placeholder, and {value}
 * and {threshold} need a rule kind that has them (threshold, rate). Adds
 * errors at node. Returns 0 or -1. */
int
rcf_check_template(const char *tmpl, int kind, const struct cfg_node *node, struct cfg_errs *errs);

#endif

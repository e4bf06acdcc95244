/* bench_alertd_rules.c — throughput of alertd's pure core: a tank-level
 * reading through the rule index, the per-device override lookup and the
 * evaluator, with the shipped rules and then with rules added on other
 * metrics up to 100, 1,000 and 10,000 rules in all (the cost should not
 * move), and the alarm lifecycle. Prints figures only ("figure" lines for
 * tests/bench/run.sh's table); never fails on a number (exit 1 only if the
 * rules do not build). Reads config/ from the repository root. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alertd/alarm.h"
#include "alertd/rule_index.h"
#include "alertd/rules.h"
#include "timeutil.h"

#define RUN_MS 1000

/* The shipped rules.yaml with EXTRA rules on other metrics appended. */
static char *
rules_text(int extra)
{
	FILE *f = fopen("config/rules.yaml", "r");
	size_t cap = 1 << 20, n;
	char *buf = malloc(cap + (size_t)extra * 200), *ov;

	if (!f || !buf)
		return NULL;
	n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	ov = strstr(buf, "\noverrides:");
	if (!ov || !extra)
		return buf;
	memmove(ov + (size_t)extra * 200, ov, strlen(ov) + 1);
	for (int i = 0; i < extra; i++) {
		int w = snprintf(ov, 200,
				 "\n  - {id: extra_%d, asset_types: [water_tank, water_pump],"
				 " kind: threshold, metric: other_%d, op: above, raise: 1,"
				 " severity: 4, message: m}",
				 i, i);
		memset(ov + w, ' ', (size_t)(200 - w));
		ov += 200;
	}
	return buf;
}

/* Runs the evaluation with extra rules added; the rule count in *n_rules. */
static int
bench_eval(int extra, size_t *n_rules)
{
	struct cfg_errs errs;
	struct reg reg;
	struct rcf_set set = {0};
	struct rule_index ix;
	struct rule_state st[16];
	struct cfg_doc *doc;
	char *text = rules_text(extra);
	const struct reg_device *d;
	long long n = 0, start, elapsed, evals = 0;
	size_t k;

	cfg_errs_init(&errs);
	if (!text || reg_load_dir("config", &reg, &errs) < 0) {
		cfg_errs_print(&errs, stderr);
		return -1;
	}
	doc = cfg_load_buf("rules.yaml", text, strlen(text), &errs);
	if (rcf_build(&set, doc, &reg, &errs) < 0) {
		cfg_errs_print(&errs, stderr);
		return -1;
	}
	rule_index_build(&ix, &set);
	d = reg_device_find(&reg, "tank-2");
	for (int i = 0; i < 16; i++)
		rule_state_init(&st[i], 0);
	start = tu_mono_ms();
	do {
		for (int i = 0; i < 1000; i++, n++) {
			struct rule_input in = {RULE_IN_METRIC, "level_pct", 50 + (n % 40),
						n * 1000, 0};
			const struct rcf_rule *const *r =
				rule_index_metric(&ix, d->type, "level_pct", &k);

			for (size_t j = 0; j < k; j++) {
				struct rule_result res;

				rule_eval(rcf_effective(&set, r[j], d->id), &st[j], &in, n * 1000,
					  &res);
			}
			evals += (long long)k;
		}
		elapsed = tu_mono_ms() - start;
	} while (elapsed < RUN_MS);
	*n_rules = set.n_rules;
	printf("figure\trules.r%zu.ns\t%.0f\tns\tone reading through the index and evaluator, "
	       "%zu rules (%lld evaluations per reading)\n",
	       set.n_rules, (double)elapsed * 1e6 / (double)n, set.n_rules, evals / n);
	rule_index_free(&ix);
	rcf_free(&set);
	cfg_doc_free(doc);
	reg_free(&reg);
	cfg_errs_free(&errs);
	free(text);
	return 0;
}

static void
bench_alarm(void)
{
	struct alarm_policy p = {.reminder_ms = 600000,
				 .escalation_ms = {300000, 900000},
				 .n_escalation = 2,
				 .flap_changes = 6,
				 .flap_window_ms = 600000,
				 .shelve_max_ms = 3600000};
	struct alarm a = {0};
	struct alarm_out out;
	long long n = 0, start = tu_mono_ms(), elapsed;
	static const enum alarm_event cycle[] = {ALARM_EV_RAISE, ALARM_EV_TICK, ALARM_EV_ACK,
						 ALARM_EV_CLEAR};

	do {
		for (int i = 0; i < 1000; i++, n++) {
			struct alarm_input in = {cycle[n % 4], "duty-wang", 0, 1, 1.0};

			alarm_apply(&a, &p, &in, n * 60000, &out);
		}
		elapsed = tu_mono_ms() - start;
	} while (elapsed < RUN_MS);
	printf("figure\talarm.lifecycle_events\t%.0f\tevents/s\talarm lifecycle steps "
	       "(raise/tick/ack/clear)\n",
	       (double)n * 1000.0 / (double)elapsed);
}

int
main(void)
{
	static const int totals[] = {100, 1000, 10000};
	size_t shipped;

	if (bench_eval(0, &shipped) < 0)
		return 1;
	for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++) {
		size_t n;

		if ((size_t)totals[i] > shipped && bench_eval(totals[i] - (int)shipped, &n) < 0)
			return 1;
	}
	bench_alarm();
	return 0;
}

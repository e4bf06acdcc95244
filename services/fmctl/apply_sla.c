/* apply_sla.c — how `fmctl apply` writes sla.yaml into sla_clocks,
 * sla_settings and sla_escalation (011): one row per category x urgency,
 * one row of settings, one per escalation step, each written only when a
 * value differs; steps past the configured chain are deleted (sla.yaml is
 * one document: nothing of an older one is kept). Every statement is a
 * constant with $n parameters. */
#include "apply.h"
#include "log.h"
#include "pgtext.h"
#include "rules_conf.h"

#include <stdio.h>
#include <string.h>

#define UPSERT_CLOCK                                                                               \
	"INSERT INTO sla_clocks AS t (category, urgency, acknowledge_ms, accept_ms, on_site_ms,"   \
	" resolve_ms) VALUES ($1, $2, $3, $4, $5, $6)"                                             \
	" ON CONFLICT (category, urgency) DO UPDATE SET acknowledge_ms = EXCLUDED.acknowledge_ms," \
	" accept_ms = EXCLUDED.accept_ms, on_site_ms = EXCLUDED.on_site_ms,"                       \
	" resolve_ms = EXCLUDED.resolve_ms, updated_at = now()"                                    \
	" WHERE (t.acknowledge_ms, t.accept_ms, t.on_site_ms, t.resolve_ms) IS DISTINCT FROM"      \
	" (EXCLUDED.acknowledge_ms, EXCLUDED.accept_ms, EXCLUDED.on_site_ms, EXCLUDED.resolve_ms)" \
	" RETURNING (t.xmax = 0)"

#define SETTINGS_COLS                                                                              \
	"reply_major_ms, reply_urgent_ms, reply_general_ms, followup_days, reopen_score_max,"      \
	" work_days, work_start_min, work_end_min, repeat_window_ms, emergency_team,"              \
	" dispatch_roles, load_weight_emergency, load_weight_ordinary"
#define SETTINGS_VALS(p)                                                                           \
	"(" p "reply_major_ms, " p "reply_urgent_ms, " p "reply_general_ms, " p                    \
	"followup_days, " p "reopen_score_max, " p "work_days, " p "work_start_min, " p            \
	"work_end_min, " p "repeat_window_ms, " p "emergency_team, " p "dispatch_roles, " p        \
	"load_weight_emergency, " p "load_weight_ordinary)"
#define UPSERT_SETTINGS                                                                                               \
	"INSERT INTO sla_settings AS t (" SETTINGS_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7,"                       \
	" $8, $9, $10, $11::text[], $12, $13) ON CONFLICT (id) DO UPDATE SET " SETTINGS_VALS("") " = " SETTINGS_VALS( \
		"EXCLUDED.") ", updated_at = now() WHERE " SETTINGS_VALS("t.") " IS DISTINCT "                        \
									       "FROM"                                 \
									       " " SETTINGS_VALS(                     \
										       "EXCLUDED"                     \
										       ".") " RET"                    \
											    "URNI"                    \
											    "NG "                     \
											    "(t."                     \
											    "xmax"                    \
											    " = "                     \
											    "0)"

#define UPSERT_STEP                                                                                \
	"INSERT INTO sla_escalation AS t (step, after_ms, notify) VALUES ($1, $2, $3::text[])"     \
	" ON CONFLICT (step) DO UPDATE SET after_ms = EXCLUDED.after_ms,"                          \
	" notify = EXCLUDED.notify, updated_at = now()"                                            \
	" WHERE (t.after_ms, t.notify) IS DISTINCT FROM (EXCLUDED.after_ms, EXCLUDED.notify)"      \
	" RETURNING (t.xmax = 0)"

#define DELETE_STEPS "DELETE FROM sla_escalation WHERE step >= $1::integer RETURNING step"

/* Runs one upsert and counts what it wrote into tally. */
static enum db_status
upsert(struct db *db, const char *sql, int n, const char *const *p, struct apply_tally *tally)
{
	struct db_res *r = NULL;
	enum db_status s = db_exec(db, sql, n, p, &r);

	for (size_t i = 0; s == DB_OK && i < db_res_rows(r); i++) {
		if (strcmp(db_res_get(r, i, 0), "t") == 0)
			tally->inserted++;
		else
			tally->updated++;
	}
	db_res_free(r);
	return s;
}

static struct apply_tally *
new_tally(struct apply_result *res, const char *table)
{
	struct apply_tally *t;

	if (res->n >= APPLY_MAX_TABLES)
		fatal("apply_sla: no room for the %s tally", table);
	t = &res->t[res->n++];
	memset(t, 0, sizeof *t);
	t->table = table;
	return t;
}

static const char *
array_of(struct pgtext *t, const struct cfg_strlist *l)
{
	pgtext_reset(t);
	pgtext_array_begin(t);
	for (size_t i = 0; i < l->n; i++)
		pgtext_array_add(t, l->v[i]);
	pgtext_array_end(t);
	return pgtext_str(t);
}

static enum db_status
write_clocks(struct db *db, const struct sla_conf *c, struct apply_tally *tally)
{
	enum db_status s = DB_OK;
	char v[SLA_N_CLOCKS][24];

	for (int k = 0; s == DB_OK && k < SLA_N_CATEGORIES; k++)
		for (int u = 0; s == DB_OK && u < SLA_N_URGENCIES; u++) {
			const char *p[2 + SLA_N_CLOCKS] = {rcf_wo_categories[k],
							   rcf_wo_urgencies[u]};

			for (int i = 0; i < SLA_N_CLOCKS; i++) {
				snprintf(v[i], sizeof v[i], "%lld", c->clocks[k][u].ms[i]);
				p[2 + i] = v[i];
			}
			s = upsert(db, UPSERT_CLOCK, 2 + SLA_N_CLOCKS, p, tally);
		}
	return s;
}

static enum db_status
write_settings(struct db *db, const struct sla_conf *c, struct apply_tally *tally)
{
	const long long n[9] = {
		c->reply_ms[SLA_MAJOR], c->reply_ms[SLA_URGENT], c->reply_ms[SLA_GENERAL],
		c->followup_days,       c->reopen_score_max,     c->work.day_mask,
		c->work.start_min,      c->work.end_min,         c->repeat_window_ms};
	char v[9][24], w[2][16];
	const char *p[13];
	struct pgtext roles = {0};
	enum db_status s;

	for (int i = 0; i < 9; i++) {
		snprintf(v[i], sizeof v[i], "%lld", n[i]);
		p[i] = v[i];
	}
	p[9] = c->emergency_team;
	p[10] = array_of(&roles, &c->dispatch_roles);
	for (int i = 0; i < 2; i++) {
		snprintf(w[i], sizeof w[i], "%d", c->load_weight[i]);
		p[11 + i] = w[i];
	}
	s = upsert(db, UPSERT_SETTINGS, 13, p, tally);
	pgtext_free(&roles);
	return s;
}

static enum db_status
write_steps(struct db *db, const struct sla_conf *c, struct apply_tally *tally)
{
	struct pgtext notify = {0};
	enum db_status s = DB_OK;
	struct db_res *r = NULL;
	char step[16], after[24];

	for (int i = 0; s == DB_OK && i < c->n_esc; i++) {
		const char *p[3] = {step, after, array_of(&notify, &c->esc[i].notify)};

		snprintf(step, sizeof step, "%d", i);
		snprintf(after, sizeof after, "%lld", c->esc[i].after_ms);
		s = upsert(db, UPSERT_STEP, 3, p, tally);
	}
	pgtext_free(&notify);
	snprintf(step, sizeof step, "%d", c->n_esc);
	if (s == DB_OK) {
		const char *p[1] = {step};

		s = db_exec(db, DELETE_STEPS, 1, p, &r);
	}
	if (s == DB_OK)
		tally->removed += (long)db_res_rows(r);
	db_res_free(r);
	return s;
}

enum db_status
apply_sla(struct db *db, const struct sla_conf *c, struct apply_result *res)
{
	enum db_status s = write_clocks(db, c, new_tally(res, "sla_clocks"));

	if (s == DB_OK)
		s = write_settings(db, c, new_tally(res, "sla_settings"));
	if (s == DB_OK)
		s = write_steps(db, c, new_tally(res, "sla_escalation"));
	return s;
}

/* sla_db.c — reads sla_clocks, sla_settings and sla_escalation (011) into a
 * struct sla_conf in one read-only snapshot. The values were checked by
 * `fmctl apply` (sla_build) before they were written; this only refuses
 * rows it cannot represent. Every query is a constant. */
#include "dispatchd/sla_db.h"
#include "db.h"
#include "rules_conf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define Q_CLOCKS                                                                                   \
	"SELECT category, urgency, acknowledge_ms, accept_ms, on_site_ms, resolve_ms"              \
	" FROM sla_clocks"
#define Q_SETTINGS                                                                                 \
	"SELECT reply_major_ms, reply_urgent_ms, reply_general_ms, followup_days,"                 \
	" reopen_score_max, work_days, work_start_min, work_end_min, repeat_window_ms,"            \
	" load_weight_emergency, load_weight_ordinary, emergency_team, dispatch_roles"             \
	" FROM sla_settings"
#define Q_STEPS "SELECT after_ms, notify FROM sla_escalation ORDER BY step"

static int
fail(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int
fail(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
	return -1;
}

int
sla_db_split(const char *text, struct cfg_strlist *out)
{
	size_t len = text ? strlen(text) : 0;
	char *buf, *save = NULL, *tok;
	int bad = 0;

	if (len < 2 || text[0] != '{' || text[len - 1] != '}')
		return -1;
	buf = strndup(text + 1, len - 2);
	out->v = calloc(len / 2 + 1, sizeof *out->v); /* items are at least "x," */
	for (tok = buf && out->v ? strtok_r(buf, ",", &save) : NULL; tok && !bad;
	     tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "NULL") == 0 || strpbrk(tok, "\"\\{}") ||
		    !(out->v[out->n] = strdup(tok)))
			bad = 1;
		else
			out->n++;
	}
	bad |= !buf || !out->v;
	free(buf);
	if (bad)
		cfg_strlist_free(out);
	return bad ? -1 : 0;
}

static int
index_of(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static int
read_clocks(struct db *db, struct sla_conf *c, char *err, size_t cap)
{
	struct db_res *r = NULL;
	int rc = db_exec(db, Q_CLOCKS, 0, NULL, &r) == DB_OK ? 0 : -1;

	if (rc < 0)
		return fail(err, cap, "sla_clocks: %s", db_error(db));
	for (size_t i = 0; rc == 0 && i < db_res_rows(r); i++) {
		int k = index_of(rcf_wo_categories, SLA_N_CATEGORIES, db_res_get(r, i, 0));
		int u = index_of(rcf_wo_urgencies, SLA_N_URGENCIES, db_res_get(r, i, 1));

		if (k < 0 || u < 0) {
			rc = fail(err, cap, "sla_clocks: unknown %s/%s", db_res_get(r, i, 0),
				  db_res_get(r, i, 1));
			break;
		}
		for (int j = 0; j < SLA_N_CLOCKS; j++)
			c->clocks[k][u].ms[j] = strtoll(db_res_get(r, i, 2 + j), NULL, 10);
	}
	db_res_free(r);
	return rc;
}

static int
read_settings(struct db *db, struct sla_conf *c, char *err, size_t cap)
{
	struct db_res *r = NULL;
	long long v[11];
	int rc;

	if (db_exec(db, Q_SETTINGS, 0, NULL, &r) != DB_OK)
		return fail(err, cap, "sla_settings: %s", db_error(db));
	if (db_res_rows(r) != 1) {
		db_res_free(r);
		return fail(err, cap, "sla.yaml was never applied: run fmctl apply");
	}
	for (int i = 0; i < 11; i++)
		v[i] = strtoll(db_res_get(r, 0, i), NULL, 10);
	for (int g = 0; g < SLA_N_GRADES; g++)
		c->reply_ms[g] = v[g];
	c->followup_days = (int)v[3];
	c->reopen_score_max = (int)v[4];
	c->work = (struct sla_worktime){(unsigned)v[5], (int)v[6], (int)v[7]};
	c->repeat_window_ms = v[8];
	c->load_weight[0] = (int)v[9];
	c->load_weight[1] = (int)v[10];
	snprintf(c->emergency_team, sizeof c->emergency_team, "%s", db_res_get(r, 0, 11));
	rc = sla_db_split(db_res_get(r, 0, 12), &c->dispatch_roles);
	db_res_free(r);
	return rc < 0 ? fail(err, cap, "sla_settings: dispatch_roles unreadable") : 0;
}

static int
read_steps(struct db *db, struct sla_conf *c, char *err, size_t cap)
{
	struct db_res *r = NULL;
	int rc = 0;

	if (db_exec(db, Q_STEPS, 0, NULL, &r) != DB_OK)
		return fail(err, cap, "sla_escalation: %s", db_error(db));
	if (db_res_rows(r) > SLA_MAX_ESCALATION)
		rc = fail(err, cap, "sla_escalation: more than %d steps", SLA_MAX_ESCALATION);
	for (size_t i = 0; rc == 0 && i < db_res_rows(r); i++) {
		struct sla_escalation *e = &c->esc[c->n_esc];

		e->after_ms = strtoll(db_res_get(r, i, 0), NULL, 10);
		if (sla_db_split(db_res_get(r, i, 1), &e->notify) < 0)
			rc = fail(err, cap, "sla_escalation: step %zu unreadable", i);
		else
			c->n_esc++;
	}
	db_res_free(r);
	return rc;
}

int
sla_db_load(struct db *db, struct sla_conf *out, char *err, size_t errcap)
{
	int rc;

	memset(out, 0, sizeof *out);
	if (!db_connected(db) && db_connect(db) != DB_OK)
		return fail(err, errcap, "cannot reach PostgreSQL: %s", db_error(db));
	if (db_begin(db) != DB_OK ||
	    db_exec(db, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0, NULL,
		    NULL) != DB_OK)
		return fail(err, errcap, "%s", db_error(db));
	rc = read_clocks(db, out, err, errcap);
	if (rc == 0)
		rc = read_settings(db, out, err, errcap);
	if (rc == 0)
		rc = read_steps(db, out, err, errcap);
	db_rollback(db); /* read only: nothing to keep */
	return rc;
}

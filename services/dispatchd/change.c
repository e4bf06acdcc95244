/* change.c — one change of one order, the only way an order moves: the
 * state machine on a copy, the row and its wo_events in one transaction,
 * and only then the copy kept and the retained state published. A failed
 * write leaves the order as it was, so the caller can retry it whole. */
#include "db.h"
#include "dispatchd/main_int.h"
#include "dispatchd/store.h"
#include "log.h"

#include <string.h>

static void
status_of(struct dispd *g, const struct dorder *o, long long now_ms, struct sla_status *st)
{
	struct sla_policy p;

	sla_policy_for(&p, &g->sla, o->w.category, o->w.urgency, o->w.grade);
	sla_check(&o->w, &p, dispd_zone(g, o->site), now_ms, st);
}

static int
write_failed(struct dispd *g, const struct dorder *o, int rc)
{
	static struct log_limit lim = LOG_LIMIT(5000);

	g->c.db_errors++;
	g->db_retry_mono_ms = tu_mono_ms() + DISPD_DB_RETRY_MS;
	log_limited(&lim, LOG_WARN, "order_not_written", "wo_id=%s rc=%d error=\"%s\"", o->wo_id,
		    rc, db_error(g->db));
	return -1;
}

int
dispd_change(struct dispd *g, struct dorder *o, const struct wo_input *in, long long now_ms,
	     const char *detail_json)
{
	struct dorder next = *o;
	struct wo_out out;
	struct store_ev ev[WO_MAX_OUT];
	struct sla_status st;
	const char *site = g->rot_site; /* a dispatch's counter, same transaction */
	enum wo_rc rc;
	int wrc;

	g->rot_site = NULL;
	rc = wo_apply(&next.w, in, now_ms, &out);
	if (rc != WO_OK)
		return (int)rc;
	for (int i = 0; i < out.n; i++)
		ev[i] = (struct store_ev){wo_transition_name(out.t[i]),
					  wo_state_name(out.from[i]),
					  wo_state_name(out.to[i]),
					  in->actor && in->actor[0] ? in->actor : "dispatchd",
					  detail_json,
					  now_ms};
	status_of(g, &next, now_ms, &st);
	if (!db_connected(g->db) && db_connect(g->db) != DB_OK)
		return write_failed(g, o, DB_RETRY);
	wrc = store_save(g->db, &next, &st, ev, out.n, site, g->rot_value);
	if (wrc != DB_OK)
		return write_failed(g, o, wrc);
	for (int i = 0; i < out.n; i++)
		log_info("transition", "wo_id=%s transition=%s from=%s to=%s actor=%s assignee=%s",
			 o->wo_id, ev[i].transition, ev[i].from, ev[i].to, ev[i].actor,
			 next.w.assignee[0] ? next.w.assignee : "-");
	*o = next;
	out_order(g, o, now_ms);
	return WO_OK;
}

int
dispd_note(struct dispd *g, struct dorder *o, long long now_ms, const char *detail_json)
{
	const char *s = wo_state_name(o->w.state);
	struct store_ev ev = {"noted", s, s, "dispatchd", detail_json, now_ms};
	struct sla_status st;
	int wrc;

	status_of(g, o, now_ms, &st);
	if (!db_connected(g->db) && db_connect(g->db) != DB_OK)
		return write_failed(g, o, DB_RETRY);
	wrc = store_save(g->db, o, &st, &ev, 1, NULL, 0);
	if (wrc != DB_OK)
		return write_failed(g, o, wrc);
	out_order(g, o, now_ms);
	return 0;
}

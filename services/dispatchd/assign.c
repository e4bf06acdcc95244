/* assign.c — candidate filtering and least-load choice for dispatch. The
 * pool is the emergency team or the people of the dispatch roles; each
 * person passes the stages in order (skill, shift, area, capacity, skip) and
 * the furthest stage anyone reached names why nobody was found. Pure. */
#include "dispatchd/assign.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* What a tier of the filter demands. */
struct tier {
	int skill, area;
};
static const struct tier emergency_tiers[] = {{1, 1}, {1, 0}, {0, 0}};
static const struct tier ordinary_tiers[] = {{1, 1}};

/* The i-th person of the pool, or NULL when that slot is not in it. */
static const struct reg_person *
pool_person(const struct assign_ctx *ctx, const struct reg_team *team, size_t i)
{
	const struct reg *reg = ctx->who->reg;
	const struct reg_person *p;

	if (team)
		return reg_person_find(reg, team->members.v[i]);
	p = &reg->people[i];
	for (size_t r = 0; ctx->roles && r < ctx->roles->n; r++)
		if (who_has_role(ctx->who, p->id, ctx->roles->v[r]))
			return p;
	return NULL;
}

static const struct assign_load *
load_of(const struct assign_ctx *ctx, const char *person)
{
	for (size_t i = 0; i < ctx->n_loads; i++)
		if (ctx->loads[i].person && strcmp(ctx->loads[i].person, person) == 0)
			return &ctx->loads[i];
	return NULL;
}

static int
has(const char *s)
{
	return s && s[0];
}

/* How far p gets through the filter: the index of the first stage it fails
 * (enum assign_why), or ASSIGN_WHY_NONE when it passes them all. */
static enum assign_why
stage(const struct assign_ctx *ctx, const struct assign_request *req, const struct tier *t,
      const struct reg_person *p, long long now_ms)
{
	const struct assign_load *l = load_of(ctx, p->id);

	if (!p->active)
		return ASSIGN_WHY_NO_POOL;
	if (t->skill && has(req->skill) && cfg_strlist_find(&p->skills, req->skill) < 0)
		return ASSIGN_WHY_NO_SKILL;
	if (!who_on_shift(ctx->who, req->site, p->id, now_ms))
		return ASSIGN_WHY_OFF_SHIFT;
	/* A person without areas covers the whole site (as who.c reads it). */
	if (t->area && has(req->area) && p->areas.n && cfg_strlist_find(&p->areas, req->area) < 0)
		return ASSIGN_WHY_NO_AREA;
	if ((l ? l->open : 0) >= p->capacity)
		return ASSIGN_WHY_AT_CAPACITY;
	if (req->order && wo_skipped(req->order, p->id))
		return ASSIGN_WHY_ALL_SKIPPED;
	return ASSIGN_WHY_NONE;
}

/* One tier: the least-loaded candidate at the rotation, or the furthest
 * stage reached when there is none. */
static int
pick_tier(const struct assign_ctx *ctx, const struct assign_request *req, const struct tier *t,
	  const struct reg_team *team, long long now_ms, unsigned *rotation,
	  struct assign_result *res)
{
	size_t n = team ? team->members.n : ctx->who->reg->n_people;
	int best = INT_MAX, tied = 0, k;
	enum assign_why furthest = ASSIGN_WHY_NO_POOL;

	for (int pass = 0; pass < 2; pass++) {
		k = 0;
		for (size_t i = 0; i < n; i++) {
			const struct reg_person *p = pool_person(ctx, team, i);
			const struct assign_load *l;
			enum assign_why w;
			int weight;

			if (!p)
				continue;
			w = stage(ctx, req, t, p, now_ms);
			if (w != ASSIGN_WHY_NONE) {
				if (pass == 0 && w > furthest)
					furthest = w;
				continue;
			}
			l = load_of(ctx, p->id);
			weight = l ? l->weighted : 0;
			if (pass == 0 && weight < best) {
				best = weight;
				tied = 0;
			}
			if (weight != best)
				continue;
			if (pass == 0) {
				tied++;
			} else if (k++ == (int)(*rotation % (unsigned)tied)) {
				snprintf(res->person, sizeof res->person, "%s", p->id);
				res->tied = tied;
				(*rotation)++;
				return 1;
			}
		}
		if (!tied) {
			res->why = furthest;
			return 0;
		}
	}
	return 0;
}

enum assign_rc
assign_pick(const struct assign_ctx *ctx, const struct assign_request *req, long long now_ms,
	    unsigned *rotation, struct assign_result *res)
{
	const struct tier *tiers = req->emergency ? emergency_tiers : ordinary_tiers;
	int n_tiers = req->emergency ? 3 : 1;
	const struct reg_team *team = NULL;
	enum assign_why why = ASSIGN_WHY_NO_POOL;

	memset(res, 0, sizeof *res);
	res->rc = ASSIGN_ESCALATE;
	if (req->emergency) {
		team = has(ctx->emergency_team) ? reg_team_find(ctx->who->reg, ctx->emergency_team)
						: NULL;
		if (!team) {
			res->why = ASSIGN_WHY_NO_POOL;
			return res->rc;
		}
	}
	for (int t = 0; t < n_tiers; t++) {
		if (pick_tier(ctx, req, &tiers[t], team, now_ms, rotation, res)) {
			res->rc = ASSIGN_OK;
			res->why = ASSIGN_WHY_NONE;
			res->tier = t + 1;
			return res->rc;
		}
		/* The strictest tier's reason is the one a person can act on. */
		if (t == 0)
			why = res->why;
	}
	res->why = why;
	return res->rc;
}

const char *
assign_why_name(enum assign_why why)
{
	static const char *const n[] = {"none",    "no_pool",     "no_skill",   "off_shift",
					"no_area", "at_capacity", "all_skipped"};

	return (unsigned)why < sizeof n / sizeof n[0] ? n[why] : "?";
}

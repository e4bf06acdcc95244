/* test_dispatchd_assign.c — who takes a work order
 * (services/dispatchd/assign): a small registry built here (day and night
 * technicians in two areas, one covering the whole site, an inactive one, a
 * supervisor outside the dispatch roles, a 24-hour duty engineer, an
 * emergency team), then a table of skill x shift x area x load x capacity x
 * skips with the person chosen or the stage that ran dry; ties that rotate;
 * the emergency team's relaxed tiers. Instants are Shanghai wall time. */
#include "dispatchd/assign.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char site_yaml[] = "sites:\n"
				"  - id: s1\n"
				"    name: Site One\n"
				"    timezone: Asia/Shanghai\n"
				"    areas: [{id: A, name: Area A}, {id: B, name: Area B}]\n";

static const char devices_yaml[] = "site: s1\n"
				   "devices:\n"
				   "  - {id: pump-1, type: water_pump, name: Pump 1}\n";

/* Registry order decides ties: t1 t2 t3 t4 t5 t6 sup d1. */
static const char people_yaml[] =
	"skills:\n"
	"  - {id: plumbing, name: Plumbing}\n"
	"  - {id: elevator, name: Elevators}\n"
	"  - {id: electrical, name: Electrical}\n"
	"  - {id: hvac, name: HVAC}\n"
	"  - {id: general, name: General}\n"
	"people:\n"
	"  - {id: t1, name: T1, roles: [technician], skills: [plumbing], areas: [A], capacity: 2}\n"
	"  - {id: t2, name: T2, roles: [technician], skills: [plumbing], areas: [B], capacity: 2}\n"
	"  - {id: t3, name: T3, roles: [technician], skills: [plumbing, elevator], capacity: 3}\n"
	"  - {id: t4, name: T4, roles: [technician], skills: [plumbing], areas: [A]}\n"
	"  - {id: t5, name: T5, roles: [technician], skills: [electrical], areas: [A]}\n"
	"  - {id: t6, name: T6, roles: [technician], skills: [plumbing], areas: [A], active: "
	"false}\n"
	"  - {id: sup, name: Sup, roles: [supervisor], skills: [plumbing], areas: [A]}\n"
	"  - {id: d1, name: D1, roles: [duty_engineer], skills: [general], areas: [A, B]}\n"
	"shifts:\n"
	"  - {id: day, name: Day, start: \"08:00\", end: \"20:00\"}\n"
	"  - {id: night, name: Night, start: \"20:00\", end: \"08:00\"}\n"
	"  - {id: all, name: All day, start: \"00:00\", end: \"24:00\"}\n"
	"roster:\n"
	"  - shift: day\n"
	"    days: [mon, tue, wed, thu, fri, sat, sun]\n"
	"    people: [t1, t2, t3, t5, t6, sup]\n"
	"  - shift: night\n"
	"    days: [mon, tue, wed, thu, fri, sat, sun]\n"
	"    people: [t4]\n"
	"  - shift: all\n"
	"    days: [mon, tue, wed, thu, fri, sat, sun]\n"
	"    people: [d1]\n"
	"teams:\n"
	"  - {id: emergency, name: Emergency, members: [d1, t5, t3]}\n";

struct fx {
	struct cfg_doc *docs[3];
	struct reg reg;
	struct who who;
	struct cfg_strlist roles;
};

static struct fx fx;

/* UTC ms of a Shanghai wall-clock time in January 2024 (UTC+8). */
static long long
cst(int d, int h)
{
	return ((long long)tu_days_from_civil(2024, 1, d) * 24 + h - 8) * 3600000LL;
}
/* Hours of Wednesday 2024-01-03. */
#define DAY 10
#define NIGHT 23

static int
setup(void **state)
{
	struct cfg_errs errs;
	static char *role[] = {"technician"};
	static int line[] = {1};

	(void)state;
	cfg_errs_init(&errs);
	fx.docs[0] = cfg_load_buf("site.yaml", site_yaml, strlen(site_yaml), &errs);
	fx.docs[1] = cfg_load_buf("devices.yaml", devices_yaml, strlen(devices_yaml), &errs);
	fx.docs[2] = cfg_load_buf("people.yaml", people_yaml, strlen(people_yaml), &errs);
	if (reg_build(&fx.reg, fx.docs[0], fx.docs[1], fx.docs[2], &errs) < 0 ||
	    who_build(&fx.who, &fx.reg, NULL) < 0) {
		cfg_errs_print(&errs, stderr);
		return -1;
	}
	cfg_errs_free(&errs);
	fx.roles.v = role;
	fx.roles.line = line;
	fx.roles.n = 1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	who_free(&fx.who);
	reg_free(&fx.reg);
	for (int i = 0; i < 3; i++)
		cfg_doc_free(fx.docs[i]);
	return 0;
}

#define MAX_LOADS 4
#define MAX_SKIPS 3
/* loads: "person:open:weighted ..."; skip: "person ..." (the order's skip
 * list); want: a person, or NULL for escalate with why. */
struct assign_case {
	const char *what, *skill, *area;
	int emergency, hour;
	const char *loads, *skip, *want;
	int tier;
	enum assign_why why;
};

#define OK ASSIGN_WHY_NONE
static const struct assign_case cases[] = {
	/* t4 is off shift, t2 in area B, t6 inactive, sup not a technician. */
	{"plumbing in A by day: t1 and t3 tie, t1 first", "plumbing", "A", 0, DAY, "", "", "t1", 1,
	 OK},
	{"least weighted load", "plumbing", "A", 0, DAY, "t1:1:2", "", "t3", 1, OK},
	{"the weight counts, not the number of orders", "plumbing", "A", 0, DAY, "t1:1:3 t3:2:2",
	 "", "t3", 1, OK},
	{"at capacity is out, whatever the load", "plumbing", "A", 0, DAY, "t3:3:3", "", "t1", 1,
	 OK},
	{"area B: t2 and t3 (no areas: the whole site)", "plumbing", "B", 0, DAY, "", "", "t2", 1,
	 OK},
	{"no area on the order: anyone", "plumbing", NULL, 0, DAY, "t1:1:1 t3:1:1", "", "t2", 1,
	 OK},
	{"by night only t4", "plumbing", "A", 0, NIGHT, "", "", "t4", 1, OK},
	{"the skill", "elevator", "A", 0, DAY, "", "", "t3", 1, OK},
	{"no skill required: any technician on shift", NULL, "A", 0, DAY, "t1:1:1 t3:1:1", "", "t5",
	 1, OK},
	{"declined and timed out are skipped", "plumbing", "A", 0, DAY, "", "t1", "t3", 1, OK},
	{"nobody has the skill", "hvac", "A", 0, DAY, "", "", NULL, 0, ASSIGN_WHY_NO_SKILL},
	{"nobody with it on shift", "electrical", "A", 0, NIGHT, "", "", NULL, 0,
	 ASSIGN_WHY_OFF_SHIFT},
	{"nobody on shift covers the area", "electrical", "B", 0, DAY, "", "", NULL, 0,
	 ASSIGN_WHY_NO_AREA},
	{"all at capacity", "elevator", "A", 0, DAY, "t3:3:3", "", NULL, 0, ASSIGN_WHY_AT_CAPACITY},
	{"all skipped", "plumbing", "A", 0, DAY, "", "t1 t3", NULL, 0, ASSIGN_WHY_ALL_SKIPPED},
	{"capacity before skips", "plumbing", "A", 0, DAY, "t3:3:3", "t1", NULL, 0,
	 ASSIGN_WHY_ALL_SKIPPED},
	/* Emergencies: the team [d1, t5, t3] only. */
	{"emergency: a team member with skill and area", "elevator", "A", 1, DAY, "", "", "t3", 1,
	 OK},
	{"emergency: not t1, who is outside the team", "plumbing", "A", 1, DAY, "", "", "t3", 1,
	 OK},
	{"emergency: the skill in another area", "electrical", "B", 1, DAY, "", "", "t5", 2, OK},
	{"emergency: anyone of the team on shift", "elevator", "A", 1, DAY, "t3:3:3", "", "d1", 3,
	 OK},
	{"emergency by night: the 24-hour duty engineer", "plumbing", "A", 1, NIGHT, "", "", "d1",
	 3, OK},
	{"emergency: the least-loaded team member", "hvac", NULL, 1, DAY, "d1:2:4 t5:1:2 t3:1:2",
	 "", "t5", 3, OK},
	{"emergency: everyone full", "elevator", "A", 1, DAY, "d1:5:5 t5:5:5 t3:3:3", "", NULL, 0,
	 ASSIGN_WHY_AT_CAPACITY},
	/* The reason is the strictest tier's: the one with the skill is off. */
	{"emergency by night, the duty engineer full", "elevator", "A", 1, NIGHT, "d1:5:5", "",
	 NULL, 0, ASSIGN_WHY_OFF_SHIFT},
};

struct parsed {
	char who[MAX_LOADS][WO_ID_SIZE];
	struct assign_load loads[MAX_LOADS];
	size_t n;
};

/* "t1:1:2 t3:2:2" into p. */
static void
parse_loads(const char *s, struct parsed *p)
{
	int used;

	memset(p, 0, sizeof *p);
	while (p->n < MAX_LOADS && sscanf(s, " %64[^:]:%d:%d%n", p->who[p->n], &p->loads[p->n].open,
					  &p->loads[p->n].weighted, &used) == 3) {
		p->loads[p->n].person = p->who[p->n];
		p->n++;
		s += used;
	}
}

static void
table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct assign_case *c = &cases[i];
		struct parsed loads;
		struct assign_ctx ctx = {&fx.who, "emergency", &fx.roles, NULL, 0};
		struct assign_request req = {"s1", c->skill, c->area, c->emergency, NULL};
		struct assign_result res;
		unsigned rotation = 0;
		const char *sk = c->skip;
		int used;
		struct wo o;

		parse_loads(c->loads, &loads);
		ctx.loads = loads.loads;
		ctx.n_loads = loads.n;
		wo_init(&o, 0, 1, -1, cst(3, c->hour), 0);
		while (o.n_skip < MAX_SKIPS &&
		       sscanf(sk, " %64s%n", o.skip[o.n_skip], &used) == 1) {
			o.n_skip++;
			sk += used;
		}
		req.order = &o;
		assign_pick(&ctx, &req, cst(3, c->hour), &rotation, &res);
		if (c->want && (res.rc != ASSIGN_OK || strcmp(res.person, c->want) != 0 ||
				res.tier != c->tier))
			fail_msg("%s: got %s tier %d (%s), want %s tier %d", c->what, res.person,
				 res.tier, assign_why_name(res.why), c->want, c->tier);
		if (!c->want && (res.rc != ASSIGN_ESCALATE || res.why != c->why))
			fail_msg("%s: got %s %s, want escalate %s", c->what, res.person,
				 assign_why_name(res.why), assign_why_name(c->why));
		assert_int_equal(rotation, c->want ? 1u : 0u);
	}
}

/* Equal people take turns; the rotation counter is the caller's state. */
static void
ties_rotate(void **state)
{
	static const char *const want[] = {"t1", "t3", "t1", "t3"};
	struct assign_ctx ctx = {&fx.who, "emergency", &fx.roles, NULL, 0};
	struct assign_request req = {"s1", "plumbing", "A", 0, NULL};
	struct assign_result res;
	unsigned rotation = 0;

	(void)state;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(assign_pick(&ctx, &req, cst(3, DAY), &rotation, &res), ASSIGN_OK);
		assert_string_equal(res.person, want[i]);
		assert_int_equal(res.tied, 2);
	}
	assert_int_equal(rotation, 4);
	/* Three-way tie with no skill: t1 t3 t5, from wherever the counter is. */
	req.skill = NULL;
	rotation = 7;
	assert_int_equal(assign_pick(&ctx, &req, cst(3, DAY), &rotation, &res), ASSIGN_OK);
	assert_string_equal(res.person, "t3");
	assert_int_equal(res.tied, 3);
}

static void
no_pool(void **state)
{
	struct cfg_strlist none = {NULL, NULL, 0};
	struct assign_ctx ctx = {&fx.who, "nope", &fx.roles, NULL, 0};
	struct assign_request req = {"s1", "plumbing", "A", 1, NULL};
	struct assign_result res;
	unsigned rotation = 0;

	(void)state;
	/* An emergency team that does not exist: escalate, do not guess. */
	assert_int_equal(assign_pick(&ctx, &req, cst(3, DAY), &rotation, &res), ASSIGN_ESCALATE);
	assert_int_equal(res.why, ASSIGN_WHY_NO_POOL);
	ctx.roles = &none;
	req.emergency = 0;
	assert_int_equal(assign_pick(&ctx, &req, cst(3, DAY), &rotation, &res), ASSIGN_ESCALATE);
	assert_string_equal(assign_why_name(res.why), "no_pool");
	/* A site that is not in the registry has nobody on shift. */
	ctx.roles = &fx.roles;
	req.site = "s9";
	assert_int_equal(assign_pick(&ctx, &req, cst(3, DAY), &rotation, &res), ASSIGN_ESCALATE);
	assert_string_equal(assign_why_name(res.why), "off_shift");
	assert_int_equal(rotation, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(ties_rotate),
		cmocka_unit_test(no_pool),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

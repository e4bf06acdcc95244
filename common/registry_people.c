/* registry_people.c — people.yaml: skills, people (roles, skills, areas of
 * responsibility 片区, capacity), shifts and teams; the roster section is
 * handed to registry_roster.c once people and shifts are known. Pure. */
#include "registry_int.h"
#include "log.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const struct cfg_field skill_fields[] = {
	CFG_STR("id", struct reg_skill, id, NULL),
	CFG_STR("name", struct reg_skill, name, NULL),
	CFG_END,
};

static const struct cfg_field person_fields[] = {
	CFG_STR("id", struct reg_person, id, NULL),
	CFG_STR("name", struct reg_person, name, NULL),
	CFG_STRLIST("roles", struct reg_person, roles, NULL, 8, 64),
	CFG_STRLIST("skills", struct reg_person, skills, "", 32, 64),
	CFG_STRLIST("areas", struct reg_person, areas, "", 64, 64),
	CFG_STR("phone", struct reg_person, phone, ""),
	CFG_STR("email", struct reg_person, email, ""),
	CFG_STR("company", struct reg_person, company, ""),
	CFG_INT("capacity", struct reg_person, capacity, "5", 0, 100),
	CFG_BOOL("active", struct reg_person, active, "true"),
	CFG_END,
};

static const struct cfg_field shift_fields[] = {
	CFG_STR("id", struct reg_shift, id, NULL),
	CFG_STR("name", struct reg_shift, name, NULL),
	CFG_STR("start", struct reg_shift, start, NULL),
	CFG_STR("end", struct reg_shift, end, NULL),
	CFG_END,
};

static const struct cfg_field team_fields[] = {
	CFG_STR("id", struct reg_team, id, NULL),
	CFG_STR("name", struct reg_team, name, NULL),
	CFG_STRLIST("members", struct reg_team, members, NULL, 1000, 64),
	CFG_END,
};

struct people_file {
	const struct cfg_node *people, *skills, *shifts, *roster, *teams;
};

static const struct cfg_field people_file_fields[] = {
	CFG_NODE_REQUIRED("people", struct people_file, people),
	CFG_NODE_REQUIRED("skills", struct people_file, skills),
	CFG_NODE_REQUIRED("shifts", struct people_file, shifts),
	CFG_NODE_REQUIRED("roster", struct people_file, roster),
	CFG_NODE("teams", struct people_file, teams),
	CFG_END,
};

/* "HH:MM" into minutes; 24:00 is allowed as an end of day. */
static int
parse_hhmm(const char *s, int allow_24, int *min)
{
	int h, m;

	if (strlen(s) != 5 || s[2] != ':' || strspn(s, "0123456789:") != 5)
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && (!allow_24 || m != 0)))
		return -1;
	*min = h * 60 + m;
	return 0;
}

static void
check_shift(struct reg_shift *s, struct cfg_errs *errs)
{
	if (s->start[0] && parse_hhmm(s->start, 0, &s->start_min) < 0)
		cfg_error(errs, cfg_at(s->node, "start"),
			  "start: '%s' is not a time of day (HH:MM)", s->start);
	if (s->end[0] && parse_hhmm(s->end, 1, &s->end_min) < 0)
		cfg_error(errs, cfg_at(s->node, "end"), "end: '%s' is not a time of day (HH:MM)",
			  s->end);
}

static void
check_person(struct reg *reg, const struct reg_person *p, struct cfg_errs *errs)
{
	const char *f = cfg_file(p->node);

	if (p->roles.n == 0 && cfg_get(p->node, "roles"))
		cfg_error(errs, cfg_at(p->node, "roles"), "roles: at least one role is needed");
	for (size_t i = 0; i < p->roles.n; i++) {
		if (reg_name_index(reg_roles, p->roles.v[i]) < 0)
			cfg_error_at(errs, f, p->roles.line[i],
				     "roles: unknown role '%s' (known: "
				     "duty_engineer, technician, supervisor, project_manager, "
				     "customer_service, security, butler, contractor)",
				     p->roles.v[i]);
		else if (cfg_strlist_find(&p->roles, p->roles.v[i]) != (int)i)
			cfg_error_at(errs, f, p->roles.line[i], "roles: '%s' is listed twice",
				     p->roles.v[i]);
	}
	reg_check_refs(&p->skills, p->node, &reg->ix_skills, "skills", "skill", errs);
	if (!reg->no_sites)
		reg_check_refs(&p->areas, p->node, &reg->ix_areas, "areas", "area", errs);
	if (strspn(p->phone, "0123456789+-() ") != strlen(p->phone))
		cfg_error(errs, cfg_at(p->node, "phone"),
			  "phone: '%s' may hold only digits, spaces and + - ( )", p->phone);
}

int
reg_build_people(struct reg *reg, const struct cfg_doc *doc, struct cfg_errs *errs)
{
	size_t before = errs->n + errs->dropped;
	const struct cfg_node *root = cfg_doc_root(doc);
	struct people_file f = {0};

	reg_bind_file(doc, people_file_fields, &f, errs);
	reg->n_skills = reg_bind_list(f.skills, "skills", skill_fields, (void **)&reg->skills,
				      sizeof *reg->skills, offsetof(struct reg_skill, node), errs);
	reg->n_people = reg_bind_list(f.people, "people", person_fields, (void **)&reg->people,
				      sizeof *reg->people, offsetof(struct reg_person, node), errs);
	reg->n_shifts = reg_bind_list(f.shifts, "shifts", shift_fields, (void **)&reg->shifts,
				      sizeof *reg->shifts, offsetof(struct reg_shift, node), errs);
	reg->n_teams = reg_bind_list(f.teams, "teams", team_fields, (void **)&reg->teams,
				     sizeof *reg->teams, offsetof(struct reg_team, node), errs);
	reg_idx_build(&reg->ix_skills, reg->skills, reg->n_skills, sizeof *reg->skills, "skill",
		      errs);
	reg_idx_build(&reg->ix_people, reg->people, reg->n_people, sizeof *reg->people, "person",
		      errs);
	reg_idx_build(&reg->ix_shifts, reg->shifts, reg->n_shifts, sizeof *reg->shifts, "shift",
		      errs);
	reg_idx_build(&reg->ix_teams, reg->teams, reg->n_teams, sizeof *reg->teams, "team", errs);
	for (size_t i = 0; i < reg->n_people; i++)
		check_person(reg, &reg->people[i], errs);
	for (size_t i = 0; i < reg->n_shifts; i++)
		check_shift(&reg->shifts[i], errs);
	if (reg_shift_find(reg, "off"))
		cfg_error(errs, cfg_at(reg_shift_find(reg, "off")->node, "id"),
			  "id: 'off' is reserved for days off in a rotation");
	for (size_t i = 0; i < reg->n_teams; i++)
		reg_check_refs(&reg->teams[i].members, reg->teams[i].node, &reg->ix_people,
			       "members", "person", errs);
	if (f.roster)
		reg_build_roster(reg, f.roster, errs);
	/* A gap in a roster that has other errors would only repeat them. */
	if (f.roster && errs->n + errs->dropped == before)
		for (size_t i = 0; i < cfg_len(root); i++)
			if (strcmp(cfg_key(root, i), "roster") == 0)
				reg_check_coverage(reg, cfg_key_node(root, i), errs);
	return errs->n + errs->dropped == before ? 0 : -1;
}

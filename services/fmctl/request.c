/* request.c — `fmctl request`: customer service takes a resident's repair
 * request (报修) or complaint (投诉) and sends it to dispatchd as the
 * person (--as); dispatchd opens the order (one per --request-id) and
 * answers with its id. Only people with the customer_service role may:
 * dispatchd decides. */
#include "act.h"

#include <stdio.h>
#include <string.h>

#define REQUEST_USAGE                                                                              \
	"usage: fmctl request --as PERSON --description TEXT --contact TEXT\n"                     \
	"                     (--location TEXT | --device ID) [options]\n"                         \
	"  --description TEXT  what is wrong (up to 1024 bytes)\n"                                 \
	"  --contact TEXT      the resident's name and phone (up to 128 bytes)\n"                  \
	"  --location TEXT     where (building, unit, room)\n"                                     \
	"  --device ID         the asset, when known\n"                                            \
	"  --category C        repair_request (default), complaint, facility_repair,\n"            \
	"                      equipment_fault, emergency, inspection, preventive\n"               \
	"  --urgency U         ordinary (default) or emergency\n"                                  \
	"  --grade G           complaints: major, urgent or general\n"                             \
	"  --skill S           the skill it needs (plumbing, electrical, ...)\n"                   \
	"  --request-id KEY    makes a retry open no second order\n"                               \
	"Prints the id of the order opened.\n" ACT_USAGE_COMMON

enum {
	OPT_DESCRIPTION = CLI_FIRST_OWN,
	OPT_CONTACT,
	OPT_LOCATION,
	OPT_DEVICE,
	OPT_CATEGORY,
	OPT_URGENCY,
	OPT_GRADE,
	OPT_SKILL,
	OPT_REQUEST_ID,
};

static int
name_index(const char *(*name)(int), int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(name(i), s) == 0)
			return i;
	return -1;
}

static const char *
kind_name(int i)
{
	return msg_wo_kind_name((enum msg_wo_kind)i);
}

static const char *
priority_name(int i)
{
	return msg_wo_priority_name((enum msg_wo_priority)i);
}

static const char *
grade_name(int i)
{
	static const char *const names[] = {"major", "urgent", "general"};

	return names[i];
}

/* Copies s into dst when it fits (cap includes the NUL); -1 otherwise. */
static int
put(char *dst, size_t cap, const char *s)
{
	if (strlen(s) >= cap)
		return -1;
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

static int
take(struct msg_repair_request *q, int ch, const char *arg)
{
	int i;

	switch (ch) {
	case OPT_DESCRIPTION:
		return put(q->description, sizeof q->description, arg);
	case OPT_CONTACT:
		return put(q->contact, sizeof q->contact, arg);
	case OPT_LOCATION:
		return put(q->location, sizeof q->location, arg);
	case OPT_DEVICE:
		return put(q->device, sizeof q->device, arg);
	case OPT_SKILL:
		return put(q->skill, sizeof q->skill, arg);
	case OPT_REQUEST_ID:
		return put(q->request_id, sizeof q->request_id, arg);
	case OPT_CATEGORY:
		i = name_index(kind_name, MSG_WO_KIND_COUNT, arg);
		q->category = (enum msg_wo_kind)i;
		return i < 0 ? -1 : 0;
	case OPT_URGENCY:
		i = name_index(priority_name, MSG_WO_PRIO_COUNT, arg);
		q->urgency = (enum msg_wo_priority)i;
		return i < 0 ? -1 : 0;
	case OPT_GRADE:
		q->grade = name_index(grade_name, 3, arg);
		return q->grade < 0 ? -1 : 0;
	default:
		return -1;
	}
}

int
cmd_request(const struct fmctl_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPT_AS,
		CLI_OPT_PASSWORD_FILE,
		CLI_OPT_SITE,
		CLI_OPT_WAIT,
		CLI_OPT_FORMAT,
		CLI_OPT_HELP,
		{"description", required_argument, NULL, OPT_DESCRIPTION},
		{"contact", required_argument, NULL, OPT_CONTACT},
		{"location", required_argument, NULL, OPT_LOCATION},
		{"device", required_argument, NULL, OPT_DEVICE},
		{"category", required_argument, NULL, OPT_CATEGORY},
		{"urgency", required_argument, NULL, OPT_URGENCY},
		{"grade", required_argument, NULL, OPT_GRADE},
		{"skill", required_argument, NULL, OPT_SKILL},
		{"request-id", required_argument, NULL, OPT_REQUEST_ID},
		{NULL, 0, NULL, 0},
	};
	struct msg_repair_request q;
	char buf[4096];
	struct cli cli;
	struct act a;
	int ch, r, n;

	cli_init(&cli);
	memset(&q, 0, sizeof q);
	q.category = MSG_WO_REPAIR_REQUEST;
	q.urgency = MSG_WO_PRIO_ORDINARY;
	q.grade = -1;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if ((r = cli_take(&cli, ch, optarg)) < 0)
			return FMCTL_USAGE;
		if (r == 0 && take(&q, ch, optarg) < 0) {
			fprintf(stderr, "fmctl: request: bad or too long value '%s'\n",
				optarg ? optarg : "");
			return cli_usage(REQUEST_USAGE, 1);
		}
	}
	if (cli.help)
		return cli_usage(REQUEST_USAGE, 0);
	if (optind != argc)
		return cli_usage(REQUEST_USAGE, 1);
	q.ts_ms = cli_now_ms();
	q.has_ts = 1;
	n = msg_encode_repair_request(&q, buf, sizeof buf);
	if (n < 0) {
		fprintf(stderr, "fmctl: request: needs --description, --contact and --location or "
				"--device (an identifier)\n");
		return cli_usage(REQUEST_USAGE, 1);
	}
	a.verb = "request";
	a.id = NULL;
	a.payload = buf;
	a.len = (size_t)n;
	return act_run(o, &cli, &a);
}

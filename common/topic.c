/* topic.c — parse and build the fm/v1 topic tree (see topic.h). Pure: no I/O,
 * no allocation, no clock. It never trusts a length or an identifier it was
 * given: every level is checked before it is copied or written. */
#include "topic.h"

#include <stdio.h>
#include <string.h>

/* The deepest topics (ops, dev) have six levels; classify() looks at no more. */
#define MAX_LEVELS 6

struct level {
	const char *p;
	size_t len;
};

static const char *const kind_names[TOPIC_KIND_COUNT] = {
	[TOPIC_TELEMETRY] = "telemetry",
	[TOPIC_EVENT] = "event",
	[TOPIC_STATUS] = "status",
	[TOPIC_ALARM] = "alarm",
	[TOPIC_ALARM_LOG] = "alarm-log",
	[TOPIC_NOTIFY] = "notify",
	[TOPIC_WO] = "wo",
	[TOPIC_WO_REQUEST] = "wo-request",
	[TOPIC_OPS] = "ops",
	[TOPIC_SYS] = "sys",
};

static const char *const verb_names[TOPIC_VERB_COUNT] = {
	[TOPIC_VERB_NONE] = "none",       [TOPIC_VERB_ACK] = "ack",
	[TOPIC_VERB_SHELVE] = "shelve",   [TOPIC_VERB_WO] = "wo",
	[TOPIC_VERB_REQUEST] = "request", [TOPIC_VERB_FOLLOWUP] = "followup",
};

static const char *const err_names[TOPIC_ERR_COUNT] = {
	[TOPIC_OK] = "ok",
	[TOPIC_ERR_EMPTY] = "empty",
	[TOPIC_ERR_TOO_LONG] = "too_long",
	[TOPIC_ERR_NUL_BYTE] = "nul_byte",
	[TOPIC_ERR_WILDCARD] = "wildcard",
	[TOPIC_ERR_EMPTY_LEVEL] = "empty_level",
	[TOPIC_ERR_PREFIX] = "prefix",
	[TOPIC_ERR_KIND] = "kind",
	[TOPIC_ERR_LEVELS] = "levels",
	[TOPIC_ERR_IDENTIFIER] = "identifier",
	[TOPIC_ERR_VERB] = "verb",
};

static int
id_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static int
id_valid_n(const char *p, size_t len)
{
	if (len == 0 || len > TOPIC_ID_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!id_char((unsigned char)p[i]))
			return 0;
	return 1;
}

int
topic_id_valid(const char *id)
{
	if (id == NULL)
		return 0;
	/* Bounded scan: a long string must not be walked to its end. */
	size_t len = strnlen(id, TOPIC_ID_MAX + 1);
	return id_valid_n(id, len);
}

int
topic_site_valid(const char *site)
{
	return topic_id_valid(site) && strcmp(site, "_sys") != 0;
}

static int
level_is(const struct level *l, const char *word)
{
	size_t n = strlen(word);
	return l->len == n && memcmp(l->p, word, n) == 0;
}

/* Copies a level already checked by id_valid_n. */
static void
copy_id(char dst[TOPIC_ID_MAX + 1], const struct level *l)
{
	memcpy(dst, l->p, l->len);
	dst[l->len] = '\0';
}

/* Splits at '/'; stores the first MAX_LEVELS levels but counts them all, so
 * that a deep topic still reports its prefix or kind error first. */
static enum topic_err
split_levels(const char *s, size_t len, struct level *lv, int *n_out)
{
	int n = 0;
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '/')
			continue;
		if (i == start)
			return TOPIC_ERR_EMPTY_LEVEL;
		if (n < MAX_LEVELS) {
			lv[n].p = s + start;
			lv[n].len = i - start;
		}
		n++;
		start = i + 1;
	}
	*n_out = n;
	return TOPIC_OK;
}

/* The kind named by the levels, and how many levels that kind has. */
static enum topic_err
classify(const struct level *lv, int n, enum topic_kind *kind, int *want)
{
	static const struct {
		const char *word;
		enum topic_kind kind;
		int levels;
	} site_kinds[] = {
		{"alarm", TOPIC_ALARM, 5},           {"alarm-log", TOPIC_ALARM_LOG, 4},
		{"notify", TOPIC_NOTIFY, 5},         {"wo", TOPIC_WO, 5},
		{"wo-request", TOPIC_WO_REQUEST, 4}, {"ops", TOPIC_OPS, 6},
	};

	if (n < 3)
		return TOPIC_ERR_LEVELS;
	if (level_is(&lv[2], "_sys")) {
		*kind = TOPIC_SYS;
		*want = 5;
		return TOPIC_OK;
	}
	if (n < 4)
		return TOPIC_ERR_LEVELS;
	if (level_is(&lv[3], "dev")) {
		if (n < 6)
			return TOPIC_ERR_LEVELS;
		*want = 6;
		for (int k = TOPIC_TELEMETRY; k <= TOPIC_STATUS; k++) {
			if (level_is(&lv[5], kind_names[k])) {
				*kind = (enum topic_kind)k;
				return TOPIC_OK;
			}
		}
		return TOPIC_ERR_KIND;
	}
	for (size_t i = 0; i < sizeof(site_kinds) / sizeof(site_kinds[0]); i++) {
		if (level_is(&lv[3], site_kinds[i].word)) {
			*kind = site_kinds[i].kind;
			*want = site_kinds[i].levels;
			return TOPIC_OK;
		}
	}
	return TOPIC_ERR_KIND;
}

static enum topic_err
fill(const struct level *lv, enum topic_kind kind, struct topic *out)
{
	/* Level 2 is the site and level 4 the kind's own identifier, if any. */
	char *second = NULL;

	out->kind = kind;
	switch (kind) {
	case TOPIC_SYS:
		if (!id_valid_n(lv[3].p, lv[3].len) || !id_valid_n(lv[4].p, lv[4].len))
			return TOPIC_ERR_IDENTIFIER;
		copy_id(out->daemon, &lv[3]);
		copy_id(out->instance, &lv[4]);
		return TOPIC_OK;
	case TOPIC_TELEMETRY:
	case TOPIC_EVENT:
	case TOPIC_STATUS:
		second = out->device;
		break;
	case TOPIC_ALARM:
		second = out->alarm_id;
		break;
	case TOPIC_NOTIFY:
	case TOPIC_OPS:
		second = out->person;
		break;
	case TOPIC_WO:
		second = out->wo_id;
		break;
	case TOPIC_ALARM_LOG:
	case TOPIC_WO_REQUEST:
	case TOPIC_KIND_COUNT:
		break;
	}
	if (!id_valid_n(lv[2].p, lv[2].len))
		return TOPIC_ERR_IDENTIFIER;
	copy_id(out->site, &lv[2]);
	if (second != NULL) {
		if (!id_valid_n(lv[4].p, lv[4].len))
			return TOPIC_ERR_IDENTIFIER;
		copy_id(second, &lv[4]);
	}
	if (kind == TOPIC_OPS) {
		for (int v = TOPIC_VERB_ACK; v < TOPIC_VERB_COUNT; v++) {
			if (level_is(&lv[5], verb_names[v])) {
				out->verb = (enum topic_verb)v;
				return TOPIC_OK;
			}
		}
		return TOPIC_ERR_VERB;
	}
	return TOPIC_OK;
}

enum topic_err
topic_parse(const char *s, size_t len, struct topic *out)
{
	struct level lv[MAX_LEVELS];
	enum topic_kind kind = TOPIC_TELEMETRY;
	enum topic_err err;
	int n = 0, want = 0;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return TOPIC_ERR_EMPTY;
	if (len > TOPIC_MAX_LEN)
		return TOPIC_ERR_TOO_LONG;
	if (memchr(s, '\0', len) != NULL)
		return TOPIC_ERR_NUL_BYTE;
	if (memchr(s, '+', len) != NULL || memchr(s, '#', len) != NULL)
		return TOPIC_ERR_WILDCARD;
	err = split_levels(s, len, lv, &n);
	if (err != TOPIC_OK)
		goto fail;
	if (n < 2 || !level_is(&lv[0], "fm") || !level_is(&lv[1], "v1")) {
		err = TOPIC_ERR_PREFIX;
		goto fail;
	}
	err = classify(lv, n, &kind, &want);
	if (err != TOPIC_OK)
		goto fail;
	if (n != want) {
		err = TOPIC_ERR_LEVELS;
		goto fail;
	}
	err = fill(lv, kind, out);
	if (err != TOPIC_OK)
		goto fail;
	return TOPIC_OK;
fail:
	memset(out, 0, sizeof(*out));
	return err;
}

/* snprintf into buf, mapping truncation to -1 and leaving "" behind. */
static int
emit(char *buf, size_t cap, int n)
{
	if (n < 0 || (size_t)n >= cap || n > TOPIC_MAX_LEN) {
		if (cap > 0)
			buf[0] = '\0';
		return -1;
	}
	return n;
}

static int
reject(char *buf, size_t cap)
{
	return emit(buf, cap, -1);
}

int
topic_build_dev(char *buf, size_t cap, const char *site, const char *device, enum topic_kind kind)
{
	if (!topic_site_valid(site) || !topic_id_valid(device) ||
	    (kind != TOPIC_TELEMETRY && kind != TOPIC_EVENT && kind != TOPIC_STATUS))
		return reject(buf, cap);
	return emit(buf, cap,
		    snprintf(buf, cap, "fm/v1/%s/dev/%s/%s", site, device, kind_names[kind]));
}

/* fm/v1/{site}/{word}/{id} */
static int
build_site_id(char *buf, size_t cap, const char *site, const char *word, const char *id)
{
	if (!topic_site_valid(site) || !topic_id_valid(id))
		return reject(buf, cap);
	return emit(buf, cap, snprintf(buf, cap, "fm/v1/%s/%s/%s", site, word, id));
}

/* fm/v1/{site}/{word} */
static int
build_site(char *buf, size_t cap, const char *site, const char *word)
{
	if (!topic_site_valid(site))
		return reject(buf, cap);
	return emit(buf, cap, snprintf(buf, cap, "fm/v1/%s/%s", site, word));
}

int
topic_build_alarm(char *buf, size_t cap, const char *site, const char *alarm_id)
{
	return build_site_id(buf, cap, site, "alarm", alarm_id);
}

int
topic_build_alarm_log(char *buf, size_t cap, const char *site)
{
	return build_site(buf, cap, site, "alarm-log");
}

int
topic_build_notify(char *buf, size_t cap, const char *site, const char *person)
{
	return build_site_id(buf, cap, site, "notify", person);
}

int
topic_build_wo(char *buf, size_t cap, const char *site, const char *wo_id)
{
	return build_site_id(buf, cap, site, "wo", wo_id);
}

int
topic_build_wo_request(char *buf, size_t cap, const char *site)
{
	return build_site(buf, cap, site, "wo-request");
}

int
topic_build_ops(char *buf, size_t cap, const char *site, const char *person, enum topic_verb verb)
{
	if (!topic_site_valid(site) || !topic_id_valid(person) || verb <= TOPIC_VERB_NONE ||
	    verb >= TOPIC_VERB_COUNT)
		return reject(buf, cap);
	return emit(buf, cap,
		    snprintf(buf, cap, "fm/v1/%s/ops/%s/%s", site, person, verb_names[verb]));
}

int
topic_build_sys(char *buf, size_t cap, const char *daemon, const char *instance)
{
	if (!topic_id_valid(daemon) || !topic_id_valid(instance))
		return reject(buf, cap);
	return emit(buf, cap, snprintf(buf, cap, "fm/v1/_sys/%s/%s", daemon, instance));
}

int
topic_format(const struct topic *t, char *buf, size_t cap)
{
	switch (t->kind) {
	case TOPIC_TELEMETRY:
	case TOPIC_EVENT:
	case TOPIC_STATUS:
		return topic_build_dev(buf, cap, t->site, t->device, t->kind);
	case TOPIC_ALARM:
		return topic_build_alarm(buf, cap, t->site, t->alarm_id);
	case TOPIC_ALARM_LOG:
		return topic_build_alarm_log(buf, cap, t->site);
	case TOPIC_NOTIFY:
		return topic_build_notify(buf, cap, t->site, t->person);
	case TOPIC_WO:
		return topic_build_wo(buf, cap, t->site, t->wo_id);
	case TOPIC_WO_REQUEST:
		return topic_build_wo_request(buf, cap, t->site);
	case TOPIC_OPS:
		return topic_build_ops(buf, cap, t->site, t->person, t->verb);
	case TOPIC_SYS:
		return topic_build_sys(buf, cap, t->daemon, t->instance);
	case TOPIC_KIND_COUNT:
		break;
	}
	return reject(buf, cap);
}

int
topic_build_filter(char *buf, size_t cap, const char *site, enum topic_kind kind)
{
	const char *s = site != NULL ? site : "+";

	if (site != NULL && !topic_site_valid(site) && kind != TOPIC_SYS)
		return reject(buf, cap);
	switch (kind) {
	case TOPIC_TELEMETRY:
	case TOPIC_EVENT:
	case TOPIC_STATUS:
		return emit(buf, cap, snprintf(buf, cap, "fm/v1/%s/dev/+/%s", s, kind_names[kind]));
	case TOPIC_ALARM:
	case TOPIC_NOTIFY:
	case TOPIC_WO:
		return emit(buf, cap, snprintf(buf, cap, "fm/v1/%s/%s/+", s, kind_names[kind]));
	case TOPIC_ALARM_LOG:
	case TOPIC_WO_REQUEST:
		return emit(buf, cap, snprintf(buf, cap, "fm/v1/%s/%s", s, kind_names[kind]));
	case TOPIC_OPS:
		return emit(buf, cap, snprintf(buf, cap, "fm/v1/%s/ops/+/+", s));
	case TOPIC_SYS:
		return emit(buf, cap, snprintf(buf, cap, "fm/v1/_sys/+/+"));
	case TOPIC_KIND_COUNT:
		break;
	}
	return reject(buf, cap);
}

const char *
topic_kind_name(enum topic_kind kind)
{
	if ((unsigned)kind >= TOPIC_KIND_COUNT)
		return "unknown";
	return kind_names[kind];
}

const char *
topic_verb_name(enum topic_verb verb)
{
	if ((unsigned)verb >= TOPIC_VERB_COUNT)
		return "unknown";
	return verb_names[verb];
}

const char *
topic_err_name(enum topic_err err)
{
	if ((unsigned)err >= TOPIC_ERR_COUNT)
		return "unknown";
	return err_names[err];
}

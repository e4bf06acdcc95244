/* config_bind.c — binds a parsed mapping into a struct with a declarative
 * field table: defaults (parsed from their text by the same code as values),
 * types, bounds, enums, durations, string lists, and unknown keys refused.
 * Uses only the public tree API of config.h; never touches libyaml. */
#include "config.h"
#include "log.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Room for one reason; the caller prefixes the key and the position. */
struct why {
	char text[512];
};

#define WHY(w, ...) snprintf((w)->text, sizeof(w)->text, __VA_ARGS__)

int
cfg_parse_duration(const char *s, long long *out_ms)
{
	static const struct {
		const char *suffix;
		long long ms;
	} units[] = {
		{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}, {"", 1000},
	};
	unsigned long long v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (unsigned long long)LLONG_MAX / 10)
			return -1;
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(p, units[i].suffix) != 0)
			continue;
		if (v > (unsigned long long)(LLONG_MAX / units[i].ms))
			return -1;
		*out_ms = (long long)v * units[i].ms;
		return 0;
	}
	return -1;
}

/* Writes ms as the largest unit that divides it: 86400000 -> "1d". */
static const char *
fmt_duration(char *buf, size_t cap, long long ms)
{
	static const struct {
		const char *suffix;
		long long ms;
	} units[] = {{"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}};

	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (ms != 0 && ms % units[i].ms == 0) {
			snprintf(buf, cap, "%lld%s", ms / units[i].ms, units[i].suffix);
			return buf;
		}
	}
	snprintf(buf, cap, "%lldms", ms);
	return buf;
}

/* Writes a byte count with the largest binary suffix that divides it. */
static const char *
fmt_size(char *buf, size_t cap, long long v)
{
	static const char suffix[] = "GMk";
	long long unit = 1LL << 30;

	for (int i = 0; i < 3; i++, unit >>= 10) {
		if (v != 0 && v % unit == 0) {
			snprintf(buf, cap, "%lld%c", v / unit, suffix[i]);
			return buf;
		}
	}
	snprintf(buf, cap, "%lld", v);
	return buf;
}

static int
parse_llong(const char *s, int suffixes, long long *out)
{
	long long mult = 1, v;
	char *end;

	if (*s == '\0' || *s == ' ' || *s == '\t')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || errno == ERANGE)
		return -1;
	if (suffixes && *end && end[1] == '\0') {
		if (*end == 'k')
			mult = 1LL << 10;
		else if (*end == 'M')
			mult = 1LL << 20;
		else if (*end == 'G')
			mult = 1LL << 30;
		else
			return -1;
		end++;
	}
	if (*end != '\0')
		return -1;
	if (v > LLONG_MAX / mult || v < LLONG_MIN / mult)
		return -1;
	*out = v * mult;
	return 0;
}

static int
has_bounds(const struct cfg_field *f)
{
	return !(f->min == 0 && f->max == 0);
}

static int
check_range(const struct cfg_field *f, long long v, struct why *w)
{
	char lo[32], hi[32];

	if (!has_bounds(f) || ((double)v >= f->min && (double)v <= f->max))
		return 0;
	if (f->type == CFG_T_DURATION)
		WHY(w, "out of range %s..%s", fmt_duration(lo, sizeof lo, (long long)f->min),
		    fmt_duration(hi, sizeof hi, (long long)f->max));
	else if (f->type == CFG_T_LLONG)
		WHY(w, "out of range %s..%s", fmt_size(lo, sizeof lo, (long long)f->min),
		    fmt_size(hi, sizeof hi, (long long)f->max));
	else
		WHY(w, "out of range %lld..%lld", (long long)f->min, (long long)f->max);
	return -1;
}

static int
bind_enum(const struct cfg_field *f, const char *s, int *out, struct why *w)
{
	size_t off = 0;
	int i;

	for (i = 0; f->names[i]; i++) {
		if (strcmp(f->names[i], s) == 0) {
			*out = i;
			return 0;
		}
	}
	off = (size_t)WHY(w, "unknown value '%s' (expected one of: ", s);
	for (i = 0; f->names[i] && off < sizeof w->text; i++)
		off += (size_t)snprintf(w->text + off, sizeof w->text - off, "%s%s", i ? ", " : "",
					f->names[i]);
	if (off < sizeof w->text)
		snprintf(w->text + off, sizeof w->text - off, ")");
	return -1;
}

/* Parses scalar text s into the field; quoted tells whether it was quoted. */
static int
bind_scalar(const struct cfg_field *f, const char *s, int quoted, char *dst, struct why *w)
{
	long long ll;
	double d;
	char *end;

	switch (f->type) {
	case CFG_T_STR:
		if (strlen(s) >= f->size || (f->max > 0 && strlen(s) > (size_t)f->max)) {
			WHY(w, "too long (%zu bytes, at most %zu)", strlen(s),
			    f->max > 0 ? (size_t)f->max : f->size - 1);
			return -1;
		}
		strcpy(dst, s);
		return 0;
	case CFG_T_INT:
	case CFG_T_LLONG:
		if (quoted || parse_llong(s, f->type == CFG_T_LLONG, &ll) < 0) {
			WHY(w, "expected an integer%s, got '%s'",
			    f->type == CFG_T_LLONG ? " (suffix k, M or G allowed)" : "", s);
			return -1;
		}
		if (check_range(f, ll, w) < 0)
			return -1;
		if (f->type == CFG_T_INT && (ll < INT_MIN || ll > INT_MAX)) {
			WHY(w, "out of range %d..%d", INT_MIN, INT_MAX);
			return -1;
		}
		if (f->type == CFG_T_INT)
			*(int *)dst = (int)ll;
		else
			*(long long *)dst = ll;
		return 0;
	case CFG_T_DOUBLE:
		errno = 0;
		d = quoted || !*s ? NAN : strtod(s, &end);
		if (quoted || !*s || *end || errno == ERANGE || !isfinite(d)) {
			WHY(w, "expected a finite number, got '%s'", s);
			return -1;
		}
		if (has_bounds(f) && (d < f->min || d > f->max)) {
			WHY(w, "out of range %g..%g", f->min, f->max);
			return -1;
		}
		*(double *)dst = d;
		return 0;
	case CFG_T_BOOL:
		if (quoted || (strcmp(s, "true") != 0 && strcmp(s, "false") != 0)) {
			WHY(w, "expected true or false, got '%s'", s);
			return -1;
		}
		*(int *)dst = strcmp(s, "true") == 0;
		return 0;
	case CFG_T_ENUM:
		return bind_enum(f, s, (int *)dst, w);
	case CFG_T_DURATION:
		if (cfg_parse_duration(s, &ll) < 0) {
			WHY(w, "expected a duration such as 250ms, 30s, 5m, 2h or 7d, got '%s'", s);
			return -1;
		}
		if (check_range(f, ll, w) < 0)
			return -1;
		*(long long *)dst = ll;
		return 0;
	default:
		WHY(w, "expected a mapping or a list");
		return -1;
	}
}

static int
bind_map(const struct cfg_node *map, const struct cfg_node *where, const struct cfg_field *fields,
	 void *target, struct cfg_errs *errs);

static int
bind_strlist(const struct cfg_field *f, const struct cfg_node *v, struct cfg_strlist *l,
	     struct cfg_errs *errs)
{
	size_t n = cfg_len(v);
	int rc = 0;

	cfg_strlist_free(l);
	if (!v)
		return 0;
	if (cfg_kind(v) != CFG_SEQ) {
		cfg_error(errs, v, "%s: expected a list such as [a, b]", f->key);
		return -1;
	}
	if (f->max > 0 && n > (size_t)f->max) {
		cfg_error(errs, v, "%s: too many items (%zu, at most %.0f)", f->key, n, f->max);
		return -1;
	}
	l->v = xcalloc(n ? n : 1, sizeof *l->v);
	l->line = xcalloc(n ? n : 1, sizeof *l->line);
	for (size_t i = 0; i < n; i++) {
		const struct cfg_node *it = cfg_item(v, i);
		const char *s = cfg_str(it);

		if (!s || cfg_is_null(it)) {
			cfg_error(errs, it, "%s: each item must be a non-empty value", f->key);
			rc = -1;
			continue;
		}
		if (f->size && strlen(s) > f->size) {
			cfg_error(errs, it, "%s: item too long (%zu bytes, at most %zu)", f->key,
				  strlen(s), f->size);
			rc = -1;
			continue;
		}
		l->v[l->n] = xstrdup(s);
		l->line[l->n++] = cfg_line(it);
	}
	return rc;
}

/* Binds one value node (never NULL) into the field. */
static int
bind_value(const struct cfg_field *f, const struct cfg_node *v, char *dst, struct cfg_errs *errs)
{
	struct why w;

	switch (f->type) {
	case CFG_T_SECTION:
		return bind_map(v, v, f->sub, dst, errs);
	case CFG_T_NODE:
		*(const struct cfg_node **)dst = v;
		return 0;
	case CFG_T_STRLIST:
		return bind_strlist(f, v, (struct cfg_strlist *)(void *)dst, errs);
	default:
		break;
	}
	if (cfg_kind(v) != CFG_SCALAR) {
		cfg_error(errs, v, "%s: expected a single value, not a %s", f->key,
			  cfg_kind(v) == CFG_MAP ? "mapping" : "list");
		return -1;
	}
	if (bind_scalar(f, cfg_str(v), cfg_quoted(v), dst, &w) < 0) {
		cfg_error(errs, v, "%s: %s", f->key, w.text);
		return -1;
	}
	return 0;
}

/* An absent key: the default, or an error at where when it is required. */
static int
bind_default(const struct cfg_field *f, const struct cfg_node *where, char *dst,
	     struct cfg_errs *errs)
{
	struct why w;

	if (!f->def) {
		cfg_error(errs, where, "missing required key '%s'", f->key);
		return -1;
	}
	switch (f->type) {
	case CFG_T_SECTION:
		return bind_map(NULL, where, f->sub, dst, errs);
	case CFG_T_NODE:
		*(const struct cfg_node **)dst = NULL;
		return 0;
	case CFG_T_STRLIST:
		return bind_strlist(f, NULL, (struct cfg_strlist *)(void *)dst, errs);
	default:
		break;
	}
	if (bind_scalar(f, f->def, 0, dst, &w) < 0) {
		cfg_error(errs, where, "%s: bad built-in default '%s': %s", f->key, f->def, w.text);
		return -1;
	}
	return 0;
}

static void
unknown_key(const struct cfg_node *map, size_t i, const struct cfg_field *fields,
	    struct cfg_errs *errs)
{
	char known[512];
	size_t off = 0;

	known[0] = '\0';
	for (const struct cfg_field *f = fields; f->key && off < sizeof known; f++)
		off += (size_t)snprintf(known + off, sizeof known - off, "%s%s",
					f == fields ? "" : ", ", f->key);
	cfg_error(errs, cfg_key_node(map, i), "unknown key '%s' (known: %s)", cfg_key(map, i),
		  known);
}

static int
bind_map(const struct cfg_node *map, const struct cfg_node *where, const struct cfg_field *fields,
	 void *target, struct cfg_errs *errs)
{
	int rc = 0;

	if (cfg_is_null(map)) {
		map = NULL;
	} else if (cfg_kind(map) != CFG_MAP) {
		cfg_error(errs, map, "expected a mapping of key: value");
		return -1;
	}
	for (const struct cfg_field *f = fields; f->key; f++) {
		const struct cfg_node *v = cfg_get(map, f->key);
		char *dst = (char *)target + f->offset;

		if (cfg_is_null(v))
			rc |= bind_default(f, map ? map : where, dst, errs);
		else
			rc |= bind_value(f, v, dst, errs);
	}
	for (size_t i = 0; i < cfg_len(map); i++) {
		const struct cfg_field *f;

		for (f = fields; f->key; f++)
			if (strcmp(f->key, cfg_key(map, i)) == 0)
				break;
		if (!f->key) {
			unknown_key(map, i, fields, errs);
			rc = -1;
		}
	}
	return rc ? -1 : 0;
}

int
cfg_bind(const struct cfg_node *map, const struct cfg_field *fields, void *target,
	 struct cfg_errs *errs)
{
	return bind_map(map, map, fields, target, errs);
}

void
cfg_strlist_free(struct cfg_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->line);
	memset(l, 0, sizeof *l);
}

int
cfg_strlist_find(const struct cfg_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return (int)i;
	return -1;
}

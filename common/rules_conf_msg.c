/* rules_conf_msg.c — alarm message templates: {device}, {name}, {site},
 * {rule}, {value} and {threshold} rendered into a caller's buffer, and the
 * check that a template names only those (and only the ones its rule kind
 * has). Pure and allocation-free. */
#include "rules_conf_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PH_MAX 16 /* longest placeholder name looked for */

enum ph { PH_DEVICE, PH_NAME, PH_SITE, PH_RULE, PH_VALUE, PH_THRESHOLD, PH_NONE };
static const char *const ph_names[] = {"device", "name",      "site", "rule",
				       "value",  "threshold", NULL};

/* A placeholder at s ("{word}"): its kind and length, or PH_NONE. word_out
 * (PH_MAX + 1 bytes) gets the word when s looks like one, known or not. */
static enum ph
placeholder(const char *s, size_t *len, char *word_out)
{
	size_t n = strspn(s + 1, "abcdefghijklmnopqrstuvwxyz_");
	int i;

	word_out[0] = '\0';
	if (s[0] != '{' || n == 0 || n > PH_MAX || s[1 + n] != '}')
		return PH_NONE;
	memcpy(word_out, s + 1, n);
	word_out[n] = '\0';
	*len = n + 2;
	i = reg_name_index(ph_names, word_out);
	return i < 0 ? PH_NONE : (enum ph)i;
}

/* Up to two decimals without trailing zeros: 40 -> "40", 12.5 -> "12.5". */
static void
fmt_num(double v, char *buf, size_t cap)
{
	char *dot;
	size_t n;

	if (!isfinite(v) || fabs(v) >= 1e12) {
		snprintf(buf, cap, "%.6g", v);
		return;
	}
	snprintf(buf, cap, "%.2f", v);
	dot = strchr(buf, '.');
	if (!dot)
		return;
	for (n = strlen(buf); n > 0 && buf[n - 1] == '0'; n--)
		buf[n - 1] = '\0';
	if (buf[n - 1] == '.')
		buf[n - 1] = '\0';
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
}

struct out {
	char *buf;
	size_t cap, len;
	int cut;
};

/* Appends n bytes of s; what does not fit is cut at a character boundary,
 * so that the text stays valid UTF-8. */
static void
put(struct out *o, const char *s, size_t n)
{
	if (o->len + n >= o->cap) {
		n = o->cap - 1 - o->len;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		o->cut = 1;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void
put_str(struct out *o, const char *s)
{
	put(o, s ? s : "", s ? strlen(s) : 0);
}

int
rcf_render(const char *tmpl, const struct rcf_render_ctx *ctx, char *buf, size_t cap)
{
	struct out o = {buf, cap, 0, 0};
	char word[PH_MAX + 1], num[64];

	buf[0] = '\0';
	for (const char *p = tmpl; *p && !o.cut;) {
		size_t len = 0;
		enum ph ph = *p == '{' ? placeholder(p, &len, word) : PH_NONE;

		if (ph == PH_NONE) {
			size_t run = strcspn(p + 1, "{") + 1;

			put(&o, p, run);
			p += run;
			continue;
		}
		switch (ph) {
		case PH_DEVICE:
			put_str(&o, ctx->device);
			break;
		case PH_NAME:
			put_str(&o, ctx->name);
			break;
		case PH_SITE:
			put_str(&o, ctx->site);
			break;
		case PH_RULE:
			put_str(&o, ctx->rule);
			break;
		case PH_VALUE:
		case PH_THRESHOLD:
			if (ph == PH_VALUE ? ctx->has_value : ctx->has_threshold)
				fmt_num(ph == PH_VALUE ? ctx->value : ctx->threshold, num,
					sizeof num);
			else
				strcpy(num, "n/a");
			put_str(&o, num);
			break;
		case PH_NONE:
			break;
		}
		p += len;
	}
	return o.cut ? -1 : 0;
}

int
rcf_check_template(const char *tmpl, int kind, const struct cfg_node *node, struct cfg_errs *errs)
{
	char word[PH_MAX + 1];
	int rc = 0;

	for (const char *p = strchr(tmpl, '{'); p; p = strchr(p + 1, '{')) {
		size_t len = 0;
		enum ph ph = placeholder(p, &len, word);

		if (ph == PH_NONE && word[0]) {
			cfg_error(errs, node,
				  "message: unknown placeholder '{%s}' (known: {device}, {name}, "
				  "{site}, {rule}, {value}, {threshold})",
				  word);
			rc = -1;
		} else if ((ph == PH_VALUE || ph == PH_THRESHOLD) && kind != RCF_THRESHOLD &&
			   kind != RCF_RATE) {
			cfg_error(errs, node,
				  "message: {%s} is only for threshold and rate rules, not %s",
				  word, rcf_kind_names[kind]);
			rc = -1;
		}
	}
	return rc;
}

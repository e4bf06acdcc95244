/* config_errs.c — the list of "file:line: message" errors that every
 * configuration check adds to, bounded so a hostile file cannot make it grow
 * without limit. No libyaml here. */
#include "config.h"
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
cfg_errs_init(struct cfg_errs *e)
{
	memset(e, 0, sizeof *e);
}

void
cfg_errs_free(struct cfg_errs *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->msg[i]);
	free(e->msg);
	memset(e, 0, sizeof *e);
}

void
cfg_errs_print(const struct cfg_errs *e, FILE *out)
{
	for (size_t i = 0; i < e->n; i++)
		fprintf(out, "%s\n", e->msg[i]);
	if (e->dropped)
		fprintf(out, "(%zu more errors not shown)\n", e->dropped);
}

static void
errs_vadd(struct cfg_errs *e, const char *file, int line, const char *fmt, va_list ap)
{
	char text[1024];
	char *msg;

	if (e->n >= CFG_MAX_ERRS) {
		e->dropped++;
		return;
	}
	vsnprintf(text, sizeof text, fmt, ap);
	if (file && line > 0)
		msg = xmalloc(strlen(file) + strlen(text) + 16);
	else
		msg = xmalloc((file ? strlen(file) : 0) + strlen(text) + 4);
	if (file && line > 0)
		sprintf(msg, "%s:%d: %s", file, line, text);
	else if (file)
		sprintf(msg, "%s: %s", file, text);
	else
		strcpy(msg, text);
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 8;
		e->msg = realloc(e->msg, e->cap * sizeof *e->msg);
		if (!e->msg)
			fatal("out of memory");
	}
	e->msg[e->n++] = msg;
}

void
cfg_error(struct cfg_errs *e, const struct cfg_node *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	errs_vadd(e, at ? cfg_file(at) : NULL, at ? cfg_line(at) : 0, fmt, ap);
	va_end(ap);
}

void
cfg_error_at(struct cfg_errs *e, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	errs_vadd(e, file, line, fmt, ap);
	va_end(ap);
}

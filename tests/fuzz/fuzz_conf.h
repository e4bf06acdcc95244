/* fuzz_conf.h — what the configuration harnesses share: every error a
 * loader adds must say where, "file:line: message" with a line inside the
 * file it names (or, for what concerns a whole file, "file: message"); a
 * loader returns -1 exactly when it added errors. And the shipped registry
 * (config/ or $FUZZ_CONFIG_DIR), loaded once, to resolve references against.
 * Header-only: each harness is one translation unit. */
#ifndef FM_FUZZ_CONF_H
#define FM_FUZZ_CONF_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "registry.h"
#include "who.h"

/* A file the errors may name, with its text (to bound the line numbers). */
struct fuzz_file {
	const char *name;
	const char *text;
	size_t len;
};

/* Lines as YAML counts them: a line break is LF, CR LF, a lone CR, or NEL,
 * LS or PS in UTF-8. */
static inline long
fuzz_lines(const struct fuzz_file *f)
{
	const unsigned char *t = (const unsigned char *)f->text;
	long n = 1;
	size_t i = 0;

	while (i < f->len) {
		size_t w = 0;

		if (t[i] == '\n')
			w = 1;
		else if (t[i] == '\r')
			w = i + 1 < f->len && t[i + 1] == '\n' ? 2 : 1;
		else if (t[i] == 0xc2 && i + 1 < f->len && t[i + 1] == 0x85)
			w = 2;
		else if (t[i] == 0xe2 && i + 2 < f->len && t[i + 1] == 0x80 &&
			 (t[i + 2] == 0xa8 || t[i + 2] == 0xa9))
			w = 3;
		if (w) {
			n++;
			i += w;
		} else {
			i++;
		}
	}
	return n;
}

/* The messages from index `from` on: each names one of files[0..n) and a
 * line within it; a message without a line must be about the whole file. */
static inline void
fuzz_check_errs(const struct cfg_errs *e, size_t from, const struct fuzz_file *files, int n)
{
	for (size_t i = from; i < e->n; i++) {
		const char *m = e->msg[i];
		int k;

		for (k = 0; k < n; k++) {
			size_t l = strlen(files[k].name);

			if (strncmp(m, files[k].name, l) == 0 && m[l] == ':')
				break;
		}
		if (k == n)
			abort(); /* names no file */
		m += strlen(files[k].name) + 1;
		if (m[0] == ' ') {
			if (!strstr(m, "empty") && !strstr(m, "too large"))
				abort(); /* no line, yet not about the file as a whole */
			continue;
		}
		char *end;
		long line = strtol(m, &end, 10);
		long lines = fuzz_lines(&files[k]);

		if (end == m || *end != ':' || end[1] != ' ' || end[2] == '\0' || line < 1)
			abort();

		if (line > lines)
			abort();
	}
}

/* rc is a loader's return; errors from index `from` on are what it added. */
static inline void
fuzz_check_rc(int rc, const struct cfg_errs *e, size_t from, size_t dropped_before)
{
	int added = e->n > from || e->dropped > dropped_before;

	if ((rc == 0 && added) || (rc == -1 && !added) || (rc != 0 && rc != -1))
		abort();
}

/* The shipped registry, loaded once; abort()s when it cannot be read, since
 * a harness without it would quietly cover less. */
static inline const struct reg *
fuzz_shipped_reg(void)
{
	static struct reg reg;
	static int state; /* 0 not tried, 1 loaded */

	if (state == 0) {
		const char *dir = getenv("FUZZ_CONFIG_DIR");
		struct cfg_errs errs;

		cfg_errs_init(&errs);
		state = reg_load_dir(dir ? dir : "config", &reg, &errs) == 0 ? 1 : -1;
		if (state < 0) {
			cfg_errs_print(&errs, stderr);
			abort();
		}
		cfg_errs_free(&errs);
	}
	return &reg;
}

/* Who is on duty by the shipped registry, built once. */
static inline const struct who *
fuzz_shipped_who(void)
{
	static struct who w;
	static int built;

	if (!built) {
		if (who_build(&w, fuzz_shipped_reg(), NULL) < 0)
			abort();
		built = 1;
	}
	return &w;
}

/* A notify list resolved at a few instants, as the daemons do when a clock
 * or an alarm fires. */
static inline void
fuzz_resolve(const struct cfg_strlist *targets, const char *site)
{
	static const long long at[] = {0, 1763891300000LL, 1767225599999LL};
	char out[8][REG_ID_SIZE];
	int fallback;

	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		int n = who_resolve(fuzz_shipped_who(), site, targets, at[i], out, 8, &fallback);

		if (n < -1 || n > 8)
			abort();
	}
}

/* Builds a loaded document; the harness checks what the loader made. */
typedef void (*fuzz_build_fn)(const struct cfg_doc *doc, const struct reg *reg,
			      struct cfg_errs *errs, const struct fuzz_file *f);

/* The body of a harness for one file of the configuration: the input
 * loaded as `name` (a refusal must say why, where), then built against the
 * shipped registry and against none. */
static inline int
fuzz_conf_file(const char *name, const uint8_t *data, size_t size, fuzz_build_fn build)
{
	struct fuzz_file f = {name, (const char *)data, size};
	struct cfg_errs errs;
	struct cfg_doc *doc;

	cfg_errs_init(&errs);
	doc = cfg_load_buf(name, (const char *)data, size, &errs);
	fuzz_check_errs(&errs, 0, &f, 1);
	if (doc) {
		build(doc, fuzz_shipped_reg(), &errs, &f);
		build(doc, NULL, &errs, &f);
		cfg_doc_free(doc);
	} else if (errs.n == 0) {
		abort(); /* refused without saying why */
	}
	cfg_errs_free(&errs);
	return 0;
}

#endif

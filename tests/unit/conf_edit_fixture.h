/* conf_edit_fixture.h — what a configuration checker's tests can share: a
 * small registry built from text, a valid file's text with edits applied,
 * and whether the errors hold an expected "file:line: message". The rules
 * and maintenance checkers' tests keep their own copies of these for now. */
#ifndef TEST_CONF_EDIT_FIXTURE_H
#define TEST_CONF_EDIT_FIXTURE_H

#include "registry.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* One text edit: the first occurrence of from becomes to. */
struct conf_edit {
	const char *from, *to;
};

/* base with up to n edits applied in order (each from must occur; a NULL
 * from ends the list). The caller frees the result. */
static inline char *
conf_edited(const char *base, const struct conf_edit *e, size_t n)
{
	char *s = strdup(base);

	for (size_t i = 0; i < n && e[i].from; i++) {
		char *at = strstr(s, e[i].from), *t;

		if (!at)
			fail_msg("edit: '%s' not in the text", e[i].from);
		t = malloc(strlen(s) - strlen(e[i].from) + strlen(e[i].to) + 1);
		sprintf(t, "%.*s%s%s", (int)(at - s), s, e[i].to, at + strlen(e[i].from));
		free(s);
		s = t;
	}
	return s;
}

/* Parses the three registry texts into docs[0..2] and builds reg from them;
 * the registry must check clean. */
static inline void
conf_reg_load(struct cfg_doc *docs[3], struct reg *reg, struct cfg_errs *errs, const char *site,
	      const char *devices, const char *people)
{
	docs[0] = cfg_load_buf(REG_FILE_SITES, site, strlen(site), errs);
	docs[1] = cfg_load_buf(REG_FILE_DEVICES, devices, strlen(devices), errs);
	docs[2] = cfg_load_buf(REG_FILE_PEOPLE, people, strlen(people), errs);
	assert_int_equal(reg_build(reg, docs[0], docs[1], docs[2], errs), 0);
}

/* 1 when some message starts with expect (binder messages go on to list
 * what was expected). */
static inline int
conf_has_message(const struct cfg_errs *errs, const char *expect)
{
	for (size_t k = 0; k < errs->n; k++)
		if (strncmp(errs->msg[k], expect, strlen(expect)) == 0)
			return 1;
	return 0;
}

#endif

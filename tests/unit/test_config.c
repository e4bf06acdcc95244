/* test_config.c — common/config: every kind of configuration error gives the
 * right "file:line: message" (syntax, duplicate key, unknown key, types,
 * bounds, required keys, enums, durations, YAML features refused, limits),
 * defaults are applied, and durations parse. All from memory (cfg_load_buf). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

struct sub_conf {
	int a;
};

struct t_conf {
	char name[16];
	int port;
	long long size;
	double ratio;
	int flag;
	int mode;
	long long timeout_ms;
	struct sub_conf sub;
	struct cfg_strlist tags;
	const struct cfg_node *raw;
};

static const char *const modes[] = {"fast", "safe", NULL};

static const struct cfg_field sub_fields[] = {
	CFG_INT("a", struct sub_conf, a, "7", 0, 10),
	CFG_END,
};

static const struct cfg_field fields[] = {
	CFG_STR("name", struct t_conf, name, NULL),
	CFG_INT("port", struct t_conf, port, "1883", 1, 65535),
	CFG_LLONG("size", struct t_conf, size, "64M", 1024, 1LL << 30),
	CFG_DOUBLE("ratio", struct t_conf, ratio, "0.5", 0, 1),
	CFG_BOOL("flag", struct t_conf, flag, "false"),
	CFG_ENUM("mode", struct t_conf, mode, "safe", modes),
	CFG_DURATION("timeout", struct t_conf, timeout_ms, "30s", 100, 3600000),
	CFG_SECTION("sub", struct t_conf, sub, sub_fields),
	CFG_STRLIST("tags", struct t_conf, tags, "", 3, 8),
	CFG_NODE("raw", struct t_conf, raw),
	CFG_END,
};

/* Parses and binds text as t.yaml; returns the errors (caller frees). */
static struct cfg_errs
bind_text(const char *text, size_t len, struct t_conf *c)
{
	struct cfg_errs errs;
	struct cfg_doc *doc;

	cfg_errs_init(&errs);
	memset(c, 0, sizeof *c);
	doc = cfg_load_buf("t.yaml", text, len, &errs);
	if (doc) {
		int rc = cfg_bind(cfg_doc_root(doc), fields, c, &errs);

		assert_int_equal(rc, errs.n ? -1 : 0);
		cfg_doc_free(doc);
	}
	cfg_strlist_free(&c->tags);
	return errs;
}

struct err_case {
	const char *what;
	const char *yaml;
	const char *expect; /* the first message must start with this */
};

static const struct err_case err_cases[] = {
	{"syntax error", "name: a\nport: [1, 2\nsize: 3\n",
	 "t.yaml:3: syntax error: did not find expected ',' or ']' (while parsing a flow "
	 "sequence at line 2)"},
	{"bad indentation", "name: a\n  port: 1\n",
	 "t.yaml:2: syntax error: mapping values are not allowed in this context"},
	{"duplicate key", "name: a\nport: 1\nname: b\n",
	 "t.yaml:3: duplicate key 'name' (first at line 1)"},
	{"duplicate nested key", "name: a\nsub:\n  a: 1\n  a: 2\n",
	 "t.yaml:4: duplicate key 'a' (first at line 3)"},
	{"unknown key", "name: a\nfoo: 1\n",
	 "t.yaml:2: unknown key 'foo' (known: name, port, size, ratio, flag, mode, timeout, "
	 "sub, tags, raw)"},
	{"unknown nested key", "name: a\nsub:\n  b: 1\n", "t.yaml:3: unknown key 'b' (known: a)"},
	{"type error", "name: a\nport: abc\n", "t.yaml:2: port: expected an integer, got 'abc'"},
	{"quoted number", "name: a\nport: \"80\"\n",
	 "t.yaml:2: port: expected an integer, got '80'"},
	{"out of range", "name: a\nport: 70000\n", "t.yaml:2: port: out of range 1..65535"},
	{"negative out of range", "name: a\nport: -1\n", "t.yaml:2: port: out of range 1..65535"},
	{"nested out of range", "name: a\nsub: {a: 11}\n", "t.yaml:2: a: out of range 0..10"},
	{"missing required", "port: 80\n", "t.yaml:1: missing required key 'name'"},
	{"null required", "name:\nport: 80\n", "t.yaml:1: missing required key 'name'"},
	{"bad enum", "name: a\nmode: turbo\n",
	 "t.yaml:2: mode: unknown value 'turbo' (expected one of: fast, safe)"},
	{"bad duration", "name: a\ntimeout: 5x\n",
	 "t.yaml:2: timeout: expected a duration such as 250ms, 30s, 5m, 2h or 7d, got '5x'"},
	{"negative duration", "name: a\ntimeout: -5s\n", "t.yaml:2: timeout: expected a duration"},
	{"duration out of range", "name: a\ntimeout: 2h\n",
	 "t.yaml:2: timeout: out of range 100ms..1h"},
	{"bad boolean", "name: a\nflag: yes\n",
	 "t.yaml:2: flag: expected true or false, got 'yes'"},
	{"quoted boolean", "name: a\nflag: 'true'\n", "t.yaml:2: flag: expected true or false"},
	{"bad size suffix", "name: a\nsize: 5T\n",
	 "t.yaml:2: size: expected an integer (suffix k, M or G allowed), got '5T'"},
	{"size out of range", "name: a\nsize: 2G\n", "t.yaml:2: size: out of range 1k..1G"},
	{"size overflow", "name: a\nsize: 99999999999999999G\n",
	 "t.yaml:2: size: expected an integer"},
	{"not a number", "name: a\nratio: nan\n",
	 "t.yaml:2: ratio: expected a finite number, got 'nan'"},
	{"double out of range", "name: a\nratio: 1.5\n", "t.yaml:2: ratio: out of range 0..1"},
	{"string too long", "name: abcdefghijklmnopq\n",
	 "t.yaml:1: name: too long (17 bytes, at most 15)"},
	{"mapping for a scalar", "name: {a: 1}\n",
	 "t.yaml:1: name: expected a single value, not a mapping"},
	{"list for a scalar", "name: [a]\n", "t.yaml:1: name: expected a single value, not a list"},
	{"section not a mapping", "name: a\nsub: 5\n",
	 "t.yaml:2: expected a mapping of key: value"},
	{"root not a mapping", "- a\n- b\n", "t.yaml:1: expected a mapping of key: value"},
	{"list not a list", "name: a\ntags: x\n", "t.yaml:2: tags: expected a list such as [a, b]"},
	{"list too long", "name: a\ntags: [a, b, c, d]\n",
	 "t.yaml:2: tags: too many items (4, at most 3)"},
	{"list item not a value", "name: a\ntags:\n  - a\n  - [b]\n",
	 "t.yaml:4: tags: each item must be a non-empty value"},
	{"list item too long", "name: a\ntags: [abcdefghi]\n",
	 "t.yaml:2: tags: item too long (9 bytes, at most 8)"},
	{"anchor", "name: &n a\n", "t.yaml:1: anchors (&n) are not supported: write the value out"},
	{"alias", "name: a\nraw: *x\n",
	 "t.yaml:2: aliases (*x) are not supported: write the value out"},
	{"merge key alias", "name: a\nsub:\n  <<: *base\n",
	 "t.yaml:3: aliases (*base) are not supported"},
	{"tag", "name: !!str a\n", "t.yaml:1: tags (tag:yaml.org,2002:str) are not supported"},
	{"non-scalar key", "name: a\n? [k]\n: 1\n",
	 "t.yaml:2: mapping keys must be plain text, not a list, mapping or alias"},
	{"two documents", "name: a\n---\nname: b\n",
	 "t.yaml:2: only one YAML document per file ('---' starts a second one)"},
	{"NUL in a value", "name: \"a\\0b\"\n",
	 "t.yaml:1: a NUL character is not allowed in a value"},
	{"invalid UTF-8", "name: a\nport: \xff\n",
	 "t.yaml:2: invalid text: invalid leading UTF-8 octet"},
	{"tab indentation", "name: a\nsub:\n\ta: 1\n",
	 "t.yaml:3: syntax error: found character that cannot start any token"},
};

static void
test_errors(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof err_cases / sizeof err_cases[0]; i++) {
		const struct err_case *c = &err_cases[i];
		struct t_conf conf;
		struct cfg_errs errs = bind_text(c->yaml, strlen(c->yaml), &conf);

		if (errs.n == 0 || strncmp(errs.msg[0], c->expect, strlen(c->expect)) != 0) {
			print_error("case '%s': got \"%s\", want \"%s...\"\n", c->what,
				    errs.n ? errs.msg[0] : "(no error)", c->expect);
			failed++;
		}
		cfg_errs_free(&errs);
	}
	assert_int_equal(failed, 0);
}

/* Everything wrong in a file is reported, not only the first problem. */
static void
test_all_errors_reported(void **state)
{
	static const char text[] = "name: a\nport: 0\nmode: x\nfoo: 1\nbar: 2\n";
	struct t_conf conf;
	struct cfg_errs errs;

	(void)state;
	errs = bind_text(text, strlen(text), &conf);
	assert_int_equal(errs.n, 4);
	assert_string_equal(errs.msg[0], "t.yaml:2: port: out of range 1..65535");
	assert_true(strncmp(errs.msg[1], "t.yaml:3: mode: unknown value 'x'", 33) == 0);
	assert_true(strncmp(errs.msg[2], "t.yaml:4: unknown key 'foo'", 27) == 0);
	assert_true(strncmp(errs.msg[3], "t.yaml:5: unknown key 'bar'", 27) == 0);
	cfg_errs_free(&errs);
}

static void
test_defaults(void **state)
{
	static const char text[] = "name: x\nport: ~\ntimeout:\n";
	struct cfg_errs errs;
	struct cfg_doc *doc;
	struct t_conf c;

	(void)state;
	cfg_errs_init(&errs);
	memset(&c, 0, sizeof c);
	doc = cfg_load_buf("t.yaml", text, strlen(text), &errs);
	assert_non_null(doc);
	assert_int_equal(cfg_bind(cfg_doc_root(doc), fields, &c, &errs), 0);
	assert_int_equal(errs.n, 0);
	assert_string_equal(c.name, "x");
	assert_int_equal(c.port, 1883); /* null counts as absent */
	assert_int_equal(c.size, 64LL << 20);
	assert_true(c.ratio == 0.5);
	assert_int_equal(c.flag, 0);
	assert_int_equal(c.mode, 1);
	assert_int_equal(c.timeout_ms, 30000);
	assert_int_equal(c.sub.a, 7);
	assert_int_equal(c.tags.n, 0);
	assert_null(c.raw);
	cfg_doc_free(doc);
	cfg_errs_free(&errs);
}

static void
test_values(void **state)
{
	static const char text[] = "name: \"123\"\nport: 8883\nsize: 16k\nratio: 1e-1\n"
				   "flag: true\nmode: fast\ntimeout: \"250ms\"\nsub: {a: 0}\n"
				   "tags: [x, 'y z']\nraw: {any: [thing]}\n";
	struct cfg_errs errs;
	struct cfg_doc *doc;
	struct t_conf c;

	(void)state;
	cfg_errs_init(&errs);
	memset(&c, 0, sizeof c);
	doc = cfg_load_buf("t.yaml", text, strlen(text), &errs);
	assert_non_null(doc);
	assert_int_equal(cfg_bind(cfg_doc_root(doc), fields, &c, &errs), 0);
	assert_string_equal(c.name, "123"); /* a quoted number is a fine string */
	assert_int_equal(c.port, 8883);
	assert_int_equal(c.size, 16384);
	assert_true(c.ratio > 0.0999 && c.ratio < 0.1001);
	assert_int_equal(c.flag, 1);
	assert_int_equal(c.mode, 0);
	assert_int_equal(c.timeout_ms, 250);
	assert_int_equal(c.sub.a, 0);
	assert_int_equal(c.tags.n, 2);
	assert_string_equal(c.tags.v[1], "y z");
	assert_int_equal(c.tags.line[1], 9);
	assert_int_equal(cfg_strlist_find(&c.tags, "x"), 0);
	assert_int_equal(cfg_strlist_find(&c.tags, "q"), -1);
	assert_int_equal(cfg_kind(c.raw), CFG_MAP);
	assert_int_equal(cfg_line(c.raw), 10);
	assert_string_equal(cfg_file(c.raw), "t.yaml");
	assert_string_equal(cfg_str(cfg_item(cfg_get(c.raw, "any"), 0)), "thing");
	cfg_strlist_free(&c.tags);
	cfg_doc_free(doc);
	cfg_errs_free(&errs);
}

static void
test_tree(void **state)
{
	static const char text[] = "# comment\na: 1\nb:\n  - x\n  - 'y'\nc: {d: e}\n";
	struct cfg_errs errs;
	struct cfg_doc *doc;
	const struct cfg_node *root, *b;

	(void)state;
	cfg_errs_init(&errs);
	doc = cfg_load_buf("t.yaml", text, strlen(text), &errs);
	root = cfg_doc_root(doc);
	assert_int_equal(cfg_kind(root), CFG_MAP);
	assert_int_equal(cfg_len(root), 3);
	assert_string_equal(cfg_key(root, 1), "b");
	assert_int_equal(cfg_line(cfg_key_node(root, 1)), 3);
	b = cfg_value(root, 1);
	assert_int_equal(cfg_kind(b), CFG_SEQ);
	assert_int_equal(cfg_line(cfg_item(b, 1)), 5);
	assert_false(cfg_quoted(cfg_item(b, 0)));
	assert_true(cfg_quoted(cfg_item(b, 1)));
	assert_null(cfg_item(b, 2));
	assert_null(cfg_get(root, "zz"));
	assert_null(cfg_str(b));
	assert_string_equal(cfg_doc_file(doc), "t.yaml");
	cfg_doc_free(doc);

	/* empty and comment-only files are empty documents, not errors */
	doc = cfg_load_buf("t.yaml", "# nothing\n", 10, &errs);
	assert_non_null(doc);
	assert_null(cfg_doc_root(doc));
	cfg_doc_free(doc);
	assert_int_equal(errs.n, 0);
	cfg_errs_free(&errs);
}

static void
test_durations(void **state)
{
	static const struct {
		const char *s;
		int rc;
		long long ms;
	} cases[] = {
		{"250ms", 0, 250},
		{"30s", 0, 30000},
		{"5m", 0, 300000},
		{"2h", 0, 7200000},
		{"7d", 0, 604800000},
		{"15", 0, 15000},
		{"0s", 0, 0},
		{"9223372036854775807ms", 0, 9223372036854775807LL},
		{"", -1, 0},
		{"s", -1, 0},
		{"-1s", -1, 0},
		{"1.5s", -1, 0},
		{"10 s", -1, 0},
		{" 10s", -1, 0},
		{"10S", -1, 0},
		{"1w", -1, 0},
		{"9223372036854775808ms", -1, 0},
		{"106751991167301d", -1, 0},
		{"99999999999999999999", -1, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		long long ms = -42;
		int rc = cfg_parse_duration(cases[i].s, &ms);

		if (rc != cases[i].rc || (rc == 0 && ms != cases[i].ms))
			fail_msg("duration '%s': rc %d ms %lld", cases[i].s, rc, ms);
	}
}

static void
test_limits(void **state)
{
	size_t big = CFG_MAX_FILE_BYTES + 1, n = 0;
	struct cfg_errs errs;
	char *buf, deep[200];

	(void)state;
	cfg_errs_init(&errs);
	buf = calloc(1, big);
	assert_non_null(buf);
	memset(buf, '#', big);
	assert_null(cfg_load_buf("big.yaml", buf, big, &errs));
	free(buf);
	assert_int_equal(errs.n, 1);
	assert_true(strncmp(errs.msg[0], "big.yaml: file too large", 24) == 0);

	/* 33 nested lists: one level too deep; 32 are fine */
	for (int i = 0; i < CFG_MAX_DEPTH + 1; i++)
		deep[n++] = '[';
	for (int i = 0; i < CFG_MAX_DEPTH + 1; i++)
		deep[n++] = ']';
	deep[n] = '\0';
	assert_null(cfg_load_buf("deep.yaml", deep, n, &errs));
	assert_string_equal(errs.msg[1], "deep.yaml:1: nested deeper than 32 levels");
	cfg_doc_free(cfg_load_buf("ok.yaml", deep + 1, n - 2, &errs));
	assert_int_equal(errs.n, 2);

	assert_null(cfg_load("/nonexistent/x.yaml", &errs));
	assert_string_equal(errs.msg[2],
			    "/nonexistent/x.yaml: cannot open: No such file or directory");
	cfg_errs_free(&errs);
}

/* A hostile file cannot make the error list grow without bound. */
static void
test_error_cap(void **state)
{
	struct cfg_errs errs;
	FILE *out;
	char *text;
	size_t len;

	(void)state;
	cfg_errs_init(&errs);
	for (int i = 0; i < CFG_MAX_ERRS + 10; i++)
		cfg_error_at(&errs, "f", i + 1, "problem %d", i);
	assert_int_equal(errs.n, CFG_MAX_ERRS);
	assert_int_equal(errs.dropped, 10);
	out = open_memstream(&text, &len);
	cfg_errs_print(&errs, out);
	fclose(out);
	assert_non_null(strstr(text, "f:1: problem 0\n"));
	assert_non_null(strstr(text, "(10 more errors not shown)\n"));
	free(text);
	cfg_error_at(&errs, NULL, 0, "x");
	cfg_errs_free(&errs);
	assert_int_equal(errs.n, 0);
}

/* Many duplicate keys are all found (sorting, not an n^2 scan). */
static void
test_many_duplicates(void **state)
{
	struct cfg_errs errs;
	char *text = malloc(20 * 5000);
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 5000; i++)
		n += (size_t)sprintf(text + n, "k%d: 1\n", i % 2500);
	cfg_errs_init(&errs);
	assert_null(cfg_load_buf("d.yaml", text, n, &errs));
	assert_int_equal(errs.n + errs.dropped, 2500);
	free(text);
	cfg_errs_free(&errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_many_duplicates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

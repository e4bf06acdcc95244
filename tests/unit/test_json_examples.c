/* test_json_examples.c — every payload in schemas/json/examples/ (relative to
 * the repository root, the working directory of the tests) through its
 * decoder: "<type>.valid.*.json" must decode, "<type>.invalid.<reason>.json"
 * must fail with exactly that reason. Conventions: examples/README.md. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

#define EXAMPLES_DIR "schemas/json/examples"
#define NOW_MS 1763891300000LL
#define MAX_FILES 512
#define MAX_FILE_BYTES (1 << 20)

static struct msg_telemetry tel;
static struct msg_event evt;
static struct msg_status sta;

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads a whole file into a buffer of exactly its size (ASan guards it). */
static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *tmp = malloc(MAX_FILE_BYTES), *exact;
	size_t n;

	assert_non_null(f);
	assert_non_null(tmp);
	n = fread(tmp, 1, MAX_FILE_BYTES, f);
	assert_true(n < MAX_FILE_BYTES);
	fclose(f);
	exact = malloc(n ? n : 1);
	assert_non_null(exact);
	memcpy(exact, tmp, n);
	free(tmp);
	*len = n;
	return exact;
}

static enum msg_reason
reason_by_name(const char *name)
{
	for (int r = 0; r < MSG_REASON_COUNT; r++)
		if (strcmp(msg_reason_name(r), name) == 0)
			return (enum msg_reason)r;
	return MSG_REASON_COUNT;
}

/* Checks one file; returns its type index (0 telemetry, 1 event, 2 status). */
static int
check_example(const char *file, int *is_valid)
{
	static const char *const types[] = {"telemetry", "event", "status"};
	char type[32], validity[16], what[128], path[512];
	struct msg_limits lim;
	enum msg_reason want, got;
	size_t len;
	int t;
	char *buf;

	if (sscanf(file, "%31[a-z].%15[a-z].%127[a-z0-9_].json", type, validity, what) != 3 ||
	    strlen(type) + strlen(validity) + strlen(what) + 7 != strlen(file))
		fail_msg("%s: name is not <type>.<valid|invalid>.<what>.json", file);
	for (t = 0; t < 3 && strcmp(types[t], type) != 0; t++)
		;
	if (t == 3)
		fail_msg("%s: unknown type %s", file, type);
	*is_valid = strcmp(validity, "valid") == 0;
	if (*is_valid) {
		want = MSG_OK;
	} else if (strcmp(validity, "invalid") == 0) {
		want = reason_by_name(what);
		if (want == MSG_REASON_COUNT || want == MSG_OK)
			fail_msg("%s: %s is not a reason name", file, what);
	} else {
		fail_msg("%s: neither valid nor invalid", file);
		return -1;
	}

	snprintf(path, sizeof(path), "%s/%s", EXAMPLES_DIR, file);
	buf = read_file(path, &len);
	msg_limits_default(&lim, NOW_MS);
	if (t == 0)
		got = msg_decode_telemetry(buf, len, &lim, "riverside", "pump-01", &tel);
	else if (t == 1)
		got = msg_decode_event(buf, len, &lim, "riverside", "pump-01", &evt);
	else
		got = msg_decode_status(buf, len, &lim, "riverside", "pump-01", &sta);
	free(buf);
	if (got != want)
		fail_msg("%s: got %s, want %s", file, msg_reason_name(got), msg_reason_name(want));
	return t;
}

static void
test_examples(void **state)
{
	char *names[MAX_FILES];
	int n = 0, valid[3] = {0}, invalid[3] = {0};
	struct dirent *de;
	DIR *d = opendir(EXAMPLES_DIR);
	(void)state;

	if (d == NULL)
		fail_msg("cannot open %s (run from the repository root)", EXAMPLES_DIR);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 5, ".json") != 0)
			continue;
		assert_true(n < MAX_FILES);
		names[n] = strdup(de->d_name);
		assert_non_null(names[n]);
		n++;
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_names);
	for (int i = 0; i < n; i++) {
		int is_valid = 0, t = check_example(names[i], &is_valid);
		if (is_valid)
			valid[t]++;
		else
			invalid[t]++;
		free(names[i]);
	}
	print_message("%d examples: telemetry %d valid %d invalid, event %d/%d, status %d/%d\n", n,
		      valid[0], invalid[0], valid[1], invalid[1], valid[2], invalid[2]);
	for (int t = 0; t < 3; t++) {
		assert_true(valid[t] > 0);
		assert_true(invalid[t] > 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

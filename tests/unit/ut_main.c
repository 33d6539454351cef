/* SPDX-License-Identifier: BSD-2-Clause */
/* ut_main.c - the unit tests' main (ut.h says what it runs and prints). */
#include <fnmatch.h>
#include <stdlib.h>
#include "ut.h"

/* the linker's bounds of the ut_tests section */
extern const struct ut_test *const __start_ut_tests[], *const __stop_ut_tests[];
/* a binary without a fixture or its own set-up has none of these */
extern bool ut_fixture_setup(void) __attribute__((weak));
extern bool ut_fixture_reset(void) __attribute__((weak));
extern void ut_fixture_teardown(void) __attribute__((weak));
extern bool ut_prepare(void) __attribute__((weak));

static int in_file_order(const void *a, const void *b)
{
	const struct ut_test *x = *(const struct ut_test **)a, *y = *(const struct ut_test **)b;

	return x->line != y->line ? x->line - y->line : x->seq - y->seq;
}

int main(void)
{
	size_t n = __stop_ut_tests - __start_ut_tests, todo = 0;
	const struct ut_test **t = calloc(n ? n : 1, sizeof(*t));
	const char *only = getenv("T");
	int passed = 0, failed = 0;
	bool ok;

	for (size_t i = 0; t && i < n; i++)
		if (!only || !*only || !fnmatch(only, __start_ut_tests[i]->name, 0))
			t[todo++] = __start_ut_tests[i];
	if (!todo)
		return t ? 0 : 1;	/* $T names none of this binary's tests */
	qsort(t, todo, sizeof(*t), in_file_order);
	ok = !ut_fixture_setup || ut_fixture_setup();
	for (size_t i = 0; i < todo; i++) {
		cur_test = t[i]->name;
		cur_failed = 0;
		if (!ok || (ut_fixture_reset && !ut_fixture_reset()) ||
		    (ut_prepare && !ut_prepare())) {
			printf("FAIL %s: fixture setup failed\n", cur_test);
			failed++;
			continue;
		}
		t[i]->fn();
		if (cur_failed)
			failed++;
		else {
			printf("PASS %s\n", cur_test);
			passed++;
		}
	}
	if (ut_fixture_teardown && !getenv("VNET_UT_KEEP"))
		ut_fixture_teardown();
	free(t);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

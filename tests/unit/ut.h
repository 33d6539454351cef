/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ut.h - the unit tests' protocol, in the kernel selftests' style. Tests
 * are found by name: `TEST(name) { ... }` defines test_name and registers
 * it (a pointer in the ut_tests section); ut_main.c runs them in file
 * order, each on a fresh fixture when the binary has one, only those whose
 * name matches the glob $T when it is set, and prints "PASS name" /
 * "FAIL name: why", then "N passed, N failed".
 */
#ifndef TEST_UT_H
#define TEST_UT_H

#include <stdbool.h>
#include <stdio.h>

struct ut_test {
	const char *name;
	void (*fn)(void);
	int line, seq;		/* file order, also for tests made on one line */
};
#define TEST(n)								\
	static void test_##n(void);					\
	static const struct ut_test ut_test_##n = { #n, test_##n, __LINE__, __COUNTER__ }; \
	static const struct ut_test *const ut_reg_##n			\
		__attribute__((used, section("ut_tests"))) = &ut_test_##n; \
	static void test_##n(void)

/* Hooks the runner calls when a binary defines them (all optional): the
 * fixture's (fixture.c), then a test file's own set-up before each test. */
bool ut_fixture_setup(void);
bool ut_fixture_reset(void);
void ut_fixture_teardown(void);
bool ut_prepare(void);

extern const char *cur_test;
extern int cur_failed;

/* Record a failure of the current test (its first is printed). */
bool expect(bool ok, const char *what);
/* The same, showing both values; true when the check holds. */
bool ut_assert_eq(bool ok, long long got, long long want, const char *what,
		  const char *expr);
#define ASSERT_EQ(got, want, what) ({					\
	long long got_ = (long long)(got), want_ = (long long)(want);	\
	ut_assert_eq(got_ == want_, got_, want_, what, #got);		\
})
#define ASSERT_NE(got, bad, what) ({					\
	long long got_ = (long long)(got), bad_ = (long long)(bad);	\
	ut_assert_eq(got_ != bad_, got_, bad_, what, "not " #got);	\
})

#endif

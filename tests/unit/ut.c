/* SPDX-License-Identifier: BSD-2-Clause */
/* ut.c - a test's failure record (ut.h); the fuzzer shares it. */
#include <string.h>
#include "ut.h"

const char *cur_test = "setup";
int cur_failed;

bool expect(bool ok, const char *what)
{
	if (!ok && !cur_failed++)
		printf("FAIL %s: %s\n", cur_test, what);
	return ok;
}

/* a value as a number, and in hex too when that may say more */
static const char *show(long long v, char *buf, size_t len)
{
	if (v >= 0 && v < 10)
		snprintf(buf, len, "%lld", v);
	else
		snprintf(buf, len, "%lld (0x%llx)", v, (unsigned long long)v);
	return buf;
}

bool ut_assert_eq(bool ok, long long got, long long want, const char *what,
		  const char *expr)
{
	bool negated = !strncmp(expr, "not ", 4);
	char g[48], w[48];

	if (!ok && !cur_failed++)
		printf("FAIL %s: %s: %s is %s, want %s%s\n", cur_test, what,
		       expr + (negated ? 4 : 0), show(got, g, sizeof(g)),
		       negated ? "not " : "", show(want, w, sizeof(w)));
	return ok;
}

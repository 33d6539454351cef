/* SPDX-License-Identifier: BSD-2-Clause */
/* json.c - a minimal streaming JSON writer for -j output. */
#include <stdio.h>
#include "ctl.h"

static int depth;
static bool need_comma[32];

static void sep(const char *key)
{
	if (need_comma[depth])
		putchar(',');
	need_comma[depth] = true;
	if (key)
		printf("\"%s\":", key);
}

static void put_escaped(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

void json_begin_obj(const char *key)
{
	sep(key);
	putchar('{');
	need_comma[++depth] = false;
}

void json_end_obj(void)
{
	putchar('}');
	depth--;
}

void json_begin_arr(const char *key)
{
	sep(key);
	putchar('[');
	need_comma[++depth] = false;
}

void json_end_arr(void)
{
	putchar(']');
	depth--;
}

void json_str(const char *key, const char *v)
{
	sep(key);
	put_escaped(v);
}

void json_u64(const char *key, unsigned long long v)
{
	sep(key);
	printf("%llu", v);
}

void json_bool(const char *key, bool v)
{
	sep(key);
	fputs(v ? "true" : "false", stdout);
}

void json_done(void)
{
	putchar('\n');
	need_comma[0] = false;
	depth = 0;
}

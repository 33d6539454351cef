/* SPDX-License-Identifier: BSD-2-Clause */
/* cmd_sys.c - sysctl and stats. */
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

static void sysctl_print(struct ctl *c, const char *name, __u32 v)
{
	if (c->json)
		json_u64(name, v);
	else
		printf("%s: %u\n", name, v);
}

int do_sysctl(struct ctl *c, int argc, char **argv)
{
	const struct vnet_sysctl *t;
	char name[128], *eq;
	size_t n;
	__u32 id, v;

	if (argc < 1 || argc > 2)
		return ctl_err(c, "usage: sysctl VNET [NAME[=VALUE]]");
	if (arg_vnet(c, argv[0], &id))
		return 1;
	if (argc == 2) {
		snprintf(name, sizeof(name), "%s", argv[1]);
		eq = strchr(name, '=');
		if (eq) {
			*eq++ = '\0';
			if (arg_u32(c, name, eq, ~0u, &v))
				return 1;
			if (vnet_sysctl_set(c->st, id, name, v))
				return ctl_lib_err(c);
		}
		if (vnet_sysctl_get(c->st, id, name, &v))
			return ctl_lib_err(c);
		if (c->json)
			json_begin_obj(NULL);
		sysctl_print(c, name, v);
		if (c->json) {
			json_end_obj();
			json_done();
		}
		return 0;
	}
	t = vnet_sysctl_table(&n);
	if (c->json)
		json_begin_obj(NULL);
	for (size_t i = 0; i < n; i++) {
		if (vnet_sysctl_get(c->st, id, t[i].name, &v))
			return ctl_lib_err(c);
		sysctl_print(c, t[i].name, v);
	}
	if (c->json) {
		json_end_obj();
		json_done();
	}
	return 0;
}

static __u64 ctr_at(const void *rec, const struct vnet_counter *t)
{
	return *(const __u64 *)((const char *)rec + t->off);
}

/* A record's counters; with drops, its drops by reason (only those seen,
 * in text). */
static void counters_print(struct ctl *c, const char *title, const void *rec,
			   const struct vnet_counter *t, size_t n, bool drops)
{
	const struct vnet_counter *d = NULL;
	size_t nd = 0;

	if (drops)
		d = vnet_drop_table(&nd);
	if (c->json) {
		if (title)
			json_begin_obj(title);
		for (size_t i = 0; i < n; i++)
			json_u64(t[i].name, ctr_at(rec, &t[i]));
		if (drops) {
			json_begin_obj("drops");
			for (size_t i = 0; i < nd; i++)
				json_u64(d[i].name, ctr_at(rec, &d[i]));
			json_end_obj();
		}
		if (title)
			json_end_obj();
		return;
	}
	if (title)
		printf("%s:\n", title);
	for (size_t i = 0; i < n; i++)
		printf("%12llu %s\n", (unsigned long long)ctr_at(rec, &t[i]), t[i].name);
	if (!drops)
		return;
	printf("  dropped:\n");
	for (size_t i = 0; i < nd; i++)
		if (ctr_at(rec, &d[i]) || c->verbose)
			printf("%12llu %-15s %s\n", (unsigned long long)ctr_at(rec, &d[i]),
			       d[i].name, d[i].descr);
}

/* Which lookup each IPv4 FIB uses, and its memory. */
static int fibs_print(struct ctl *c, __u32 id)
{
	const struct vnet_reg *r = vnet_get(c->st, id);

	if (c->json)
		json_begin_arr("fibs");
	else
		printf("fibs:\n");
	for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++) {
		struct vnet_fib_info i;

		if (!(r->fibs & (1u << fib)))
			continue;
		if (vnet_fib_info(c->st, id, fib, &i))
			return ctl_lib_err(c);
		if (!c->json) {
			printf("  fib %u: %s lookup, %u routes, %lld B (trie %lld B); "
			       "%u rebuilds, %u chunks rewritten in place\n", fib,
			       i.compiled ? "dxr" : "trie", i.fi.routes4,
			       i.compiled ? i.dxr_bytes : i.trie_bytes, i.trie_bytes,
			       i.fi.rebuilds, i.fi.updates);
			continue;
		}
		json_begin_obj(NULL);
		json_u64("fib", fib);
		json_str("lookup", i.compiled ? "dxr" : "trie");
		json_u64("routes", i.fi.routes4);
		json_u64("trie_bytes", i.trie_bytes);
		json_u64("dxr_bytes", i.dxr_bytes);
		json_u64("dxr_chunks", i.fi.chunks);
		json_u64("dxr_next_hops", i.fi.nh_count ? i.fi.nh_count - 1 : 0);
		json_u64("dxr_garbage_words", i.fi.garbage);
		json_u64("dxr_rebuilds", i.fi.rebuilds);
		json_u64("dxr_updates", i.fi.updates);
		if (i.fi.error)
			json_str("dxr_error", strerror(-i.fi.error));
		json_end_obj();
	}
	if (c->json)
		json_end_arr();
	return 0;
}

/* IPv4 counters at the top level (as before IPv6), then inet6 and filter. */
static int stats_one(struct ctl *c, __u32 id)
{
	const struct vnet_counter *t, *ft;
	struct vnet_stats s, s6;
	struct vnet_fw_stats f;
	size_t n, fn;

	if (vnet_stats_read(c->st, id, &s) || vnet_stats6_read(c->st, id, &s6) ||
	    vnet_fw_stats_read(c->st, id, &f))
		return ctl_lib_err(c);
	t = vnet_counter_table(&n);
	ft = vnet_fw_counter_table(&fn);
	if (c->json) {
		json_begin_obj(NULL);
		json_u64("vnet", id);
		json_str("name", vnet_get(c->st, id)->name);
	} else {
		printf("vnet %u (%s):\n", id, vnet_get(c->st, id)->name);
	}
	if (family_shown(c, 4))
		counters_print(c, NULL, &s, t, n, true);
	if (family_shown(c, 6))
		counters_print(c, "inet6", &s6, t, n, true);
	counters_print(c, "filter", &f, ft, fn, false);
	if (fibs_print(c, id))
		return 1;
	if (c->json)
		json_end_obj();
	return 0;
}

int do_stats(struct ctl *c, int argc, char **argv)
{
	__u32 id;
	int err = 0;
	bool first = true;

	if (argc > 1)
		return ctl_err(c, "usage: stats [VNET]");
	if (argc == 1) {
		if (arg_vnet(c, argv[0], &id))
			return 1;
		if (id == 0)
			return ctl_err(c, "vnet 0 is the host: see netstat -s / nstat");
		err = stats_one(c, id);
		if (c->json && !err)
			json_done();
		return err;
	}
	if (c->json)
		json_begin_arr(NULL);
	for (id = 1; id < VNET_MAX && !err; id++) {
		if (!vnet_get(c->st, id))
			continue;
		if (!c->json && !first)
			putchar('\n');
		first = false;
		err = stats_one(c, id);
	}
	if (c->json) {
		json_end_arr();
		json_done();
	}
	return err;
}

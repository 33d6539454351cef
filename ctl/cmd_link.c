/* SPDX-License-Identifier: BSD-2-Clause */
/* cmd_link.c - attach, detach, link set, link show. */
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

int do_attach(struct ctl *c, int argc, char **argv)
{
	enum vnet_xdp_mode mode = VNET_MODE_NATIVE;

	if (argc != 1 && !(argc == 3 && arg_is(argv[1], "mode")))
		return ctl_err(c, "usage: attach IFNAME [mode native|skb]");
	if (argc == 3) {
		if (arg_is(argv[2], "skb"))
			mode = VNET_MODE_SKB;
		else if (!arg_is(argv[2], "native"))
			return ctl_err(c, "mode: '%s' is not native or skb", argv[2]);
	}
	return vnet_attach(c->st, argv[0], mode) ? ctl_lib_err(c) : 0;
}

int do_reload(struct ctl *c, int argc, char **argv)
{
	unsigned n;

	if (argc > 1)
		return ctl_err(c, "usage: reload [IFNAME]");
	if (vnet_reload(c->st, argc ? argv[0] : NULL, &n))
		return ctl_lib_err(c);
	if (c->json) {
		json_begin_obj(NULL);
		json_u64("reloaded", n);
		json_end_obj();
		json_done();
	} else {
		printf("reloaded %u interface%s\n", n, n == 1 ? "" : "s");
	}
	return 0;
}

/* A dataplane whose pins are gone, taken back; then the vnets it holds. */
int do_adopt(struct ctl *c, int argc, char **argv)
{
	char err[512];

	if (argc != 1)
		return ctl_err(c, "usage: adopt IFNAME");
	if (c->st)
		return ctl_err(c, "adopt opens a state of its own: not in a batch");
	c->st = vnet_adopt(c->pin, argv[0], err, sizeof(err));
	if (!c->st)
		return ctl_err(c, "%s", err);
	return do_list(c, 0, NULL);
}

int do_detach(struct ctl *c, int argc, char **argv)
{
	if (argc != 1)
		return ctl_err(c, "usage: detach IFNAME");
	return vnet_detach(c->st, argv[0]) ? ctl_lib_err(c) : 0;
}

/* Parsed whole before anything is applied; the library applies all or none. */
static int link_set(struct ctl *c, int argc, char **argv)
{
	struct vnet_link_change ch = { .fib = -1 };
	__u32 fib;

	for (int i = 1; i < argc; i += 2) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!arg_is(argv[i], "vnet") && !arg_is(argv[i], "fib") && !arg_is(argv[i], "mtu"))
			return ctl_err(c, "link set: unknown option '%s' (vnet, fib, mtu)",
				       argv[i]);
		if (!val)
			return ctl_err(c, "'%s' needs a value", argv[i]);
		if (arg_is(argv[i], "vnet")) {
			if (arg_vnet(c, val, &ch.vnet))
				return 1;
			ch.vnet_set = true;
		} else if (arg_is(argv[i], "fib")) {
			if (arg_u32(c, "fib", val, VNET_MAX_FIBS - 1, &fib))
				return 1;
			ch.fib = fib;
		} else if (arg_u32(c, "mtu", val, 65535, &ch.mtu)) {
			return 1;
		} else if (ch.mtu < 68) {
			return ctl_err(c, "mtu %u out of range (68-65535)", ch.mtu);
		}
	}
	if (argc < 2)
		return ctl_err(c, "usage: link set IFNAME [vnet VNET] [fib N] [mtu N]");
	return vnet_link_change(c->st, argv[0], &ch) ? ctl_lib_err(c) : 0;
}

struct link_collect {
	link_keep_fn keep;
	const void *arg;
	struct vnet_link *v;
	size_t n, cap;
};

static int collect_one(const struct vnet_link *l, void *arg)
{
	struct link_collect *lc = arg;

	if (!lc->keep(l, lc->arg))
		return 0;
	if (lc->n == lc->cap) {
		struct vnet_link *nv;

		lc->cap = lc->cap ? 2 * lc->cap : 16;
		nv = realloc(lc->v, lc->cap * sizeof(*lc->v));
		if (!nv)
			return -1;
		lc->v = nv;
	}
	lc->v[lc->n++] = *l;
	return 0;
}

int links_collect(struct ctl *c, link_keep_fn keep, const void *arg,
		  struct vnet_link **v, size_t *n)
{
	struct link_collect lc = { .keep = keep, .arg = arg };

	if (vnet_link_walk(c->st, collect_one, &lc)) {
		free(lc.v);
		return ctl_err(c, "out of memory");
	}
	*v = lc.v;
	*n = lc.n;
	return 0;
}

static bool in_vnet(const struct vnet_link *l, const void *arg)
{
	return !arg || l->rec.vnet == *(const __u32 *)arg;
}

static int link_cmp(const void *a, const void *b)
{
	const struct vnet_link *x = a, *y = b;

	if (x->rec.vnet != y->rec.vnet)
		return x->rec.vnet < y->rec.vnet ? -1 : 1;
	return strcmp(x->ifname, y->ifname);
}

static int link_show(struct ctl *c, int argc, char **argv)
{
	struct vnet_link *v;
	char mac[18], ip[16];
	size_t n, missing = 0;
	__u32 id;

	if (argc > 1)
		return ctl_err(c, "usage: link show [VNET]");
	if (argc == 1 && arg_vnet(c, argv[0], &id))
		return 1;
	if (links_collect(c, in_vnet, argc == 1 ? &id : NULL, &v, &n))
		return 1;
	qsort(v, n, sizeof(*v), link_cmp);
	if (c->json)
		json_begin_arr(NULL);
	else
		printf("%-16s %-7s %-5s %-4s %-6s %-18s %-15s %s\n", "IFNAME", "IFINDEX",
		       "VNET", "FIB", "MTU", "MAC", "ADDR", "XDP");
	for (size_t i = 0; i < n; i++) {
		const struct vnet_link *l = &v[i];

		fmt_mac(l->rec.mac, mac);
		if (c->json) {
			json_begin_obj(NULL);
			json_str("ifname", l->ifname);
			json_u64("ifindex", l->ifindex);
			json_u64("vnet", l->rec.vnet);
			json_u64("fib", l->rec.fib);
			json_u64("mtu", l->rec.mtu);
			json_str("mac", mac);
			if (l->rec.addr4)
				json_str("addr", fmt_ip4(l->rec.addr4, ip));
			json_bool("xdp", l->xdp_attached);
			json_end_obj();
		} else {
			printf("%-16s %-7u %-5u %-4u %-6u %-18s %-15s %s\n", l->ifname,
			       l->ifindex, l->rec.vnet, l->rec.fib, l->rec.mtu, mac,
			       l->rec.addr4 ? fmt_ip4(l->rec.addr4, ip) : "-",
			       l->xdp_attached ? "yes" : "MISSING");
		}
		if (!l->xdp_attached)
			missing++;
	}
	/* removed behind our back: the interface forwards nothing now */
	for (size_t i = 0; i < n && missing; i++)
		if (!v[i].xdp_attached)
			fprintf(stderr, "vnetctl: warning: the dataplane's XDP program is missing "
				"on %s (vnetctl attach %s puts it back)\n", v[i].ifname,
				v[i].ifname);
	if (c->json) {
		json_end_arr();
		json_done();
	}
	free(v);
	return 0;
}

int do_link(struct ctl *c, int argc, char **argv)
{
	if (argc >= 2 && arg_is(argv[0], "set"))
		return link_set(c, argc - 1, argv + 1);
	if (argc >= 1 && arg_is(argv[0], "show"))
		return link_show(c, argc - 1, argv + 1);
	return ctl_err(c, "usage: link set IFNAME [vnet VNET] [fib N] [mtu N] | "
		       "link show [VNET]");
}

/* SPDX-License-Identifier: BSD-2-Clause */
/* cmd_route.c - route add|del|show|get. */
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

/* VNET [fib N] ...: the vnet and FIB every route command starts with. */
static int vnet_fib_args(struct ctl *c, int *argc, char ***argv, __u32 *id, __u32 *fib)
{
	if (*argc < 1)
		return ctl_err(c, "missing VNET");
	if (arg_vnet(c, (*argv)[0], id))
		return 1;
	*fib = 0;
	(*argc)--, (*argv)++;
	if (*argc >= 1 && arg_is((*argv)[0], "fib")) {
		if (arg_u32(c, "fib", *argc > 1 ? (*argv)[1] : NULL, VNET_MAX_FIBS - 1, fib))
			return 1;
		*argc -= 2, *argv += 2;
	}
	return 0;
}

static void route_print(struct ctl *c, const struct vnet_route *r, __u32 fib)
{
	char a[VNET_IP_STRLEN], gw[VNET_IP_STRLEN], ifn[IF_NAMESIZE], pfx[VNET_IP_STRLEN + 8];
	const char *type = vnet_rt_type_name(r->type);
	bool has_dev = r->ifindex != 0;

	if (has_dev && !if_indextoname(r->ifindex, ifn))
		snprintf(ifn, sizeof(ifn), "if%u", r->ifindex);
	vnet_ip_str(&r->dst, a);
	if (r->plen == 0)
		snprintf(pfx, sizeof(pfx), "%s", r->dst.family == 6 ? "::/0" : "default");
	else if (r->plen == (r->dst.family == 6 ? 128u : 32u))
		snprintf(pfx, sizeof(pfx), "%s", a);
	else
		snprintf(pfx, sizeof(pfx), "%s/%u", a, r->plen);
	if (r->gw.family)
		vnet_ip_str(&r->gw, gw);
	if (c->json) {
		json_begin_obj(NULL);
		json_str("dst", pfx);
		json_str("family", r->dst.family == 6 ? "inet6" : "inet");
		json_u64("fib", fib);
		json_str("type", type);
		if (r->gw.family)
			json_str("gateway", gw);
		if (has_dev)
			json_str("dev", ifn);
		json_str("protocol", (r->flags & VNET_RTF_IFADDR) ? "kernel" : "static");
		json_end_obj();
		return;
	}
	if (r->type != VNET_RT_UNICAST)
		printf("%s ", type);
	printf("%s", pfx);
	if (r->gw.family)
		printf(" via %s", gw);
	if (has_dev)
		printf(" dev %s", ifn);
	if (r->flags & VNET_RTF_IFADDR)
		printf(" proto kernel");
	putchar('\n');
}

/* Text only (the JSON list stays a list of routes; stats -j has this). */
static int lookup_print(struct ctl *c, __u32 id, __u32 fib)
{
	struct vnet_fib_info i;

	if (vnet_fib_info(c->st, id, fib, &i))
		return ctl_lib_err(c);
	printf("# fib %u inet lookup: %s, %u routes, ", fib, i.compiled ? "dxr" : "trie",
	       i.fi.routes4);
	if (i.compiled)
		printf("compiled %.1f KiB (%u chunks in ranges, %u next hops), trie %.1f KiB",
		       i.dxr_bytes / 1024.0, i.fi.chunks, i.fi.nh_count - 1, i.trie_bytes / 1024.0);
	else
		printf("trie %.1f KiB", i.trie_bytes / 1024.0);
	printf("; net.route.algo.inet.algo=%s", vnet_fib_algo_name(i.setting));
	if (i.fi.error)
		printf(" (not compiled: %s)", strerror(-i.fi.error));
	putchar('\n');
	return 0;
}

static int route_show(struct ctl *c, __u32 id, __u32 fib)
{
	struct vnet_route *v;
	size_t n;

	if (vnet_route_list(c->st, id, fib, c->family, &v, &n))
		return ctl_lib_err(c);
	if (!c->json && family_shown(c, 4) && lookup_print(c, id, fib)) {
		free(v);
		return 1;
	}
	if (c->json)
		json_begin_arr(NULL);
	for (size_t i = 0; i < n; i++)
		route_print(c, &v[i], fib);
	if (c->json) {
		json_end_arr();
		json_done();
	}
	free(v);
	return 0;
}

static int route_addel(struct ctl *c, bool add, __u32 id, __u32 fib, int argc, char **argv)
{
	struct vnet_route_spec r = { .type = VNET_RT_UNICAST };

	if (argc < 1)
		return ctl_err(c, "missing PREFIX");
	if (arg_prefix(c, argv[0], &r.dst, &r.plen))
		return 1;
	if (!add) {
		if (argc != 1)
			return ctl_err(c, "route del: unexpected '%s'", argv[1]);
		return vnet_route_del(c->st, id, fib, &r.dst, r.plen) ? ctl_lib_err(c) : 0;
	}
	for (int i = 1; i < argc; i++) {
		if (arg_is(argv[i], "blackhole") || arg_is(argv[i], "unreachable")) {
			if (argc != 2)
				return ctl_err(c, "%s takes no other option", argv[i]);
			r.type = arg_is(argv[i], "blackhole") ? VNET_RT_BLACKHOLE
							      : VNET_RT_UNREACHABLE;
		} else if (arg_is(argv[i], "via") && i + 1 < argc) {
			if (arg_ip(c, argv[++i], &r.gw))
				return 1;
		} else if (arg_is(argv[i], "dev") && i + 1 < argc) {
			r.dev = argv[++i];
		} else {
			return ctl_err(c, "route add: unexpected '%s' (via GW, dev IFNAME, "
				       "blackhole, unreachable)", argv[i]);
		}
	}
	if (argc == 1)
		return ctl_err(c, "route add %s: missing via GW, dev IFNAME, blackhole "
			       "or unreachable", argv[0]);
	return vnet_route_add(c->st, id, fib, &r) ? ctl_lib_err(c) : 0;
}

static int route_get(struct ctl *c, __u32 id, __u32 fib, int argc, char **argv)
{
	struct vnet_route r;
	struct vnet_ip addr;

	if (argc != 1)
		return ctl_err(c, "usage: route get VNET [fib N] ADDR");
	if (arg_ip(c, argv[0], &addr))
		return 1;
	if (vnet_route_get(c->st, id, fib, &addr, &r))
		return ctl_lib_err(c);
	if (c->json) {
		route_print(c, &r, fib);
		json_done();
		return 0;
	}
	/* as ip route get: what a packet to ADDR does, then the route used */
	{
		char a[VNET_IP_STRLEN], gw[VNET_IP_STRLEN], ifn[IF_NAMESIZE] = "";

		if (r.ifindex && !if_indextoname(r.ifindex, ifn))
			snprintf(ifn, sizeof(ifn), "if%u", r.ifindex);
		printf("%s", vnet_ip_str(&addr, a));
		if (r.type != VNET_RT_UNICAST)
			printf(" %s", vnet_rt_type_name(r.type));
		if (r.gw.family)
			printf(" via %s", vnet_ip_str(&r.gw, gw));
		if (*ifn)
			printf(" dev %s", ifn);
		printf(" fib %u\n    route: ", fib);
		route_print(c, &r, fib);
	}
	return 0;
}

int do_route(struct ctl *c, int argc, char **argv)
{
	const char *verb = argc ? argv[0] : "";
	__u32 id, fib;

	if (!arg_is(verb, "add") && !arg_is(verb, "del") && !arg_is(verb, "show") &&
	    !arg_is(verb, "get"))
		return ctl_err(c, "usage: route add|del|show|get VNET [fib N] ...");
	argc--, argv++;
	if (vnet_fib_args(c, &argc, &argv, &id, &fib))
		return 1;
	if (arg_is(verb, "show")) {
		if (argc)
			return ctl_err(c, "route show: unexpected '%s'", argv[0]);
		return route_show(c, id, fib);
	}
	if (arg_is(verb, "get"))
		return route_get(c, id, fib, argc, argv);
	return route_addel(c, arg_is(verb, "add"), id, fib, argc, argv);
}

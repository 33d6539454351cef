/* SPDX-License-Identifier: BSD-2-Clause */
/* cmd_neigh.c - neigh add|del|show|flush. */
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

static int neigh_cmp(const void *a, const void *b)
{
	const struct vnet_neigh *x = a, *y = b;
	int c = vnet_ip_cmp(&x->addr, &y->addr);

	if (c)
		return c;
	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

static int neigh_show(struct ctl *c, __u32 id)
{
	struct vnet_neigh *v;
	char ip[VNET_IP_STRLEN], mac[18], ifn[IF_NAMESIZE];
	__u64 now = vnet_clock_ns();
	size_t n;

	if (vnet_neigh_list(c->st, id, c->family, &v, &n))
		return ctl_lib_err(c);
	qsort(v, n, sizeof(*v), neigh_cmp);
	if (c->json)
		json_begin_arr(NULL);
	for (size_t i = 0; i < n; i++) {
		const struct vnet_neigh *e = &v[i];
		__u64 age = e->e.confirmed_ns && now > e->e.confirmed_ns ?
			    (now - e->e.confirmed_ns) / 1000000000ULL : 0;

		if (!if_indextoname(e->ifindex, ifn))
			snprintf(ifn, sizeof(ifn), "if%u", e->ifindex);
		vnet_ip_str(&e->addr, ip);
		fmt_mac(e->e.mac, mac);
		if (c->json) {
			json_begin_obj(NULL);
			json_str("dst", ip);
			json_str("dev", ifn);
			if (e->e.state != VNET_NUD_INCOMPLETE)
				json_str("lladdr", mac);
			json_str("state", vnet_nud_name(e->e.state));
			json_u64("age", age);
			json_u64("asked", e->e.asked);
			json_end_obj();
		} else if (e->e.state == VNET_NUD_INCOMPLETE) {
			printf("%s dev %s %s asked %u\n", ip, ifn,
			       vnet_nud_name(e->e.state), e->e.asked);
		} else {
			printf("%s dev %s lladdr %s %s", ip, ifn, mac,
			       vnet_nud_name(e->e.state));
			if (e->e.state != VNET_NUD_STATIC)
				printf(" age %llus", (unsigned long long)age);
			putchar('\n');
		}
	}
	if (c->json) {
		json_end_arr();
		json_done();
	}
	free(v);
	return 0;
}

int do_neigh(struct ctl *c, int argc, char **argv)
{
	const char *verb = argc ? argv[0] : "";
	const char *dev = NULL, *lladdr = NULL;
	struct vnet_ip addr;
	__u32 id;
	__u8 mac[6];

	if (argc < 2)
		return ctl_err(c, "usage: neigh add|del VNET ADDR lladdr MAC dev IFNAME | "
			       "neigh show|flush VNET");
	if (arg_vnet(c, argv[1], &id))
		return 1;
	if (arg_is(verb, "show") || arg_is(verb, "flush")) {
		if (argc != 2)
			return ctl_err(c, "usage: neigh %s VNET", verb);
		if (arg_is(verb, "show"))
			return neigh_show(c, id);
		return vnet_neigh_flush(c->st, id) ? ctl_lib_err(c) : 0;
	}
	if (!arg_is(verb, "add") && !arg_is(verb, "del"))
		return ctl_err(c, "neigh: unknown command '%s' (add, del, show, flush)", verb);
	if (argc < 3 || arg_ip(c, argv[2], &addr))
		return argc < 3 ? ctl_err(c, "missing ADDR") : 1;
	for (int i = 3; i < argc; i += 2) {
		if (i + 1 >= argc)
			return ctl_err(c, "'%s' needs a value", argv[i]);
		if (arg_is(argv[i], "lladdr"))
			lladdr = argv[i + 1];
		else if (arg_is(argv[i], "dev"))
			dev = argv[i + 1];
		else
			return ctl_err(c, "neigh: unexpected '%s' (lladdr, dev)", argv[i]);
	}
	if (!dev)
		return ctl_err(c, "neigh %s: missing dev IFNAME", verb);
	if (arg_is(verb, "del"))
		return vnet_neigh_del(c->st, id, &addr, dev) ? ctl_lib_err(c) : 0;
	if (!lladdr)
		return ctl_err(c, "neigh add: missing lladdr MAC");
	if (arg_mac(c, lladdr, mac))
		return 1;
	return vnet_neigh_add(c->st, id, &addr, mac, dev) ? ctl_lib_err(c) : 0;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/* cmd_addr.c - addr add|del|show. */
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

struct addr_show {
	struct ctl *c;
	bool filter;
	__u32 id;
};

static int show_addr(const struct vnet_addr_info *a, void *arg)
{
	struct addr_show *s = arg;
	char ip[VNET_IP_STRLEN], ifn[16], pfx[VNET_IP_STRLEN + 8];
	struct vnet_iface rec;
	__u32 ifindex;
	bool primary;

	if ((s->filter && a->vnet != s->id) || !family_shown(s->c, a->addr.family))
		return 0;
	if (!if_indextoname(a->ifindex, ifn))
		snprintf(ifn, sizeof(ifn), "if%u", a->ifindex);
	/* the IPv6 primary is not marked: its source role is the same */
	primary = a->addr.family == 4 &&
		  vnet_iface_get(s->c->st, ifn, &ifindex, &rec) == 0 &&
		  rec.addr4 == a->addr.v4;
	vnet_ip_str(&a->addr, ip);
	if (s->c->json) {
		json_begin_obj(NULL);
		json_u64("vnet", a->vnet);
		json_str("ifname", ifn);
		json_str("family", a->addr.family == 6 ? "inet6" : "inet");
		json_str("addr", ip);
		json_u64("prefixlen", a->plen);
		json_bool("primary", primary);
		json_end_obj();
	} else {
		snprintf(pfx, sizeof(pfx), "%s/%u", ip, a->plen);
		printf("%-5u %-16s %-19s %s\n", a->vnet, ifn, pfx, primary ? "primary" : "");
	}
	return 0;
}

int do_addr(struct ctl *c, int argc, char **argv)
{
	struct addr_show s = { .c = c };
	struct vnet_ip addr;
	__u32 id, plen;
	int err;

	if (argc >= 1 && arg_is(argv[0], "show")) {
		if (argc > 2)
			return ctl_err(c, "usage: addr show [VNET]");
		if (argc == 2) {
			if (arg_vnet(c, argv[1], &s.id))
				return 1;
			s.filter = true;
		}
		if (c->json)
			json_begin_arr(NULL);
		else
			printf("%-5s %-16s %-19s\n", "VNET", "IFNAME", "ADDR");
		vnet_addr_walk(c->st, show_addr, &s);
		if (c->json) {
			json_end_arr();
			json_done();
		}
		return 0;
	}
	if (argc != 4 || !(arg_is(argv[0], "add") || arg_is(argv[0], "del")))
		return ctl_err(c, "usage: addr add|del VNET IFNAME ADDR/LEN | addr show [VNET]");
	if (arg_vnet(c, argv[1], &id) || arg_prefix(c, argv[3], &addr, &plen))
		return 1;
	if (!strchr(argv[3], '/'))
		return ctl_err(c, "'%s': an address needs its prefix length (ADDR/LEN)",
			       argv[3]);
	err = arg_is(argv[0], "add") ? vnet_addr_add(c->st, id, argv[2], &addr, plen)
				     : vnet_addr_del(c->st, id, argv[2], &addr, plen);
	return err ? ctl_lib_err(c) : 0;
}

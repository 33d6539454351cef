/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * addr.c - interface addresses (ifconfig IF inet|inet6 ADDR/LEN). As
 * FreeBSD's rtinit() with net.add_addr_allfibs=1, an address installs its
 * local (/32, /128) and connected routes on every FIB of the vnet, and new
 * FIBs get them too. Two addresses of one interface in one subnet share the
 * connected route. The oldest address of each family on an interface is
 * its primary: the source of the ICMP errors (and ARP requests) it sends.
 * IPv6 link-local addresses are not configured: each interface has
 * fe80::/64 + the modified EUI-64 of its MAC, known to the datapath.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include "net.h"

static bool addr_usable(const struct vnet_ip *a)
{
	if (a->family == 4) {
		__u8 first = __builtin_bswap32(a->v4) >> 24;

		return first != 0 && first != 127 && first < 224;
	}
	/* not ::, ::1, multicast, link-local (derived) or IPv4-mapped */
	static const __u8 mapped[12] = { [10] = 0xff, [11] = 0xff };
	struct vnet_ip lo = { .family = 6, .v6 = { [15] = 1 } };

	return !ip_is_zero(a) && !ip_eq(a, &lo) && a->v6[0] != 0xff &&
	       !(a->v6[0] == 0xfe && (a->v6[1] & 0xc0) == 0x80) &&
	       memcmp(a->v6, mapped, 12) != 0;
}

static __u32 host_plen(const struct vnet_ip *a)
{
	return a->family == 6 ? 128 : 32;
}

/* Install the local and connected routes of one address on one FIB. */
static int addr_fib_add(struct vnet_state *st, __u32 id, __u32 fib, __u32 ifindex,
			const struct vnet_ip *addr, __u32 plen)
{
	struct rval local = { .type = VNET_RT_LOCAL, .flags = VNET_RTF_IFADDR,
			      .ifindex = ifindex };
	struct rval conn = { .type = VNET_RT_UNICAST, .flags = VNET_RTF_IFADDR,
			     .ifindex = ifindex };
	struct vnet_ip net = *addr;
	struct vnet_route cur;
	int err;

	err = route_put(st, id, fib, addr, host_plen(addr), &local);
	if (err || plen == host_plen(addr))
		return err;
	ip_mask(&net, plen);
	if (vnet_route_get(st, id, fib, &net, &cur) == 0 && cur.plen == plen &&
	    ip_eq(&cur.dst, &net) && (cur.flags & VNET_RTF_IFADDR) &&
	    cur.ifindex == ifindex)
		return 0;	/* shared with another address of this interface */
	err = route_put(st, id, fib, &net, plen, &conn);
	if (err)
		route_remove(st, id, fib, addr, host_plen(addr));
	return err;
}

static void ikey_set(struct ikey *k, __u32 ifindex, const struct vnet_ip *a)
{
	memset(k, 0, sizeof(*k));
	k->ifindex = ifindex;
	ip_put(a, k->addr);
}

typedef bool (*ifaddr_fn)(const struct vnet_addr_info *a, void *arg);

/* Call fn for each address of one family until it returns true. */
static bool ifaddr_any(struct vnet_state *st, __u8 family, ifaddr_fn fn, void *arg)
{
	int fd = ifaddrs_fd_of(st, family);
	struct ikey k, next;
	struct vnet_ifaddr a;

	if (fd < 0)
		return false;
	memset(&k, 0, sizeof(k));
	memset(&next, 0, sizeof(next));
	for (int more = bpf_map_get_next_key(fd, NULL, &next) == 0; more;
	     more = bpf_map_get_next_key(fd, &k, &next) == 0) {
		struct vnet_addr_info info;

		k = next;
		if (bpf_map_lookup_elem(fd, &k, &a))
			continue;
		info = (struct vnet_addr_info){ .ifindex = k.ifindex, .vnet = a.vnet,
						.plen = a.prefixlen, .seq = a.seq };
		ip_get(&info.addr, family, k.addr);
		if (fn(&info, arg))
			return true;
	}
	return false;
}

struct shared_ctx {
	__u32 ifindex, plen;
	const struct vnet_ip *addr;
};

static bool same_subnet(const struct vnet_addr_info *a, void *arg)
{
	const struct shared_ctx *c = arg;
	struct vnet_ip x = a->addr, y = *c->addr;

	if (a->ifindex != c->ifindex || ip_eq(&a->addr, c->addr) || a->plen != c->plen)
		return false;
	ip_mask(&x, c->plen);
	ip_mask(&y, c->plen);
	return ip_eq(&x, &y);
}

static void addr_fib_del(struct vnet_state *st, __u32 id, __u32 fib, __u32 ifindex,
			 const struct vnet_ip *addr, __u32 plen)
{
	struct shared_ctx c = { .ifindex = ifindex, .plen = plen, .addr = addr };
	struct vnet_ip net = *addr;

	route_remove(st, id, fib, addr, host_plen(addr));
	ip_mask(&net, plen);
	if (plen < host_plen(addr) && !ifaddr_any(st, addr->family, same_subnet, &c))
		route_remove(st, id, fib, &net, plen);
}

struct primary_ctx {
	__u32 ifindex, vnet;
	__u64 best_seq;
	struct vnet_ip best;
};

static bool oldest(const struct vnet_addr_info *a, void *arg)
{
	struct primary_ctx *c = arg;

	if (a->ifindex == c->ifindex && a->vnet == c->vnet && a->seq < c->best_seq) {
		c->best_seq = a->seq;
		c->best = a->addr;
	}
	return false;
}

/* Primary = oldest remaining address of the family on the interface. */
static void primary_update(struct vnet_state *st, __u32 ifindex, __u8 family)
{
	struct primary_ctx c = { .ifindex = ifindex, .best_seq = ~0ULL,
				 .best = { .family = family } };
	struct vnet_iface rec;
	struct vnet_iface6 rec6 = {};

	if (iface_get(st, ifindex, &rec))
		return;
	c.vnet = rec.vnet;
	ifaddr_any(st, family, oldest, &c);
	if (family == 4 && rec.addr4 != c.best.v4) {
		rec.addr4 = c.best.v4;
		iface_put(st, ifindex, &rec);
	} else if (family == 6 && st->ifaces6_fd >= 0) {
		memcpy(rec6.addr, c.best.v6, 16);
		bpf_map_update_elem(st->ifaces6_fd, &ifindex, &rec6, BPF_ANY);
	}
}

static void addr_remove(struct vnet_state *st, __u32 id, __u32 ifindex,
			const struct vnet_ip *addr, __u32 plen);

int vnet_addr_add(struct vnet_state *st, __u32 id, const char *ifname,
		  const struct vnet_ip *addr, __u32 plen)
{
	const struct vnet_fam *f = fam_of(st, addr->family);
	struct ikey key;
	struct vnet_ifaddr val = { .vnet = id, .prefixlen = plen };
	struct vnet_iface rec;
	struct vnet_route hit;
	char a[VNET_IP_STRLEN], ifn[16];
	__u32 ifindex, fib, done = 0;
	int fd, err = vnet_check(st, id);

	if (state_writable(st))
		return -EPERM;
	if (!err && !f)
		err = -EAFNOSUPPORT;
	if (!err)
		err = iface_in_vnet(st, ifname, id, &ifindex, &rec);
	if (err)
		return err;
	fd = ifaddrs_fd_of(st, addr->family);
	if (plen < 1 || plen > f->maxplen)
		return vnet_fail(st, EINVAL, "prefix length %u out of range for an "
				 "address (1-%u)", plen, f->maxplen);
	if (!addr_usable(addr))
		return vnet_fail(st, EINVAL, "%s cannot be an interface address",
				 vnet_ip_str(addr, a));
	ikey_set(&key, ifindex, addr);
	if (bpf_map_lookup_elem(fd, &key, &val) == 0)
		return vnet_fail(st, EEXIST, "%s is already an address of %s",
				 vnet_ip_str(addr, a), ifname);
	if (vnet_route_get(st, id, 0, addr, &hit) == 0 && hit.type == VNET_RT_LOCAL)
		return vnet_fail(st, EEXIST, "%s is already an address of vnet %u (on %s)",
				 vnet_ip_str(addr, a), id, ifname_of(hit.ifindex, ifn));
	for (fib = 0; fib < VNET_MAX_FIBS; fib++) {
		if (!(st->reg[id].fibs & (1u << fib)))
			continue;
		err = addr_fib_add(st, id, fib, ifindex, addr, plen);
		if (err)
			break;
		done |= 1u << fib;
	}
	val = (struct vnet_ifaddr){ .vnet = id, .prefixlen = plen, .seq = vnet_clock_ns() };
	if (!err && bpf_map_update_elem(fd, &key, &val, BPF_NOEXIST))
		err = vnet_fail(st, errno, "cannot record address: %s", strerror(errno));
	if (err) {
		for (fib = 0; fib < VNET_MAX_FIBS; fib++)
			if (done & (1u << fib))
				addr_fib_del(st, id, fib, ifindex, addr, plen);
		return err;
	}
	primary_update(st, ifindex, addr->family);
	err = sys_addr_changed(st, id, addr, true);	/* the host stack has it too */
	if (err)
		addr_remove(st, id, ifindex, addr, plen);
	return err;
}

static void addr_remove(struct vnet_state *st, __u32 id, __u32 ifindex,
			const struct vnet_ip *addr, __u32 plen)
{
	struct ikey key;

	ikey_set(&key, ifindex, addr);
	for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++)
		if (st->reg[id].fibs & (1u << fib))
			addr_fib_del(st, id, fib, ifindex, addr, plen);
	bpf_map_delete_elem(ifaddrs_fd_of(st, addr->family), &key);
	primary_update(st, ifindex, addr->family);
	sys_addr_changed(st, id, addr, false);
}

int vnet_addr_del(struct vnet_state *st, __u32 id, const char *ifname,
		  const struct vnet_ip *addr, __u32 plen)
{
	struct ikey key;
	struct vnet_ifaddr val;
	struct vnet_iface rec;
	char a[VNET_IP_STRLEN];
	__u32 ifindex;
	int err = vnet_check(st, id);

	if (state_writable(st))
		return -EPERM;
	if (!err && !fam_of(st, addr->family))
		err = -EAFNOSUPPORT;
	if (!err)
		err = iface_in_vnet(st, ifname, id, &ifindex, &rec);
	if (err)
		return err;
	ikey_set(&key, ifindex, addr);
	if (bpf_map_lookup_elem(ifaddrs_fd_of(st, addr->family), &key, &val) ||
	    val.vnet != id || val.prefixlen != plen)
		return vnet_fail(st, ENOENT, "%s/%u is not an address of %s",
				 vnet_ip_str(addr, a), plen, ifname);
	addr_remove(st, id, ifindex, addr, plen);
	return 0;
}

struct purge_ctx {
	__u32 ifindex, vnet;
	struct vnet_addr_info gone[64];
	size_t n;
};

static bool on_iface(const struct vnet_addr_info *a, void *arg)
{
	struct purge_ctx *c = arg;

	if (a->ifindex == c->ifindex && a->vnet == c->vnet)
		c->gone[c->n++] = *a;
	return c->n == 64;
}

/* An interface that leaves a vnet leaves its addresses behind (if_vmove). */
static void addrs_iface_leave(struct vnet_state *st, __u32 id, __u32 ifindex, bool dying)
{
	struct purge_ctx c = { .ifindex = ifindex, .vnet = id };

	for (__u8 family = 4; family <= 6; family += 2)
		do {	/* collect, then delete: never delete under the iterator */
			c.n = 0;
			ifaddr_any(st, family, on_iface, &c);
			for (size_t i = 0; i < c.n; i++)
				addr_remove(st, id, ifindex, &c.gone[i].addr, c.gone[i].plen);
		} while (c.n == 64);
}

struct copy_ctx {
	struct vnet_state *st;
	__u32 id, fib;
};

static int copy_one(const struct vnet_addr_info *a, void *arg)
{
	struct copy_ctx *c = arg;

	if (a->vnet != c->id)
		return 0;
	return addr_fib_add(c->st, c->id, c->fib, a->ifindex, &a->addr, a->plen);
}

/* rtinit(): the connected and local routes of every address go on a new FIB. */
static int addrs_fib_init(struct vnet_state *st, __u32 id, __u32 fib)
{
	struct copy_ctx c = { .st = st, .id = id, .fib = fib };

	return vnet_addr_walk(st, copy_one, &c);
}

static const struct vnet_sysinit addrs_sysinit = {
	.name = "addresses",
	.order = SI_ADDR,
	.fib_init = addrs_fib_init,
	.iface_leave = addrs_iface_leave,
};
VNET_SYSINIT(addrs_sysinit);

struct walk_ctx {
	vnet_addr_cb cb;
	void *arg;
	int err;
};

static bool walk_one(const struct vnet_addr_info *a, void *arg)
{
	struct walk_ctx *w = arg;

	w->err = w->cb(a, w->arg);
	return w->err != 0;
}

int vnet_addr_walk(struct vnet_state *st, vnet_addr_cb cb, void *arg)
{
	struct walk_ctx w = { .cb = cb, .arg = arg };

	for (__u8 family = 4; family <= 6 && !w.err; family += 2)
		ifaddr_any(st, family, walk_one, &w);
	return w.err;
}

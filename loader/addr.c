/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * addr.c - interface addresses (ifconfig IF inet ADDR/LEN). As FreeBSD's
 * rtinit() with net.add_addr_allfibs=1, an address installs its local
 * (/32) and connected routes on every FIB of the vnet, and new FIBs get
 * them too. Two addresses of one interface in one subnet share the
 * connected route. The oldest address of an interface is its primary: the
 * source of the ICMP errors and ARP requests it sends.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include "internal.h"

static bool addr_usable(__u32 addr)
{
	__u8 first = __builtin_bswap32(addr) >> 24;

	return first != 0 && first != 127 && first < 224;
}

/* Install the local and connected routes of one address on one FIB. */
static int addr_fib_add(struct vnet_state *st, __u32 id, __u32 fib, __u32 ifindex,
			__u32 addr, __u32 plen)
{
	struct fib4_route local = { .type = VNET_RT_LOCAL, .flags = VNET_RTF_IFADDR,
				    .ifindex = ifindex };
	struct fib4_route conn = { .type = VNET_RT_UNICAST, .flags = VNET_RTF_IFADDR,
				   .ifindex = ifindex };
	struct fib4_key key = { .prefixlen = plen, .addr = addr & plen_mask(plen) };
	struct fib4_route cur;
	int fd, err;

	err = route_put(st, id, fib, addr, 32, &local, true);
	if (err || plen == 32)
		return err;
	fd = inst_fd(st, SUBSYS_FIB4, id, fib);
	if (fd < 0) {
		route_remove(st, id, fib, addr, 32);
		return fd;
	}
	if (bpf_map_lookup_elem(fd, &key, &cur) == 0 && cur.prefixlen == plen &&
	    (cur.flags & VNET_RTF_IFADDR) && cur.ifindex == ifindex)
		return 0;	/* shared with another address of this interface */
	err = route_put(st, id, fib, key.addr, plen, &conn, true);
	if (err)
		route_remove(st, id, fib, addr, 32);
	return err;
}

/* Does another address of this interface still cover addr/plen's subnet? */
static bool subnet_shared(struct vnet_state *st, __u32 ifindex, __u32 addr, __u32 plen)
{
	struct vnet_ifaddr_key k, next;
	struct vnet_ifaddr a;
	__u32 mask = plen_mask(plen);

	for (int more = bpf_map_get_next_key(st->ifaddrs_fd, NULL, &next) == 0; more;
	     more = bpf_map_get_next_key(st->ifaddrs_fd, &k, &next) == 0) {
		k = next;
		if (k.ifindex == ifindex && k.addr4 != addr &&
		    bpf_map_lookup_elem(st->ifaddrs_fd, &k, &a) == 0 &&
		    a.prefixlen == plen && (k.addr4 & mask) == (addr & mask))
			return true;
	}
	return false;
}

static void addr_fib_del(struct vnet_state *st, __u32 id, __u32 fib, __u32 ifindex,
			 __u32 addr, __u32 plen)
{
	route_remove(st, id, fib, addr, 32);
	if (plen < 32 && !subnet_shared(st, ifindex, addr, plen))
		route_remove(st, id, fib, addr & plen_mask(plen), plen);
}

/* Primary = oldest remaining address of the interface. */
static void primary_update(struct vnet_state *st, __u32 ifindex)
{
	struct vnet_ifaddr_key k, next;
	struct vnet_ifaddr a;
	struct vnet_iface rec;
	__u64 best_seq = ~0ULL;
	__u32 best = 0;

	if (iface_get(st, ifindex, &rec))
		return;
	for (int more = bpf_map_get_next_key(st->ifaddrs_fd, NULL, &next) == 0; more;
	     more = bpf_map_get_next_key(st->ifaddrs_fd, &k, &next) == 0) {
		k = next;
		if (k.ifindex == ifindex && bpf_map_lookup_elem(st->ifaddrs_fd, &k, &a) == 0 &&
		    a.vnet == rec.vnet && a.seq < best_seq) {
			best_seq = a.seq;
			best = k.addr4;
		}
	}
	if (rec.addr4 != best) {
		rec.addr4 = best;
		iface_put(st, ifindex, &rec);
	}
}

static void addr_remove(struct vnet_state *st, __u32 id, __u32 ifindex,
			__u32 addr, __u32 plen);

int vnet_addr_add(struct vnet_state *st, __u32 id, const char *ifname,
		  __u32 addr, __u32 plen)
{
	struct vnet_ifaddr_key key;
	struct vnet_ifaddr val = { .vnet = id, .prefixlen = plen };
	struct vnet_iface rec;
	struct vnet_route hit;
	char a[INET_ADDRSTRLEN], ifn[16];
	__u32 ifindex, fib, done = 0;
	int err = vnet_check(st, id);

	if (!err)
		err = iface_in_vnet(st, ifname, id, &ifindex, &rec);
	if (err)
		return err;
	if (plen < 1 || plen > 32)
		return vnet_fail(st, EINVAL, "prefix length %u out of range for an "
				 "address (1-32)", plen);
	if (!addr_usable(addr))
		return vnet_fail(st, EINVAL, "%s cannot be an interface address",
				 ip4_str(addr, a));
	key = (struct vnet_ifaddr_key){ .ifindex = ifindex, .addr4 = addr };
	if (bpf_map_lookup_elem(st->ifaddrs_fd, &key, &val) == 0)
		return vnet_fail(st, EEXIST, "%s is already an address of %s",
				 ip4_str(addr, a), ifname);
	if (vnet_route_get(st, id, 0, addr, &hit) == 0 && hit.rt.type == VNET_RT_LOCAL)
		return vnet_fail(st, EEXIST, "%s is already an address of vnet %u (on %s)",
				 ip4_str(addr, a), id, ifname_of(hit.rt.ifindex, ifn));
	for (fib = 0; fib < VNET_MAX_FIBS; fib++) {
		if (!(st->reg[id].fibs & (1u << fib)))
			continue;
		err = addr_fib_add(st, id, fib, ifindex, addr, plen);
		if (err)
			break;
		done |= 1u << fib;
	}
	val = (struct vnet_ifaddr){ .vnet = id, .prefixlen = plen, .seq = vnet_clock_ns() };
	if (!err && bpf_map_update_elem(st->ifaddrs_fd, &key, &val, BPF_NOEXIST))
		err = vnet_fail(st, errno, "cannot record address: %s", strerror(errno));
	if (err) {
		for (fib = 0; fib < VNET_MAX_FIBS; fib++)
			if (done & (1u << fib))
				addr_fib_del(st, id, fib, ifindex, addr, plen);
		return err;
	}
	primary_update(st, ifindex);
	err = hoststack_addr(st, id, addr, true);
	if (err)
		addr_remove(st, id, ifindex, addr, plen);
	return err;
}

static void addr_remove(struct vnet_state *st, __u32 id, __u32 ifindex,
			__u32 addr, __u32 plen)
{
	struct vnet_ifaddr_key key = { .ifindex = ifindex, .addr4 = addr };

	for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++)
		if (st->reg[id].fibs & (1u << fib))
			addr_fib_del(st, id, fib, ifindex, addr, plen);
	bpf_map_delete_elem(st->ifaddrs_fd, &key);
	primary_update(st, ifindex);
	hoststack_addr(st, id, addr, false);
}

int vnet_addr_del(struct vnet_state *st, __u32 id, const char *ifname,
		  __u32 addr, __u32 plen)
{
	struct vnet_ifaddr_key key;
	struct vnet_ifaddr val;
	struct vnet_iface rec;
	char a[INET_ADDRSTRLEN];
	__u32 ifindex;
	int err = vnet_check(st, id);

	if (!err)
		err = iface_in_vnet(st, ifname, id, &ifindex, &rec);
	if (err)
		return err;
	key = (struct vnet_ifaddr_key){ .ifindex = ifindex, .addr4 = addr };
	if (bpf_map_lookup_elem(st->ifaddrs_fd, &key, &val) || val.vnet != id ||
	    val.prefixlen != plen)
		return vnet_fail(st, ENOENT, "%s/%u is not an address of %s",
				 ip4_str(addr, a), plen, ifname);
	addr_remove(st, id, ifindex, addr, plen);
	return 0;
}

void addr_purge_iface(struct vnet_state *st, __u32 id, __u32 ifindex)
{
	struct vnet_ifaddr_key k, next, gone[64];
	struct vnet_ifaddr a, plens[64];
	size_t n;

	do {	/* collect, then delete: never delete under the iterator */
		n = 0;
		for (int more = bpf_map_get_next_key(st->ifaddrs_fd, NULL, &next) == 0;
		     more && n < 64;
		     more = bpf_map_get_next_key(st->ifaddrs_fd, &k, &next) == 0) {
			k = next;
			if (k.ifindex == ifindex &&
			    bpf_map_lookup_elem(st->ifaddrs_fd, &k, &a) == 0 && a.vnet == id) {
				plens[n] = a;
				gone[n++] = k;
			}
		}
		for (size_t i = 0; i < n; i++)
			addr_remove(st, id, ifindex, gone[i].addr4, plens[i].prefixlen);
	} while (n == 64);
}

struct copy_ctx {
	struct vnet_state *st;
	__u32 id, fib;
};

static int copy_one(const struct vnet_ifaddr_key *k, const struct vnet_ifaddr *a,
		    void *arg)
{
	struct copy_ctx *c = arg;

	if (a->vnet != c->id)
		return 0;
	return addr_fib_add(c->st, c->id, c->fib, k->ifindex, k->addr4, a->prefixlen);
}

int addr_copy_to_fib(struct vnet_state *st, __u32 id, __u32 fib)
{
	struct copy_ctx c = { .st = st, .id = id, .fib = fib };

	return vnet_addr_walk(st, copy_one, &c);
}

int vnet_addr_walk(struct vnet_state *st, vnet_addr_cb cb, void *arg)
{
	struct vnet_ifaddr_key k, next;
	struct vnet_ifaddr a;
	int err;

	for (int more = bpf_map_get_next_key(st->ifaddrs_fd, NULL, &next) == 0; more;
	     more = bpf_map_get_next_key(st->ifaddrs_fd, &k, &next) == 0) {
		k = next;
		if (bpf_map_lookup_elem(st->ifaddrs_fd, &k, &a))
			continue;
		err = cb(&k, &a, arg);
		if (err)
			return err;
	}
	return 0;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * route.c - routes in a vnet's FIBs (route add/del/get, netstat -r).
 * A FIB is an LPM trie; values carry their own prefix length so that a
 * lookup can say which prefix matched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "internal.h"

static int fib_fd(struct vnet_state *st, __u32 id, __u32 fib)
{
	return inst_fd(st, SUBSYS_FIB4, id, fib);
}

/*
 * Bulk loads add many routes via one gateway; resolving it costs two LPM
 * lookups per route. The last resolution is kept while nothing that could
 * change it happens: any route whose prefix covers the gateway, any
 * removal, any address or interface change.
 */
void route_cache_invalidate(struct vnet_state *st)
{
	st->gw_cache.valid = false;
}

static void gw_cache_check(struct vnet_state *st, __u32 id, __u32 fib, __u32 addr,
			   __u32 plen)
{
	if (st->gw_cache.valid && st->gw_cache.id == id && st->gw_cache.fib == fib &&
	    (st->gw_cache.gw & plen_mask(plen)) == addr)
		route_cache_invalidate(st);
}

int route_put(struct vnet_state *st, __u32 id, __u32 fib, __u32 addr, __u32 plen,
	      const struct fib4_route *rt, bool exclusive)
{
	struct fib4_key key = { .prefixlen = plen, .addr = addr };
	struct fib4_route val = *rt;
	char a[INET_ADDRSTRLEN];
	int fd = fib_fd(st, id, fib);

	if (fd < 0)
		return fd;
	val.prefixlen = plen;
	gw_cache_check(st, id, fib, addr, plen);
	if (bpf_map_update_elem(fd, &key, &val, exclusive ? BPF_NOEXIST : BPF_ANY) == 0)
		return 0;
	if (errno == EEXIST)
		return vnet_fail(st, EEXIST, "route %s/%u already exists in vnet %u fib %u",
				 ip4_str(addr, a), plen, id, fib);
	if (errno == ENOSPC || errno == E2BIG)
		return vnet_fail(st, ENOSPC, "fib %u of vnet %u is full (limit %u routes)",
				 fib, id, st->reg[id].max_routes);
	return vnet_fail(st, errno, "cannot add route %s/%u: %s", ip4_str(addr, a),
			 plen, strerror(errno));
}

int route_remove(struct vnet_state *st, __u32 id, __u32 fib, __u32 addr, __u32 plen)
{
	struct fib4_key key = { .prefixlen = plen, .addr = addr };
	int fd = fib_fd(st, id, fib);

	if (fd < 0)
		return fd;
	route_cache_invalidate(st);
	return bpf_map_delete_elem(fd, &key) ? -errno : 0;
}

/* The exact entry for addr/plen, if there is one. */
static int route_exact(struct vnet_state *st, __u32 id, __u32 fib, __u32 addr,
		       __u32 plen, struct fib4_route *out)
{
	struct fib4_key key = { .prefixlen = plen, .addr = addr };
	int fd = fib_fd(st, id, fib);

	if (fd < 0)
		return fd;
	if (bpf_map_lookup_elem(fd, &key, out) || out->prefixlen != plen)
		return -ENOENT;
	return 0;
}

static int check_prefix(struct vnet_state *st, __u32 addr, __u32 plen)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (plen > 32)
		return vnet_fail(st, EINVAL, "prefix length %u out of range (0-32)", plen);
	if (addr & ~plen_mask(plen))
		return vnet_fail(st, EINVAL, "%s/%u has host bits set (did you mean %s/%u?)",
				 ip4_str(addr, a), plen, ip4_str(addr & plen_mask(plen), b),
				 plen);
	return 0;
}

int vnet_route_add(struct vnet_state *st, __u32 id, __u32 fib,
		   const struct vnet_route_spec *r)
{
	struct fib4_route rt = { .type = r->type }, via;
	struct vnet_iface rec;
	char a[INET_ADDRSTRLEN];
	__u32 ifindex;
	int err = vnet_check_fib(st, id, fib);

	if (!err)
		err = check_prefix(st, r->addr, r->plen);
	if (err)
		return err;
	switch (r->type) {
	case VNET_RT_BLACKHOLE:
	case VNET_RT_UNREACHABLE:
		break;
	case VNET_RT_UNICAST:
		if (r->dev) {
			err = iface_in_vnet(st, r->dev, id, &ifindex, &rec);
			if (err)
				return err;
			rt.ifindex = ifindex;
		}
		if (r->gw && !r->dev && st->gw_cache.valid && st->gw_cache.id == id &&
		    st->gw_cache.fib == fib && st->gw_cache.gw == r->gw) {
			rt.ifindex = st->gw_cache.ifindex;
			rt.gw = r->gw;
		} else if (r->gw) {
			if (route_exact(st, id, fib, r->gw, 32, &via) == 0 &&
			    via.type == VNET_RT_LOCAL)
				return vnet_fail(st, EINVAL, "gateway %s is an address of "
						 "vnet %u itself", ip4_str(r->gw, a), id);
			if (!r->dev) {
				struct vnet_route hit;

				if (vnet_route_get(st, id, fib, r->gw, &hit) ||
				    hit.rt.type != VNET_RT_UNICAST || hit.rt.gw)
					return vnet_fail(st, ENETUNREACH, "gateway %s is not "
							 "on a connected network of vnet %u "
							 "fib %u", ip4_str(r->gw, a), id, fib);
				rt.ifindex = hit.rt.ifindex;
				st->gw_cache.id = id;
				st->gw_cache.fib = fib;
				st->gw_cache.gw = r->gw;
				st->gw_cache.ifindex = rt.ifindex;
				st->gw_cache.valid = true;
			}
			rt.gw = r->gw;
		} else if (!r->dev) {
			return vnet_fail(st, EINVAL, "a route needs via GW, dev IFNAME, "
					 "blackhole or unreachable");
		}
		break;
	default:
		return vnet_fail(st, EINVAL, "local routes come from addresses "
				 "(vnetctl addr add)");
	}
	return route_put(st, id, fib, r->addr, r->plen, &rt, true);
}

int vnet_route_del(struct vnet_state *st, __u32 id, __u32 fib, __u32 addr, __u32 plen)
{
	struct fib4_route rt;
	char a[INET_ADDRSTRLEN], ifn[16];
	int err = vnet_check_fib(st, id, fib);

	if (!err)
		err = check_prefix(st, addr, plen);
	if (err)
		return err;
	err = route_exact(st, id, fib, addr, plen, &rt);
	if (err == -ENOENT)
		return vnet_fail(st, ENOENT, "no route %s/%u in vnet %u fib %u",
				 ip4_str(addr, a), plen, id, fib);
	if (err)
		return err;
	if (rt.flags & VNET_RTF_IFADDR)
		return vnet_fail(st, EPERM, "%s/%u belongs to an address of %s "
				 "(vnetctl addr del)", ip4_str(addr, a), plen,
				 ifname_of(rt.ifindex, ifn));
	err = route_remove(st, id, fib, addr, plen);
	if (err)
		return vnet_fail(st, err, "cannot delete route %s/%u: %s",
				 ip4_str(addr, a), plen, strerror(-err));
	return 0;
}

int vnet_route_get(struct vnet_state *st, __u32 id, __u32 fib, __u32 addr,
		   struct vnet_route *out)
{
	struct fib4_key key = { .prefixlen = 32, .addr = addr };
	char a[INET_ADDRSTRLEN];
	int fd, err = vnet_check_fib(st, id, fib);

	if (err)
		return err;
	fd = fib_fd(st, id, fib);
	if (fd < 0)
		return fd;
	if (bpf_map_lookup_elem(fd, &key, &out->rt))
		return vnet_fail(st, ENETUNREACH, "no route to %s in vnet %u fib %u",
				 ip4_str(addr, a), id, fib);
	out->plen = out->rt.prefixlen;
	out->addr = addr & plen_mask(out->plen);
	return 0;
}

static int route_cmp(const void *a, const void *b)
{
	const struct vnet_route *x = a, *y = b;
	__u32 ax = __builtin_bswap32(x->addr), ay = __builtin_bswap32(y->addr);

	if (ax != ay)
		return ax < ay ? -1 : 1;
	return (int)x->plen - (int)y->plen;
}

static int fib_collect(struct vnet_state *st, __u32 id, __u32 fib,
		       struct vnet_route **routes, size_t *n)
{
	struct fib4_key key, next;
	struct vnet_route *v = NULL;
	size_t len = 0, cap = 0;
	int fd = fib_fd(st, id, fib);

	if (fd < 0)
		return fd;
	for (int more = bpf_map_get_next_key(fd, NULL, &next) == 0; more;
	     more = bpf_map_get_next_key(fd, &key, &next) == 0) {
		key = next;
		if (len == cap) {
			struct vnet_route *nv;

			cap = cap ? cap * 2 : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				return vnet_fail(st, ENOMEM, "out of memory");
			}
			v = nv;
		}
		if (bpf_map_lookup_elem(fd, &key, &v[len].rt))
			continue;
		v[len].addr = key.addr;
		v[len].plen = key.prefixlen;
		len++;
	}
	*routes = v;
	*n = len;
	return 0;
}

int vnet_route_list(struct vnet_state *st, __u32 id, __u32 fib,
		    struct vnet_route **routes, size_t *n)
{
	int err = vnet_check_fib(st, id, fib);

	if (!err)
		err = fib_collect(st, id, fib, routes, n);
	if (!err)
		qsort(*routes, *n, sizeof(**routes), route_cmp);
	return err;
}

/* Routes through an interface that left the vnet, in every FIB. */
void route_purge_iface(struct vnet_state *st, __u32 id, __u32 ifindex)
{
	for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++) {
		struct vnet_route *v;
		size_t n;

		if (!(st->reg[id].fibs & (1u << fib)) || fib_collect(st, id, fib, &v, &n))
			continue;
		for (size_t i = 0; i < n; i++)
			if (v[i].rt.ifindex == ifindex)
				route_remove(st, id, fib, v[i].addr, v[i].plen);
		free(v);
	}
}

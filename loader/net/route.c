/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * route.c - routes in a vnet's FIBs (route add/del/get, netstat -r), IPv4
 * and IPv6 alike. A FIB is an LPM trie per family; values carry their own
 * prefix length so that a lookup can say which prefix matched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "net.h"
#include "fib_algo.h"

static int fib_fd(struct vnet_state *st, const struct vnet_fam *f, __u32 id, __u32 fib)
{
	return inst_fd(st, f->fib, id, fib);
}

static void rkey_set(struct rkey *k, const struct vnet_ip *a, __u32 plen)
{
	memset(k, 0, sizeof(*k));
	k->prefixlen = plen;
	ip_put(a, k->addr);
}

/* The FIB of dst's family, and dst/plen as its key; -ENOENT: the vnet has
 * no IPv6 yet. */
static int fib_key(struct vnet_state *st, __u32 id, __u32 fib, const struct vnet_ip *dst,
		   __u32 plen, struct rkey *key)
{
	const struct vnet_fam *f = fam_of(st, dst->family);

	if (!f)
		return -EAFNOSUPPORT;
	if (dst->family == 6 && !inet6_used(st, id))
		return -ENOENT;
	rkey_set(key, dst, plen);
	return fib_fd(st, f, id, fib);
}

/* The route of the API from a FIB value. */
static void route_from(struct vnet_route *r, const struct vnet_ip *dst, __u32 plen,
		       const struct rval *v)
{
	memset(r, 0, sizeof(*r));
	r->dst = *dst;
	r->plen = plen;
	r->type = v->type;
	r->flags = v->flags;
	r->ifindex = v->ifindex;
	ip_get(&r->gw, dst->family, v->gw);
	if (ip_is_zero(&r->gw))
		r->gw.family = 0;
}

/*
 * Bulk loads add many routes via one gateway; resolving it costs two LPM
 * lookups per route. The last resolution is kept while nothing that could
 * change it happens: any route whose prefix covers the gateway, any
 * removal, any address or interface change (st->epoch, which every such
 * change bumps).
 */
struct gw_cache {
	__u32 id, fib, ifindex;
	struct vnet_ip gw;
	__u64 epoch;
	bool valid;
};

static bool gw_cache_hit(const struct vnet_state *st, __u32 id, __u32 fib,
			 const struct vnet_ip *gw)
{
	const struct gw_cache *c = st->gw;

	return c && c->valid && c->epoch == st->epoch && c->id == id && c->fib == fib &&
	       ip_eq(&c->gw, gw);
}

static void gw_cache_put(struct vnet_state *st, __u32 id, __u32 fib,
			 const struct vnet_ip *gw, __u32 ifindex)
{
	if (!st->gw)
		st->gw = calloc(1, sizeof(*st->gw));
	if (st->gw)
		*st->gw = (struct gw_cache){ .id = id, .fib = fib, .ifindex = ifindex,
					     .gw = *gw, .epoch = st->epoch, .valid = true };
}

static void gw_cache_check(struct vnet_state *st, __u32 id, __u32 fib,
			   const struct vnet_ip *dst, __u32 plen)
{
	struct vnet_ip gw;

	if (!st->gw || !st->gw->valid || st->gw->id != id || st->gw->fib != fib ||
	    st->gw->gw.family != dst->family)
		return;
	gw = st->gw->gw;
	ip_mask(&gw, plen);
	if (ip_eq(&gw, dst))
		st->epoch++;
}

/* A trie is about to change: journal it before (recover.c). True when
 * this change opened the journal, which route_unchanged closes if the
 * change does not happen. */
static bool route_will_change(struct vnet_state *st, __u32 id, const struct vnet_ip *dst)
{
	if (dst->family != 4 || st->fibinfo_fd < 0 || (st->reg[id].flags & VNET_REG_RTDIRTY))
		return false;
	st->reg[id].flags |= VNET_REG_RTDIRTY;
	return true;
}

static void route_unchanged(struct vnet_state *st, __u32 id, bool opened)
{
	if (opened)
		st->reg[id].flags &= ~VNET_REG_RTDIRTY;
}

/* The trie took a change; IPv4 FIBs may have a compiled copy to follow. */
static int route_changed(struct vnet_state *st, __u32 id, __u32 fib,
			 const struct vnet_ip *dst, __u32 plen, const struct rval *v)
{
	return dst->family == 4 ? fib4_algo->changed(st, id, fib, dst->v4, plen, v) : 0;
}

int route_put(struct vnet_state *st, __u32 id, __u32 fib, const struct vnet_ip *dst,
	      __u32 plen, const struct rval *rt)
{
	struct rkey key;
	struct rval val = *rt;
	char a[VNET_IP_STRLEN];
	bool opened;
	int fd = dst->family == 6 ? inet6_ensure(st, id) : 0;

	if (!fd)
		fd = fib_key(st, id, fib, dst, plen, &key);
	if (fd < 0)
		return fd;
	val.prefixlen = plen;
	gw_cache_check(st, id, fib, dst, plen);
	opened = route_will_change(st, id, dst);
	if (bpf_map_update_elem(fd, &key, &val, BPF_NOEXIST) == 0)
		return route_changed(st, id, fib, dst, plen, &val);
	route_unchanged(st, id, opened);
	if (errno == EEXIST)
		return vnet_fail(st, EEXIST, "route %s/%u already exists in vnet %u fib %u",
				 vnet_ip_str(dst, a), plen, id, fib);
	if (errno == ENOSPC || errno == E2BIG)
		return vnet_fail(st, ENOSPC, "fib %u of vnet %u is full (limit %u routes)",
				 fib, id, st->reg[id].max_routes);
	return vnet_fail(st, errno, "cannot add route %s/%u: %s", vnet_ip_str(dst, a),
			 plen, strerror(errno));
}

int route_remove(struct vnet_state *st, __u32 id, __u32 fib, const struct vnet_ip *dst,
		 __u32 plen)
{
	struct rkey key;
	bool opened;
	int fd = fib_key(st, id, fib, dst, plen, &key);

	if (fd < 0)
		return fd;
	st->epoch++;
	opened = route_will_change(st, id, dst);
	if (bpf_map_delete_elem(fd, &key)) {
		int err = -errno;

		route_unchanged(st, id, opened);
		return err;
	}
	return route_changed(st, id, fib, dst, plen, NULL);
}

/* The exact entry for dst/plen, if there is one. */
static int route_exact(struct vnet_state *st, __u32 id, __u32 fib,
		       const struct vnet_ip *dst, __u32 plen, struct rval *out)
{
	struct rkey key;
	int fd = fib_key(st, id, fib, dst, plen, &key);

	if (fd < 0)
		return fd;
	memset(out, 0, sizeof(*out));
	if (bpf_map_lookup_elem(fd, &key, out) || out->prefixlen != plen)
		return -ENOENT;
	return 0;
}

static int check_prefix(struct vnet_state *st, const struct vnet_ip *dst, __u32 plen)
{
	const struct vnet_fam *f = fam_of(st, dst->family);
	char a[VNET_IP_STRLEN], b[VNET_IP_STRLEN];
	struct vnet_ip net = *dst;

	if (!f)
		return -EAFNOSUPPORT;
	if (plen > f->maxplen)
		return vnet_fail(st, EINVAL, "prefix length %u out of range (0-%u)", plen,
				 f->maxplen);
	ip_mask(&net, plen);
	if (!ip_eq(&net, dst))
		return vnet_fail(st, EINVAL, "%s/%u has host bits set (did you mean %s/%u?)",
				 vnet_ip_str(dst, a), plen, vnet_ip_str(&net, b), plen);
	return 0;
}

static int gw_not_ours(struct vnet_state *st, __u32 id, __u32 fib,
		       const struct vnet_ip *gw)
{
	char a[VNET_IP_STRLEN];
	struct rval via;

	if (route_exact(st, id, fib, gw, gw->family == 6 ? 128 : 32, &via) == 0 &&
	    via.type == VNET_RT_LOCAL)
		return vnet_fail(st, EINVAL, "gateway %s is an address of vnet %u itself",
				 vnet_ip_str(gw, a), id);
	return 0;
}

/* The egress of a gateway: the interface of the connected route covering it. */
static int gw_resolve(struct vnet_state *st, __u32 id, __u32 fib,
		      const struct vnet_ip *gw, __u32 *ifindex)
{
	char a[VNET_IP_STRLEN];
	struct vnet_route hit;
	int err;

	if (gw_cache_hit(st, id, fib, gw)) {
		*ifindex = st->gw->ifindex;
		return 0;
	}
	err = gw_not_ours(st, id, fib, gw);
	if (err)
		return err;
	if (vnet_route_get(st, id, fib, gw, &hit) || hit.type != VNET_RT_UNICAST ||
	    hit.gw.family)
		return vnet_fail(st, ENETUNREACH, "gateway %s is not on a connected "
				 "network of vnet %u fib %u", vnet_ip_str(gw, a), id, fib);
	*ifindex = hit.ifindex;
	gw_cache_put(st, id, fib, gw, hit.ifindex);
	return 0;
}

int vnet_route_add(struct vnet_state *st, __u32 id, __u32 fib,
		   const struct vnet_route_spec *r)
{
	struct rval rt = { .type = r->type };
	struct vnet_iface rec;
	char a[VNET_IP_STRLEN];
	__u32 ifindex;
	int err = vnet_check_fib(st, id, fib);

	if (state_writable(st))
		return -EPERM;
	if (!err)
		err = check_prefix(st, &r->dst, r->plen);
	if (err)
		return err;
	switch (r->type) {
	case VNET_RT_BLACKHOLE:
	case VNET_RT_UNREACHABLE:
		break;
	case VNET_RT_UNICAST:
		if (r->gw.family && r->gw.family != r->dst.family)
			return vnet_fail(st, EINVAL, "gateway %s is not of the family of "
					 "the prefix", vnet_ip_str(&r->gw, a));
		if (r->dev) {
			err = iface_in_vnet(st, r->dev, id, &ifindex, &rec);
			if (err)
				return err;
			rt.ifindex = ifindex;
		}
		if (r->gw.family) {
			err = r->dev ? gw_not_ours(st, id, fib, &r->gw) :
			      gw_resolve(st, id, fib, &r->gw, &ifindex);
			if (err)
				return err;
			if (!r->dev)
				rt.ifindex = ifindex;
			ip_put(&r->gw, rt.gw);
		} else if (!r->dev) {
			return vnet_fail(st, EINVAL, "a route needs via GW, dev IFNAME, "
					 "blackhole or unreachable");
		}
		break;
	default:
		return vnet_fail(st, EINVAL, "local routes come from addresses "
				 "(vnetctl addr add)");
	}
	return route_put(st, id, fib, &r->dst, r->plen, &rt);
}

int vnet_route_del(struct vnet_state *st, __u32 id, __u32 fib,
		   const struct vnet_ip *dst, __u32 plen)
{
	struct rval rt;
	char a[VNET_IP_STRLEN], ifn[16];
	int err = vnet_check_fib(st, id, fib);

	if (state_writable(st))
		return -EPERM;
	if (!err)
		err = check_prefix(st, dst, plen);
	if (err)
		return err;
	err = route_exact(st, id, fib, dst, plen, &rt);
	if (err == -ENOENT)
		return vnet_fail(st, ENOENT, "no route %s/%u in vnet %u fib %u",
				 vnet_ip_str(dst, a), plen, id, fib);
	if (err)
		return err;
	if (rt.flags & VNET_RTF_IFADDR)
		return vnet_fail(st, EPERM, "%s/%u belongs to an address of %s "
				 "(vnetctl addr del)", vnet_ip_str(dst, a), plen,
				 ifname_of(rt.ifindex, ifn));
	err = route_remove(st, id, fib, dst, plen);
	if (err)
		return vnet_fail(st, err, "cannot delete route %s/%u: %s",
				 vnet_ip_str(dst, a), plen, strerror(-err));
	return 0;
}

int vnet_route_get(struct vnet_state *st, __u32 id, __u32 fib,
		   const struct vnet_ip *addr, struct vnet_route *out)
{
	const struct vnet_fam *f = fam_of(st, addr->family);
	struct vnet_ip net = *addr;
	char a[VNET_IP_STRLEN];
	struct rkey key;
	struct rval v = {};
	int fd, err = vnet_check_fib(st, id, fib);

	if (err)
		return err;
	if (!f)
		return -EAFNOSUPPORT;
	fd = addr->family == 6 && !inet6_used(st, id) ? -ENOENT : fib_fd(st, f, id, fib);
	if (fd < 0 && fd != -ENOENT)
		return fd;
	rkey_set(&key, addr, f->maxplen);
	if (fd < 0 || bpf_map_lookup_elem(fd, &key, &v))
		return vnet_fail(st, ENETUNREACH, "no route to %s in vnet %u fib %u",
				 vnet_ip_str(addr, a), id, fib);
	ip_mask(&net, v.prefixlen);
	route_from(out, &net, v.prefixlen, &v);
	return 0;
}

static int route_cmp(const void *a, const void *b)
{
	const struct vnet_route *x = a, *y = b;
	int c = vnet_ip_cmp(&x->dst, &y->dst);

	return c ? c : (int)x->plen - (int)y->plen;
}

/* Append every route of one family's FIB to *v. */
static int fib_collect(struct vnet_state *st, const struct vnet_fam *f, __u32 id,
		       __u32 fib, struct vnet_route **v, size_t *len, size_t *cap)
{
	struct rkey key, next;
	struct rval val;
	int fd = fib_fd(st, f, id, fib);

	if (fd < 0)
		return fd;
	memset(&key, 0, sizeof(key));
	memset(&next, 0, sizeof(next));
	for (int more = bpf_map_get_next_key(fd, NULL, &next) == 0; more;
	     more = bpf_map_get_next_key(fd, &key, &next) == 0) {
		struct vnet_ip dst;

		key = next;
		if (*len == *cap) {
			struct vnet_route *nv;

			*cap = *cap ? *cap * 2 : 64;
			nv = realloc(*v, *cap * sizeof(**v));
			if (!nv)
				return vnet_fail(st, ENOMEM, "out of memory");
			*v = nv;
		}
		memset(&val, 0, sizeof(val));
		if (bpf_map_lookup_elem(fd, &key, &val))
			continue;
		ip_get(&dst, f->family, key.addr);
		route_from(&(*v)[(*len)++], &dst, key.prefixlen, &val);
	}
	return 0;
}

static int fibs_collect(struct vnet_state *st, __u32 id, __u32 fib, __u8 family,
			struct vnet_route **routes, size_t *n)
{
	size_t cap = 0;
	int err = 0;

	*routes = NULL;
	*n = 0;
	for (__u8 fam = 4; fam <= 6 && !err; fam += 2) {
		const struct vnet_fam *f = fam_of(st, fam);

		if (family && family != fam)
			continue;
		if (st->outer_fd[f->fib] < 0 || (fam == 6 && !inet6_used(st, id)))
			continue;	/* no IPv6 in this vnet (or this state) yet */
		err = fib_collect(st, f, id, fib, routes, n, &cap);
	}
	if (err) {
		free(*routes);
		*routes = NULL;
		*n = 0;
	}
	return err;
}

int vnet_route_list(struct vnet_state *st, __u32 id, __u32 fib, __u8 family,
		    struct vnet_route **routes, size_t *n)
{
	int err = vnet_check_fib(st, id, fib);

	if (!err)
		err = fibs_collect(st, id, fib, family, routes, n);
	if (!err)
		qsort(*routes, *n, sizeof(**routes), route_cmp);
	return err;
}

/* Routes through an interface that left the vnet, in every FIB. */
/* ---- this file's part in a vnet's life (SI_ROUTES, after dxr.c's) ---- */

/* Routes out of an interface that left (a dying vnet's FIBs go whole). */
static void routes_iface_leave(struct vnet_state *st, __u32 id, __u32 ifindex, bool dying)
{
	if (dying)
		return;
	for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++) {
		struct vnet_route *v;
		size_t n;

		if (!(st->reg[id].fibs & (1u << fib)) ||
		    fibs_collect(st, id, fib, 0, &v, &n))
			continue;
		for (size_t i = 0; i < n; i++)
			if (v[i].ifindex == ifindex)
				route_remove(st, id, fib, &v[i].dst, v[i].plen);
		free(v);
	}
}

static void routes_close(struct vnet_state *st)
{
	free(st->gw);
	st->gw = NULL;
}

static const struct vnet_sysinit routes_sysinit = {
	.name = "routes",
	.order = SI_ROUTES,
	.iface_leave = routes_iface_leave,
	.close = routes_close,
};
VNET_SYSINIT(routes_sysinit);

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fib.h - route lookup in one of the vnet's FIBs (setfib). A FIB is an LPM
 * trie instance per family in slot (vnet, fib) of vnet_fib4 / vnet_fib6;
 * an empty slot is an empty table. A large IPv4 FIB also has a compiled
 * copy (DXR) in the same slot of one of vnet_dxr4_0..8 (vnet_dxr4cls says
 * which), and that answers instead.
 */
#ifndef VNET_FIB_H
#define VNET_FIB_H

#include "fate.h"

/*
 * A compiled FIB (vnet_abi.h): D entry, then a binary search of the /16's
 * (/20's) ranges, then the next hop; dbits is a constant of each class.
 * The search is branch-free so that the verifier walks one path per step;
 * masks keep every index in its page, which the builder guarantees anyway.
 */
static __always_inline const struct fib4_route *
dxr4_lookup(void *dxr, __u32 daddr, const __u32 dbits)
{
	__u32 a = bpf_ntohl(daddr), hi = a >> (32 - dbits);
	__u32 lo = a & (0xffffffffu >> dbits);
	__u32 k = hi >> DXR_PAGE_SHIFT, d, nh, base, n;
	const struct dxr_page *p;
	const struct fib4_route *rt;

	p = bpf_map_lookup_elem(dxr, &k);
	if (!p)
		return NULL;
	d = p->w[hi & DXR_PAGE_MASK];
	if (d & DXR_DIRECT) {
		nh = d & 0xffff;
	} else {
		k = d >> DXR_PAGE_SHIFT;
		p = bpf_map_lookup_elem(dxr, &k);
		if (!p)
			return NULL;
		base = d & DXR_PAGE_MASK;
		n = p->w[base];
		base++;
		for (int i = 0; i < DXR_SEARCH_STEPS && n > 1; i++) {
			__u32 half = n >> 1;
			__u32 start = p->w[(base + half) & DXR_PAGE_MASK] >> 16;

			/* start <= lo: all ones; else 0 (both are 16-bit) */
			base += half & (((lo - start) >> 31) - 1);
			n -= half;
		}
		nh = p->w[base & DXR_PAGE_MASK] & 0xffff;
	}
	k = DXR_D_PAGES(dbits) + (nh >> DXR_NH_SHIFT);
	p = bpf_map_lookup_elem(dxr, &k);
	if (!p)
		return NULL;
	rt = (const void *)&p->w[(nh & ((1u << DXR_NH_SHIFT) - 1)) * 4];
	return rt->type ? rt : NULL;
}

/* The compiled table of a slot answers; *found = 0: the slot has none.
 * One case per size class: each must be its own code for the verifier to
 * inline the lookups in its arrays. */
#define DXR4_CASE(c)							\
	case c + 1:							\
		dxr = bpf_map_lookup_elem(&vnet_dxr4_##c, &slot);	\
		if (dxr)						\
			return dxr4_lookup(dxr, daddr, DXR_DBITS(c));	\
		break;

static __always_inline const struct fib4_route *
dxr4_find(__u32 slot, __u32 daddr, int *found)
{
	__u32 *cls = bpf_map_lookup_elem(&vnet_dxr4cls, &slot);
	void *dxr;

	*found = 1;
	if (cls) {
		switch (*cls) {
		DXR4_CASE(0)
		DXR4_CASE(1)
		DXR4_CASE(2)
		DXR4_CASE(3)
		DXR4_CASE(4)
		DXR4_CASE(5)
		DXR4_CASE(6)
		DXR4_CASE(7)
		DXR4_CASE(8)
		}
	}
	*found = 0;
	return NULL;
}

/* The compiled table answers; a slot between two tables, or with none, is
 * answered by the trie. */
static __always_inline const struct fib4_route *fib4_find(__u32 slot, __u32 daddr)
{
	struct fib4_key key = { .prefixlen = 32, .addr = daddr };
	const struct fib4_route *rt;
	int found;
	void *fib;

	rt = dxr4_find(slot, daddr, &found);
	if (found)
		return rt;
	fib = bpf_map_lookup_elem(&vnet_fib4, &slot);
	if (!fib)
		return NULL;
	return bpf_map_lookup_elem(fib, &key);
}

/*
 * Forwarding's lookup: inlined, with no call at all. A call (helper or
 * subprogram) costs ~10 ns on this machine's kernel, as much as the rest of
 * a compiled lookup; the DXR walk is copied once per size class for the
 * verifier to inline its array lookups.
 */
static __always_inline const struct fib4_route *
fib4_lookup_inline(const struct vnet_ctx *v, __u32 daddr)
{
	return fib4_find(VNET_FIB_SLOT(v->id, v->fib), daddr);
}

/* Every other lookup (ARP checks, replies, host-stack traffic): one
 * subprogram, not nine more copies of the walk at each call site. */
static __noinline const struct fib4_route *fib4_find_call(__u32 slot, __u32 daddr)
{
	return fib4_find(slot, daddr);
}

static __always_inline const struct fib4_route *
fib4_lookup(const struct vnet_ctx *v, __u32 daddr)
{
	return fib4_find_call(VNET_FIB_SLOT(v->id, v->fib), daddr);
}

/* IPv6: the same, in the vnet's IPv6 FIB of the same number. */
static __always_inline const struct fib6_route *
fib6_lookup(const struct vnet_ctx *v, const void *daddr)
{
	__u32 slot = VNET_FIB_SLOT(v->id, v->fib);
	struct fib6_key key = { .prefixlen = 128 };
	void *fib;

	__builtin_memcpy(key.addr, daddr, 16);
	fib = bpf_map_lookup_elem(&vnet_fib6, &slot);
	if (!fib)
		return NULL;
	return bpf_map_lookup_elem(fib, &key);
}

/* The egress interface of a route, if it belongs to this vnet (the drop
 * counted otherwise). */
static __always_inline const struct vnet_iface *
fib_egress_if(struct vnet_ctx *v, __u32 ifindex)
{
	const struct vnet_iface *out;

	out = bpf_map_lookup_elem(&vnet_ifaces, &ifindex);
	if (!out || out->vnet != v->id) {
		vnet_count_drop(v, VNET_DROP_wrong_vnet);
		return NULL;
	}
	return out;
}

static __always_inline const struct vnet_iface *
fib_egress(struct vnet_ctx *v, const struct fib4_route *rt)
{
	return fib_egress_if(v, rt->ifindex);
}

#endif

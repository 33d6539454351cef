/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * curvnet.h - the per-packet vnet context, FreeBSD's
 * CURVNET_SET(ifp->if_vnet): found once from the ingress interface, then
 * carried through the rest of the walk.
 */
#ifndef VNET_CURVNET_H
#define VNET_CURVNET_H

#include "maps.h"

/* Laid out without padding: it is on the stack of the program and of the
 * filter's function, whose frames together must fit the verifier's 512 B. */
struct vnet_ctx {
	struct xdp_md *xdp;
	const struct vnet_iface *in;	/* ingress interface record */
	const struct vnet_conf *conf;
	const struct vnet_conf6 *conf6;	/* IPv6 packets only */
	struct vnet_stats *st;		/* the counters of the packet's family */
	const struct vnet_fw *fw;	/* filter settings, once the filter asks */
	struct vnet_fw_stats *fst;	/* filter counters (in the filter's function) */
	__u32 id;			/* curvnet */
	__u32 fib;			/* FIB for this packet's lookups */
	__u32 ifindex;			/* ingress */
	__u8 fw_done;			/* a state decided: skip the outbound pass */
	__u8 fated;			/* the frame's fate is counted (fate.h) */
};

/*
 * Returns false when the frame is not the dataplane's: the interface is not
 * registered, or sits in vnet 0 (the host), and must pass untouched.
 */
static __always_inline bool curvnet_set(struct vnet_ctx *v, struct xdp_md *ctx)
{
	__u32 ifindex = ctx->ingress_ifindex;

	v->in = bpf_map_lookup_elem(&vnet_ifaces, &ifindex);
	if (!v->in || v->in->vnet == 0)
		return false;
	v->xdp = ctx;
	v->id = v->in->vnet;
	v->fib = v->in->fib;
	v->ifindex = ifindex;
	v->conf = bpf_map_lookup_elem(&vnet_conf, &v->id);
	v->st = bpf_map_lookup_elem(&vnet_stats, &v->id);
	v->conf6 = NULL;	/* set by curvnet_inet6 for IPv6 frames */
	v->fw = NULL;		/* looked up by the filter, for IP only */
	v->fst = NULL;
	v->fw_done = 0;
	v->fated = 0;
	return v->conf && v->st;
}

/* An IPv6 frame: its settings, and its family's counters from now on. */
static __always_inline bool curvnet_inet6(struct vnet_ctx *v)
{
	struct vnet_stats *st6 = bpf_map_lookup_elem(&vnet_stats6, &v->id);

	v->conf6 = bpf_map_lookup_elem(&vnet_conf6, &v->id);
	if (!st6 || !v->conf6)
		return false;
	v->st = st6;
	return true;
}

/*
 * The context of a global function (a step with a stack frame of its
 * own) working for vnet on the frame in ctx, with the counters of the
 * family of the frame. Its fate is the caller's to count.
 */
static __always_inline bool curvnet_of(struct vnet_ctx *v, struct xdp_md *ctx, __u32 vnet,
				       bool inet6)
{
	__u32 ifindex = ctx->ingress_ifindex;

	__builtin_memset(v, 0, sizeof(*v));
	v->xdp = ctx;
	v->id = vnet;
	v->ifindex = ifindex;
	v->in = bpf_map_lookup_elem(&vnet_ifaces, &ifindex);
	v->conf = bpf_map_lookup_elem(&vnet_conf, &vnet);
	if (inet6)
		v->conf6 = bpf_map_lookup_elem(&vnet_conf6, &vnet);
	v->st = bpf_map_lookup_elem(inet6 ? (void *)&vnet_stats6 : (void *)&vnet_stats, &vnet);
	if (v->in)
		v->fib = v->in->fib;
	return v->in && v->conf && (!inet6 || v->conf6) && v->st;
}

static __always_inline __u64 vnet_now(void)
{
	return bpf_ktime_get_coarse_ns();
}

#endif

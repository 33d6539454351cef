/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * curvnet.h - the per-packet vnet context, FreeBSD's
 * CURVNET_SET(ifp->if_vnet): found once from the ingress interface, then
 * carried through the rest of the walk.
 */
#ifndef VNET_CURVNET_H
#define VNET_CURVNET_H

#include "maps.h"

struct vnet_ctx {
	struct xdp_md *xdp;
	__u32 id;			/* curvnet */
	__u32 fib;			/* FIB for this packet's lookups */
	__u32 ifindex;			/* ingress */
	const struct vnet_iface *in;	/* ingress interface record */
	const struct vnet_conf *conf;
	struct vnet_stats *st;
	const struct vnet_fw *fw;	/* filter settings, once the filter asks */
	struct vnet_fw_stats *fst;	/* filter counters, once the filter runs */
	__u8 fw_done;			/* a state decided: skip the outbound pass */
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
	v->fw = NULL;		/* looked up by the filter, for IP only */
	v->fst = NULL;
	v->fw_done = 0;
	return v->conf && v->st;
}

static __always_inline __u64 vnet_now(void)
{
	return bpf_ktime_get_coarse_ns();
}

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xmit.h - the last step of every walk that sends something: back out the
 * ingress interface with XDP_TX, or to another interface through the devmap.
 */
#ifndef VNET_XMIT_H
#define VNET_XMIT_H

#include "curvnet.h"

static __always_inline int vnet_xmit(const struct vnet_ctx *v, __u32 ifindex)
{
	if (ifindex == v->ifindex)
		return XDP_TX;
	/* A missing devmap entry drops rather than aborts. */
	return bpf_redirect_map(&vnet_devmap, ifindex, XDP_DROP);
}

#endif

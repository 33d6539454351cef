/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * net.h - the network layer of libvnet: interface addresses (addr.c),
 * routes (route.c) with the IPv4 FIBs' lookup algorithm (fib_algo.h,
 * dxr.c, dxr_model.c), neighbors (neigh.c). Below it: core/ and link/.
 */
#ifndef VNET_NET_H
#define VNET_NET_H

#include "link/link.h"

/* route.c: a new route only / one that exists */
int route_put(struct vnet_state *st, __u32 id, __u32 fib, const struct vnet_ip *dst,
	      __u32 plen, const struct rval *rt);
int route_remove(struct vnet_state *st, __u32 id, __u32 fib, const struct vnet_ip *dst,
		 __u32 plen);

#endif

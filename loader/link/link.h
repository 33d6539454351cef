/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * link.h - the link layer of libvnet: interface records (iface.c: attach,
 * detach, moves between vnets, the XDP program on each) and epairs
 * (epair.c). Below it only core/. When an interface leaves a vnet, what
 * the layers above configured on it goes through their iface_leave hooks.
 */
#ifndef VNET_LINK_H
#define VNET_LINK_H

#include "core/core.h"

int iface_get(struct vnet_state *st, __u32 ifindex, struct vnet_iface *rec);
int iface_put(struct vnet_state *st, __u32 ifindex, const struct vnet_iface *rec);
int iface_set_flags(struct vnet_state *st, const char *ifname, __u16 flags,
		    __u32 *ifindex, struct vnet_iface *rec);
int iface_lookup(struct vnet_state *st, const char *ifname, __u32 *ifindex,
		 struct vnet_iface *rec);
int iface_in_vnet(struct vnet_state *st, const char *ifname, __u32 id,
		  __u32 *ifindex, struct vnet_iface *rec);
/* The device of a registered interface is gone (unregistered). */
bool iface_gone(struct vnet_state *st, __u32 ifindex);
/* Forget a registered interface whose device is gone, as if detached. */
void iface_forget(struct vnet_state *st, __u32 ifindex);
/* The dataplane's programs on an interface (any pin directory's): up to
 * max fds, duplicated; their number. */
int xdp_vnet_progs(__u32 ifindex, int *fds, int max);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * curvnet_only.bpf.c - the vnet indirection alone: what the dataplane
 * does before and beside its real work (interface -> vnet, settings,
 * counters, the FIB's and ARP table's slots), then stops. Measured like
 * the dataplane, it says what the virtualisation costs per packet.
 */
#include "../bpf/lib/curvnet.h"

SEC("xdp")
int bench_curvnet(struct xdp_md *ctx)
{
	struct vnet_ctx v;
	__u32 slot;

	if (!curvnet_set(&v, ctx))
		return XDP_PASS;
	v.st->received++;
	slot = VNET_FIB_SLOT(v.id, v.fib);
	if (!bpf_map_lookup_elem(&vnet_fib4, &slot) ||
	    !bpf_map_lookup_elem(&vnet_nbr4, &v.id))
		return XDP_ABORTED;
	return XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * curvnet_only.bpf.c - the vnet indirection alone: what the dataplane
 * does before and beside its real work (interface -> vnet, settings,
 * counters, the FIB's and ARP table's slots), then stops. Measured like
 * the dataplane, it says what the virtualisation costs per packet.
 * bench_lookup does the same plus the route lookup of the packet's
 * destination (trie or compiled, as the dataplane): the difference of the
 * two is what a lookup costs.
 */
#include <linux/if_ether.h>
#include <linux/ip.h>
#include "../bpf/lib/fib.h"

/* The indirection; -1 when it found everything, else the verdict. */
static __always_inline int indirection(struct xdp_md *ctx, struct vnet_ctx *v)
{
	__u32 slot;

	if (!curvnet_set(v, ctx))
		return XDP_PASS;
	v->st->received++;
	slot = VNET_FIB_SLOT(v->id, v->fib);
	if (!bpf_map_lookup_elem(&vnet_fib4, &slot) ||
	    !bpf_map_lookup_elem(&vnet_nbr4, &v->id))
		return XDP_ABORTED;
	return -1;
}

SEC("xdp")
int bench_curvnet(struct xdp_md *ctx)
{
	struct vnet_ctx v;
	int verdict = indirection(ctx, &v);

	return verdict < 0 ? XDP_DROP : verdict;
}

SEC("xdp")
int bench_lookup(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct iphdr *iph = data + sizeof(struct ethhdr);
	const struct fib4_route *rt;
	struct vnet_ctx v;
	int verdict = indirection(ctx, &v);

	if (verdict >= 0)
		return verdict;
	if ((void *)(iph + 1) > end)
		return XDP_PASS;
	rt = fib4_lookup_inline(&v, iph->daddr);
	return rt && rt->type == VNET_RT_LOCAL ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * harness6.bpf.c - the IPv6 twin of harness.bpf.c: rewrite a 64-byte
 * UDP/IPv6 frame for the next destination (2001:db8:f00d::/96 + the 32 bits
 * from bench_dsts), then tail-call the program under test; and the
 * parse-only program subtracted from it.
 */
#include <linux/ipv6.h>
#include "bench_frame.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} bench_next6 SEC(".maps");

static __always_inline int bench_rewrite6(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6 = (void *)(eth + 1);
	const struct bench_frame_cfg *cfg;
	__u32 zero = 0, idx, *dst;
	__u64 *seq;

	if ((void *)(ip6 + 1) > end)
		return 0;
	cfg = bpf_map_lookup_elem(&bench_cfg, &zero);
	seq = bpf_map_lookup_elem(&bench_seq, &zero);
	if (!cfg || !seq || !cfg->ndst)
		return 0;
	idx = (__u32)((*seq)++ % cfg->ndst);
	dst = bpf_map_lookup_elem(&bench_dsts, &idx);
	if (!dst)
		return 0;
	__builtin_memcpy(eth->h_dest, cfg->dmac, 6);
	__builtin_memcpy(eth->h_source, cfg->smac, 6);
	eth->h_proto = bpf_htons(ETH_P_IPV6);
	*(__be32 *)ip6 = bpf_htonl(0x60000000);
	ip6->payload_len = bpf_htons(10);
	ip6->nexthdr = 17;
	ip6->hop_limit = 64;
	ip6->saddr.in6_u.u6_addr32[0] = bpf_htonl(0x20010db8);
	ip6->saddr.in6_u.u6_addr32[1] = bpf_htonl(0x00010000);
	ip6->saddr.in6_u.u6_addr32[2] = 0;
	ip6->saddr.in6_u.u6_addr32[3] = bpf_htonl(2);
	ip6->daddr.in6_u.u6_addr32[0] = bpf_htonl(0x20010db8);
	ip6->daddr.in6_u.u6_addr32[1] = bpf_htonl(0xf00d0000);
	ip6->daddr.in6_u.u6_addr32[2] = 0;
	ip6->daddr.in6_u.u6_addr32[3] = *dst;
	return 1;
}

SEC("xdp")
int bench_harness6(struct xdp_md *ctx)
{
	if (!bench_rewrite6(ctx))
		return XDP_ABORTED;
	bpf_tail_call(ctx, &bench_next6, 0);
	return XDP_ABORTED;
}

/* What every IPv6 forwarder does at least: look at Ethernet and IPv6. */
SEC("xdp")
int bench_parse6(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6 = (void *)(eth + 1);

	if ((void *)(ip6 + 1) > end || eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	return ip6->hop_limit > 1 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * harness.bpf.c - per-packet cost with BPF_PROG_TEST_RUN and `repeat`: the
 * harness writes the next destination into the frame (a test run reuses
 * the frame as the last run left it), then tail-calls the program under
 * test. The same harness in front of a parse-only program is subtracted.
 */
#include "bench_frame.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} bench_next SEC(".maps");

SEC("xdp")
int bench_harness(struct xdp_md *ctx)
{
	if (!bench_rewrite(ctx))
		return XDP_ABORTED;
	bpf_tail_call(ctx, &bench_next, 0);
	return XDP_ABORTED;
}

/* What every forwarder does at least: look at Ethernet and IPv4. */
SEC("xdp")
int bench_parse(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);

	if ((void *)(iph + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	return iph->ttl > 1 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";

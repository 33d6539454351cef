/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gen.bpf.c - packet generator, run with BPF_F_TEST_XDP_LIVE_FRAMES: every
 * frame gets the next destination and is redirected into the chain's
 * generator veth.
 */
#include "bench_frame.h"

SEC("xdp")
int bench_gen(struct xdp_md *ctx)
{
	const struct bench_frame_cfg *cfg = bench_rewrite(ctx);

	if (!cfg)
		return XDP_DROP;
	return bpf_redirect(cfg->ifindex, 0);
}

char _license[] SEC("license") = "Dual BSD/GPL";

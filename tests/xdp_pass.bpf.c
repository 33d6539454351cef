/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xdp_pass.bpf.c - loaded on the hosts' ends of test veths. Frames that the
 * dataplane redirects (or sends with XDP_TX) into a veth are dropped unless
 * the receiving end runs an XDP program; on this kernel enabling GRO there
 * is not enough.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench_frame.h - rewrite a 64-byte UDP/IPv4 frame for the next destination.
 * Frames in BPF_PROG_TEST_RUN are recycled with whatever the last run left
 * in them, so every field a program under test changes is written again.
 */
#ifndef BENCH_FRAME_H
#define BENCH_FRAME_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "bench_common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_frame_cfg);
} bench_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BENCH_MAX_DSTS);
	__type(key, __u32);
	__type(value, __u32);
} bench_dsts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} bench_seq SEC(".maps");

static __always_inline __u16 fold(__u32 s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return ~s;
}

/* Returns the config, or NULL when the frame could not be rewritten. */
static __always_inline const struct bench_frame_cfg *bench_rewrite(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	const struct bench_frame_cfg *cfg;
	__u32 zero = 0, idx, *dst, *w;
	__u64 *seq;

	if ((void *)(iph + 1) > end)
		return NULL;
	cfg = bpf_map_lookup_elem(&bench_cfg, &zero);
	seq = bpf_map_lookup_elem(&bench_seq, &zero);
	if (!cfg || !seq || !cfg->ndst)
		return NULL;
	idx = (__u32)((*seq)++ % cfg->ndst);
	dst = bpf_map_lookup_elem(&bench_dsts, &idx);
	if (!dst)
		return NULL;
	__builtin_memcpy(eth->h_dest, cfg->dmac, 6);
	__builtin_memcpy(eth->h_source, cfg->smac, 6);
	eth->h_proto = bpf_htons(ETH_P_IP);
	iph->ttl = 64;
	iph->saddr = cfg->saddr;
	iph->daddr = *dst;
	iph->check = 0;
	w = (__u32 *)iph;
	iph->check = fold(w[0] + (__u64)w[1] + w[2] + w[3] + w[4]) ;
	return cfg;
}

#endif

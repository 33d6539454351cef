/* SPDX-License-Identifier: BSD-2-Clause */
/* bench_common.h - what the benchmark's BPF programs and driver share. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <linux/types.h>

#define BENCH_MAX_DSTS	65536

/* Frame template the generator and the harness write into every frame. */
struct bench_frame_cfg {
	__u32 ifindex;		/* generator: redirect target */
	__u32 ndst;		/* destinations in bench_dsts */
	__u32 saddr;
	__u8  dmac[6];
	__u8  smac[6];
};

/* Minimal forwarder: where everything goes. */
struct bench_fwd_cfg {
	__u8 dmac[6];
	__u8 smac[6];
};

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dxr_diff.h - what dxr_diff.bpf.c (the compiled lookup held against the
 * trie, in the kernel) and its callers (test_dxr.c, fib_check.c) agree on.
 * diff_addrs[0] holds the count of addresses, which follow (network order).
 */
#ifndef DXR_DIFF_H
#define DXR_DIFF_H

#include "../../bpf/vnet_abi.h"

#define DIFF_MAX (1u << 20)

struct diff_res {
	__u64 checked, mismatches, routed;
	__u32 first_bad;	/* network order */
	__u32 no_table;		/* the slot had no trie or no compiled table */
	struct fib4_route trie, dxr;
	__u32 slot;		/* in: the FIB's slot */
	__u32 pad;
};

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fib_algo.h - what packets read for an IPv4 FIB, behind one table of
 * operations, as FreeBSD's fib_algo drives its lookup modules (fib_dxr):
 * the trie is the RIB, the source of truth for route show and get, and
 * the algorithm follows its changes into the table the datapath reads
 * (dxr.c: compiled when large enough, else the trie itself).
 */
#ifndef VNET_FIB_ALGO_H
#define VNET_FIB_ALGO_H

#include "net.h"

struct fib_algo {
	const char *name;
	/* after the trie took a change (v: its new route; NULL: deleted) */
	int (*changed)(struct vnet_state *st, __u32 id, __u32 fib, __u32 addr,
		       __u32 plen, const struct rval *v);
	/* the vnet's route settings changed: every FIB follows */
	int (*apply)(struct vnet_state *st, __u32 id);
	/* a crash cut changes short: rebuild from the tries */
	int (*resync)(struct vnet_state *st, __u32 id);
	/* defaults of the vnet's route settings */
	void (*defaults)(struct vnet_rtconf *c);
};

extern const struct fib_algo *const fib4_algo;

#endif

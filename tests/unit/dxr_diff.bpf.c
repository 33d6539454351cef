/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dxr_diff.bpf.c - holds a FIB's compiled lookup against its trie, in the
 * kernel, with the dataplane's own lookup code (fib.h): for every address
 * of diff_addrs, both answers must be the same route or both none.
 */
#include "../../bpf/lib/fib.h"
#include "dxr_diff.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DIFF_MAX);
	__type(key, __u32);
	__type(value, __u32);
} diff_addrs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct diff_res);
} diff_out SEC(".maps");

static int same(const struct fib4_route *a, const struct fib4_route *b)
{
	if (!a || !b)
		return a == b;
	return a->type == b->type && a->flags == b->flags &&
	       a->prefixlen == b->prefixlen && a->ifindex == b->ifindex && a->gw == b->gw;
}

static long step(__u32 i, void *ctx)
{
	__u32 zero = 0, key = i + 1, slot, *a = bpf_map_lookup_elem(&diff_addrs, &key);
	struct diff_res *r = bpf_map_lookup_elem(&diff_out, &zero);
	const struct fib4_route *t, *d;
	struct fib4_key k = { .prefixlen = 32 };
	void *trie;
	int found;

	/* counters in a map value, not in ctx: the verifier's walk of the
	 * callback converges only if they are unknown to it */
	if (!r)
		return 1;
	slot = r->slot;
	trie = bpf_map_lookup_elem(&vnet_fib4, &slot);
	if (!a || !trie) {
		r->no_table = !trie;
		return 1;
	}
	k.addr = *a;
	t = bpf_map_lookup_elem(trie, &k);
	d = dxr4_find(slot, *a, &found);
	if (!found) {
		r->no_table = 1;
		return 1;
	}
	r->checked++;
	r->routed += !!t;
	if (!same(t, d)) {
		if (!r->mismatches++) {
			r->first_bad = *a;
			if (t)
				r->trie = *t;
			if (d)
				r->dxr = *d;
		}
	}
	return 0;
}

SEC("xdp")
int dxr_diff(struct xdp_md *ctx)
{
	__u32 zero = 0, *n = bpf_map_lookup_elem(&diff_addrs, &zero);

	if (!n)
		return XDP_ABORTED;
	/* diff_addrs[0] is the count; the addresses follow. The caller zeroes
	 * diff_out and sets its slot. */
	bpf_loop(*n < DIFF_MAX ? *n : DIFF_MAX - 1, step, NULL, 0);
	return XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";

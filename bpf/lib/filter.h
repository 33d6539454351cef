/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * filter.h - the vnet's firewall (ipfw per vnet), at the two points where
 * ipfw sees a packet: inbound, before the route lookup (so setfib chooses
 * the FIB), and outbound, once the egress interface is known. Local
 * delivery sees only the inbound pass; packets from the vnet's host stack
 * only the outbound one. Answers the dataplane builds itself (echo replies,
 * ICMP errors, RSTs) answer a packet that was already filtered and are not
 * filtered again. IPv6 takes the same two passes; neighbor discovery,
 * like ARP, is not filtered.
 *
 * The state table comes first (as pf): a packet of a known flow takes the
 * state's verdict and skips the rules on both passes. With keep-state rules
 * in the set, an ICMP error passes only if the packet it quotes belongs to
 * a live state.
 */
#ifndef VNET_FILTER_H
#define VNET_FILTER_H

#include "fw_rules.h"
#include "fw_state.h"
#include "fw_reject.h"

/* Not XDP actions: the caller turns them into one (and counts the fate). */
enum fw_verdict {
	FW_PASS = 0x10,
	FW_DROP,	/* denied (or rejected with nothing to send) */
	FW_ANSWER,	/* rejected; the frame now holds the answer: originate it */
	FW_UNREACH,	/* rejected: the caller answers with an ICMP error */
	FW_MALFORMED,	/* the transport header is not all there */
};

/* Is the vnet's filter on? (Its counters are the filter function's.) */
static __always_inline bool fw_on(struct vnet_ctx *v)
{
	__u32 id = v->id;

	if (!v->fw)
		v->fw = bpf_map_lookup_elem(&vnet_fw, &id);
	return v->fw && v->fw->enable;
}

/* The state table, then the rules. */
static __always_inline int fw_check(struct vnet_ctx *v, const struct fw_pkt *p,
				    __u32 in_if, __u32 out_if)
{
	const struct vnet_fw *fw = v->fw;
	struct fw_walk w = {};
	struct fw_state *s = NULL;
	struct fw_state_key k;
	void *tbl = NULL;
	bool from_a = false;
	__u64 now = 0;
	__u8 act;

	if (!p->l4)
		v->fst->fragments++;
	if (fw->stateful && p->l4)
		tbl = fw_state_table(v);
	if (tbl) {
		now = vnet_now();
		if (p->icmp_err) {
			s = fw_state_of_quote(v, tbl, p, &k, now);
			if (!s) {
				v->fst->icmp_orphan++;
				return FW_DROP;
			}
			v->fst->icmp_related++;
		} else {
			fw_state_key(&k, p, &from_a);
			s = fw_state_find(v, tbl, &k, now);
			if (s) {
				fw_state_touch(fw, s, p, from_a, now);
				v->fst->state_hits++;
			}
		}
		if (s) {
			if (s->fib_set)
				v->fib = s->fib;
			v->fw_done = 1;
			return FW_PASS;
		}
	}

	w.pkt = p;
	w.ps.in_if = in_if;
	w.ps.out_if = out_if;
	w.ps.out = out_if != 0;
	w.ps.fib = v->fib;
	act = fw_rules_walk(v, fw, &w);
	if (act == FW_ALLOW) {
		v->fst->passed++;
		v->fib = w.ps.fib;
		if ((w.flags & FW_F_KEEP_STATE) && tbl && !p->icmp_err) {
			fw_state_create(v, fw, tbl, &k, from_a, p, w.rule, w.ps.fib,
					w.fib_set, now);
			v->fw_done = 1;
		}
		return FW_PASS;
	}
	if (act == FW_REJECT) {
		v->fst->rejected++;
		switch (fw_reject(v, p)) {
		case V_ORIGINATE:
			return FW_ANSWER;
		case V_UNREACH:
			return FW_UNREACH;
		}
		return FW_DROP;
	}
	v->fst->denied++;
	return FW_DROP;
}

/* The filter's answer, packed into the scalar a global function returns. */
#define FWR_VERDICT(r)	((r) & 0xff)	/* enum fw_verdict */
_Static_assert(FW_MALFORMED <= 0xff, "a verdict fits its byte");
#define FWR_DONE	0x100		/* a state decided: skip the outbound pass */
#define FWR_FIB		0x200		/* bits 16-23: the FIB a rule or state chose */

/*
 * The filter as a global function: the verifier checks it once, where
 * inlined at its five call sites (two passes, two families, host stacks)
 * it made the program too large to verify. It looks up the two records it
 * needs (settings, counters); it may rewrite the frame (reject), so
 * callers must reload their packet pointers after it.
 */
__attribute__((noinline))
int vnet_fw_check(struct xdp_md *ctx, struct fw_pkt *p, __u32 vnet_fib, __u32 ifs)
{
	/* five arguments at most: vnet | FIB << 16, in_if | out_if << 16 */
	__u32 vnet = vnet_fib & 0xffff, fib = vnet_fib >> 16;
	__u32 in_if = ifs & 0xffff, out_if = ifs >> 16;
	__u32 ifindex = ctx->ingress_ifindex;
	struct vnet_ctx v = { .xdp = ctx, .id = vnet, .fib = fib, .ifindex = ifindex };
	int r;

	if (!p)		/* a global function's pointers may be NULL */
		return FW_DROP;
	/* Only what the filter reads on every packet; a RST looks up the rest. */
	v.fw = bpf_map_lookup_elem(&vnet_fw, &vnet);
	v.fst = bpf_map_lookup_elem(&vnet_fwstats, &vnet);
	if (!v.fw || !v.fst)
		return FW_DROP;
	r = fw_check(&v, p, in_if, out_if);
	if (v.fw_done)
		r |= FWR_DONE;
	if (v.fib != fib)
		r |= FWR_FIB | (v.fib & 0xff) << 16;
	return r;
}

static __always_inline int fw_run(struct vnet_ctx *v, struct fw_pkt *p, __u32 in_if,
				  __u32 out_if)
{
	int r = vnet_fw_check(v->xdp, p, v->id | v->fib << 16,
			      (in_if & 0xffff) | out_if << 16);

	if (r & FWR_DONE)
		v->fw_done = 1;
	if (r & FWR_FIB)
		v->fib = (r >> 16) & 0xff;
	return FWR_VERDICT(r);
}

/* The packet's filter facts from its IPv4 header, or IPv6 (info != NULL);
 * -1: its transport header is cut short. */
static __always_inline int fw_parse(struct vnet_ctx *v, struct fw_pkt *p,
				    void *hdr, const struct ip6_info *info)
{
	void *data = (void *)(long)v->xdp->data;
	void *end = (void *)(long)v->xdp->data_end;
	return info ? fw_pkt_ip6(p, hdr, info, data, end) : fw_pkt_ip4(p, hdr, data, end);
}

/* A packet received from a wire, before its route lookup. hdr is its IPv4
 * header, or its IPv6 header when info (the extension-header walk) is set. */
static __always_inline int fw_inbound(struct vnet_ctx *v, struct fw_pkt *p,
				      void *hdr, const struct ip6_info *info)
{
	if (!fw_on(v))
		return FW_PASS;
	if (fw_parse(v, p, hdr, info))
		return FW_MALFORMED;
	return fw_run(v, p, v->ifindex, 0);
}

/*
 * A packet leaving by out_if: transit (p parsed by the inbound pass), or
 * from the host stack (p not parsed yet: family 0; hdr and info as for
 * fw_inbound).
 */
static __always_inline int fw_outbound(struct vnet_ctx *v, struct fw_pkt *p,
				       void *hdr, const struct ip6_info *info,
				       __u32 out_if, bool hoststack)
{
	if (v->fw_done || !fw_on(v))
		return FW_PASS;
	if (!p->family && fw_parse(v, p, hdr, info))
		return FW_MALFORMED;
	return fw_run(v, p, hoststack ? 0 : v->ifindex, out_if);
}

#endif

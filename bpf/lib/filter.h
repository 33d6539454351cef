/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * filter.h - the vnet's firewall (ipfw per vnet), at the two points where
 * ipfw sees a packet: inbound, before the route lookup (so setfib chooses
 * the FIB), and outbound, once the egress interface is known. Local
 * delivery sees only the inbound pass; packets from the vnet's host stack
 * only the outbound one. Answers the dataplane builds itself (echo replies,
 * ICMP errors, RSTs) answer a packet that was already filtered and are not
 * filtered again.
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

enum fw_verdict {
	FW_PASS,
	FW_DROP,	/* counted */
	FW_ANSWER,	/* the frame now holds the reject answer: originate it */
};

static __always_inline bool fw_on(struct vnet_ctx *v)
{
	__u32 id = v->id;

	if (!v->fw)
		v->fw = bpf_map_lookup_elem(&vnet_fw, &id);
	if (!v->fw || !v->fw->enable)
		return false;
	if (!v->fst)
		v->fst = bpf_map_lookup_elem(&vnet_fwstats, &id);
	return v->fst != NULL;
}

/* The state table, then the rules. */
static __always_inline int fw_check(struct vnet_ctx *v, const struct fw_pkt *p,
				    __u32 in_if, __u32 out_if)
{
	const struct vnet_fw *fw = v->fw;
	struct fw_walk w = {};
	struct fw_state *s = NULL;
	void *tbl = NULL;
	bool from_a;
	__u64 now = 0;
	__u8 act;

	if (!p->l4)
		v->fst->fragments++;
	if (fw->stateful && p->l4)
		tbl = fw_state_table(v);
	if (tbl) {
		now = vnet_now();
		if (p->icmp_err) {
			s = fw_state_of_quote(v, tbl, p, now);
			if (!s) {
				v->fst->icmp_orphan++;
				return FW_DROP;
			}
			v->fst->icmp_related++;
		} else {
			s = fw_state_find(v, tbl, p, &from_a, now);
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
		if ((w.flags & FW_F_KEEP_STATE) && tbl) {
			fw_state_create(v, fw, tbl, p, w.rule, w.ps.fib, w.fib_set, now);
			v->fw_done = 1;
		}
		return FW_PASS;
	}
	if (act == FW_REJECT) {
		v->fst->rejected++;
		return fw_reject(v, p) == V_ORIGINATE ? FW_ANSWER : FW_DROP;
	}
	v->fst->denied++;
	return FW_DROP;
}

static __always_inline int fw_parse(struct vnet_ctx *v, struct fw_pkt *p,
				    struct iphdr *iph)
{
	void *data = (void *)(long)v->xdp->data;
	void *end = (void *)(long)v->xdp->data_end;

	if (fw_pkt_ip4(p, iph, data, end)) {
		v->st->malformed++;
		return -1;
	}
	return 0;
}

/* A packet received from a wire, before its route lookup. */
static __always_inline int fw_inbound(struct vnet_ctx *v, struct fw_pkt *p,
				      struct iphdr *iph)
{
	if (!fw_on(v))
		return FW_PASS;
	if (fw_parse(v, p, iph))
		return FW_DROP;
	return fw_check(v, p, v->ifindex, 0);
}

/*
 * A packet leaving by out_if: transit (p parsed by the inbound pass), or
 * from the host stack (p not parsed yet: family 0).
 */
static __always_inline int fw_outbound(struct vnet_ctx *v, struct fw_pkt *p,
				       struct iphdr *iph, __u32 out_if,
				       bool hoststack)
{
	if (v->fw_done || !fw_on(v))
		return FW_PASS;
	if (!p->family && fw_parse(v, p, iph))
		return FW_DROP;
	return fw_check(v, p, hoststack ? 0 : v->ifindex, out_if);
}

#endif

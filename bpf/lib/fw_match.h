/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fw_match.h - does one rule match this packet on this pass? Every
 * condition of the rule must hold (ipfw: options are ANDed).
 */
#ifndef VNET_FW_MATCH_H
#define VNET_FW_MATCH_H

#include "fw_pkt.h"

/* Where the packet is in its walk: the inbound pass sees no egress yet. */
struct fw_pass {
	__u32 in_if;		/* 0: originated by the vnet's host stack */
	__u32 out_if;		/* 0 on the inbound pass */
	__u8  out;		/* 1 on the outbound pass */
	__u8  fib;		/* the packet's FIB now (setfib changes it) */
};

static __always_inline bool fw_match_addrs(const struct fw_rule *r,
					   const struct fw_pkt *p)
{
	__u32 diff = 0;

	for (int i = 0; i < 4; i++)
		diff |= ((p->src[i] & r->smask[i]) ^ r->src[i]) |
			((p->dst[i] & r->dmask[i]) ^ r->dst[i]);
	return diff == 0;
}

static __always_inline bool fw_match_iface(const struct fw_rule *r,
					   const struct fw_pass *ps)
{
	__u32 ifindex;

	switch (r->if_match) {
	case FW_IF_RECV: ifindex = ps->in_if; break;
	case FW_IF_XMIT: ifindex = ps->out_if; break;
	case FW_IF_VIA:  ifindex = ps->out ? ps->out_if : ps->in_if; break;
	default: return true;
	}
	return ifindex && ifindex == r->ifindex;
}

/* Conditions on the transport header: none hold for a later fragment. */
static __always_inline bool fw_match_l4(const struct fw_rule *r,
					const struct fw_pkt *p)
{
	__u16 f = r->flags;

	if (!p->l4)
		return false;
	if ((f & FW_F_SPORT) &&
	    (!p->ports || p->sport < r->sport[0] || p->sport > r->sport[1]))
		return false;
	if ((f & FW_F_DPORT) &&
	    (!p->ports || p->dport < r->dport[0] || p->dport > r->dport[1]))
		return false;
	if ((f & FW_F_ICMPTYPES) &&
	    ((p->proto != IPPROTO_ICMP && p->proto != IPPROTO_ICMPV6) ||
	     !(r->icmp_types[(p->icmp_type >> 6) & 3] & (1ULL << (p->icmp_type & 63)))))
		return false;
	if ((f & FW_F_TCPFLAGS) &&
	    (p->proto != IPPROTO_TCP || (p->tcpflags & r->tcp_set) != r->tcp_set ||
	     (p->tcpflags & r->tcp_clr)))
		return false;
	if ((f & FW_F_ESTAB) &&
	    (p->proto != IPPROTO_TCP || !(p->tcpflags & (TCPF_ACK | TCPF_RST))))
		return false;
	return true;
}

#define FW_F_L4	(FW_F_SPORT | FW_F_DPORT | FW_F_ICMPTYPES | FW_F_TCPFLAGS | FW_F_ESTAB)

static __always_inline bool fw_rule_match(const struct fw_rule *r,
					  const struct fw_pkt *p,
					  const struct fw_pass *ps)
{
	if (r->flags & (ps->out ? FW_F_IN : FW_F_OUT))
		return false;
	if ((r->family && r->family != p->family) ||
	    (r->proto && r->proto != p->proto))
		return false;
	if (!fw_match_addrs(r, p) || !fw_match_iface(r, ps))
		return false;
	if ((r->flags & FW_F_FIB) && r->fib != ps->fib)
		return false;
	return !(r->flags & FW_F_L4) || fw_match_l4(r, p);
}

#endif

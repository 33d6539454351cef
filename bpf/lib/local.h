/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * local.h - packets to the vnet's own addresses (a `local` route). ICMP echo
 * is answered in XDP, once its checksum is right (RFC 1122 3.2.2: a bad one
 * is dropped silently); anything else goes to the vnet's host stack (its
 * namespace, through its veth) or, when it has none, is dropped and counted.
 */
#ifndef VNET_LOCAL_H
#define VNET_LOCAL_H

#include "icmp.h"
#include "fate.h"

/* What XDP does not answer itself: the host stack's, if the vnet has one. */
static __always_inline int local_to_hoststack(struct vnet_ctx *v)
{
	if (v->conf->hs_ifindex)
		return V_HOSTSTACK;
	vnet_count_drop(v, VNET_DROP_local_dropped);
	return V_DROP;
}

static __always_inline int local_input(struct vnet_ctx *v, struct hdr_cursor *c,
				       struct iphdr *iph)
{
	__u32 len = bpf_ntohs(iph->tot_len) - iph->ihl * 4;
	struct icmphdr *icmp;

	if (iph->protocol != IPPROTO_ICMP || !v->conf->icmp_echo ||
	    (iph->frag_off & bpf_htons(0x3fff)))	/* MF or offset */
		goto other;
	icmp = parse_icmphdr(c);
	if (!icmp || icmp->type != ICMP_ECHO)
		goto other;
	if (!icmp_msg_ok(v->xdp, icmp, len, 0)) {
		vnet_count_drop(v, VNET_DROP_malformed);
		return V_DROP;
	}
	vnet_delivered(v);
	icmp_echo_reply(v, iph, icmp);
	return V_ORIGINATE;
other:
	return local_to_hoststack(v);
}

#endif

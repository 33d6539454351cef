/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arp.h - ARP input (RFC 826 as FreeBSD's in_arpinput): answer requests for
 * the vnet's addresses on the receiving interface with XDP_TX, learn from
 * replies, and glean from requests aimed at us when the vnet allows it.
 * Nothing ARP reaches the host stack of vnet 0. A message aimed at one of
 * our addresses is delivered (answered or learned from); any other is
 * dropped as neigh_ignored, after refreshing an entry it may confirm.
 */
#ifndef VNET_ARP_H
#define VNET_ARP_H

#include "fib.h"
#include "neigh.h"

/* Ethernet and IPv4, a request or a reply, from a unicast hardware
 * address: an answer to anything else would go to a group or to no one. */
static __always_inline bool arp_valid(const struct arp_eth *arp)
{
	return arp->hdr.ar_hrd == bpf_htons(ARPHRD_ETHER) &&
	       arp->hdr.ar_pro == bpf_htons(ETH_P_IP) &&
	       arp->hdr.ar_hln == ETH_ALEN && arp->hdr.ar_pln == 4 &&
	       (arp->hdr.ar_op == bpf_htons(ARPOP_REQUEST) ||
		arp->hdr.ar_op == bpf_htons(ARPOP_REPLY)) &&
	       !mac_is_group(arp->sha) && !mac_is_zero(arp->sha);
}

/* Request -> reply in place: "tpa is at <our MAC>". */
static __always_inline int arp_reply(struct vnet_ctx *v, struct ethhdr *eth,
				     struct arp_eth *arp, __u32 spa, __u32 tpa)
{
	__builtin_memcpy(eth->h_dest, arp->sha, ETH_ALEN);
	__builtin_memcpy(eth->h_source, v->in->mac, ETH_ALEN);
	arp->hdr.ar_op = bpf_htons(ARPOP_REPLY);
	__builtin_memcpy(arp->tha, arp->sha, ETH_ALEN);
	store_be32(arp->tpa, spa);
	__builtin_memcpy(arp->sha, v->in->mac, ETH_ALEN);
	store_be32(arp->spa, tpa);
	v->st->arp_replies++;
	return XDP_TX;
}

static __always_inline int arp_input(struct vnet_ctx *v, struct hdr_cursor *c,
				     struct ethhdr *eth)
{
	const struct fib4_route *trt, *srt;
	struct arp_eth *arp = parse_arp(c);
	__u32 spa, tpa;
	bool for_us, request;

	v->st->arp_in++;
	if (!arp || !arp_valid(arp))
		return vnet_drop(v, VNET_DROP_malformed);
	if (!mac_is_bcast(eth->h_dest) && !mac_eq(eth->h_dest, v->in->mac))
		return vnet_drop(v, VNET_DROP_not_for_us);
	spa = load_be32(arp->spa);
	tpa = load_be32(arp->tpa);
	request = arp->hdr.ar_op == bpf_htons(ARPOP_REQUEST);

	trt = fib4_lookup(v, tpa);
	for_us = trt && trt->type == VNET_RT_LOCAL && trt->ifindex == v->ifindex;

	if (spa) {	/* 0.0.0.0 is a duplicate-address probe: nothing to learn */
		srt = fib4_lookup(v, spa);
		nbr4_learn(v, spa, arp->sha,
			   for_us && (!request || v->conf->arp_glean), srt);
	}
	if (!for_us)
		return vnet_drop(v, VNET_DROP_neigh_ignored);
	vnet_delivered(v);
	if (request)	/* a probe for our address too: it is taken */
		return arp_reply(v, eth, arp, spa, tpa);
	return XDP_DROP;	/* a reply to us: taken, learned from */
}

#endif

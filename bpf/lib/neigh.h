/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * neigh.h - the vnet's neighbor tables: lookup for the output path,
 * learning, and resolution of a missing next hop, which turns the packet
 * that needed it into an ARP request (or, nd.h, a neighbor solicitation):
 * FreeBSD's arpresolve/nd6_resolve, the datapath asks by itself; no daemon.
 *
 * The tables forwarding reads hold only answered (or static) entries.
 * Next hops being resolved live in the vnet's pending table (an LRU, see
 * vnet_abi.h), which rate-limits the requests: one per rexmit_ms per next
 * hop, at most maxtries in a row, then silence for `wait` seconds. Learned
 * entries expire after max_age and are resolved again on next use. (NDP
 * uses the same net.link.ether.inet.* settings.)
 */
#ifndef VNET_NEIGH_H
#define VNET_NEIGH_H

#include "fate.h"
#include "xmit.h"

static __always_inline void *nbr4_table(const struct vnet_ctx *v)
{
	__u32 id = v->id;

	return bpf_map_lookup_elem(&vnet_nbr4, &id);
}

static __always_inline void *nbr_pend_table(const struct vnet_ctx *v)
{
	__u32 id = v->id;

	return bpf_map_lookup_elem(&vnet_nbrpend, &id);
}

static __always_inline bool nbr_usable(const struct vnet_ctx *v,
				       const struct nbr_entry *e, __u64 now)
{
	if (e->state == VNET_NUD_STATIC)
		return true;
	return e->state == VNET_NUD_REACHABLE &&
	       now - e->confirmed_ns < (__u64)v->conf->arp_max_age * 1000000000ULL;
}

/* The output path's neighbor lookup: the entry for key if usable now. */
static __always_inline struct nbr_entry *nbr_lookup_usable(const struct vnet_ctx *v,
							   void *tbl, const void *key)
{
	struct nbr_entry *e = bpf_map_lookup_elem(tbl, key);

	if (e && e->state == VNET_NUD_STATIC)
		return e;
	return e && nbr_usable(v, e, vnet_now()) ? e : NULL;
}

/*
 * The frame to the neighbor: MACs rewritten, sent. Its fate: forwarded if
 * transit, sent by the host stack if it came from there; an answer the
 * dataplane built has its frame's fate counted already.
 */
static __always_inline int nbr_send(struct vnet_ctx *v, struct ethhdr *eth,
				    const struct nbr_entry *e,
				    const struct vnet_iface *out, __u32 ifindex,
				    bool transit, __u32 len)
{
	if (transit) {
		v->st->forwarded++;
		v->st->forwarded_bytes += len;
		v->fated = 1;
	} else if (!v->fated) {
		v->st->hoststack_out++;
		v->fated = 1;
	}
	__builtin_memcpy(eth->h_dest, e->mac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, out->mac, ETH_ALEN);
	return vnet_xmit(v, ifindex);
}

/* The pending entry of a next hop (addr: alen bytes, 4 or 16). */
static __always_inline void nbr_pend_key_set(struct nbr_pend_key *k, __u32 ifindex,
					     const void *addr, __u32 alen)
{
	__builtin_memset(k, 0, sizeof(*k));
	k->ifindex = ifindex;
	k->family = alen == 4 ? 4 : 6;
	__builtin_memcpy(k->addr, addr, alen == 4 ? 4 : 16);
}

/*
 * Learn (address, MAC) heard on the ingress interface, in table tbl under
 * key. Existing entries are refreshed; new ones are made only when
 * `create` (the message was aimed at us). Static entries are never
 * touched. A pending entry of the next hop is left to age out of its LRU:
 * the listing hides it behind the learned one.
 */
static __always_inline void nbr_learn(struct vnet_ctx *v, void *tbl, const void *key,
				      const __u8 *mac, bool create)
{
	struct nbr_entry *e, fresh = {};

	e = bpf_map_lookup_elem(tbl, key);
	if (e) {
		if (e->state == VNET_NUD_STATIC)
			return;
		__builtin_memcpy(e->mac, mac, ETH_ALEN);
		e->state = VNET_NUD_REACHABLE;
		e->asked = 0;
		e->confirmed_ns = vnet_now();
		v->st->arp_learned++;
		return;
	}
	if (!create)
		return;
	__builtin_memcpy(fresh.mac, mac, ETH_ALEN);
	fresh.state = VNET_NUD_REACHABLE;
	fresh.confirmed_ns = vnet_now();
	if (bpf_map_update_elem(tbl, key, &fresh, BPF_NOEXIST) == 0)
		v->st->arp_learned++;
	else
		v->st->neigh_full++;
}

/*
 * ARP: the sender must be on a subnet connected to this interface, so ARP
 * cannot plant entries for addresses that are not on the link.
 */
static __always_inline void nbr4_learn(struct vnet_ctx *v, __u32 ip,
				       const __u8 *mac, bool create,
				       const struct fib4_route *sender_rt)
{
	struct nbr4_key key = { .ifindex = v->ifindex, .addr = ip };
	void *tbl;

	if (!sender_rt || sender_rt->type != VNET_RT_UNICAST ||
	    sender_rt->gw != 0 || sender_rt->ifindex != v->ifindex)
		return;
	tbl = nbr4_table(v);
	if (!tbl)
		return;
	nbr_learn(v, tbl, &key, mac, create);
}

/* Rewrite the frame in place into "who-has tip, tell out->addr4". */
static __always_inline int arp_send_request(struct vnet_ctx *v, __u32 out_ifindex,
					    const struct vnet_iface *out, __u32 tip)
{
	struct xdp_md *ctx = v->xdp;
	struct ethhdr *eth;
	struct arp_eth *arp;
	void *data, *end;
	__u8 src[ETH_ALEN];
	__u32 sip = out->addr4;
	int delta;

	__builtin_memcpy(src, out->mac, ETH_ALEN);
	delta = (int)ARP_FRAME_LEN - (int)(ctx->data_end - ctx->data);
	if (delta && bpf_xdp_adjust_tail(ctx, delta))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	eth = data;
	arp = (void *)(eth + 1);
	if ((void *)(arp + 1) > end)
		return XDP_DROP;

	__builtin_memset(eth->h_dest, 0xff, ETH_ALEN);
	__builtin_memcpy(eth->h_source, src, ETH_ALEN);
	eth->h_proto = bpf_htons(ETH_P_ARP);
	arp->hdr.ar_hrd = bpf_htons(ARPHRD_ETHER);
	arp->hdr.ar_pro = bpf_htons(ETH_P_IP);
	arp->hdr.ar_hln = ETH_ALEN;
	arp->hdr.ar_pln = 4;
	arp->hdr.ar_op = bpf_htons(ARPOP_REQUEST);
	__builtin_memcpy(arp->sha, src, ETH_ALEN);
	store_be32(arp->spa, sip);
	__builtin_memset(arp->tha, 0, ETH_ALEN);
	store_be32(arp->tpa, tip);
	v->st->arp_requests++;
	return vnet_xmit(v, out_ifindex);
}

/* May a request for the next hop pk be sent now (the rate limit)? */
static __always_inline bool nbr_probe(struct vnet_ctx *v, const struct nbr_pend_key *pk)
{
	const struct vnet_conf *conf = v->conf;
	struct nbr_entry fresh = { .state = VNET_NUD_INCOMPLETE }, *e;
	void *pend = nbr_pend_table(v);
	__u64 now;

	if (!pend)
		return false;
	e = bpf_map_lookup_elem(pend, pk);
	if (!e) {
		if (bpf_map_update_elem(pend, pk, &fresh, BPF_NOEXIST)) {
			v->st->neigh_full++;
			return false;
		}
		e = bpf_map_lookup_elem(pend, pk);
		if (!e)
			return false;
	}
	now = vnet_now();
	if (e->asked && now - e->probed_ns < (__u64)conf->arp_rexmit_ms * 1000000ULL)
		return false;
	if (e->asked >= conf->arp_maxtries) {
		if (now - e->probed_ns < (__u64)conf->arp_wait * 1000000000ULL)
			return false;	/* host down: hold off */
		e->asked = 0;
	}
	e->asked++;
	e->probed_ns = now;
	return true;
}

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nd.h - neighbor discovery in XDP (RFC 4861), the IPv6 twin of arp.h:
 * answer solicitations for the vnet's addresses on the receiving interface
 * (its link-local included), learn from advertisements and solicitations,
 * and solicit unresolved next hops at their solicited-node address, rate
 * limited like ARP. Router solicitations and advertisements are not ours to
 * answer: they are dropped (a vnet does not advertise itself as a router).
 * Like ARP, NDP is not filtered.
 */
#ifndef VNET_ND_H
#define VNET_ND_H

#include "fib.h"
#include "icmp6.h"
#include "neigh.h"

#define ND_ROUTER_SOLICIT	133
#define ND_ROUTER_ADVERT	134
#define ND_NEIGHBOR_SOLICIT	135
#define ND_NEIGHBOR_ADVERT	136
#define ND_REDIRECT		137
#define ND_OPT_SOURCE_LLA	1
#define ND_OPT_TARGET_LLA	2
#define ND_NA_ROUTER		0x80	/* first byte of the flags word */
#define ND_NA_SOLICITED		0x40
#define ND_NA_OVERRIDE		0x20

/* A solicitation or advertisement, and the one link-layer option we use. */
struct nd_msg {
	__u8  type, code;
	__be16 cksum;
	__u8  flags, reserved[3];
	struct in6_addr target;
	__u8  opt_type, opt_len;	/* in units of 8 bytes */
	__u8  lla[ETH_ALEN];
};
_Static_assert(sizeof(struct nd_msg) == 32, "no padding in an ND message");

#define ND_MSG_LEN	24		/* without the option */
#define ND_FRAME_LEN	(sizeof(struct ethhdr) + IP6_HDR_LEN + sizeof(struct nd_msg))

static __always_inline bool nd_is_nd(__u8 type)
{
	return type >= ND_ROUTER_SOLICIT && type <= ND_REDIRECT;
}

static __always_inline void *nbr6_table(const struct vnet_ctx *v)
{
	__u32 id = v->id;

	return bpf_map_lookup_elem(&vnet_nbr6, &id);
}

/* Is a one of the vnet's addresses on the ingress interface? */
static __always_inline bool nd_is_ours(const struct vnet_ctx *v, const struct in6_addr *a)
{
	const struct fib6_route *rt;
	struct in6_addr ll;

	in6_linklocal(&ll, v->in->mac);
	if (in6_eq(a, &ll))
		return true;
	rt = fib6_lookup(v, a);
	return rt && rt->type == VNET_RT_LOCAL && rt->ifindex == v->ifindex;
}

/* On this link: link-local, or in a subnet connected to the interface. */
static __always_inline bool nd_on_link(const struct vnet_ctx *v, const struct in6_addr *a)
{
	const struct fib6_route *rt;

	if (in6_is_linklocal(a))
		return true;
	rt = fib6_lookup(v, a);
	return rt && rt->type == VNET_RT_UNICAST && rt->ifindex == v->ifindex &&
	       in6_is_zero((const struct in6_addr *)rt->gw);
}

static __always_inline void nbr6_learn(struct vnet_ctx *v, const struct in6_addr *a,
				       const __u8 *mac, bool create)
{
	struct nbr6_key key = { .ifindex = v->ifindex };
	void *tbl;

	if (mac_is_group(mac) || !nd_on_link(v, a))
		return;
	tbl = nbr6_table(v);
	if (!tbl)
		return;
	__builtin_memcpy(key.addr, a, 16);
	nbr_learn(v, tbl, &key, mac, create);
}

/* The frame becomes an ND message of ours: sizes and fixed fields. */
static __always_inline struct nd_msg *nd_frame(struct vnet_ctx *v, struct ethhdr **ethp,
					       struct ipv6hdr **ip6p)
{
	struct xdp_md *ctx = v->xdp;
	int delta = (int)ND_FRAME_LEN - (int)(ctx->data_end - ctx->data);
	struct ipv6hdr *ip6;
	struct nd_msg *m;
	void *data, *end;

	if (delta && bpf_xdp_adjust_tail(ctx, delta))
		return NULL;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	ip6 = data + sizeof(struct ethhdr);
	m = (void *)(ip6 + 1);
	if ((void *)(m + 1) > end)
		return NULL;
	((struct ethhdr *)data)->h_proto = bpf_htons(ETH_P_IPV6);
	*(__be32 *)ip6 = bpf_htonl(0x60000000);
	ip6->payload_len = bpf_htons(sizeof(*m));
	ip6->nexthdr = IPPROTO_ICMPV6;
	ip6->hop_limit = 255;
	__builtin_memset(m, 0, sizeof(*m));
	m->opt_len = 1;
	*ethp = data;
	*ip6p = ip6;
	return m;
}

static __always_inline void nd_finish(struct vnet_ctx *v, struct ipv6hdr *ip6,
				      struct nd_msg *m)
{
	icmp6_csum_set(ip6, (struct icmp6hdr *)m, sizeof(*m), sizeof(*m) / 4,
		       (void *)(long)v->xdp->data_end);
}

/* Solicitation -> advertisement of target, back out the ingress. The
 * arguments must not point into the frame, which this rewrites. */
static __always_inline int nd_advertise(struct vnet_ctx *v, const struct in6_addr *target,
					const struct in6_addr *to, const __u8 *to_mac)
{
	struct ipv6hdr *ip6;
	struct nd_msg *m;
	struct ethhdr *eth;

	m = nd_frame(v, &eth, &ip6);
	if (!m)
		return XDP_DROP;
	__builtin_memcpy(eth->h_dest, to_mac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, v->in->mac, ETH_ALEN);
	ip6->saddr = *target;
	ip6->daddr = *to;
	m->type = ND_NEIGHBOR_ADVERT;
	m->flags = ND_NA_ROUTER | ND_NA_SOLICITED | ND_NA_OVERRIDE;
	m->target = *target;
	m->opt_type = ND_OPT_TARGET_LLA;
	__builtin_memcpy(m->lla, v->in->mac, ETH_ALEN);
	nd_finish(v, ip6, m);
	v->st->arp_replies++;
	return XDP_TX;
}

/*
 * A neighbor discovery message for this vnet (RFC 4861 7.1 validity: hop
 * limit 255, code 0, checksum, a unicast or unspecified source).
 * Solicitations for our addresses are answered (delivered); the sender is
 * learned (created when it asked us, if glean); solicited advertisements
 * refresh or complete entries (delivered). Unsolicited advertisements
 * refresh entries and are dropped as neigh_ignored, like solicitations
 * for others and router discovery, which is not a router's to take here.
 */
static __always_inline int nd_input(struct vnet_ctx *v, struct ethhdr *eth,
				    struct ipv6hdr *ip6, const struct ip6_info *info)
{
	void *end = (void *)(long)v->xdp->data_end;
	__u32 len = bpf_ntohs(ip6->payload_len) + IP6_HDR_LEN - info->l4_off;
	struct icmp6hdr *h = ip6_l4(ip6, info, end, sizeof(*h));
	struct in6_addr target, src;
	struct nd_msg *m;
	bool has_lla, dad;
	__u8 mac[ETH_ALEN];

	v->st->arp_in++;
	if (!h)
		return vnet_drop(v, VNET_DROP_malformed);
	if (h->icmp6_type != ND_NEIGHBOR_SOLICIT && h->icmp6_type != ND_NEIGHBOR_ADVERT)
		return vnet_drop(v, VNET_DROP_neigh_ignored);
	m = ip6_l4(ip6, info, end, ND_MSG_LEN);
	if (!m || ip6->hop_limit != 255 || m->code || len < ND_MSG_LEN ||
	    in6_is_multicast(&m->target) || !icmp6_csum_ok(ip6, m, len, end))
		return vnet_drop(v, VNET_DROP_malformed);
	src = ip6->saddr;
	if (in6_is_multicast(&src) || in6_is_loopback(&src))
		return vnet_drop(v, VNET_DROP_martian);
	target = m->target;
	has_lla = len >= sizeof(*m) && (void *)(m + 1) <= end && m->opt_len == 1 &&
		  m->opt_type == (m->type == ND_NEIGHBOR_SOLICIT ? ND_OPT_SOURCE_LLA
								  : ND_OPT_TARGET_LLA);
	if (has_lla) {
		__builtin_memcpy(mac, m->lla, ETH_ALEN);
		if (mac_is_group(mac) || mac_is_zero(mac))	/* an answer would go nowhere */
			return vnet_drop(v, VNET_DROP_malformed);
	}

	if (m->type == ND_NEIGHBOR_ADVERT) {
		bool solicited = m->flags & ND_NA_SOLICITED;

		if (has_lla)
			nbr6_learn(v, &target, mac, solicited);
		if (!solicited)
			return vnet_drop(v, VNET_DROP_neigh_ignored);
		vnet_delivered(v);
		return XDP_DROP;	/* taken, learned from */
	}
	dad = in6_is_zero(&src);
	if (dad && !in6_is_solicited_node(&ip6->daddr))
		return vnet_drop(v, VNET_DROP_malformed);
	if (!nd_is_ours(v, &target))
		return vnet_drop(v, VNET_DROP_neigh_ignored);
	vnet_delivered(v);
	if (dad)		/* someone probes our address: it is taken */
		return XDP_DROP;
	if (has_lla)
		nbr6_learn(v, &src, mac, v->conf->arp_glean);
	else
		__builtin_memcpy(mac, eth->h_source, ETH_ALEN);
	return nd_advertise(v, &target, &src, mac);
}

/* Rewrite the frame into a solicitation for target, out of out_ifindex. */
static __always_inline int nd_send_solicit(struct vnet_ctx *v, __u32 out_ifindex,
					   const struct vnet_iface *out,
					   const struct in6_addr *target)
{
	struct in6_addr t = *target, group;
	__u8 src[ETH_ALEN];
	struct ipv6hdr *ip6;
	struct ethhdr *eth;
	struct nd_msg *m;

	__builtin_memcpy(src, out->mac, ETH_ALEN);
	m = nd_frame(v, &eth, &ip6);
	if (!m)
		return XDP_DROP;
	in6_solicited_node(&group, &t);
	mac_of_mcast6(eth->h_dest, &group);
	__builtin_memcpy(eth->h_source, src, ETH_ALEN);
	in6_linklocal(&ip6->saddr, src);
	ip6->daddr = group;
	m->type = ND_NEIGHBOR_SOLICIT;
	m->target = t;
	m->opt_type = ND_OPT_SOURCE_LLA;
	__builtin_memcpy(m->lla, src, ETH_ALEN);
	nd_finish(v, ip6, m);
	v->st->arp_requests++;
	return vnet_xmit(v, out_ifindex);
}

/*
 * An ND message received; l4_off: where it starts in the IPv6 packet. A
 * global function, with its own stack frame: the walk's frame plus the
 * deepest of its callees' must stay within the verifier's 512 bytes, and
 * this needs room for addresses.
 */
__attribute__((noinline))
int vnet_nd_input(struct xdp_md *ctx, __u32 vnet, __u32 l4_off)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6 = (void *)(eth + 1);
	struct ip6_info info = { .proto = IPPROTO_ICMPV6, .l4_off = l4_off };
	struct vnet_ctx v;

	if (!curvnet_of(&v, ctx, vnet, true) || (void *)(ip6 + 1) > end)
		return XDP_DROP;
	return nd_input(&v, eth, ip6, &info);
}

#endif

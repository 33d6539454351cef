/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * icmp6.h - ICMPv6 the datapath originates (RFC 4443): echo replies for
 * the vnet's addresses and errors about packets it cannot forward (time
 * exceeded, destination unreachable, packet too big), built in place of
 * the packet, checksummed over the pseudo-header, then routed as locally
 * originated. Errors quote as much of the packet as fits in the minimum
 * MTU, and share the vnet's ICMP rate limit (net.inet.icmp.icmplim).
 */
#ifndef VNET_ICMP6_H
#define VNET_ICMP6_H

#include "icmp.h"
#include "ip6.h"

/* Largest error: 1280 - IPv6 header - ICMPv6 header, in 4-byte words. */
#define ICMP6_QUOTE_MAX		(IP6_MIN_MTU - IP6_HDR_LEN - 8)
#define ICMP6_ERR_MAX_WORDS	((8 + ICMP6_QUOTE_MAX) / 4)

/* True when an ICMPv6 message of len bytes (a multiple of 4, at most
 * max_words words) at icmp sums to 0xffff with its pseudo-header. */
static __always_inline bool icmp6_csum_ok(const struct ipv6hdr *ip6, void *icmp,
					  __u32 len, void *end)
{
	if (len & 3 || len > 4 * 64)
		return false;
	return csum_fold(ip6_pseudo_sum(ip6, len, IPPROTO_ICMPV6) +
			 csum_words(icmp, len / 4, 64, end)) == 0xffff;
}

static __always_inline void icmp6_csum_set(const struct ipv6hdr *ip6, struct icmp6hdr *h,
					   __u32 len, __u32 max_words, void *end)
{
	h->icmp6_cksum = 0;
	h->icmp6_cksum = ~csum_fold(ip6_pseudo_sum(ip6, len, IPPROTO_ICMPV6) +
				    csum_words((__u32 *)h, len / 4, max_words, end));
}

/* Echo request -> echo reply, in place (the swap leaves the sum as it is). */
static __always_inline void icmp6_echo_reply(struct vnet_ctx *v, struct ipv6hdr *ip6,
					     struct icmp6hdr *h)
{
	struct in6_addr a = ip6->saddr;
	__u16 *type_code = (__u16 *)h;
	__u16 old = *type_code;

	ip6->saddr = ip6->daddr;
	ip6->daddr = a;
	ip6->hop_limit = v->conf6->hlim;
	h->icmp6_type = ICMPV6_ECHO_REPLY;
	h->icmp6_cksum = csum_replace2(h->icmp6_cksum, old, *type_code);
	v->st->icmp_out++;
}

/*
 * RFC 4443 2.4 (e): never about an ICMPv6 error, a packet from the
 * unspecified or a multicast address, or (packet too big aside) to a
 * multicast address.
 */
static __always_inline bool icmp6_error_allowed(const struct ipv6hdr *ip6,
						const struct ip6_info *info, void *end,
						bool too_big)
{
	const struct icmp6hdr *h;

	if (in6_is_zero(&ip6->saddr) || in6_is_multicast(&ip6->saddr) ||
	    (!too_big && in6_is_multicast(&ip6->daddr)))
		return false;
	if (info->proto != IPPROTO_ICMPV6 || (info->frag && info->frag_off))
		return true;
	h = ip6_l4((struct ipv6hdr *)ip6, info, end, sizeof(*h));
	return h && h->icmp6_type >= 128;	/* informational */
}

/*
 * Rebuild the frame as ICMPv6 (type, code) about the packet it carries,
 * from the ingress interface's primary address (its link-local without
 * one) to the packet's source. `info` fills the 32-bit field after the
 * checksum (the MTU of "packet too big"). Returns 0 when ready to route.
 *
 * A global function: the verifier checks it once, not at each of the
 * call sites its checksum loop of up to 310 words would be inlined into.
 */
__attribute__((noinline))
int vnet_icmp6_error(struct xdp_md *ctx, __u32 vnet, __u32 type_code, __u32 info)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	const int grow = IP6_HDR_LEN + 8;
	struct ipv6hdr *ip6 = data + sizeof(struct ethhdr);
	__u32 ifindex = ctx->ingress_ifindex, quote;
	const struct vnet_iface6 *if6;
	const struct vnet_iface *in;
	const struct vnet_conf6 *c6;
	struct vnet_stats *st;
	struct ipv6hdr *orig;
	struct icmp6hdr *h;

	in = bpf_map_lookup_elem(&vnet_ifaces, &ifindex);
	if6 = bpf_map_lookup_elem(&vnet_ifaces6, &ifindex);
	c6 = bpf_map_lookup_elem(&vnet_conf6, &vnet);
	st = bpf_map_lookup_elem(&vnet_stats6, &vnet);
	if (!in || !if6 || !c6 || !st || (void *)(ip6 + 1) > end)
		return -1;
	quote = end - (void *)ip6;
	if (quote > ICMP6_QUOTE_MAX)
		quote = ICMP6_QUOTE_MAX;
	quote &= ~7U;

	if (bpf_xdp_adjust_tail(ctx, (int)(sizeof(struct ethhdr) + quote) -
				     (int)(end - data)))
		return -1;
	if (bpf_xdp_adjust_head(ctx, -grow))
		return -1;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	ip6 = data + sizeof(struct ethhdr);
	h = (void *)(ip6 + 1);
	orig = (void *)(h + 1);		/* the quote: the packet, from its header */
	if ((void *)(orig + 1) > end)
		return -1;

	((struct ethhdr *)data)->h_proto = bpf_htons(ETH_P_IPV6);
	*(__be32 *)ip6 = bpf_htonl(0x60000000);	/* version 6, no class, no flow */
	ip6->payload_len = bpf_htons(8 + quote);
	ip6->nexthdr = IPPROTO_ICMPV6;
	ip6->hop_limit = c6->hlim;
	ip6->daddr = orig->saddr;
	if (!in6_is_zero((const struct in6_addr *)if6->addr))
		__builtin_memcpy(&ip6->saddr, if6->addr, 16);
	else
		in6_linklocal(&ip6->saddr, in->mac);
	h->icmp6_type = type_code >> 8;
	h->icmp6_code = type_code & 0xff;
	h->icmp6_dataun.un_data32[0] = bpf_htonl(info);
	icmp6_csum_set(ip6, h, 8 + quote, ICMP6_ERR_MAX_WORDS, end);
	st->icmp_out++;
	return 0;
}

static __always_inline int icmp6_error(struct vnet_ctx *v, __u8 type, __u8 code,
				       __u32 info)
{
	return vnet_icmp6_error(v->xdp, v->id, (__u32)type << 8 | code, info);
}

static __always_inline int icmp6_error_or_drop(struct vnet_ctx *v, struct ipv6hdr *ip6,
					       const struct ip6_info *info, __u8 type,
					       __u8 code, __u32 data32)
{
	void *end = (void *)(long)v->xdp->data_end;

	if (!v->conf6->icmp6_errors ||
	    !icmp6_error_allowed(ip6, info, end, type == ICMPV6_PKT_TOOBIG) ||
	    !icmp_ratelimit_ok(v))
		return V_DROP;
	return icmp6_error(v, type, code, data32) ? V_DROP : V_ORIGINATE;
}

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fw_reject.h - the answer of a `reject` rule, built in place of the
 * packet: a TCP RST from the address the segment was sent to (RFC 9293
 * 3.10.7.1: the ACK of an ACK-less segment covers its SYN, FIN and data),
 * or for anything else ICMP "communication administratively prohibited"
 * (RFC 1812 5.2.7.1; ICMPv6 destination unreachable code 1), rate-limited
 * like every ICMP error. Nothing is sent about a RST or an ICMP error.
 */
#ifndef VNET_FW_REJECT_H
#define VNET_FW_REJECT_H

#include "fw_pkt.h"

/* A multicast, broadcast or unspecified address (network order words). */
static __always_inline bool fw_addr_is_group(__u8 family, const __u32 *a)
{
	if (family == 6)
		return (a[0] & bpf_htonl(0xff000000)) == bpf_htonl(0xff000000) ||
		       (a[0] | a[1] | a[2] | a[3]) == 0;
	return ip_net8(a[0]) >= 224 || a[0] == 0;
}

/* What a RST answers, read before the frame is rewritten (the addresses
 * stay in the caller's fw_pkt). */
struct rst_of {
	__be16 sport, dport;
	__be32 seq, ack;
	__u32 seglen;		/* sequence space the segment used */
	__u8 flags;
};

static __always_inline void fw_rst_fill(struct tcphdr *t, const struct rst_of *r)
{
	__builtin_memset(t, 0, sizeof(*t));
	t->source = r->dport;
	t->dest = r->sport;
	t->doff = 5;
	t->rst = 1;
	if (r->flags & TCPF_ACK) {
		t->seq = r->ack;
	} else {
		t->ack = 1;
		t->ack_seq = bpf_htonl(bpf_ntohl(r->seq) + r->seglen);
	}
}

/* The frame (Ethernet + IP header of nh bytes + 20) with a RST in it. */
static __always_inline int fw_tcp_rst(struct vnet_ctx *v, const struct fw_pkt *p)
{
	struct xdp_md *ctx = v->xdp;
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	bool v6 = p->family == 6;
	__u32 nh = v6 ? IP6_HDR_LEN : sizeof(struct iphdr), id = v->id;
	const struct vnet_conf6 *c6 = bpf_map_lookup_elem(&vnet_conf6, &id);
	const struct vnet_conf *c4 = bpf_map_lookup_elem(&vnet_conf, &id);
	__u32 off = p->l4_off;
	struct tcphdr *t;
	struct rst_of r;
	__u64 sum;

	if (off > FW_L4_OFF_MAX)
		return V_DROP;
	t = data + off;
	if ((void *)(t + 1) > end)
		return V_DROP;
	r.flags = ((__u8 *)t)[13];
	if (r.flags & TCPF_RST)
		return V_DROP;
	r.sport = t->source;
	r.dport = t->dest;
	r.seq = t->seq;
	r.ack = t->ack_seq;
	r.seglen = p->len - (p->l4_off - sizeof(struct ethhdr)) - t->doff * 4 +
		   !!(r.flags & TCPF_SYN) + !!(r.flags & TCPF_FIN);

	if (bpf_xdp_adjust_tail(ctx, (int)(sizeof(struct ethhdr) + nh + sizeof(*t)) -
				     (int)(end - data)))
		return V_DROP;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (v6) {
		struct ipv6hdr *ip6 = data + sizeof(struct ethhdr);

		if (!c6)
			return V_DROP;
		t = (void *)(ip6 + 1);
		if ((void *)(t + 1) > end)
			return V_DROP;
		*(__be32 *)ip6 = bpf_htonl(0x60000000);
		ip6->payload_len = bpf_htons(sizeof(*t));
		ip6->nexthdr = IPPROTO_TCP;
		ip6->hop_limit = c6->hlim;
		for (int i = 0; i < 4; i++) {
			ip6->saddr.in6_u.u6_addr32[i] = p->dst[i];
			ip6->daddr.in6_u.u6_addr32[i] = p->src[i];
		}
		fw_rst_fill(t, &r);
		sum = ip6_pseudo_sum(ip6, sizeof(*t), IPPROTO_TCP);
	} else {
		struct iphdr *iph = data + sizeof(struct ethhdr);

		t = (void *)(iph + 1);
		if ((void *)(t + 1) > end || !c4)
			return V_DROP;
		iph->version = 4;
		iph->ihl = 5;
		iph->tos = 0;
		iph->tot_len = bpf_htons(sizeof(*iph) + sizeof(*t));
		iph->id = 0;
		iph->frag_off = bpf_htons(0x4000);	/* DF */
		iph->ttl = c4->ip_ttl;
		iph->protocol = IPPROTO_TCP;
		iph->saddr = p->dst[0];
		iph->daddr = p->src[0];
		ip_csum_set(iph);
		fw_rst_fill(t, &r);
		sum = (__u64)iph->saddr + iph->daddr + bpf_htons(IPPROTO_TCP) +
		      bpf_htons(sizeof(*t));
	}
	sum += csum_words((__u32 *)t, 5, 5, end);
	t->check = ~csum_fold(sum);
	return V_ORIGINATE;
}

/*
 * TCP: the RST, built here (V_ORIGINATE). Anything else: V_UNREACH, and
 * the caller sends the ICMP error from the top of the walk (this runs in
 * the filter's own function, whose stack cannot also hold the error's).
 */
static __always_inline int fw_reject(struct vnet_ctx *v, const struct fw_pkt *p)
{
	/* Nothing to or from a group (RFC 1122 4.2.3.10, RFC 4443 2.4 (e)):
	 * the answer's source would be the group, or go to one. */
	if (fw_addr_is_group(p->family, p->dst) || fw_addr_is_group(p->family, p->src))
		return V_DROP;
	if (p->proto == IPPROTO_TCP && p->l4)
		return fw_tcp_rst(v, p);
	if (p->icmp_err)
		return V_DROP;	/* nothing about an ICMP error */
	return V_UNREACH;
}

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fw_state.h - the vnet's state table (ipfw dynamic rules, pf states).
 *
 * A keep-state rule records the flow; from then on packets of the flow in
 * either direction take the state's verdict in one hash lookup, whatever
 * the number of rules. Lifetimes follow ipfw: TCP by the flags seen (SYN
 * from one end, both ends, FIN from both, RST), UDP and the rest by time.
 * An expired state is removed when a packet finds it.
 */
#ifndef VNET_FW_STATE_H
#define VNET_FW_STATE_H

#include "fw_pkt.h"

#define NSEC_PER_SEC	1000000000ULL

/*
 * The flow's key, lower (address, port) end first; *from_a: the packet
 * comes from the a end. Addresses are `words` 32-bit words (1 or 4), read
 * from the parsed packet or straight from a quoted header.
 */
static __always_inline void fw_key_set(struct fw_state_key *k, __u8 family, __u8 proto,
				       const __u32 *src, const __u32 *dst, __u16 sport,
				       __u16 dport, bool *from_a)
{
	int words = family == 6 ? 4 : 1, cmp = 0;

	__builtin_memset(k, 0, sizeof(*k));
	for (int i = 0; i < 4; i++)
		if (i < words && !cmp && src[i] != dst[i])
			cmp = src[i] < dst[i] ? -1 : 1;
	if (!cmp)
		cmp = sport < dport ? -1 : sport > dport;
	*from_a = cmp <= 0;
	for (int i = 0; i < 4; i++) {
		if (i >= words)
			break;
		k->a[i] = *from_a ? src[i] : dst[i];
		k->b[i] = *from_a ? dst[i] : src[i];
	}
	k->pa = *from_a ? sport : dport;
	k->pb = *from_a ? dport : sport;
	k->proto = proto;
	k->family = family;
}

static __always_inline void fw_state_key(struct fw_state_key *k,
					 const struct fw_pkt *p, bool *from_a)
{
	fw_key_set(k, p->family, p->proto, p->src, p->dst, p->sport, p->dport, from_a);
}

static __always_inline __u64 fw_lifetime(const struct vnet_fw *fw, __u8 proto,
					 __u8 tcp)
{
	__u32 s;

	if (proto == IPPROTO_TCP) {
		if (tcp & FW_TCP_RST)
			s = fw->rst_lifetime;
		else if ((tcp & (FW_TCP_FIN_A | FW_TCP_FIN_B)) ==
			 (FW_TCP_FIN_A | FW_TCP_FIN_B))
			s = fw->fin_lifetime;
		else if ((tcp & (FW_TCP_SYN_A | FW_TCP_SYN_B)) ==
			 (FW_TCP_SYN_A | FW_TCP_SYN_B))
			s = fw->ack_lifetime;
		else
			s = fw->syn_lifetime;
	} else if (proto == IPPROTO_UDP) {
		s = fw->udp_lifetime;
	} else {
		s = fw->short_lifetime;
	}
	return s * NSEC_PER_SEC;
}

static __always_inline __u8 fw_tcp_seen(const struct fw_pkt *p, bool from_a)
{
	__u8 t = 0;

	if (p->proto != IPPROTO_TCP)
		return 0;
	if (p->tcpflags & TCPF_SYN)
		t |= from_a ? FW_TCP_SYN_A : FW_TCP_SYN_B;
	if (p->tcpflags & TCPF_FIN)
		t |= from_a ? FW_TCP_FIN_A : FW_TCP_FIN_B;
	if (p->tcpflags & TCPF_RST)
		t |= FW_TCP_RST;
	return t;
}

static __always_inline void *fw_state_table(const struct vnet_ctx *v)
{
	__u32 id = v->id;

	return bpf_map_lookup_elem(&vnet_fwstate, &id);
}

/* The live state under key k, or NULL (an expired one is removed). */
static __always_inline struct fw_state *
fw_state_find(struct vnet_ctx *v, void *tbl, const struct fw_state_key *k, __u64 now)
{
	struct fw_state *s = bpf_map_lookup_elem(tbl, k);

	if (s && now > s->expire_ns) {
		bpf_map_delete_elem(tbl, k);
		v->fst->states_expired++;
		return NULL;
	}
	return s;
}

/*
 * A packet of the flow: note its TCP flags and push the expiry out. The
 * expiry is rewritten when the TCP phase changes or at most once a second
 * otherwise, so that an established flow's packets mostly only read it.
 */
static __always_inline void fw_state_touch(const struct vnet_fw *fw,
					   struct fw_state *s,
					   const struct fw_pkt *p, bool from_a,
					   __u64 now)
{
	__u8 tcp = s->tcp | fw_tcp_seen(p, from_a);
	__u64 exp = now + fw_lifetime(fw, p->proto, tcp);

	if (tcp != s->tcp) {
		s->tcp = tcp;
		s->expire_ns = exp;
	} else if (exp > s->expire_ns + NSEC_PER_SEC) {
		s->expire_ns = exp;
	}
	s->packets++;
	s->bytes += p->len;
}

/* A state for p's flow, whose key k and direction from_a are known. */
static __always_inline void fw_state_create(struct vnet_ctx *v,
					    const struct vnet_fw *fw, void *tbl,
					    const struct fw_state_key *k, bool from_a,
					    const struct fw_pkt *p, __u16 rule,
					    __u8 fib, bool fib_set, __u64 now)
{
	struct fw_state s = {};

	s.tcp = fw_tcp_seen(p, from_a);
	s.expire_ns = now + fw_lifetime(fw, p->proto, s.tcp);
	s.packets = 1;
	s.bytes = p->len;
	s.rule = rule;
	s.fib = fib;
	s.fib_set = fib_set;
	s.init_a = from_a;
	if (!bpf_map_update_elem(tbl, k, &s, BPF_NOEXIST))
		v->fst->states_created++;
}

/* The quoted packet's ports (or ICMP echo identifier), host order. */
static __always_inline int fw_quote_ports(__u8 proto, void *l4, void *end,
					  __u16 *sport, __u16 *dport)
{
	*sport = *dport = 0;
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP) {
		__be16 *ports = l4;

		if ((void *)(ports + 2) > end)
			return -1;
		*sport = bpf_ntohs(ports[0]);
		*dport = bpf_ntohs(ports[1]);
	} else if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
		struct icmphdr *i = l4;	/* type, code, sum, identifier: alike */

		if ((void *)(i + 1) > end)
			return -1;
		if (icmp_is_echo(i->type) || i->type == ICMPV6_ECHO_REQUEST ||
		    i->type == ICMPV6_ECHO_REPLY)
			*sport = *dport = bpf_ntohs(i->un.echo.id);
	}
	return 0;
}

/*
 * The state of the packet an ICMP error quotes (its IP header and at least
 * 8 bytes of transport header, within the error's own length), if the flow
 * is live; k is the caller's key buffer. A quoted IPv6 packet with
 * extension headers is not looked into.
 */
static __always_inline struct fw_state *
fw_state_of_quote(struct vnet_ctx *v, void *tbl, const struct fw_pkt *p,
		  struct fw_state_key *k, __u64 now)
{
	void *data = (void *)(long)v->xdp->data;
	void *end = (void *)(long)v->xdp->data_end;
	__u32 off = p->l4_off;
	__u16 sport, dport;
	bool from_a;
	void *quote;

	if (off > FW_L4_OFF_MAX)
		return NULL;
	quote = data + off + sizeof(struct icmphdr);

	if (p->family == 4) {
		struct iphdr *in = quote;
		__u32 hlen;

		if ((void *)(in + 1) > end || in->version != 4)
			return NULL;
		hlen = (in->ihl * 4) & 0x3c;
		if (hlen < sizeof(*in) || off + 8 + hlen + 8 > sizeof(struct ethhdr) + p->len ||
		    fw_quote_ports(in->protocol, quote + hlen, end, &sport, &dport))
			return NULL;
		fw_key_set(k, 4, in->protocol, &in->saddr, &in->daddr, sport, dport,
			   &from_a);
	} else {
		struct ipv6hdr *in = quote;

		if ((void *)(in + 1) > end || in->version != 6 ||
		    off + 8 + sizeof(*in) + 8 > sizeof(struct ethhdr) + p->len ||
		    fw_quote_ports(in->nexthdr, in + 1, end, &sport, &dport))
			return NULL;
		fw_key_set(k, 6, in->nexthdr, in->saddr.in6_u.u6_addr32,
			   in->daddr.in6_u.u6_addr32, sport, dport, &from_a);
	}
	return fw_state_find(v, tbl, k, now);
}

#endif

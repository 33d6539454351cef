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

/* The flow's key, lower (address, port) end first; *from_a: p comes from a. */
static __always_inline void fw_state_key(struct fw_state_key *k,
					 const struct fw_pkt *p, bool *from_a)
{
	int cmp = 0;

	for (int i = 0; i < 4; i++)
		if (!cmp && p->src[i] != p->dst[i])
			cmp = p->src[i] < p->dst[i] ? -1 : 1;
	if (!cmp)
		cmp = p->sport < p->dport ? -1 : p->sport > p->dport;
	*from_a = cmp <= 0;
	__builtin_memset(k, 0, sizeof(*k));
	for (int i = 0; i < 4; i++) {
		k->a[i] = *from_a ? p->src[i] : p->dst[i];
		k->b[i] = *from_a ? p->dst[i] : p->src[i];
	}
	k->pa = *from_a ? p->sport : p->dport;
	k->pb = *from_a ? p->dport : p->sport;
	k->proto = p->proto;
	k->family = p->family;
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

/* The live state of p's flow, or NULL (an expired one is removed). */
static __always_inline struct fw_state *
fw_state_find(struct vnet_ctx *v, void *tbl, const struct fw_pkt *p,
	      bool *from_a, __u64 now)
{
	struct fw_state_key k;
	struct fw_state *s;

	fw_state_key(&k, p, from_a);
	s = bpf_map_lookup_elem(tbl, &k);
	if (s && now > s->expire_ns) {
		bpf_map_delete_elem(tbl, &k);
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

static __always_inline void fw_state_create(struct vnet_ctx *v,
					    const struct vnet_fw *fw, void *tbl,
					    const struct fw_pkt *p, __u16 rule,
					    __u8 fib, bool fib_set, __u64 now)
{
	struct fw_state_key k;
	struct fw_state s = {};
	bool from_a;

	fw_state_key(&k, p, &from_a);
	s.tcp = fw_tcp_seen(p, from_a);
	s.expire_ns = now + fw_lifetime(fw, p->proto, s.tcp);
	s.packets = 1;
	s.bytes = p->len;
	s.rule = rule;
	s.fib = fib;
	s.fib_set = fib_set;
	s.init_a = from_a;
	if (!bpf_map_update_elem(tbl, &k, &s, BPF_NOEXIST))
		v->fst->states_created++;
}

/*
 * The state of the packet an ICMP error quotes (its IPv4 header and first
 * 8 bytes of transport header), if the flow is live.
 */
static __always_inline struct fw_state *
fw_state_of_quote(struct vnet_ctx *v, void *tbl, const struct fw_pkt *p,
		  __u64 now)
{
	void *data = (void *)(long)v->xdp->data;
	void *end = (void *)(long)v->xdp->data_end;
	struct iphdr *in = data + (p->l4_off & 0xff) + sizeof(struct icmphdr);
	struct fw_pkt q;
	bool from_a;
	__u32 hlen;

	if ((void *)(in + 1) > end || in->version != 4)
		return NULL;
	hlen = (in->ihl * 4) & 0x3c;
	if (hlen < sizeof(*in))
		return NULL;
	__builtin_memset(&q, 0, sizeof(q));
	q.family = 4;
	q.src[0] = in->saddr;
	q.dst[0] = in->daddr;
	q.proto = in->protocol;
	/* The quote holds 8 bytes: ports, or the ICMP type and identifier. */
	if (q.proto == IPPROTO_TCP || q.proto == IPPROTO_UDP) {
		__be16 *ports = (void *)in + hlen;

		if ((void *)(ports + 2) > end)
			return NULL;
		q.sport = bpf_ntohs(ports[0]);
		q.dport = bpf_ntohs(ports[1]);
	} else if (q.proto == IPPROTO_ICMP) {
		struct icmphdr *i = (void *)in + hlen;

		if ((void *)(i + 1) > end)
			return NULL;
		if (icmp_is_echo(i->type))
			q.sport = q.dport = bpf_ntohs(i->un.echo.id);
	}
	return fw_state_find(v, tbl, &q, &from_a, now);
}

#endif

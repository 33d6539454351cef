/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fw_reject.h - the answer of a `reject` rule, built in place of the
 * packet: a TCP RST from the address the segment was sent to (RFC 9293
 * 3.10.7.1: the ACK of an ACK-less segment covers its SYN, FIN and data),
 * or for anything else ICMP "communication administratively prohibited"
 * (RFC 1812 5.2.7.1), rate-limited like every ICMP error. Nothing is sent
 * about a RST or an ICMP error.
 */
#ifndef VNET_FW_REJECT_H
#define VNET_FW_REJECT_H

#include "fw_pkt.h"

static __always_inline int fw_tcp_rst(struct vnet_ctx *v)
{
	struct xdp_md *ctx = v->xdp;
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	const int len = sizeof(struct iphdr) + sizeof(struct tcphdr);
	struct iphdr *iph = data + sizeof(struct ethhdr);
	struct tcphdr *t;
	__u32 hlen, saddr, daddr, seq, ack, seglen;
	__u16 sport, dport;
	__u8 flags;
	__u64 sum;

	if ((void *)(iph + 1) > end)
		return V_DROP;
	hlen = (iph->ihl * 4) & 0x3c;
	t = (void *)iph + hlen;
	if ((void *)(t + 1) > end)
		return V_DROP;
	flags = ((__u8 *)t)[13];
	if (flags & TCPF_RST)
		return V_DROP;
	saddr = iph->saddr;
	daddr = iph->daddr;
	sport = t->source;
	dport = t->dest;
	seq = t->seq;
	ack = t->ack_seq;
	seglen = bpf_ntohs(iph->tot_len) - hlen - t->doff * 4 +
		 !!(flags & TCPF_SYN) + !!(flags & TCPF_FIN);

	if (bpf_xdp_adjust_tail(ctx, (int)(sizeof(struct ethhdr) + len) -
				     (int)(end - data)))
		return V_DROP;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	iph = data + sizeof(struct ethhdr);
	t = (void *)(iph + 1);
	if ((void *)(t + 1) > end)
		return V_DROP;

	iph->version = 4;
	iph->ihl = 5;
	iph->tos = 0;
	iph->tot_len = bpf_htons(len);
	iph->id = 0;
	iph->frag_off = bpf_htons(0x4000);	/* DF */
	iph->ttl = v->conf->ip_ttl;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = daddr;
	iph->daddr = saddr;
	ip_csum_set(iph);

	__builtin_memset(t, 0, sizeof(*t));
	t->source = dport;
	t->dest = sport;
	t->doff = 5;
	t->rst = 1;
	if (flags & TCPF_ACK) {
		t->seq = ack;
	} else {
		t->ack = 1;
		t->ack_seq = bpf_htonl(bpf_ntohl(seq) + seglen);
	}
	sum = (__u64)iph->saddr + iph->daddr + bpf_htons(IPPROTO_TCP) +
	      bpf_htons(sizeof(*t));
	sum += csum_words((__u32 *)t, 5, 5, end);
	t->check = ~csum_fold(sum);
	return V_ORIGINATE;
}

static __always_inline int fw_reject(struct vnet_ctx *v, const struct fw_pkt *p)
{
	struct iphdr *iph = (void *)(long)v->xdp->data + sizeof(struct ethhdr);

	if ((void *)(iph + 1) > (void *)(long)v->xdp->data_end)
		return V_DROP;
	if (p->proto == IPPROTO_TCP && p->l4)
		return fw_tcp_rst(v);
	return icmp_error_or_drop(v, iph, true, ICMP_DEST_UNREACH,
				  ICMP_PKT_FILTERED, 0);
}

#endif

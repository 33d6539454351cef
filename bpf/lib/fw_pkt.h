/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fw_pkt.h - what the filter matches on, read once per packet: addresses,
 * protocol, ports, TCP flags, ICMP type. A non-first fragment carries no
 * transport header, so it has no ports and never matches a rule that asks
 * for them (ipfw's behaviour); a first fragment too short to hold its
 * transport header is malformed.
 */
#ifndef VNET_FW_PKT_H
#define VNET_FW_PKT_H

#include <linux/tcp.h>
#include <linux/udp.h>
#include "icmp.h"
#include "ip6.h"

#define TCPF_FIN	0x01
#define TCPF_SYN	0x02
#define TCPF_RST	0x04
#define TCPF_ACK	0x10

struct fw_pkt {
	__u32 src[4], dst[4];	/* network order; IPv4 in word 0 */
	__u16 sport, dport;	/* host order; ICMP echo: the identifier */
	__u8  proto;
	__u8  family;		/* 0: not parsed yet */
	__u8  tcpflags;
	__u8  icmp_type;
	__u8  l4;		/* transport header present (not a later fragment) */
	__u8  ports;		/* sport/dport are TCP or UDP ports */
	__u8  icmp_err;		/* an ICMP error: it quotes another packet */
	__u8  pad;
	__u32 len;		/* IP length, for byte counters */
	__u32 l4_off;		/* transport header, from the start of the frame:
				 * at most FW_L4_OFF_MAX, checked again by readers */
};

#define FW_L4_OFF_MAX	(sizeof(struct ethhdr) + IP6_L4_MAX)

/*
 * The filter's facts about the packet in flight, one per CPU (XDP runs a
 * packet to completion on its CPU): off the stack, which the program and
 * the filter's function share within the verifier's 512 bytes.
 * Program-private, not pinned.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fw_pkt);
} vnet_scratch SEC(".maps");

/* Not parsed yet (family 0); the parsers fill every other field. */
static __always_inline struct fw_pkt *fw_pkt_scratch(void)
{
	__u32 zero = 0;
	struct fw_pkt *p = bpf_map_lookup_elem(&vnet_scratch, &zero);

	if (p)
		p->family = 0;
	return p;
}

/* ICMP carrying an identifier that both directions share. */
static __always_inline bool icmp_is_echo(__u8 type)
{
	return type == ICMP_ECHO || type == ICMP_ECHOREPLY;
}

/*
 * Transport fields of a packet whose L4 header starts at l4 and has
 * l4_len bytes in the packet. Both bounds are checked: the frame's for
 * the verifier, the packet's so that a short packet in a longer frame
 * (Ethernet pads short frames) is not read past its end.
 */
static __always_inline int fw_pkt_l4(struct fw_pkt *p, void *l4, void *end, __u32 l4_len)
{
	if (p->proto == IPPROTO_TCP) {
		struct tcphdr *t = l4;

		if ((void *)(t + 1) > end || l4_len < sizeof(*t))
			return -1;
		p->sport = bpf_ntohs(t->source);
		p->dport = bpf_ntohs(t->dest);
		p->tcpflags = ((__u8 *)t)[13];
		p->ports = 1;
	} else if (p->proto == IPPROTO_UDP) {
		struct udphdr *u = l4;

		if ((void *)(u + 1) > end || l4_len < sizeof(*u))
			return -1;
		p->sport = bpf_ntohs(u->source);
		p->dport = bpf_ntohs(u->dest);
		p->ports = 1;
	} else if (p->proto == IPPROTO_ICMP) {
		struct icmphdr *i = l4;

		if ((void *)(i + 1) > end || l4_len < sizeof(*i))
			return -1;
		p->icmp_type = i->type;
		p->icmp_err = icmp_is_error(i->type);
		if (icmp_is_echo(i->type))
			p->sport = p->dport = bpf_ntohs(i->un.echo.id);
	} else if (p->proto == IPPROTO_ICMPV6) {
		struct icmp6hdr *i = l4;

		if ((void *)(i + 1) > end || l4_len < sizeof(*i))
			return -1;
		p->icmp_type = i->icmp6_type;
		p->icmp_err = i->icmp6_type < 128;	/* RFC 4443 2.1 */
		if (i->icmp6_type == ICMPV6_ECHO_REQUEST || i->icmp6_type == ICMPV6_ECHO_REPLY)
			p->sport = p->dport = bpf_ntohs(i->icmp6_identifier);
	}
	p->l4 = 1;
	return 0;
}

/* Fill p from a validated IPv4 header; -1: truncated transport header. */
static __always_inline int fw_pkt_ip4(struct fw_pkt *p, struct iphdr *iph,
				      void *data, void *end)
{
	__u32 hlen = (iph->ihl * 4) & 0x3c;

	__builtin_memset(p, 0, sizeof(*p));
	p->family = 4;
	p->src[0] = iph->saddr;
	p->dst[0] = iph->daddr;
	p->proto = iph->protocol;
	p->len = bpf_ntohs(iph->tot_len);
	p->l4_off = (void *)iph + hlen - data;
	if (iph->frag_off & bpf_htons(0x1fff))	/* a later fragment */
		return 0;
	return fw_pkt_l4(p, (void *)iph + hlen, end, p->len - hlen);
}

/* The same from an IPv6 header whose extension headers ip6_walk went through. */
static __always_inline int fw_pkt_ip6(struct fw_pkt *p, struct ipv6hdr *ip6,
				      const struct ip6_info *info, void *data, void *end)
{
	__builtin_memset(p, 0, sizeof(*p));
	p->family = 6;
	for (int i = 0; i < 4; i++) {
		p->src[i] = ip6->saddr.in6_u.u6_addr32[i];
		p->dst[i] = ip6->daddr.in6_u.u6_addr32[i];
	}
	p->proto = info->proto;
	p->len = IP6_HDR_LEN + bpf_ntohs(ip6->payload_len);
	void *l4 = ip6_l4(ip6, info, end, 0);

	if (!l4)
		return -1;
	p->l4_off = l4 - data;
	if (info->frag && info->frag_off)	/* a later fragment */
		return 0;
	return fw_pkt_l4(p, l4, end, p->len - info->l4_off);
}

#endif

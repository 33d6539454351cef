/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_seeds.c - the valid frames mutations start from: one of each kind
 * the dataplane handles (ARP, IPv4 and IPv6 UDP/TCP/ICMP to every kind of
 * route and to the vnet itself, options, fragments, extension-header
 * chains, neighbor and router discovery), sent into each tenant from the
 * side its hosts are on (a0/a2, 10.0.1.0/24) or the far side (a1/a3,
 * 10.0.2.0/24). Both tenants get the same frames: they have the same
 * addresses.
 */
#include "fuzz.h"

/* The tenant being built for: which interfaces are its near and far side. */
struct side {
	int near, far;
};

static struct frame *next(struct frame *v, size_t *n, size_t max, const char *kind, int in)
{
	struct frame *f;

	if (*n >= max)
		return NULL;
	f = &v[(*n)++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->in = in;
	return f;
}

/* A TCP segment in IPv6 (20 bytes, flags as in the header), after nh_len
 * bytes of extension headers the caller wrote at f + 54. */
static size_t tcp6_at(__u8 *f, size_t n, const struct ipv6hdr *h, __u16 sport, __u16 dport,
		      __u8 flags)
{
	struct tcphdr *t = (void *)(f + n);

	memset(t, 0, 20);
	t->source = htons(sport);
	t->dest = htons(dport);
	t->seq = htonl(1000);
	t->doff = 5;
	((__u8 *)t)[13] = flags;
	t->window = htons(8192);
	t->check = csum6(h, t, 20, IPPROTO_TCP);
	return n + 20;
}

/* IPv6 carrying `ext` extension headers (type, length in 8-byte units - 1)
 * then a UDP datagram (or TCP segment to dport when tcp). */
static size_t ip6_chain(__u8 *f, const __u8 *dmac, const __u8 *smac, const char *dst,
			const __u8 (*ext)[2], int next, bool tcp, __u16 dport)
{
	size_t n = put_eth(f, dmac, smac, ETH_P_IPV6), ext_len = 0;
	struct ipv6hdr *h = (void *)(f + n);
	__u8 *p;

	for (int i = 0; i < next; i++)
		ext_len += (ext[i][1] + 1) * 8;
	n += put_ip6(f + n, ip6("2001:db8:1::2"), ip6(dst), next ? ext[0][0] :
		     (tcp ? IPPROTO_TCP : IPPROTO_UDP), 64, ext_len + (tcp ? 20 : 16));
	for (int i = 0; i < next; i++) {
		size_t len = (ext[i][1] + 1) * 8;

		p = f + n;
		memset(p, 0, len);
		p[0] = i + 1 < next ? ext[i + 1][0] : (tcp ? IPPROTO_TCP : IPPROTO_UDP);
		if (ext[i][0] == 44)	/* fragment: offset 0, more fragments */
			p[3] = 1;
		else
			p[1] = ext[i][1];
		n += len;
	}
	if (tcp)
		return tcp6_at(f, n, h, 40000, dport, 0x02);
	p = f + n;
	memset(p, 0, 16);
	*(__u16 *)p = htons(40000);
	*(__u16 *)(p + 2) = htons(53);
	*(__u16 *)(p + 4) = htons(16);
	*(__u16 *)(p + 6) = csum6(h, p, 16, IPPROTO_UDP);
	return n + 16;
}

/* An ICMP error from the far side quoting a TCP segment of a near host. */
static size_t icmp_error_frame(__u8 *f, const __u8 *dmac, __u8 type, __u8 code)
{
	__u8 quoted[64];
	size_t q = tcp_frame(quoted, dmac, nbr_mac, ip("10.0.1.2"), ip("10.0.2.2"), 40000, 80,
			     0x02, 1000, 0, 0) - 14;
	size_t n = icmp_frame(f, dmac, nbr_mac, ip("10.0.2.2"), ip("10.0.1.2"), 64, type, code,
			      q);
	struct icmphdr *c = (void *)(f + 34);

	memcpy(f + 42, quoted + 14, q);
	c->un.gateway = 0;
	c->checksum = 0;
	c->checksum = csum16(c, 8 + q);
	return n;
}

static void ipv4_seeds(struct frame *v, size_t *n, size_t max, struct side s)
{
	static const struct { const char *kind, *dst; __u8 ttl; __u16 len; bool df; } udp[] = {
		{ "udp_forward", "10.0.2.2", 64, 32, false },
		{ "udp_via_gateway", "10.5.1.1", 64, 32, false },
		{ "udp_unresolved", "10.6.1.1", 64, 32, false },
		{ "udp_blackhole", "10.8.1.1", 64, 32, false },
		{ "udp_unreachable", "10.7.1.1", 64, 32, false },
		{ "udp_no_route", "10.99.1.1", 64, 32, false },
		{ "udp_ttl1", "10.0.2.2", 1, 32, false },
		{ "udp_too_big", "10.0.2.2", 64, 1422, true },
		{ "udp_local", "10.0.1.1", 64, 32, false },
	};
	static const struct {
		const char *kind, *src, *dst;
		__u16 sport, dport, len;
		__u8 flags;
		bool back;	/* from the far side */
	} tcp[] = {
		{ "tcp_syn_80", "10.0.1.2", "10.0.2.2", 40000, 80, 0, 0x02, false },
		{ "tcp_syn_22", "10.0.1.2", "10.0.2.2", 40001, 22, 0, 0x02, false },
		{ "tcp_syn_443", "10.0.1.2", "10.0.2.2", 40002, 443, 10, 0x02, false },
		{ "tcp_synack_back", "10.0.2.2", "10.0.1.2", 80, 40000, 0, 0x12, true },
	};
	struct frame *f;

	for (size_t i = 0; i < sizeof(udp) / sizeof(udp[0]); i++)
		if ((f = next(v, n, max, udp[i].kind, s.near)))
			f->len = udp_frame(f->b, mac[s.near], host_mac, ip("10.0.1.2"),
					   ip(udp[i].dst), udp[i].ttl, udp[i].len, udp[i].df);
	for (size_t i = 0; i < sizeof(tcp) / sizeof(tcp[0]); i++) {
		int in = tcp[i].back ? s.far : s.near;

		if ((f = next(v, n, max, tcp[i].kind, in)))
			f->len = tcp_frame(f->b, mac[in], tcp[i].back ? nbr_mac : host_mac,
					   ip(tcp[i].src), ip(tcp[i].dst), tcp[i].sport,
					   tcp[i].dport, tcp[i].flags, 1000, tcp[i].back ? 1001 : 0,
					   tcp[i].len);
	}
	if ((f = next(v, n, max, "echo_local", s.near)))
		f->len = icmp_frame(f->b, mac[s.near], host_mac, ip("10.0.1.2"), ip("10.0.1.1"),
				    64, ICMP_ECHO, 0, 56);
	if ((f = next(v, n, max, "echo_transit", s.near)))
		f->len = icmp_frame(f->b, mac[s.near], host_mac, ip("10.0.1.2"), ip("10.0.2.2"),
				    64, ICMP_ECHO, 0, 56);
	if ((f = next(v, n, max, "icmp_error_transit", s.far)))
		f->len = icmp_error_frame(f->b, mac[s.far], ICMP_DEST_UNREACH, 3);
	if ((f = next(v, n, max, "ip_options", s.near))) {
		f->len = udp_frame(f->b, mac[s.near], host_mac, ip("10.0.1.2"), ip("10.0.2.2"),
				   64, 28, false);
		/* 8 bytes of NOP options between the header and the datagram */
		memmove(f->b + 42, f->b + 34, f->len - 34);
		memset(f->b + 34, 1, 8);
		f->len += 8;
		f->b[14] = 0x47;
		*(__u16 *)(f->b + 16) = htons(ntohs(*(__u16 *)(f->b + 16)) + 8);
		fix_checksums(f->b, f->len);
	}
	if ((f = next(v, n, max, "fragment_first", s.near))) {
		f->len = udp_frame(f->b, mac[s.near], host_mac, ip("10.0.1.2"), ip("10.0.2.2"),
				   64, 64, false);
		f->b[20] = 0x20;	/* MF */
		fix_checksums(f->b, f->len);
	}
	if ((f = next(v, n, max, "fragment_later", s.near))) {
		f->len = udp_frame(f->b, mac[s.near], host_mac, ip("10.0.1.2"), ip("10.0.2.2"),
				   64, 64, false);
		*(__u16 *)(f->b + 20) = htons(185);
		fix_checksums(f->b, f->len);
	}
	if ((f = next(v, n, max, "arp_request", s.near)))
		f->len = arp_frame(f->b, bcast, host_mac, ARPOP_REQUEST, host_mac, ip("10.0.1.2"),
				   zero_mac, ip("10.0.1.1"));
	if ((f = next(v, n, max, "arp_reply", s.far)))
		f->len = arp_frame(f->b, mac[s.far], nbr_mac, ARPOP_REPLY, nbr_mac, ip("10.0.2.9"),
				   mac[s.far], ip("10.0.2.1"));
	if ((f = next(v, n, max, "arp_probe", s.near)))
		f->len = arp_frame(f->b, bcast, host_mac, ARPOP_REQUEST, host_mac, 0, zero_mac,
				   ip("10.0.1.1"));
	if ((f = next(v, n, max, "arp_not_ours", s.near)))
		f->len = arp_frame(f->b, bcast, host_mac, ARPOP_REQUEST, host_mac, ip("10.0.1.2"),
				   zero_mac, ip("10.0.1.77"));
}

static void ipv6_seeds(struct frame *v, size_t *n, size_t max, struct side s)
{
	static const struct { const char *kind, *dst; __u8 hlim; __u16 len; } udp[] = {
		{ "udp6_forward", "2001:db8:2::2", 64, 32 },
		{ "udp6_via_gateway", "2001:db8:5::1", 64, 32 },
		{ "udp6_unresolved", "2001:db8:6::1", 64, 32 },
		{ "udp6_blackhole", "2001:db8:8::1", 64, 32 },
		{ "udp6_unreachable", "2001:db8:7::1", 64, 32 },
		{ "udp6_no_route", "2001:db8:99::1", 64, 32 },
		{ "udp6_hlim1", "2001:db8:2::2", 1, 32 },
		{ "udp6_too_big", "2001:db8:2::2", 64, 1402 },
		{ "udp6_local", "2001:db8:1::1", 64, 32 },
	};
	static const __u8 hbh_dst[][2] = { { 0, 0 }, { 60, 0 } };
	static const __u8 frag[][2] = { { 44, 0 } };
	static const __u8 routing[][2] = { { 43, 0 } };
	static const __u8 long_dst[][2] = { { 60, 31 } };	/* 256 bytes */
	static const __u8 huge_dst[][2] = { { 60, 127 } };	/* 1024: past the walk */
	struct frame *f;

	for (size_t i = 0; i < sizeof(udp) / sizeof(udp[0]); i++)
		if ((f = next(v, n, max, udp[i].kind, s.near)))
			f->len = udp6_frame(f->b, mac[s.near], host_mac, ip6("2001:db8:1::2"),
					    ip6(udp[i].dst), udp[i].hlim, udp[i].len);
	if ((f = next(v, n, max, "tcp6_syn_80", s.near)))
		f->len = ip6_chain(f->b, mac[s.near], host_mac, "2001:db8:2::2", NULL, 0, true, 80);
	if ((f = next(v, n, max, "tcp6_syn_22", s.near)))
		f->len = ip6_chain(f->b, mac[s.near], host_mac, "2001:db8:2::2", NULL, 0, true, 22);
	if ((f = next(v, n, max, "hbh_dstopts_udp", s.near)))
		f->len = ip6_chain(f->b, mac[s.near], host_mac, "2001:db8:2::2", hbh_dst, 2, false, 0);
	if ((f = next(v, n, max, "fragment6_first", s.near)))
		f->len = ip6_chain(f->b, mac[s.near], host_mac, "2001:db8:2::2", frag, 1, false, 0);
	if ((f = next(v, n, max, "routing_hdr_udp", s.near)))
		f->len = ip6_chain(f->b, mac[s.near], host_mac, "2001:db8:2::2", routing, 1, false, 0);
	if ((f = next(v, n, max, "long_dstopts_tcp22", s.near)))
		f->len = ip6_chain(f->b, mac[s.near], host_mac, "2001:db8:2::2", long_dst, 1, true,
				   22);
	if ((f = next(v, n, max, "huge_dstopts_tcp22", s.near)))
		f->len = ip6_chain(f->b, mac[s.near], host_mac, "2001:db8:2::2", huge_dst, 1, true,
				   22);
	if ((f = next(v, n, max, "echo6_local", s.near)))
		f->len = icmp6_frame(f->b, mac[s.near], host_mac, ip6("2001:db8:1::2"),
				     ip6("2001:db8:1::1"), 64, ICMPV6_ECHO_REQUEST, 0, 0x10001, 56);
	if ((f = next(v, n, max, "echo6_transit", s.near)))
		f->len = icmp6_frame(f->b, mac[s.near], host_mac, ip6("2001:db8:1::2"),
				     ip6("2001:db8:2::2"), 64, ICMPV6_ECHO_REQUEST, 0, 0x10001, 56);
	if ((f = next(v, n, max, "ns_ours", s.near)))
		f->len = nd_frame(f->b, mac[s.near], host_mac, ip6("2001:db8:1::2"),
				  ip6("ff02::1:ff00:1"), 135, 0, ip6("2001:db8:1::1"), host_mac, 255);
	if ((f = next(v, n, max, "ns_dad", s.near)))
		f->len = nd_frame(f->b, mac[s.near], host_mac, ip6("::"), ip6("ff02::1:ff00:1"),
				  135, 0, ip6("2001:db8:1::1"), host_mac, 255);
	if ((f = next(v, n, max, "na_solicited", s.far)))
		f->len = nd_frame(f->b, mac[s.far], nbr_mac, ip6("2001:db8:2::9"),
				  ip6("2001:db8:2::1"), 136, 0x60, ip6("2001:db8:2::9"), nbr_mac, 255);
	if ((f = next(v, n, max, "router_solicit", s.near)))
		f->len = icmp6_frame(f->b, mac[s.near], host_mac, ip6("fe80::2"), ip6("ff02::2"),
				     255, 133, 0, 0, 8);
	if ((f = next(v, n, max, "mld_report", s.near)))
		f->len = icmp6_frame(f->b, mac[s.near], host_mac, ip6("fe80::2"), ip6("ff02::16"),
				     1, 143, 0, 1, 20);
}

size_t seeds_build(struct frame *v, size_t max)
{
	const struct side tenants[] = { { 0, 1 }, { 2, 3 } };
	struct frame *f;
	size_t n = 0;

	for (int t = 0; t < 2; t++) {
		ipv4_seeds(v, &n, max, tenants[t]);
		ipv6_seeds(v, &n, max, tenants[t]);
		if ((f = next(v, &n, max, "unknown_ethertype", tenants[t].near))) {
			f->len = udp_frame(f->b, mac[tenants[t].near], host_mac, ip("10.0.1.2"),
					   ip("10.0.2.2"), 64, 32, false);
			f->b[12] = 0x88;
			f->b[13] = 0xb5;
		}
		if ((f = next(v, &n, max, "ethernet_only", tenants[t].near)))
			f->len = put_eth(f->b, mac[tenants[t].near], host_mac, ETH_P_IP);
	}
	return n;
}

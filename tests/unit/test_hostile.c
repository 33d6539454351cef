/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_hostile.c - frames a red team used against the datapath, each the
 * crafted form of a finding: IPv6 extension headers that made the filter
 * read ports from inside an option, a scan that filled the neighbor table,
 * frames longer than their packet, answers a router must not send, and
 * frames counted in two fates or none (the fixture's run() checks that
 * every frame has exactly one). Fixture: fixture.c, plus IPv6 as in
 * test_ipv6.c and a /20 on a1 for the scan.
 */
#include "fixture.h"
#include "pkt6.h"

/*
 * The filter's ports were read at (offset & 0x3ff): with 1,024 bytes of
 * options the offset wrapped to the options themselves, which said "port
 * 80". The chain now ends beyond what is walked: dropped, never read.
 */
TEST(long_ext_header_never_read_as_ports)
{
	static __u8 f[1200];
	struct out o;
	size_t n = tcp6_behind_dstopts(f, 1024, 0, 22);
	__u64 deep = CTR6(1, drops.ext_headers);

	/* the bytes a wrapped offset read: source port 0x3c7f, dest port 80 */
	f[14 + 40 + 2] = 0;
	f[14 + 40 + 3] = 80;
	vnet_sysctl_set(st, 1, "net.inet.ip.fw.default_to_accept", 0);
	if (!fw_text(1, "100 allow tcp from any to any dst-port 80") ||
	    !fw_text(1, "200 allow ipv6-icmp from any to any"))
		return;
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR6(1, drops.ext_headers), deep + 1, "not dropped as ext_headers");
	vnet_filter_flush(st, 1);
	vnet_sysctl_set(st, 1, "net.inet.ip.fw.enable", 0);
}

/* Within the walk's bound (256 bytes of options, past a one-byte mask of
 * the frame offset): the RST is built from the real TCP header. */
TEST(rst_behind_options_uses_real_ports)
{
	static __u8 f[600];
	struct out o;
	size_t n = tcp6_behind_dstopts(f, 256, 0x01, 22);
	const struct tcphdr *t;

	vnet_sysctl_set(st, 1, "net.inet.ip.fw.default_to_accept", 1);
	vnet_sysctl_set(st, 1, "net.inet.ip.fw.enable", 1);
	if (!fw_text(1, "100 reject tcp from any to any dst-port 22"))
		return;
	if (run(ifx[0], f, n, &o)) {
		expect_verdict(&o, XDP_TX);
		t = (void *)(o.d + 14 + 40);
		expect(o.len == 14 + 40 + 20 && ntohs(t->source) == 22 &&
		       ntohs(t->dest) == 40000 && t->rst && ntohl(t->ack_seq) == 5001,
		       "RST not built from the segment's own header");
	}
	vnet_filter_flush(st, 1);
	vnet_sysctl_set(st, 1, "net.inet.ip.fw.enable", 0);
}

static int nbr4_count(__u32 vnet)
{
	struct nbr4_key k, next;
	int fd = nbr4_fd(vnet), n = 0;

	if (fd < 0)
		return -1;
	for (int more = bpf_map_get_next_key(fd, NULL, &next) == 0; more;
	     more = bpf_map_get_next_key(fd, &k, &next) == 0) {
		k = next;
		n++;
	}
	close(fd);
	return n;
}

/*
 * 1,100 packets to distinct unanswered addresses of a connected /20 used
 * to leave 1,100 incomplete entries in a table of 1,024, after which no
 * neighbor was ever solicited again. Now they churn the pending table;
 * the neighbor table is untouched, and a new neighbor is still resolved.
 */
TEST(scan_cannot_fill_neighbor_table)
{
	__u8 f[128], a[64];
	struct out o;
	struct nbr_entry e;
	int before = nbr4_count(1);
	size_t n;

	for (__u32 i = 0; i < 1100; i++) {
		n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"),
			      htonl(ntohl(ip("10.3.0.10")) + i), 64, 18, false);
		if (!run(ifx[0], f, n, &o))
			return;
	}
	ASSERT_EQ(nbr4_count(1), before, "the scan added neighbor entries");
	/* a neighbor nobody asked for before: solicited, answered, used */
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.3.15.200"), 64, 18, false);
	if (run(ifx[0], f, n, &o))
		expect(o.ret == XDP_REDIRECT && o.len == 42 && o.d[12] == 0x08 &&
		       o.d[13] == 0x06, "no ARP request after the scan");
	n = arp_frame(a, mac[1], nbr_mac, ARPOP_REPLY, nbr_mac, ip("10.3.15.200"), mac[1],
		      ip("10.3.0.1"));
	run(ifx[1], a, n, &o);
	expect(nbr_lookup(1, ifx[1], ip("10.3.15.200"), &e) == 0 &&
	       e.state == VNET_NUD_REACHABLE, "reply after the scan not learned");
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.3.15.200"), 64, 18, false);
	if (run(ifx[0], f, n, &o))
		expect(o.ret == XDP_REDIRECT && !memcmp(o.d, nbr_mac, 6),
		       "not forwarded to the new neighbor");
}

/* A frame whose bytes run past its IP length: the MTU is the packet's, and
 * what leaves is the packet, cut to its length. */
TEST(trailing_bytes_cut_before_mtu)
{
	static __u8 f[1600];
	struct out o;
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64,
			     900 - 28, false);

	memset(f + n, 0xee, 500);	/* 500 bytes past the packet */
	ASSERT_EQ(vnet_link_mtu(st, ifn[1], 1000), 0, "set mtu");
	if (run(ifx[0], f, n + 500, &o)) {
		expect_verdict(&o, XDP_REDIRECT);
		ASSERT_EQ(o.len, 14 + 900, "trailing bytes forwarded");
	}
	/* Ethernet padding of a short frame is left alone */
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 4, false);
	memset(f + n, 0, 60 - n);
	if (run(ifx[0], f, 60, &o))
		expect(o.ret == XDP_REDIRECT && o.len == 60, "a padded frame changed");
	vnet_link_mtu(st, ifn[1], 1500);
}

TEST(trailing_bytes_cut6)
{
	static __u8 f[1600];
	struct out o;
	size_t n = udp6_frame(f, mac[0], host_mac, ip6("2001:db8:1::2"), ip6("2001:db8:2::2"),
			      64, 900 - 48);

	memset(f + n, 0xee, 500);
	ASSERT_EQ(vnet_link_mtu(st, ifn[1], 1000), 0, "set mtu");
	if (run(ifx[0], f, n + 500, &o)) {
		expect_verdict(&o, XDP_REDIRECT);
		ASSERT_EQ(o.len, 14 + 900, "trailing bytes forwarded");
	}
	vnet_link_mtu(st, ifn[1], 1500);
}

/* RFC 4861 7.1.1: a solicitation from a multicast source is invalid;
 * answering it sent an advertisement to a group. */
TEST(ns_from_multicast_source_not_answered)
{
	__u8 f[128];
	struct out o;
	__u64 m = CTR6(1, drops.martian), r = CTR6(1, arp_replies);
	size_t n = nd_frame(f, mac[0], host_mac, ip6("ff02::1"), ip6("ff02::1:ff00:1"), 135, 0,
			    ip6("2001:db8:1::1"), host_mac, 255);

	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	expect(CTR6(1, drops.martian) == m + 1 && CTR6(1, arp_replies) == r,
	       "answered a multicast source");
}

/* A link-layer address option that is a group: the answer would go there. */
TEST(ns_with_group_lla_not_answered)
{
	__u8 f[128];
	struct out o;
	const __u8 group[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	__u64 bad = CTR6(1, drops.malformed);
	size_t n = nd_frame(f, mac[0], host_mac, ip6("2001:db8:1::2"), ip6("ff02::1:ff00:1"),
			    135, 0, ip6("2001:db8:1::1"), group, 255);

	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR6(1, drops.malformed), bad + 1, "not malformed");
}

/* Frames from a group MAC do not exist on an Ethernet (IEEE 802). */
TEST(group_source_mac_dropped)
{
	__u8 f[128];
	struct out o;
	const __u8 group[6] = { 0x01, 0x00, 0x5e, 0, 0, 1 };
	__u64 bad = CTR(1, drops.malformed);
	size_t n = icmp_frame(f, mac[0], group, ip("10.0.1.2"), ip("10.0.1.1"), 64,
			      ICMP_ECHO, 0, 8);

	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR(1, drops.malformed), bad + 1, "not malformed");
}

/* An echo request from :: got a reply to ::. */
TEST(echo6_from_unspecified_dropped)
{
	__u8 f[128];
	struct out o;
	__u64 m = CTR6(1, drops.martian);
	size_t n = icmp6_frame(f, mac[0], host_mac, ip6("::"), ip6("2001:db8:1::1"), 64,
			       ICMPV6_ECHO_REQUEST, 0, 0x12340001, 8);

	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR6(1, drops.martian), m + 1, "not a martian");
}

/* A reject rule met a segment to a multicast group: no RST from the group. */
TEST(no_rst_from_a_group)
{
	__u8 f[256];
	struct out o;
	size_t n = put_eth(f, mac[0], host_mac, ETH_P_IPV6);
	struct ipv6hdr *h = (void *)(f + n);
	struct tcphdr *t;
	__u64 filt = CTR6(1, drops.filtered);

	n += put_ip6(f + n, ip6("2001:db8:1::2"), ip6("ff05::2"), IPPROTO_TCP, 64, 20);
	t = (void *)(f + n);
	memset(t, 0, 20);
	t->source = htons(40000);
	t->dest = htons(80);
	t->doff = 5;
	t->syn = 1;
	t->check = csum6(h, t, 20, IPPROTO_TCP);
	n += 20;
	vnet_sysctl_set(st, 1, "net.inet.ip.fw.default_to_accept", 1);
	vnet_sysctl_set(st, 1, "net.inet.ip.fw.enable", 1);
	if (!fw_text(1, "100 reject tcp from any to any dst-port 80"))
		return;
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR6(1, drops.filtered), filt + 1, "not counted as filtered");
	vnet_filter_flush(st, 1);
	vnet_sysctl_set(st, 1, "net.inet.ip.fw.enable", 0);
}

/* ARP from 00:00:00:00:00:00 got a reply addressed to it. */
TEST(arp_from_zero_mac_not_answered)
{
	__u8 f[64];
	struct out o;
	__u64 bad = CTR(1, drops.malformed), r = CTR(1, arp_replies);
	size_t n = arp_frame(f, bcast, host_mac, ARPOP_REQUEST, zero_mac, ip("10.0.1.2"),
			     zero_mac, ip("10.0.1.1"));

	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	expect(CTR(1, drops.malformed) == bad + 1 && CTR(1, arp_replies) == r,
	       "answered a zero sender");
}

/* RFC 1122 3.2.2: a bad checksum is dropped silently, not answered; an
 * ICMP message shorter than its header too. Good ones of odd length and
 * of more than one 512-byte block are answered. */
TEST(echo_checksum_checked)
{
	static __u8 f[1600];
	struct out o;
	__u64 bad = CTR(1, drops.malformed);
	size_t n = icmp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.1.1"), 64,
			      ICMP_ECHO, 0, 56);

	f[14 + 20 + 8] ^= 0xff;		/* payload changed, checksum not */
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	/* 4 bytes of ICMP (the rest of the frame past the IP length) */
	n = icmp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.1.1"), 64, ICMP_ECHO, 0, 8);
	((struct iphdr *)(f + 14))->tot_len = htons(24);
	((struct iphdr *)(f + 14))->check = 0;
	((struct iphdr *)(f + 14))->check = csum16(f + 14, 20);
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR(1, drops.malformed), bad + 2, "bad echoes not counted as malformed");
	for (int len = 57; len <= 1201; len += 572) {	/* 57 and 629: odd, 2 blocks */
		n = icmp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.1.1"), 64,
			       ICMP_ECHO, 0, len);
		if (run(ifx[0], f, n, &o)) {
			expect_verdict(&o, XDP_TX);
			expect(csum_ok(o.d + 34, 8 + len), "reply checksum");
		}
	}
}

/* An all-zero echo (identifier, sequence and data 0): its reply sums to
 * zero, and its checksum must be 0xffff, not 0x0000 (found by make fuzz). */
TEST(all_zero_echo_reply_checksum)
{
	__u8 f[128];
	struct out o;
	size_t n = icmp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.1.1"), 64,
			      ICMP_ECHO, 0, 56);
	struct icmphdr *c = (void *)(f + 34);

	memset(c, 0, 8 + 56);
	c->type = ICMP_ECHO;
	c->checksum = csum16(c, 8 + 56);
	if (run(ifx[0], f, n, &o)) {
		expect_verdict(&o, XDP_TX);
		expect(csum_ok(o.d + 34, 8 + 56), "reply checksum invalid");
	}
}

TEST(echo6_checksum_checked)
{
	__u8 f[256];
	struct out o;
	__u64 bad = CTR6(1, drops.malformed);
	size_t n = icmp6_frame(f, mac[0], host_mac, ip6("2001:db8:1::2"), ip6("2001:db8:1::1"),
			       64, ICMPV6_ECHO_REQUEST, 0, 0x12340001, 21);

	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_TX);
	f[14 + 40 + 8] ^= 0x55;
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR6(1, drops.malformed), bad + 1, "bad echo not counted as malformed");
}

/*
 * TTL 1 toward a destination whose error cannot go back (no route to the
 * source): one fate (ttl_exceeded), the unsent error an event. The run()
 * check catches a second fate; this says which.
 */
TEST(unsent_error_is_one_fate)
{
	__u8 f[128];
	struct out o;
	__u64 ttl = CTR(1, drops.ttl_exceeded), nr = CTR(1, drops.no_route),
	      un = CTR(1, answer_unsent);
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.99.0.2"), ip("10.0.2.2"), 1, 18, false);

	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	expect(CTR(1, drops.ttl_exceeded) == ttl + 1 && CTR(1, drops.no_route) == nr &&
	       CTR(1, answer_unsent) == un + 1, "not ttl_exceeded + answer_unsent");
}

/* A DAD probe for our address and ARP from 0.0.0.0: counted (delivered). */
TEST(probes_for_our_address_have_a_fate)
{
	__u8 f[128];
	struct out o;
	__u64 d = CTR(1, delivered), d6 = CTR6(1, delivered);
	size_t n = arp_frame(f, bcast, host_mac, ARPOP_REQUEST, host_mac, 0, zero_mac,
			     ip("10.0.1.1"));

	struct ipv6hdr *h;
	__u8 *m;

	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_TX);	/* the owner defends it */
	ASSERT_EQ(CTR(1, delivered), d + 1, "ARP probe not delivered");
	/* a DAD solicitation: from ::, to the solicited-node group, no option */
	n = put_eth(f, mac[0], host_mac, ETH_P_IPV6);
	h = (void *)(f + n);
	n += put_ip6(f + n, ip6("::"), ip6("ff02::1:ff00:1"), IPPROTO_ICMPV6, 255, 24);
	m = f + n;
	memset(m, 0, 24);
	m[0] = 135;
	memcpy(m + 8, ip6("2001:db8:1::1").b, 16);
	*(uint16_t *)(m + 2) = csum6(h, m, 24, IPPROTO_ICMPV6);
	if (run(ifx[0], f, n + 24, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR6(1, delivered), d6 + 1, "DAD probe not delivered");
}

bool ut_prepare(void)
{
	if (!fixture_inet6() || vnet_addr_add(st, 1, ifn[1], IN4("10.3.0.1"), 20) ||
	    vnet_neigh_add(st, 1, IN4("10.0.1.2"), host_mac, ifn[0])) {
		fprintf(stderr, "prepare: %s\n", vnet_errmsg(st));
		return false;
	}
	return true;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_ipv6.c - IPv6 in the datapath on crafted frames (BPF_PROG_TEST_RUN):
 * neighbor discovery (answers, learning, solicitations sent), forwarding
 * (hop limit, MACs), ICMPv6 echo and errors with their checksums, header
 * validation, and the filter on IPv6.
 *
 * Fixture (fixture.c) plus: red (vnet 1) has 2001:db8:1::1/64 on a0 (host
 * 2001:db8:1::2 = host_mac) and 2001:db8:2::1/64 on a1 (neighbor
 * 2001:db8:2::2 = nbr_mac).
 */
#include "fixture.h"
#include "pkt6.h"

/* The link-local address the datapath derives from a MAC. */
static struct in6 linklocal(const __u8 *m)
{
	struct in6 a = { { 0xfe, 0x80 } };

	a.b[8] = m[0] ^ 2; a.b[9] = m[1]; a.b[10] = m[2];
	a.b[11] = 0xff; a.b[12] = 0xfe;
	a.b[13] = m[3]; a.b[14] = m[4]; a.b[15] = m[5];
	return a;
}

static bool icmp6_ok(const struct out *o)
{
	const struct ipv6hdr *h = (const void *)(o->d + 14);

	return csum6(h, o->d + 54, ntohs(h->payload_len), IPPROTO_ICMPV6) == 0;
}

static bool nbr6_mac(__u32 vnet, const char *addr, __u8 mac[6])
{
	struct vnet_neigh *v;
	struct vnet_ip a = in6(addr);
	bool found = false;
	size_t n;

	if (vnet_neigh_list(st, vnet, 6, &v, &n))
		return false;
	for (size_t i = 0; i < n && !found; i++)
		if (!vnet_ip_cmp(&v[i].addr, &a) && v[i].e.state == VNET_NUD_REACHABLE) {
			memcpy(mac, v[i].e.mac, 6);
			found = true;
		}
	free(v);
	return found;
}

static const __u8 sn1_mac[6] = { 0x33, 0x33, 0xff, 0, 0, 1 };

/* ------------------------------------------------------------------ tests */

TEST(ns_answered_with_na)
{
	static const __u8 asker[6] = { 0x02, 0x33, 0, 0, 0, 0x05 };
	__u8 f[128], learned[6];
	struct out o;
	const struct ipv6hdr *h;
	const __u8 *m;
	struct in6 us = ip6("2001:db8:1::1");
	size_t n = nd_frame(f, sn1_mac, asker, ip6("2001:db8:1::5"), ip6("ff02::1:ff00:1"),
			    135, 0, us, asker, 255);

	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_TX);
	h = (void *)(o.d + 14);
	m = o.d + 54;
	ASSERT_EQ(o.len, 86, "NA frame length");
	expect(!memcmp(o.d, asker, 6) && !memcmp(o.d + 6, mac[0], 6), "MACs");
	expect(!memcmp(&h->saddr, us.b, 16) && !memcmp(&h->daddr, ip6("2001:db8:1::5").b, 16),
	       "NA addresses");
	expect(h->hop_limit == 255 && h->nexthdr == IPPROTO_ICMPV6, "hop limit 255");
	expect(m[0] == 136 && m[4] == 0xe0, "not an NA with router, solicited, override");
	expect(!memcmp(m + 8, us.b, 16), "target");
	expect(m[24] == 2 && m[25] == 1 && !memcmp(m + 26, mac[0], 6), "target lladdr option");
	expect(icmp6_ok(&o), "ICMPv6 checksum");
	expect(nbr6_mac(1, "2001:db8:1::5", learned) && !memcmp(learned, asker, 6),
	       "asker not learned");
}

TEST(ns_for_link_local_answered)
{
	__u8 f[128];
	struct out o;
	struct in6 ll = linklocal(mac[0]), group = ip6("ff02::1:ff00:0");
	__u8 dmac[6] = { 0x33, 0x33, 0xff, ll.b[13], ll.b[14], ll.b[15] };
	size_t n;

	memcpy(group.b + 13, ll.b + 13, 3);
	n = nd_frame(f, dmac, host_mac, ip6("fe80::2"), group, 135, 0, ll, host_mac, 255);
	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_TX);
	expect(!memcmp(o.d + 54 + 8, ll.b, 16) && icmp6_ok(&o), "NA for the link-local");
}

TEST(ns_not_ours_or_invalid)
{
	__u8 f[128];
	struct out o;
	__u64 ign = CTR6(1, drops.neigh_ignored), bad = CTR6(1, drops.malformed);
	size_t n = nd_frame(f, sn1_mac, host_mac, ip6("2001:db8:1::2"), ip6("ff02::1:ff00:99"),
			    135, 0, ip6("2001:db8:1::99"), host_mac, 255);

	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR6(1, drops.neigh_ignored), ign + 1, "solicitation for another address");
	n = nd_frame(f, sn1_mac, host_mac, ip6("2001:db8:1::2"), ip6("ff02::1:ff00:1"),
		     135, 0, ip6("2001:db8:1::1"), host_mac, 64);	/* hop limit not 255 */
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	f[54 + 2] ^= 0xff;					/* and a bad checksum */
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR6(1, drops.malformed), bad + 2, "invalid NDP not counted malformed");
}

TEST(forward6_rewrites)
{
	__u8 f[256];
	struct out o;
	size_t n = udp6_frame(f, mac[0], host_mac, ip6("2001:db8:1::2"), ip6("2001:db8:2::2"),
			      64, 40);
	__u64 fwd = CTR6(1, forwarded), fwd4 = CTR(1, forwarded);

	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_REDIRECT);
	ASSERT_EQ(o.len, n, "length changed");
	expect(!memcmp(o.d, nbr_mac, 6) && !memcmp(o.d + 6, mac[1], 6), "MACs");
	ASSERT_EQ(o.d[14 + 7], 63, "hop limit not decremented");
	expect(!memcmp(o.d + 22, f + 22, n - 22), "addresses or payload changed");
	expect(CTR6(1, forwarded) == fwd + 1 && CTR(1, forwarded) == fwd4,
	       "not counted as IPv6 forwarded");
}

TEST(hop_limit_exceeded)
{
	__u8 f[256];
	struct out o;
	const struct ipv6hdr *h;
	size_t n = udp6_frame(f, mac[0], host_mac, ip6("2001:db8:1::2"), ip6("2001:db8:2::2"),
			      1, 40);

	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_TX);
	h = (void *)(o.d + 14);
	ASSERT_EQ(o.len, 14 + 48 + ((n - 14) & ~7UL), "error length (whole packet quoted)");
	expect(!memcmp(&h->saddr, ip6("2001:db8:1::1").b, 16) &&
	       !memcmp(&h->daddr, ip6("2001:db8:1::2").b, 16), "error addresses");
	expect(o.d[54] == ICMPV6_TIME_EXCEED && o.d[55] == 0, "type/code");
	expect(icmp6_ok(&o), "ICMPv6 checksum");
	expect(!memcmp(o.d + 62, f + 14, 40), "quoted header");
}

TEST(no_route_and_too_big)
{
	static __u8 f[1600];
	struct out o;
	size_t n = udp6_frame(f, mac[0], host_mac, ip6("2001:db8:1::2"), ip6("2001:db8:99::1"),
			      64, 16);

	if (run(ifx[0], f, n, &o)) {
		expect_verdict(&o, XDP_TX);
		expect(o.d[54] == ICMPV6_DEST_UNREACH && o.d[55] == ICMPV6_NOROUTE &&
		       icmp6_ok(&o), "no route: destination unreachable, code 0");
	}
	ASSERT_EQ(vnet_link_mtu(st, ifn[1], 1280), 0, "set mtu");
	n = udp6_frame(f, mac[0], host_mac, ip6("2001:db8:1::2"), ip6("2001:db8:2::2"), 64, 1400);
	if (run(ifx[0], f, n, &o)) {
		expect_verdict(&o, XDP_TX);
		expect(o.d[54] == ICMPV6_PKT_TOOBIG && ntohl(*(__u32 *)(o.d + 58)) == 1280,
		       "packet too big with MTU 1280");
		expect(o.len == 14 + 1280 && icmp6_ok(&o), "error not cut at 1280 bytes");
	}
	vnet_link_mtu(st, ifn[1], 1500);
}

TEST(echo6_reply)
{
	__u8 f[128];
	struct out o;
	size_t n = icmp6_frame(f, mac[0], host_mac, ip6("2001:db8:1::2"), ip6("2001:db8:1::1"),
			       17, ICMPV6_ECHO_REQUEST, 0, 0x42420007, 24);

	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_TX);
	expect(!memcmp(o.d + 22, f + 38, 16) && !memcmp(o.d + 38, f + 22, 16),
	       "addresses not swapped");
	expect(o.d[14 + 7] == 64 && o.d[54] == ICMPV6_ECHO_REPLY, "hop limit or type");
	expect(icmp6_ok(&o) && !memcmp(o.d + 58, f + 58, n - 58), "checksum or body");
}

TEST(resolve_sends_ns_then_learns_na)
{
	static const __u8 seven[6] = { 0x02, 0x77, 0, 0, 0, 0x07 };
	__u8 f[256], learned[6];
	struct out o;
	const struct ipv6hdr *h;
	struct in6 ll = linklocal(mac[1]);
	size_t n = udp6_frame(f, mac[0], host_mac, ip6("2001:db8:1::2"), ip6("2001:db8:2::7"),
			      64, 40);
	__u64 nn = CTR6(1, drops.no_neighbor);

	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_REDIRECT);
	h = (void *)(o.d + 14);
	ASSERT_EQ(o.len, 86, "NS frame length");
	expect(o.d[0] == 0x33 && o.d[1] == 0x33 && o.d[2] == 0xff && o.d[5] == 7 &&
	       !memcmp(o.d + 6, mac[1], 6), "multicast MAC / source");
	expect(!memcmp(&h->saddr, ll.b, 16) &&
	       !memcmp(&h->daddr, ip6("ff02::1:ff00:7").b, 16), "link-local to solicited-node");
	expect(o.d[54] == 135 && !memcmp(o.d + 62, ip6("2001:db8:2::7").b, 16) &&
	       o.d[78] == 1 && !memcmp(o.d + 80, mac[1], 6), "NS target / source lladdr");
	expect(h->hop_limit == 255 && icmp6_ok(&o), "hop limit or checksum");
	ASSERT_EQ(CTR6(1, drops.no_neighbor), nn + 1, "no_neighbor");
	n = nd_frame(f, mac[1], seven, ip6("2001:db8:2::7"), ll, 136, 0x60,
		     ip6("2001:db8:2::7"), seven, 255);
	if (run(ifx[1], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	expect(nbr6_mac(1, "2001:db8:2::7", learned) && !memcmp(learned, seven, 6),
	       "advertisement not learned");
}

TEST(link_local_never_forwarded)
{
	__u8 f[256];
	struct out o;
	size_t n = udp6_frame(f, mac[0], host_mac, ip6("fe80::2"), ip6("2001:db8:2::2"), 64, 8);
	__u64 m = CTR6(1, drops.martian);

	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR6(1, drops.martian), m + 1, "scope violation not counted");
}

TEST(malformed6_dropped)
{
	__u8 f[256];
	struct out o;
	size_t n = udp6_frame(f, mac[0], host_mac, ip6("2001:db8:1::2"), ip6("2001:db8:2::2"),
			      64, 40);
	__u64 bad = CTR6(1, drops.malformed), deep = CTR6(1, drops.ext_headers);

	((struct ipv6hdr *)(f + 14))->payload_len = htons(500);	/* beyond the frame */
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	/* five destination-options headers: deeper than the walk */
	n = put_eth(f, mac[0], host_mac, ETH_P_IPV6);
	n += put_ip6(f + n, ip6("2001:db8:1::2"), ip6("2001:db8:2::2"), 60, 64, 5 * 8 + 8);
	for (int i = 0; i < 5; i++, n += 8) {
		memset(f + n, 0, 8);
		f[n] = i < 4 ? 60 : IPPROTO_UDP;
	}
	memset(f + n, 0, 8);
	n += 8;
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR6(1, drops.malformed), bad + 1, "truncated payload not malformed");
	ASSERT_EQ(CTR6(1, drops.ext_headers), deep + 1, "deep chain not ext_headers");
}

TEST(filter_on_ipv6)
{
	__u8 f[256];
	struct out o;
	size_t n, removed;

	vnet_sysctl_set(st, 1, "net.inet.ip.fw.default_to_accept", 0);
	if (!fw_text(1, "100 allow icmp from any to any"))
		return;
	n = icmp6_frame(f, mac[0], host_mac, ip6("2001:db8:1::2"), ip6("2001:db8:1::1"),
			64, ICMPV6_ECHO_REQUEST, 0, 1, 8);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_DROP, "allowing ICMPv4 allowed ICMPv6");
	if (!fw_text(1, "200 allow ipv6-icmp from any to any"))
		return;
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_TX, "ipv6-icmp rule did not allow the echo");
	n = udp6_frame(f, mac[0], host_mac, ip6("2001:db8:1::2"), ip6("2001:db8:2::2"), 64, 8);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_DROP, "UDP passed a set allowing only ICMP");
	if (!fw_text(1, "300 allow udp from 2001:db8:1::/64 to any keep-state"))
		return;
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_REDIRECT, "an IPv6 prefix rule did not match");
	{
		struct vnet_fw_state_info *v;
		size_t ns;

		expect(vnet_state_list(st, 1, &v, &ns) == 0 && ns == 1 && v[0].k.family == 6,
		       "no IPv6 state");
		free(v);
	}
	vnet_filter_flush(st, 1);
	vnet_state_flush(st, 1, &removed);
	vnet_sysctl_set(st, 1, "net.inet.ip.fw.enable", 0);
}

TEST(reject_tcp6_sends_rst)
{
	__u8 f[256];
	struct out o;
	const struct ipv6hdr *h;
	size_t n = put_eth(f, mac[0], host_mac, ETH_P_IPV6);
	struct tcphdr *t;

	n += put_ip6(f + n, ip6("2001:db8:1::2"), ip6("2001:db8:2::2"), IPPROTO_TCP, 64, 20);
	t = (void *)(f + n);
	memset(t, 0, 20);
	t->source = htons(40000);
	t->dest = htons(80);
	t->seq = htonl(5000);
	t->doff = 5;
	t->syn = 1;
	t->check = csum6((void *)(f + 14), t, 20, IPPROTO_TCP);
	n += 20;
	vnet_sysctl_set(st, 1, "net.inet.ip.fw.default_to_accept", 1);
	vnet_sysctl_set(st, 1, "net.inet.ip.fw.enable", 1);
	if (!fw_text(1, "100 reject tcp from any to any dst-port 80"))
		return;
	if (run(ifx[0], f, n, &o)) {
		expect_verdict(&o, XDP_TX);
		h = (void *)(o.d + 14);
		t = (void *)(o.d + 54);
		ASSERT_EQ(o.len, 74, "RST frame length");
		expect(!memcmp(&h->saddr, ip6("2001:db8:2::2").b, 16) &&
		       !memcmp(&h->daddr, ip6("2001:db8:1::2").b, 16), "RST addresses");
		expect(ntohs(t->source) == 80 && ntohs(t->dest) == 40000 && t->rst && t->ack &&
		       ntohl(t->ack_seq) == 5001, "RST fields");
		ASSERT_EQ(csum6(h, t, 20, IPPROTO_TCP), 0, "TCP checksum");
	}
	vnet_filter_flush(st, 1);
	vnet_sysctl_set(st, 1, "net.inet.ip.fw.enable", 0);
}

/* every test here runs on the fixture's IPv6 addresses and neighbors */
bool ut_prepare(void)
{
	return fixture_inet6();
}

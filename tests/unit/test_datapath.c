/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_datapath.c - the XDP program on crafted frames (BPF_PROG_TEST_RUN),
 * against real state made through libvnet: verdicts, output bytes,
 * counters and map contents. The fixture (fixture.c): a0/a1 in vnet 1
 * ("red"), a2 in vnet 2 ("blue"), both using 10.0.1.0/24.
 */
#include "fixture.h"

/* ------------------------------------------------------------------ tests */

TEST(unknown_interface_passes)
{
	__u8 f[128];
	struct out o;
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
	unsigned lo = if_nametoindex("lo");

	if (!run(lo, f, n, &o))
		return;
	expect_verdict(&o, XDP_PASS);
	expect(o.len == n && !memcmp(o.d, f, n), "frame modified");
}

TEST(vnet0_interface_passes)
{
	__u8 f[128];
	struct out o;
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);

	vnet_link_set(st, ifn[0], 0, 0);
	if (run(ifx[0], f, n, &o)) {
		expect_verdict(&o, XDP_PASS);
		expect(o.len == n && !memcmp(o.d, f, n), "frame modified");
	}
	/* back into red, with its address */
	ASSERT_EQ(vnet_link_set(st, ifn[0], 1, 0), 0, "link set back");
	expect(vnet_addr_add(st, 1, ifn[0], IN4("10.0.1.1"), 24) == 0, "addr re-add");
}

TEST(arp_reply)
{
	__u8 f[64], want[64];
	struct out o;
	size_t n = arp_frame(f, bcast, host_mac, ARPOP_REQUEST, host_mac, ip("10.0.1.2"),
			     zero_mac, ip("10.0.1.1"));
	__u64 before = CTR(1, arp_replies);

	arp_frame(want, host_mac, mac[0], ARPOP_REPLY, mac[0], ip("10.0.1.1"),
		  host_mac, ip("10.0.1.2"));
	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_TX);
	expect(o.len == n && !memcmp(o.d, want, n), "reply bytes differ");
	ASSERT_EQ(CTR(1, arp_replies), before + 1, "arp_replies not counted");
}

TEST(arp_glean_and_not_ours)
{
	__u8 f[64];
	struct out o;
	struct nbr_entry e;
	size_t n = arp_frame(f, bcast, host_mac, ARPOP_REQUEST, host_mac, ip("10.0.1.2"),
			     zero_mac, ip("10.0.1.1"));

	run(ifx[0], f, n, &o);
	expect(nbr_lookup(1, ifx[0], ip("10.0.1.2"), &e) == 0, "sender not gleaned");
	expect(e.state == VNET_NUD_REACHABLE && !memcmp(e.mac, host_mac, 6),
	       "gleaned entry wrong");
	/* for an address that is not ours: dropped, nothing learned */
	n = arp_frame(f, bcast, host_mac, ARPOP_REQUEST, host_mac, ip("10.0.1.3"),
		      zero_mac, ip("10.0.1.77"));
	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_DROP);
	expect(nbr_lookup(1, ifx[0], ip("10.0.1.3"), &e) == -ENOENT, "learned from a "
	       "request not aimed at us");
}

TEST(forward_rewrites)
{
	__u8 f[128], want[128];
	struct out o;
	struct iphdr *h;
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, true);
	__u64 before = CTR(1, forwarded);

	memcpy(want, f, n);
	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_REDIRECT);
	ASSERT_EQ(o.len, n, "length changed");
	expect(!memcmp(o.d, nbr_mac, 6), "dst MAC is not the neighbor's");
	expect(!memcmp(o.d + 6, mac[1], 6), "src MAC is not the egress interface's");
	h = (void *)(o.d + 14);
	expect(h->ttl == 63, "TTL not decremented");
	expect(csum_ok(h, 20), "IP checksum invalid after rewrite");
	/* the incremental update equals a full recomputation */
	((struct iphdr *)(want + 14))->ttl = 63;
	((struct iphdr *)(want + 14))->check = 0;
	((struct iphdr *)(want + 14))->check = csum16(want + 14, 20);
	expect(h->check == ((struct iphdr *)(want + 14))->check, "checksum differs from "
	       "full recomputation");
	expect(!memcmp(o.d + 34, f + 34, n - 34), "payload changed");
	ASSERT_EQ(CTR(1, forwarded), before + 1, "forwarded not counted");
}

TEST(hairpin_uses_tx)
{
	__u8 f[128];
	struct out o;
	size_t n = udp_frame(f, mac[1], nbr_mac, ip("10.0.2.2"), ip("10.0.2.2"), 64, 18, false);

	if (!run(ifx[1], f, n, &o))
		return;
	expect_verdict(&o, XDP_TX);
}

TEST(ttl_exceeded)
{
	__u8 f[128];
	struct out o;
	struct iphdr *h, *inner;
	struct icmphdr *c;
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 1, 18, false);
	__u64 before = CTR(1, drops.ttl_exceeded);

	if (!host_known())
		return;
	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_TX);	/* back out a0, towards 10.0.1.2 */
	h = (void *)(o.d + 14);
	c = (void *)(o.d + 34);
	inner = (void *)(o.d + 42);
	ASSERT_EQ(o.len, 14 + 20 + 8 + 28, "ICMP error length (IP hdr + 8 bytes quoted)");
	expect(!memcmp(o.d, host_mac, 6) && !memcmp(o.d + 6, mac[0], 6), "MACs wrong");
	expect(h->protocol == IPPROTO_ICMP && h->saddr == ip("10.0.1.1") &&
	       h->daddr == ip("10.0.1.2") && h->ttl == 64, "IP header wrong");
	expect(csum_ok(h, 20), "IP checksum invalid");
	expect(c->type == ICMP_TIME_EXCEEDED && c->code == ICMP_EXC_TTL, "ICMP type/code");
	expect(csum_ok(c, 8 + 28), "ICMP checksum invalid");
	expect(!memcmp(inner, f + 14, 28), "quoted header + 8 bytes differ");
	ASSERT_EQ(CTR(1, drops.ttl_exceeded), before + 1, "ttl_exceeded not counted");
}

TEST(no_icmp_error_about_icmp_error)
{
	__u8 f[128];
	struct out o;
	size_t n = icmp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 1,
			      ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 28);
	__u64 before = CTR(1, icmp_out);

	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR(1, icmp_out), before, "ICMP error sent about an ICMP error");
}

TEST(echo_reply)
{
	__u8 f[128];
	struct out o;
	struct iphdr *h;
	struct icmphdr *c;
	size_t n = icmp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.1.1"), 17,
			      ICMP_ECHO, 0, 24);

	if (!host_known())
		return;
	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_TX);
	h = (void *)(o.d + 14);
	c = (void *)(o.d + 34);
	ASSERT_EQ(o.len, n, "length changed");
	expect(!memcmp(o.d, host_mac, 6) && !memcmp(o.d + 6, mac[0], 6), "MACs wrong");
	expect(h->saddr == ip("10.0.1.1") && h->daddr == ip("10.0.1.2"), "addresses");
	expect(h->ttl == 64 && csum_ok(h, 20), "TTL or IP checksum");
	expect(c->type == ICMP_ECHOREPLY && c->un.echo.id == htons(0x4242) &&
	       c->un.echo.sequence == htons(7), "echo reply header");
	expect(csum_ok(c, n - 34), "ICMP checksum invalid");
	expect(!memcmp(o.d + 42, f + 42, 24), "echo payload changed");
}

TEST(originated_too_big_counted)
{
	static __u8 f[1600];
	struct out o;
	size_t n = icmp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.1.1"), 64,
			      ICMP_ECHO, 0, 1200);
	__u64 big = CTR(1, drops.too_big), unsent = CTR(1, answer_unsent),
	      dlv = CTR(1, delivered);

	/* the reply leaves through a0, whose MTU is now below its size: the
	 * request was delivered (its one fate); the reply is an event */
	ASSERT_EQ(vnet_link_mtu(st, ifn[0], 1000), 0, "set mtu");
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR(1, answer_unsent), unsent + 1, "unsent reply not counted");
	ASSERT_EQ(CTR(1, delivered), dlv + 1, "request not delivered");
	ASSERT_EQ(CTR(1, drops.too_big), big, "a second fate: too_big");
	vnet_link_mtu(st, ifn[0], 1500);
}

TEST(local_udp_dropped)
{
	__u8 f[128];
	struct out o;
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.1.1"), 64, 8, false);
	__u64 before = CTR(1, drops.local_dropped);

	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR(1, drops.local_dropped), before + 1, "local_dropped not counted");
}

TEST(malformed_dropped)
{
	__u8 f[128];
	struct out o;
	size_t n;
	__u64 before = CTR(1, drops.malformed);
	int dropped = 0, total = 0;

	/* bad header checksum */
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
	f[14 + 10] ^= 0x55;
	run(ifx[0], f, n, &o); total++; dropped += o.ret == XDP_DROP;
	/* IHL < 5 */
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
	f[14] = 0x44;
	run(ifx[0], f, n, &o); total++; dropped += o.ret == XDP_DROP;
	/* total length beyond the frame */
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
	n -= 10;
	run(ifx[0], f, n, &o); total++; dropped += o.ret == XDP_DROP;
	/* version 6 in an IPv4 ethertype */
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
	f[14] = 0x65;
	run(ifx[0], f, n, &o); total++; dropped += o.ret == XDP_DROP;
	/* IPv4 ethertype, header cut short (the kernel refuses test runs
	 * shorter than an Ethernet header, so that case cannot be tested here) */
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
	run(ifx[0], f, 14 + 12, &o); total++; dropped += o.ret == XDP_DROP;
	/* truncated ARP */
	n = arp_frame(f, bcast, host_mac, ARPOP_REQUEST, host_mac, ip("10.0.1.2"),
		      zero_mac, ip("10.0.1.1"));
	run(ifx[0], f, n - 6, &o); total++; dropped += o.ret == XDP_DROP;
	ASSERT_EQ(dropped, total, "a malformed frame was not dropped");
	ASSERT_EQ(CTR(1, drops.malformed), before + total, "malformed not counted once each");
}

TEST(cross_vnet_egress_refused)
{
	__u8 f[128];
	struct out o;
	char path[256];
	struct fib4_key k = { .prefixlen = 16, .addr = ip("10.5.0.0") };
	struct fib4_route r = { .type = VNET_RT_UNICAST, .prefixlen = 16,
				.ifindex = ifx[2] };	/* blue's interface */
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.5.0.9"), 64, 18, false);
	__u64 before = CTR(1, drops.wrong_vnet);
	int fd;

	/* vnetctl refuses such a route; plant it to test the datapath check */
	snprintf(path, sizeof(path), "%s/v1/fib0_in4", pin);
	fd = bpf_obj_get(path);
	if (!expect(fd >= 0 && bpf_map_update_elem(fd, &k, &r, 0) == 0, "plant route"))
		return;
	if (run(ifx[0], f, n, &o)) {
		expect_verdict(&o, XDP_DROP);
		ASSERT_EQ(CTR(1, drops.wrong_vnet), before + 1, "wrong_vnet not counted");
	}
	bpf_map_delete_elem(fd, &k);
	close(fd);
}

TEST(no_route_unreachable)
{
	__u8 f[128];
	struct out o;
	struct icmphdr *c = (void *)(o.d + 34);
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("192.0.2.9"), 64, 18, false);
	__u64 before = CTR(1, drops.no_route);

	if (!host_known())
		return;
	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_TX);
	expect(c->type == ICMP_DEST_UNREACH && c->code == ICMP_NET_UNREACH,
	       "not ICMP net unreachable");
	ASSERT_EQ(CTR(1, drops.no_route), before + 1, "no_route not counted");
}

TEST(blackhole_and_unreachable_routes)
{
	__u8 f[128];
	struct out o;
	struct icmphdr *c = (void *)(o.d + 34);
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.8.1.1"), 64, 18, false);
	__u64 icmp = CTR(1, icmp_out);

	if (!host_known())
		return;
	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR(1, icmp_out), icmp, "blackhole answered");
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.7.1.1"), 64, 18, false);
	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_TX);
	expect(c->type == ICMP_DEST_UNREACH && c->code == ICMP_HOST_UNREACH,
	       "unreachable route did not answer host unreachable");
}

TEST(mtu)
{
	static __u8 f[1600];
	struct out o;
	struct icmphdr *c = (void *)(o.d + 34);
	size_t n;
	__u64 before = CTR(1, drops.too_big);

	if (!host_known())
		return;
	ASSERT_EQ(vnet_link_mtu(st, ifn[1], 1000), 0, "set mtu");
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 1200, true);
	if (run(ifx[0], f, n, &o)) {
		expect_verdict(&o, XDP_TX);
		expect(c->type == ICMP_DEST_UNREACH && c->code == ICMP_FRAG_NEEDED &&
		       ntohs(c->un.frag.mtu) == 1000, "not frag needed with mtu 1000");
	}
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 1200, false);
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR(1, drops.too_big), before + 2, "too_big not counted");
	vnet_link_mtu(st, ifn[1], 1500);
}

TEST(resolve_sends_arp_then_learns)
{
	__u8 f[128], want[64];
	struct out o;
	struct nbr_entry e;
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.6.0.1"), 64, 18, false);
	__u64 req = CTR(1, arp_requests), nonbr = CTR(1, drops.no_neighbor);

	/* 10.6.0.0/16 via 10.0.2.9: unresolved -> ARP request out a1 */
	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_REDIRECT);
	arp_frame(want, bcast, mac[1], ARPOP_REQUEST, mac[1], ip("10.0.2.1"), zero_mac,
		  ip("10.0.2.9"));
	expect(o.len == 42 && !memcmp(o.d, want, 42), "ARP request bytes differ");
	expect(pend_lookup(1, ifx[1], ip("10.0.2.9"), &e) == 0 &&
	       e.state == VNET_NUD_INCOMPLETE && e.asked == 1, "no pending entry");
	expect(nbr_lookup(1, ifx[1], ip("10.0.2.9"), &e) == -ENOENT,
	       "an unanswered next hop in the neighbor table");
	/* a second packet right away is rate-limited: dropped, no request */
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR(1, arp_requests), req + 1, "rate limit did not hold");
	ASSERT_EQ(CTR(1, drops.no_neighbor), nonbr + 2, "no_neighbor not counted");
	/* the reply is learned, and the next packet is forwarded to that MAC */
	n = arp_frame(want, mac[1], nbr_mac, ARPOP_REPLY, nbr_mac, ip("10.0.2.9"),
		      mac[1], ip("10.0.2.1"));
	run(ifx[1], want, n, &o);
	expect(nbr_lookup(1, ifx[1], ip("10.0.2.9"), &e) == 0 &&
	       e.state == VNET_NUD_REACHABLE && !memcmp(e.mac, nbr_mac, 6), "reply not learned");
	expect(neigh_listed(1, ip("10.0.2.9")) == VNET_NUD_REACHABLE,
	       "not listed once, as learned, after the reply");
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.6.0.1"), 64, 18, false);
	if (run(ifx[0], f, n, &o)) {
		expect_verdict(&o, XDP_REDIRECT);
		expect(!memcmp(o.d, nbr_mac, 6), "not sent to the learned MAC");
	}
}

TEST(static_neighbor_not_overwritten)
{
	__u8 f[64];
	struct out o;
	struct nbr_entry e;
	const __u8 evil[6] = { 0x02, 0x66, 0x66, 0x66, 0x66, 0x66 };
	size_t n = arp_frame(f, mac[1], evil, ARPOP_REPLY, evil, ip("10.0.2.2"), mac[1],
			     ip("10.0.2.1"));

	run(ifx[1], f, n, &o);
	expect(nbr_lookup(1, ifx[1], ip("10.0.2.2"), &e) == 0 &&
	       e.state == VNET_NUD_STATIC && !memcmp(e.mac, nbr_mac, 6),
	       "static entry overwritten by an ARP reply");
}

static int nbr_plant(__u32 vnet, __u32 ifindex, __u32 addr, const struct nbr_entry *e)
{
	struct nbr4_key k = { .ifindex = ifindex, .addr = addr };
	int fd = nbr4_fd(vnet), err;

	if (fd < 0)
		return fd;
	err = bpf_map_update_elem(fd, &k, e, 0) ? -errno : 0;
	close(fd);
	return err;
}

TEST(learned_entry_ages_out)
{
	__u8 f[128];
	struct out o;
	struct nbr_entry e = { .state = VNET_NUD_REACHABLE };
	struct vnet_route_spec r = { .dst = in4("10.4.0.0"), .plen = 16,
				     .type = VNET_RT_UNICAST, .gw = in4("10.0.2.3") };
	__u32 max_age = 0;
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.4.0.1"), 64, 18, false);

	memcpy(e.mac, nbr_mac, 6);
	vnet_sysctl_get(st, 1, "net.link.ether.inet.max_age", &max_age);
	ASSERT_EQ(vnet_route_add(st, 1, 0, &r), 0, "route add");
	/* fresh: used */
	e.confirmed_ns = vnet_clock_ns();
	expect(nbr_plant(1, ifx[1], ip("10.0.2.3"), &e) == 0, "plant fresh entry");
	if (run(ifx[0], f, n, &o)) {
		expect_verdict(&o, XDP_REDIRECT);
		expect(!memcmp(o.d, nbr_mac, 6), "fresh entry not used");
	}
	/* older than max_age: resolved again, this packet becomes the request */
	e.confirmed_ns = vnet_clock_ns() - (max_age + 1ULL) * 1000000000ULL;
	expect(nbr_plant(1, ifx[1], ip("10.0.2.3"), &e) == 0, "plant old entry");
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.4.0.1"), 64, 18, false);
	if (run(ifx[0], f, n, &o)) {
		expect_verdict(&o, XDP_REDIRECT);
		expect(o.len == 42 && o.d[12] == 0x08 && o.d[13] == 0x06,
		       "expired entry did not trigger an ARP request");
	}
	expect(pend_lookup(1, ifx[1], ip("10.0.2.3"), &e) == 0 &&
	       e.state == VNET_NUD_INCOMPLETE && e.asked == 1, "expired entry not being resolved");
}

TEST(glean_off)
{
	__u8 f[64];
	struct out o;
	struct nbr_entry e;
	size_t n = arp_frame(f, bcast, host_mac, ARPOP_REQUEST, host_mac, ip("10.0.1.5"),
			     zero_mac, ip("10.0.1.1"));

	vnet_sysctl_set(st, 1, "net.link.ether.inet.glean", 0);
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_TX);	/* still answered */
	expect(nbr_lookup(1, ifx[0], ip("10.0.1.5"), &e) == -ENOENT,
	       "learned from a request with glean=0");
	vnet_sysctl_set(st, 1, "net.link.ether.inet.glean", 1);
}

TEST(time_exceeded_off)
{
	__u8 f[128];
	struct out o;
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 1, 18, false);
	__u64 icmp = CTR(1, icmp_out), ttl = CTR(1, drops.ttl_exceeded);

	vnet_sysctl_set(st, 1, "net.inet.icmp.time_exceeded", 0);
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR(1, icmp_out), icmp, "ICMP sent with time_exceeded=0");
	ASSERT_EQ(CTR(1, drops.ttl_exceeded), ttl + 1, "ttl_exceeded not counted");
	vnet_sysctl_set(st, 1, "net.inet.icmp.time_exceeded", 1);
}

TEST(icmp_errors_rate_limited)
{
	__u8 f[128];
	struct out o;
	char path[256];
	struct vnet_ratelimit zero = {};
	__u32 id = 1;
	int fd, sent = 0, dropped = 0;
	__u64 limited = CTR(1, icmp_ratelimited);

	if (!host_known())
		return;
	/* a fresh window, so earlier tests' errors do not count */
	snprintf(path, sizeof(path), "%s/vnet_icmplim", pin);
	fd = bpf_obj_get(path);
	if (!expect(fd >= 0 && bpf_map_update_elem(fd, &id, &zero, 0) == 0, "reset limiter"))
		return;
	close(fd);
	vnet_sysctl_set(st, 1, "net.inet.icmp.icmplim", 3);
	for (int i = 0; i < 6; i++) {
		size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 1, 18,
				     false);

		if (!run(ifx[0], f, n, &o))
			break;
		sent += o.ret == XDP_TX;
		dropped += o.ret == XDP_DROP;
	}
	expect(sent == 3 && dropped == 3, "not 3 errors sent and 3 held back");
	ASSERT_EQ(CTR(1, icmp_ratelimited), limited + 3, "icmp_ratelimited not counted");
	vnet_sysctl_set(st, 1, "net.inet.icmp.icmplim", 200);
}

TEST(forwarding_off)
{
	__u8 f[128];
	struct out o;
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
	__u64 before = CTR(1, drops.not_forwarding);

	vnet_sysctl_set(st, 1, "net.inet.ip.forwarding", 0);
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR(1, drops.not_forwarding), before + 1, "not_forwarding not counted");
	vnet_sysctl_set(st, 1, "net.inet.ip.forwarding", 1);
}

TEST(overlapping_tenants_isolated)
{
	__u8 f[64];
	struct out o;
	size_t n = arp_frame(f, bcast, host_mac, ARPOP_REQUEST, host_mac, ip("10.0.1.2"),
			     zero_mac, ip("10.0.1.1"));
	struct nbr_entry e;
	__u64 red = CTR(1, received), blue = CTR(2, received);

	/* blue answers for its own 10.0.1.1 with its own MAC, learns in its table */
	if (!run(ifx[2], f, n, &o))
		return;
	expect_verdict(&o, XDP_TX);
	expect(!memcmp(o.d + 6, mac[2], 6), "answered with another vnet's MAC");
	expect(nbr_lookup(2, ifx[2], ip("10.0.1.2"), &e) == 0, "not learned in blue");
	expect(CTR(2, received) == blue + 1 && CTR(1, received) == red,
	       "counted in the wrong vnet");
}

TEST(unknown_ethertype_dropped)
{
	__u8 f[64] = {};
	struct out o;
	size_t n = put_eth(f, mac[0], host_mac, 0x88cc) + 40;	/* LLDP */
	__u64 before = CTR(1, drops.unknown_proto);

	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_DROP);
	ASSERT_EQ(CTR(1, drops.unknown_proto), before + 1, "unknown_proto not counted");
}

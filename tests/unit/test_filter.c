/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_filter.c - the per-vnet filter on crafted frames (BPF_PROG_TEST_RUN):
 * rules written with vnetctl's own parser, verdicts, the bytes of RSTs and
 * ICMP rejects, states, per-rule and filter counters.
 *
 * Fixture (fixture.c): red (vnet 1) routes between a0 (10.0.1.1/24, host
 * 10.0.1.2) and a1 (10.0.2.1/24, neighbor 10.0.2.2); red also has FIB 1
 * with 10.9.0.0/16 via 10.0.2.2. Blue (vnet 2) has a2 with 10.0.1.1/24.
 */
#include "fixture.h"

#define FWCTR(vnet, field) fw_counter_of(vnet, offsetof(struct vnet_fw_stats, field))

static __u64 fw_counter_of(__u32 vnet, size_t off)
{
	struct vnet_fw_stats s;

	if (vnet_fw_stats_read(st, vnet, &s))
		return ~0ULL;
	return *(__u64 *)((char *)&s + off);
}

/* No rules, no states, the given default policy. */
static void fw_reset(__u32 vnet, bool accept)
{
	size_t n;

	ASSERT_EQ(vnet_filter_flush(st, vnet), 0, "filter flush");
	ASSERT_EQ(vnet_state_flush(st, vnet, &n), 0, "state flush");
	expect(vnet_sysctl_set(st, vnet, "net.inet.ip.fw.default_to_accept", accept) == 0,
	       "default_to_accept");
}

static struct vnet_fw_rule_info rule_info(__u32 vnet, __u16 num)
{
	struct vnet_fw_rule_info *v, found = {};
	size_t n;

	if (vnet_filter_list(st, vnet, &v, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			if (v[i].r.num == num)
				found = v[i];
		free(v);
	}
	return found;
}

static size_t state_count(__u32 vnet, struct fw_state *first)
{
	struct vnet_fw_state_info *v;
	size_t n;

	if (vnet_state_list(st, vnet, &v, &n))
		return ~(size_t)0;
	if (n && first)
		*first = v[0].s;
	free(v);
	return n;
}

static size_t udp_ports(__u8 *f, __u32 src, __u32 dst, __u16 sport, __u16 dport,
			const __u8 *dmac)
{
	size_t n = udp_frame(f, dmac, host_mac, src, dst, 64, 18, false);
	struct udphdr *u = (void *)(f + 34);

	u->source = htons(sport);
	u->dest = htons(dport);
	return n;
}

static void ip_recsum(__u8 *f)
{
	struct iphdr *h = (void *)(f + 14);

	h->check = 0;
	h->check = csum16(h, 20);
}

/* ------------------------------------------------------------------ tests */

TEST(deny_icmp_only)
{
	__u8 f[128];
	struct out o;
	size_t n;
	__u64 denied;

	fw_reset(1, true);
	if (!fw_text(1, "100 deny icmp from any to any"))
		return;
	denied = FWCTR(1, denied);
	n = icmp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, ICMP_ECHO, 0, 8);
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_DROP);
	n = icmp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.1.1"), 64, ICMP_ECHO, 0, 8);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_DROP, "echo to the vnet's own address answered");
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_REDIRECT, "UDP not forwarded: denying ICMP denied more");
	ASSERT_EQ(FWCTR(1, denied), denied + 2, "denied not counted twice");
	ASSERT_EQ(rule_info(1, 100).packets, 2, "rule 100 did not count 2 packets");
}

TEST(default_deny_allows_listed)
{
	__u8 f[128];
	struct out o;
	size_t n;
	__u64 dflt;

	fw_reset(1, false);
	if (!fw_text(1, "100 allow udp from any to any dst-port 33434"))
		return;
	dflt = rule_info(1, FW_RULE_DEFAULT).packets;
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
	if (run(ifx[0], f, n, &o))
		expect_verdict(&o, XDP_REDIRECT);
	n = tcp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 40000, 22,
		      0x02, 1000, 0, 0);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_DROP, "TCP passed a default-deny set allowing UDP");
	ASSERT_EQ(rule_info(1, FW_RULE_DEFAULT).packets, dflt + 1,
	       "rule 65535 did not count the TCP packet");
}

TEST(port_ranges)
{
	__u8 f[128];
	struct out o;
	size_t n;

	fw_reset(1, false);
	if (!fw_text(1, "100 allow tcp from 10.0.1.0/24 to any dst-port 20-25"))
		return;
	n = tcp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 40000, 25,
		      0x02, 1, 0, 0);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_REDIRECT, "port 25 (in 20-25) not allowed");
	n = tcp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 40000, 26,
		      0x02, 1, 0, 0);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_DROP, "port 26 (out of 20-25) allowed");
}

TEST(direction_and_interface)
{
	__u8 f[128];
	struct out o;
	size_t n;
	char rule[128];

	fw_reset(1, true);
	snprintf(rule, sizeof(rule), "100 deny ip from any to any in recv %s", ifn[1]);
	if (!fw_text(1, rule))
		return;
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_REDIRECT, "a packet received on a0 matched recv a1");
	n = udp_ports(f, ip("10.0.2.2"), ip("10.0.1.2"), 33434, 40000, mac[1]);
	if (run(ifx[1], f, n, &o))
		ASSERT_EQ(o.ret, XDP_DROP, "a packet received on a1 passed 'in recv a1'");

	fw_reset(1, true);
	snprintf(rule, sizeof(rule), "100 deny udp from any to any out xmit %s", ifn[1]);
	if (!fw_text(1, rule))
		return;
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_DROP, "a packet leaving by a1 passed 'out xmit a1'");
}

TEST(keep_state)
{
	__u8 f[128];
	struct out o;
	struct fw_state s;
	size_t n;
	__u64 hits;

	fw_reset(1, false);
	if (!fw_text(1, "100 allow udp from 10.0.1.0/24 to any keep-state"))
		return;
	n = udp_ports(f, ip("10.0.1.2"), ip("10.0.2.2"), 40000, 33434, mac[0]);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_REDIRECT, "request not forwarded");
	ASSERT_EQ(state_count(1, &s), 1, "no state made");
	expect(s.rule == 100 && !s.fib_set, "state's rule or FIB");
	hits = FWCTR(1, state_hits);
	n = udp_ports(f, ip("10.0.2.2"), ip("10.0.1.2"), 33434, 40000, mac[1]);
	if (run(ifx[1], f, n, &o))
		ASSERT_EQ(o.ret, XDP_REDIRECT, "reply of a kept flow dropped");
	ASSERT_EQ(FWCTR(1, state_hits), hits + 1, "reply did not take the state");
	n = udp_ports(f, ip("10.0.2.2"), ip("10.0.1.2"), 33434, 40001, mac[1]);
	if (run(ifx[1], f, n, &o))
		ASSERT_EQ(o.ret, XDP_DROP, "unsolicited inbound UDP passed");
}

TEST(tcp_setup_then_established)
{
	__u8 f[128];
	struct out o;
	struct fw_state s;
	size_t n;

	fw_reset(1, false);
	if (!fw_text(1, "100 allow tcp from any to any setup keep-state"))
		return;
	n = tcp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 40000, 22,
		      0x10, 5, 5, 0);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_DROP, "ACK without a state passed 'setup'");
	n = tcp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 40000, 22,
		      0x02, 1000, 0, 0);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_REDIRECT, "SYN not allowed");
	n = tcp_frame(f, mac[1], host_mac, ip("10.0.2.2"), ip("10.0.1.2"), 22, 40000,
		      0x12, 7000, 1001, 0);
	if (run(ifx[1], f, n, &o))
		ASSERT_EQ(o.ret, XDP_REDIRECT, "SYN-ACK of the kept flow dropped");
	ASSERT_EQ(state_count(1, &s), 1, "one state");
	ASSERT_EQ((s.tcp & (FW_TCP_SYN_A | FW_TCP_SYN_B)), (FW_TCP_SYN_A | FW_TCP_SYN_B),
	       "state did not see both SYNs");
}

TEST(reject_tcp_sends_rst)
{
	__u8 f[128], ps[12 + 20];
	struct out o;
	struct iphdr *h;
	struct tcphdr *t;
	size_t n;
	__u64 rej;

	fw_reset(1, true);
	if (!fw_text(1, "100 reject tcp from any to any dst-port 80"))
		return;
	rej = FWCTR(1, rejected);
	n = tcp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 40000, 80,
		      0x02, 1000, 0, 0);
	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_TX);	/* back out a0, towards 10.0.1.2 */
	h = (void *)(o.d + 14);
	t = (void *)(o.d + 34);
	ASSERT_EQ(o.len, 54, "RST is not Ethernet + 40 bytes");
	expect(!memcmp(o.d, host_mac, 6) && !memcmp(o.d + 6, mac[0], 6), "MACs");
	expect(h->saddr == ip("10.0.2.2") && h->daddr == ip("10.0.1.2") &&
	       h->protocol == IPPROTO_TCP && ntohs(h->tot_len) == 40, "IP header");
	expect(csum_ok(h, 20), "IP checksum");
	expect(ntohs(t->source) == 80 && ntohs(t->dest) == 40000, "ports not swapped");
	ASSERT_EQ(((__u8 *)t)[13], 0x14, "flags are not RST|ACK");
	expect(ntohl(t->ack_seq) == 1001 && t->seq == 0, "ACK does not cover the SYN");
	memcpy(ps, &h->saddr, 4);
	memcpy(ps + 4, &h->daddr, 4);
	ps[8] = 0;
	ps[9] = IPPROTO_TCP;
	ps[10] = 0;
	ps[11] = 20;
	memcpy(ps + 12, t, 20);
	expect(csum_ok(ps, sizeof(ps)), "TCP checksum");
	ASSERT_EQ(FWCTR(1, rejected), rej + 1, "rejected not counted");
}

TEST(reject_udp_sends_prohibited)
{
	__u8 f[128];
	struct out o;
	struct iphdr *h;
	struct icmphdr *c;
	size_t n;

	fw_reset(1, true);
	if (!fw_text(1, "100 reject udp from any to any"))
		return;
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
	if (!run(ifx[0], f, n, &o))
		return;
	expect_verdict(&o, XDP_TX);
	h = (void *)(o.d + 14);
	c = (void *)(o.d + 34);
	expect(h->saddr == ip("10.0.1.1") && h->daddr == ip("10.0.1.2"), "addresses");
	expect(c->type == ICMP_DEST_UNREACH && c->code == ICMP_PKT_FILTERED,
	       "not ICMP administratively prohibited");
	expect(csum_ok(c, o.len - 34), "ICMP checksum");
	expect(!memcmp(o.d + 42, f + 14, 28), "quote differs");
}

TEST(setfib_chooses_fib)
{
	__u8 f[128];
	struct out o;
	size_t n;

	fw_reset(1, true);
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.9.1.1"), 64, 18, false);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_TX, "10.9/16 reachable in FIB 0 (want unreachable)");
	if (!fw_text(1, "100 setfib 1 ip from 10.0.1.0/24 to any"))
		return;
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.9.1.1"), 64, 18, false);
	if (!run(ifx[0], f, n, &o))
		return;
	ASSERT_EQ(o.ret, XDP_REDIRECT, "not forwarded through FIB 1");
	expect(!memcmp(o.d, nbr_mac, 6) && !memcmp(o.d + 6, mac[1], 6),
	       "not sent to FIB 1's next hop");
}

TEST(state_fib_carries_replies)
{
	struct vnet_route_spec bh = { .dst = in4("10.0.1.2"), .plen = 32,
				      .type = VNET_RT_BLACKHOLE };
	__u8 f[128];
	struct out o;
	struct fw_state s;
	size_t n;
	char rule[128];

	fw_reset(1, false);
	snprintf(rule, sizeof(rule), "100 setfib 1 ip from 10.0.1.0/24 to any in recv %s",
		 ifn[0]);
	if (!fw_text(1, rule) || !fw_text(1, "200 allow ip from any to any keep-state"))
		return;
	/* In FIB 0 the client is a blackhole: only FIB 1 brings replies back. */
	ASSERT_EQ(vnet_route_add(st, 1, 0, &bh), 0, "blackhole route");
	n = udp_ports(f, ip("10.0.1.2"), ip("10.9.1.1"), 40000, 53, mac[0]);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_REDIRECT, "request not forwarded through FIB 1");
	expect(state_count(1, &s) == 1 && s.fib_set && s.fib == 1, "state lacks FIB 1");
	n = udp_ports(f, ip("10.9.1.1"), ip("10.0.1.2"), 53, 40000, mac[1]);
	if (run(ifx[1], f, n, &o)) {
		ASSERT_EQ(o.ret, XDP_REDIRECT, "reply not routed by the state's FIB");
		expect(!memcmp(o.d + 6, mac[0], 6), "reply did not leave by a0");
	}
	vnet_route_del(st, 1, 0, IN4("10.0.1.2"), 32);
}

/* ICMP port unreachable from 10.0.2.2 quoting a UDP packet sport -> 33434. */
static size_t unreach_quoting(__u8 *f, __u16 sport)
{
	__u8 q[64];
	size_t qn = udp_ports(q, ip("10.0.1.2"), ip("10.0.2.2"), sport, 33434, mac[0]);
	size_t n = icmp_frame(f, mac[1], host_mac, ip("10.0.2.2"), ip("10.0.1.2"), 64,
			      ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 28);
	struct icmphdr *c = (void *)(f + 34);

	(void)qn;
	memcpy(f + 42, q + 14, 28);
	c->checksum = 0;
	c->checksum = csum16(c, 8 + 28);
	return n;
}

TEST(icmp_error_needs_state)
{
	__u8 f[128];
	struct out o;
	size_t n;
	__u64 related, orphan;

	fw_reset(1, false);
	if (!fw_text(1, "100 allow udp from 10.0.1.0/24 to any keep-state") ||
	    !fw_text(1, "200 allow icmp from any to any"))
		return;
	n = udp_ports(f, ip("10.0.1.2"), ip("10.0.2.2"), 40000, 33434, mac[0]);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_REDIRECT, "request");
	related = FWCTR(1, icmp_related);
	orphan = FWCTR(1, icmp_orphan);
	n = unreach_quoting(f, 40000);
	if (run(ifx[1], f, n, &o))
		ASSERT_EQ(o.ret, XDP_REDIRECT, "error about a kept flow dropped");
	n = unreach_quoting(f, 40999);
	if (run(ifx[1], f, n, &o))
		ASSERT_EQ(o.ret, XDP_DROP, "error about no flow passed (rule 200 allows icmp)");
	expect(FWCTR(1, icmp_related) == related + 1 && FWCTR(1, icmp_orphan) == orphan + 1,
	       "icmp_related/icmp_orphan");
}

TEST(skipto_and_count)
{
	__u8 f[128];
	struct out o;
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
	struct vnet_fw_rule_info c;

	fw_reset(1, false);
	if (!fw_text(1, "100 count ip from any to any") ||
	    !fw_text(1, "200 skipto 400 udp from any to any") ||
	    !fw_text(1, "300 deny ip from any to any") ||
	    !fw_text(1, "400 allow udp from any to any"))
		return;
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_REDIRECT, "skipto did not jump over the deny");
	c = rule_info(1, 100);
	/* inbound and outbound pass: two matches each */
	expect(c.packets == 2 && c.bytes == 2 * (n - 14), "count rule's packets/bytes");
	ASSERT_EQ(rule_info(1, 300).packets, 0, "skipped rule counted");
	ASSERT_EQ(rule_info(1, 400).packets, 2, "target rule not counted");
}

TEST(thousand_rules)
{
	__u8 f[128];
	struct out o;
	size_t n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
	char rule[96];
	bool ok = true;

	fw_reset(1, false);
	vnet_batch_begin(st);
	for (int i = 1; i <= 1000 && ok; i++) {
		snprintf(rule, sizeof(rule), "%d deny tcp from 192.0.2.%d to any", i, i % 250);
		ok = fw_text(1, rule);
	}
	ok = ok && fw_text(1, "1001 allow udp from any to any");
	ASSERT_EQ(vnet_batch_end(st), 0, "commit");
	if (!ok)
		return;
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_REDIRECT, "rule 1001 not reached");
	ASSERT_EQ(rule_info(1, 1001).packets, 2, "rule 1001 not matched on both passes");
}

TEST(later_fragment_has_no_ports)
{
	__u8 f[128];
	struct out o;
	size_t n;
	__u64 frags;

	fw_reset(1, false);
	if (!fw_text(1, "100 allow udp from any to any dst-port 33434"))
		return;
	frags = FWCTR(1, fragments);
	n = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
	((struct iphdr *)(f + 14))->frag_off = htons(100);	/* offset 800 */
	ip_recsum(f);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_DROP, "a later fragment matched a port rule");
	expect(FWCTR(1, fragments) > frags, "fragment not counted");
	if (!fw_text(1, "200 allow udp from any to any"))
		return;
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_REDIRECT, "a later fragment missed a portless rule");
}

TEST(truncated_tcp_is_malformed)
{
	__u8 f[128];
	struct out o;
	size_t n = tcp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 40000, 22,
			     0x02, 1, 0, 0);
	__u64 bad = CTR(1, drops.malformed);

	fw_reset(1, true);
	if (!fw_text(1, "100 count ip from any to any"))
		return;
	n -= 10;	/* half a TCP header */
	((struct iphdr *)(f + 14))->tot_len = htons(n - 14);
	ip_recsum(f);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_DROP, "truncated TCP forwarded");
	ASSERT_EQ(CTR(1, drops.malformed), bad + 1, "malformed not counted");
}

TEST(other_vnet_unaffected)
{
	__u8 f[128];
	struct out o;
	size_t n;

	fw_reset(1, false);	/* red: filter on, no rule, deny */
	n = icmp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.1.1"), 64, ICMP_ECHO, 0, 8);
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_DROP, "red's default deny did not apply");
	n = icmp_frame(f, mac[2], host_mac, ip("10.0.1.2"), ip("10.0.1.1"), 64, ICMP_ECHO, 0, 8);
	if (run(ifx[2], f, n, &o))
		ASSERT_EQ(o.ret, XDP_TX, "blue (same addresses) filtered by red's rules");
}

TEST(disabled_filter_passes)
{
	__u8 f[128];
	struct out o;
	size_t n = icmp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.0.1.1"), 64,
			      ICMP_ECHO, 0, 8);

	fw_reset(1, false);
	expect(vnet_sysctl_set(st, 1, "net.inet.ip.fw.enable", 0) == 0, "disable");
	if (run(ifx[0], f, n, &o))
		ASSERT_EQ(o.ret, XDP_TX, "net.inet.ip.fw.enable=0 still filtered");
	vnet_sysctl_set(st, 1, "net.inet.ip.fw.enable", 1);
}

/* Client 10.0.1.2 answers to host_mac; FIB 1 reaches 10.9/16 via 10.0.2.2. */
bool ut_prepare(void)
{
	struct vnet_route_spec r9 = { .dst = in4("10.9.0.0"), .plen = 16,
				      .type = VNET_RT_UNICAST, .gw = in4("10.0.2.2") };
	__u32 fib;

	if (vnet_neigh_add(st, 1, IN4("10.0.1.2"), host_mac, ifn[0]) ||
	    vnet_fib_add(st, 1, &fib) || fib != 1 || vnet_route_add(st, 1, 1, &r9)) {
		fprintf(stderr, "prepare: %s\n", vnet_errmsg(st));
		return false;
	}
	return true;
}

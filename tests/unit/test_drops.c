/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_drops.c - one frame for each drop reason of VNET_DROP_REASONS
 * (vnet_abi.h), and exactly that counter moves: no other reason, no other
 * fate, in either family or either vnet. The tests are made from the list
 * itself, so a new reason is a new test, which fails until cases[] below
 * has a frame for it.
 */
#include "fixture.h"
#include "pkt6.h"

struct drop_case {
	/* set the vnet up, write the frame, say where it arrives; 0: failed */
	size_t (*make)(__u8 *f, __u32 *ifindex);
	bool inet6;		/* counted in the IPv6 counters */
};

/* UDP from the host on a0 (10.0.1.2) to dst, to a0's MAC */
static size_t udp_to(__u8 *f, const char *dst, __u8 ttl, __u16 payload)
{
	return udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip(dst), ttl, payload, false);
}

static size_t malformed(__u8 *f, __u32 *ifi)
{
	udp_to(f, "10.0.2.2", 64, 18);
	return 14 + 10;		/* half an IPv4 header */
}

static size_t martian(__u8 *f, __u32 *ifi)
{
	return udp_frame(f, mac[0], host_mac, ip("127.0.0.1"), ip("10.0.2.2"), 64, 18, false);
}

static size_t bcast_mcast(__u8 *f, __u32 *ifi)
{
	return udp_frame(f, bcast, host_mac, ip("10.0.1.2"), ip("10.0.1.255"), 64, 18, false);
}

static size_t not_for_us(__u8 *f, __u32 *ifi)
{
	static const __u8 other[6] = { 0x02, 0x33, 0x33, 0x33, 0x33, 0x33 };

	return udp_frame(f, other, host_mac, ip("10.0.1.2"), ip("10.0.2.2"), 64, 18, false);
}

static size_t unknown_proto(__u8 *f, __u32 *ifi)
{
	size_t n = put_eth(f, mac[0], host_mac, 0x88b5);	/* local experimental */

	memset(f + n, 0x5a, 46);
	return n + 46;
}

static size_t neigh_ignored(__u8 *f, __u32 *ifi)
{
	return arp_frame(f, bcast, host_mac, ARPOP_REQUEST, host_mac, ip("10.0.1.2"),
			 zero_mac, ip("10.0.1.77"));	/* nobody's address */
}

static size_t not_forwarding(__u8 *f, __u32 *ifi)
{
	if (!ASSERT_EQ(vnet_sysctl_set(st, 1, "net.inet.ip.forwarding", 0), 0, "forwarding off"))
		return 0;
	return udp_to(f, "10.0.2.2", 64, 18);
}

static size_t no_route(__u8 *f, __u32 *ifi)
{
	return udp_to(f, "192.0.2.1", 64, 18);	/* red has no default */
}

static size_t blackhole(__u8 *f, __u32 *ifi)
{
	return udp_to(f, "10.8.1.1", 64, 18);
}

static size_t unreachable(__u8 *f, __u32 *ifi)
{
	return udp_to(f, "10.7.1.1", 64, 18);
}

static size_t ttl_exceeded(__u8 *f, __u32 *ifi)
{
	return udp_to(f, "10.0.2.2", 1, 18);
}

static size_t too_big(__u8 *f, __u32 *ifi)
{
	if (!ASSERT_EQ(vnet_link_mtu(st, ifn[1], 1000), 0, "mtu 1000 on a1"))
		return 0;
	return udp_to(f, "10.0.2.2", 64, 1200);		/* DF clear: no ICMP either */
}

/* vnetctl refuses a route through another vnet's interface: planted here */
static size_t wrong_vnet(__u8 *f, __u32 *ifi)
{
	struct fib4_key k = { .prefixlen = 16, .addr = ip("10.5.0.0") };
	struct fib4_route r = { .type = VNET_RT_UNICAST, .prefixlen = 16, .ifindex = ifx[2] };
	char path[256];
	int fd, err;

	snprintf(path, sizeof(path), "%s/v1/fib0_in4", pin);
	fd = bpf_obj_get(path);
	err = fd < 0 ? -errno : bpf_map_update_elem(fd, &k, &r, 0);
	close(fd);
	if (!ASSERT_EQ(err, 0, "plant a route to blue's interface"))
		return 0;
	return udp_to(f, "10.5.0.9", 64, 18);
}

static size_t no_neighbor(__u8 *f, __u32 *ifi)
{
	return udp_to(f, "10.6.0.9", 64, 18);	/* via 10.0.2.9, never resolved */
}

static size_t local_dropped(__u8 *f, __u32 *ifi)
{
	return udp_to(f, "10.0.1.1", 64, 18);	/* red's own address, no host stack */
}

static size_t filtered(__u8 *f, __u32 *ifi)
{
	if (!fw_text(1, "100 deny ip from any to any") ||
	    !ASSERT_EQ(vnet_sysctl_set(st, 1, "net.inet.ip.fw.enable", 1), 0, "filter on"))
		return 0;
	return udp_to(f, "10.0.2.2", 64, 18);
}

static size_t ext_headers(__u8 *f, __u32 *ifi)
{
	return fixture_inet6() ? tcp6_behind_dstopts(f, 1024, 0, 22) : 0;
}

/* the vnet's ARP table taken from its slot behind vnetctl's back */
static size_t internal(__u8 *f, __u32 *ifi)
{
	char path[256];
	int fd, err;

	snprintf(path, sizeof(path), "%s/vnet_nbr4", pin);
	fd = bpf_obj_get(path);
	err = fd < 0 ? -errno : bpf_map_delete_elem(fd, &(__u32){ 1 });
	close(fd);
	if (!ASSERT_EQ(err, 0, "empty red's ARP table slot"))
		return 0;
	return udp_to(f, "10.0.2.2", 64, 18);	/* a static neighbor, now unreadable */
}

#define CASE(name, ...)	[VNET_DROP_##name] = { name, __VA_ARGS__ }
static const struct drop_case cases[VNET_DROP_MAX] = {
	CASE(malformed), CASE(martian), CASE(bcast_mcast), CASE(not_for_us),
	CASE(unknown_proto), CASE(neigh_ignored), CASE(not_forwarding), CASE(no_route),
	CASE(blackhole), CASE(unreachable), CASE(ttl_exceeded), CASE(too_big),
	CASE(wrong_vnet), CASE(no_neighbor), CASE(local_dropped), CASE(filtered),
	CASE(ext_headers, true), CASE(internal),
};

/* Every fate of vnets 1 and 2, both families: [vnet][family][counter] */
struct fates { __u64 c[2][2][3 + VNET_DROP_MAX]; };

static void read_fates(struct fates *x)
{
	size_t nd;
	const struct vnet_counter *d = vnet_drop_table(&nd);
	struct vnet_stats s;

	for (int v = 0; v < 2; v++)
		for (int fam = 0; fam < 2; fam++) {
			memset(&s, 0, sizeof(s));
			(fam ? vnet_stats6_read : vnet_stats_read)(st, v + 1, &s);
			x->c[v][fam][0] = s.forwarded;
			x->c[v][fam][1] = s.delivered;
			x->c[v][fam][2] = s.hoststack_out;
			for (size_t i = 0; i < nd; i++)
				x->c[v][fam][3 + i] = *(__u64 *)((char *)&s + d[i].off);
		}
}

static void one_reason(enum vnet_drop r)
{
	static const char *fates[] = { "forwarded", "delivered", "hoststack_out" };
	static __u8 f[2048];
	const struct vnet_counter *d;
	struct fates before, after;
	__u32 ifi = ifx[0];
	struct out o;
	char what[96];
	size_t n, nd;

	d = vnet_drop_table(&nd);
	if (!expect(cases[r].make != NULL, "no frame makes this drop: give it one in cases[]"))
		return;
	if (!host_known())	/* an ICMP error goes out rather than waiting for ARP */
		return;
	n = cases[r].make(f, &ifi);
	if (!n)
		return;
	read_fates(&before);
	if (!run(ifi, f, n, &o))
		return;
	read_fates(&after);
	for (int v = 0; v < 2; v++)
		for (int fam = 0; fam < 2; fam++)
			for (size_t i = 0; i < 3 + nd; i++) {
				bool mine = v == 0 && fam == cases[r].inet6 && i == 3 + r;
				__u64 moved = after.c[v][fam][i] - before.c[v][fam][i];

				snprintf(what, sizeof(what), "vnet %d %s %s", v + 1,
					 fam ? "inet6" : "inet", i < 3 ? fates[i] : d[i - 3].name);
				ASSERT_EQ(moved, mine, what);
			}
}

#define DROP_TEST(name, text)	TEST(drop_##name) { one_reason(VNET_DROP_##name); }
VNET_DROP_REASONS(DROP_TEST)

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fixture.c - what the datapath unit tests share: four veth pairs in this
 * netns, a0/a1 in vnet 1 ("red") and a2 in vnet 2 ("blue"), both using
 * 10.0.1.0/24, a3 attached and left in vnet 0; the XDP program loaded for BPF_PROG_TEST_RUN; helpers that
 * run a frame and read counters; the hooks ut_main.c runs each test on.
 */
#include "fixture.h"
#include "pkt6.h"

struct vnet_state *st;
struct vnet_bpf *skel;
int prog_fd;
char pin[128], ifn[NIFS][16], peer[NIFS][16];
__u32 ifx[NIFS];
__u8 mac[NIFS][6];
const __u8 host_mac[6] = { 0x02, 0x11, 0x11, 0x11, 0x11, 0x11 };
const __u8 nbr_mac[6] = { 0x02, 0x22, 0x22, 0x22, 0x22, 0x22 };
const __u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
const __u8 zero_mac[6];
const char *verdict(int r)
{
	static const char *n[] = { "ABORTED", "DROP", "PASS", "TX", "REDIRECT" };

	return r >= 0 && r <= 4 ? n[r] : "?";
}

/* Frames taken by the fixture's vnets, and fates counted, both families. */
static void fate_totals(__u64 *received, __u64 *fates)
{
	const struct vnet_counter *d;
	struct vnet_stats s;
	size_t nd;

	d = vnet_drop_table(&nd);
	*received = *fates = 0;
	for (__u32 id = 1; id <= 2; id++)
		for (int fam = 0; fam < 2; fam++) {
			if ((fam ? vnet_stats6_read : vnet_stats_read)(st, id, &s))
				continue;
			*received += s.received;
			*fates += s.forwarded + s.delivered + s.hoststack_out;
			for (size_t i = 0; i < nd; i++)
				*fates += *(__u64 *)((char *)&s + d[i].off);
		}
}

bool run(__u32 ifindex, const void *frame, size_t len, struct out *o)
{
	__u64 recv0, fate0, recv1, fate1;
	char msg[96];

	struct xdp_md ctx = { .data_end = len, .ingress_ifindex = ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = frame, .data_size_in = len,
		    .data_out = o->d, .data_size_out = sizeof(o->d),
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx));
	int err;

	fate_totals(&recv0, &fate0);
	err = bpf_prog_test_run_opts(prog_fd, &t);
	o->ret = t.retval;
	o->len = t.data_size_out;
	if (err)
		printf("  test_run: %s\n", strerror(errno));
	if (!expect(err == 0, "bpf_prog_test_run_opts failed"))
		return false;
	/* every frame a vnet takes ends in exactly one counted fate */
	fate_totals(&recv1, &fate1);
	snprintf(msg, sizeof(msg), "frame received %llu times, counted in %llu fates",
		 recv1 - recv0, fate1 - fate0);
	return expect(recv1 - recv0 <= 1 && fate1 - fate0 == recv1 - recv0, msg);
}

static __u64 counter_in(int (*read)(struct vnet_state *, __u32, struct vnet_stats *),
			__u32 vnet, size_t off)
{
	struct vnet_stats s;

	if (read(st, vnet, &s))
		return ~0ULL;
	return *(__u64 *)((char *)&s + off);
}

__u64 counter(__u32 vnet, size_t off)
{
	return counter_in(vnet_stats_read, vnet, off);
}

__u64 counter6(__u32 vnet, size_t off)
{
	return counter_in(vnet_stats6_read, vnet, off);
}

/* vnet's ARP table, opened (close it). */
int nbr4_fd(__u32 vnet)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/v%u/nbr4", pin, vnet);
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

bool expect_verdict(const struct out *o, int want)
{
	char msg[64];

	snprintf(msg, sizeof(msg), "verdict %s, want %s", verdict(o->ret), verdict(want));
	return expect(o->ret == want, msg);
}

/* Answers to the host on a0 (10.0.1.2) need its MAC; tests that do not
 * resolve it themselves start with it known (a static entry). */
bool host_known(void)
{
	return expect(vnet_neigh_add(st, 1, IN4("10.0.1.2"), host_mac, ifn[0]) == 0,
		      "cannot add the host's neighbor entry");
}

int nbr_lookup(__u32 vnet, __u32 ifindex, __u32 addr, struct nbr_entry *e)
{
	struct nbr4_key k = { .ifindex = ifindex, .addr = addr };
	int fd = nbr4_fd(vnet), err;

	if (fd < 0)
		return fd;
	err = bpf_map_lookup_elem(fd, &k, e) ? -errno : 0;
	close(fd);
	return err;
}

int neigh_listed(__u32 vnet, __u32 addr)
{
	struct vnet_neigh *v;
	size_t n;
	int state = 0;

	if (vnet_neigh_list(st, vnet, 4, &v, &n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].addr.v4 == addr)
			state = state ? -1 : v[i].e.state;
	free(v);
	return state;
}

int pend_lookup(__u32 vnet, __u32 ifindex, __u32 addr, struct nbr_entry *e)
{
	struct nbr_pend_key k = { .ifindex = ifindex, .family = 4 };
	char path[256];
	int fd, err;

	memcpy(k.addr, &addr, 4);
	snprintf(path, sizeof(path), "%s/v%u/nbrpend", pin, vnet);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	err = bpf_map_lookup_elem(fd, &k, e) ? -errno : 0;
	close(fd);
	return err;
}

/* optlen: a multiple of 8, 8-2048 (fixture.h says the rest). */
size_t tcp6_behind_dstopts(__u8 *f, __u16 optlen, __u8 fill, __u16 dport)
{
	size_t n = put_eth(f, mac[0], host_mac, ETH_P_IPV6);
	struct ipv6hdr *h = (void *)(f + n);
	struct tcphdr *t;

	n += put_ip6(f + n, ip6("2001:db8:1::2"), ip6("2001:db8:2::2"), 60, 64, optlen + 20);
	memset(f + n, fill, optlen);
	f[n] = IPPROTO_TCP;
	f[n + 1] = optlen / 8 - 1;
	n += optlen;
	t = (void *)(f + n);
	memset(t, 0, 20);
	t->source = htons(40000);
	t->dest = htons(dport);
	t->seq = htonl(5000);
	t->doff = 5;
	t->syn = 1;
	t->check = csum6(h, t, 20, IPPROTO_TCP);
	return n + 20;
}

/* ---------------------------------------------------------------- fixture */

bool fixture_inet6(void)
{
	struct vnet_ip a1 = in6("2001:db8:1::1"), a2 = in6("2001:db8:2::1"),
		       h1 = in6("2001:db8:1::2"), n2 = in6("2001:db8:2::2");

	if (vnet_addr_add(st, 1, ifn[0], &a1, 64) || vnet_addr_add(st, 1, ifn[1], &a2, 64) ||
	    vnet_neigh_add(st, 1, &h1, host_mac, ifn[0]) ||
	    vnet_neigh_add(st, 1, &n2, nbr_mac, ifn[1])) {
		fprintf(stderr, "fixture_inet6: %s\n", vnet_errmsg(st));
		return false;
	}
	return true;
}

void sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fprintf(stderr, "setup command failed: %s\n", cmd);
}

void teardown(void)
{
	if (skel)
		vnet_bpf__destroy(skel);
	if (st) {
		for (int i = 0; i < NIFS; i++)
			vnet_detach(st, ifn[i]);
		vnet_destroy(st, 1);
		vnet_destroy(st, 2);
		vnet_close(st);
	}
	for (int i = 0; i < NIFS; i++)
		sh("ip link del %s 2>/dev/null", ifn[i]);
	sh("rm -rf %s", pin);
}

/* The fixture's vnets, on the attached interfaces (a3 stays in vnet 0). */
static bool fixture_vnets(void)
{
	struct vnet_create_opts red = { .id = 1, .name = "red" },
				blue = { .id = 2, .name = "blue" };
	struct vnet_route_spec bh = { .dst = in4("10.8.0.0"), .plen = 16,
				      .type = VNET_RT_BLACKHOLE },
			       un = { .dst = in4("10.7.0.0"), .plen = 16,
				      .type = VNET_RT_UNREACHABLE },
			       gw = { .dst = in4("10.6.0.0"), .plen = 16,
				      .type = VNET_RT_UNICAST, .gw = in4("10.0.2.9") };
	__u32 id;

#define TRY(x) do { if (x) { fprintf(stderr, "setup: %s: %s\n", #x, vnet_errmsg(st)); \
			     return false; } } while (0)
	TRY(vnet_create(st, &red, &id));
	TRY(vnet_create(st, &blue, &id));
	TRY(vnet_link_set(st, ifn[0], 1, 0));
	TRY(vnet_link_set(st, ifn[1], 1, 0));
	TRY(vnet_link_set(st, ifn[2], 2, 0));
	TRY(vnet_addr_add(st, 1, ifn[0], IN4("10.0.1.1"), 24));
	TRY(vnet_addr_add(st, 1, ifn[1], IN4("10.0.2.1"), 24));
	TRY(vnet_addr_add(st, 2, ifn[2], IN4("10.0.1.1"), 24));
	TRY(vnet_neigh_add(st, 1, IN4("10.0.2.2"), nbr_mac, ifn[1]));
	TRY(vnet_route_add(st, 1, 0, &bh));
	TRY(vnet_route_add(st, 1, 0, &un));
	TRY(vnet_route_add(st, 1, 0, &gw));
#undef TRY
	return true;
}

/*
 * A fresh fixture for each test without reloading the program (the
 * verifier's time): every vnet but the host goes, taking its tables,
 * rules, settings and counters, MTUs return to 1500, and the fixture's
 * two vnets come back.
 */
bool fixture_reset(void)
{
	for (__u32 id = 1; id < VNET_MAX; id++) {
		int err = vnet_destroy(st, id);

		if (err && err != -ENOENT) {
			fprintf(stderr, "reset: %s\n", vnet_errmsg(st));
			return false;
		}
	}
	for (int i = 0; i < NIFS; i++)
		if (vnet_link_mtu(st, ifn[i], 1500)) {
			fprintf(stderr, "reset: %s\n", vnet_errmsg(st));
			return false;
		}
	return fixture_vnets();
}

bool setup(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	struct vnet_iface rec;
	char err[512];
	int pid = getpid();

	snprintf(pin, sizeof(pin), "/sys/fs/bpf/vnet-ut-%d", pid);
	for (int i = 0; i < NIFS; i++) {
		snprintf(ifn[i], sizeof(ifn[i]), "vu%da%d", pid, i);
		snprintf(peer[i], sizeof(peer[i]), "vu%db%d", pid, i);
		/* no IPv6 on either end: the kernel's own router solicitations
		 * and MLD reports would be frames the tests did not send */
		sh("ip link add %s type veth peer name %s && "
		   "sysctl -qw net.ipv6.conf.%s.disable_ipv6=1 net.ipv6.conf.%s.disable_ipv6=1 && "
		   "ip link set %s up && ip link set %s up", ifn[i], peer[i], ifn[i], peer[i],
		   ifn[i], peer[i]);
	}
	st = vnet_open(pin, VNET_OPEN_CREATE, err, sizeof(err));
	if (!st) {
		fprintf(stderr, "vnet_open: %s\n", err);
		return false;
	}
	for (int i = 0; i < NIFS; i++) {
		if (vnet_attach(st, ifn[i], VNET_MODE_NATIVE) ||
		    vnet_iface_get(st, ifn[i], &ifx[i], &rec)) {
			fprintf(stderr, "setup: %s: %s\n", ifn[i], vnet_errmsg(st));
			return false;
		}
		memcpy(mac[i], rec.mac, 6);
	}
	if (!fixture_vnets())
		return false;
	oo.pin_root_path = pin;
	skel = vnet_bpf__open_opts(&oo);
	if (!skel || vnet_bpf__load(skel)) {
		fprintf(stderr, "cannot load the XDP program for test runs\n");
		return false;
	}
	prog_fd = bpf_program__fd(skel->progs.vnet_xdp);
	return true;
}



bool ut_fixture_setup(void)
{
	return setup();
}

bool ut_fixture_reset(void)
{
	return fixture_reset();
}

void ut_fixture_teardown(void)
{
	teardown();
}

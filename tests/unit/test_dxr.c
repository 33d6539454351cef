/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_dxr.c - compiled FIBs (DXR). The differential tests hold the
 * compiled lookup against the trie in the kernel (dxr_diff.bpf.c, the
 * dataplane's own lookup code) over 1,048,575 addresses per check: random
 * tables with overlapping prefixes /0 to /32, with and without a default
 * route, then after random single adds and deletes (edited in place) and
 * after a large batch (rebuilt), and in a 20-bit table. The rest: a packet
 * forwarded by a compiled FIB, the automatic choice by size, and freeing
 * the table.
 */
#include <arpa/inet.h>
#include "fixture.h"
#include "dxr_diff.h"

#define NADDR (DIFF_MAX - 1)

struct rt { __u32 addr, plen; };	/* host order */

static struct bpf_object *diff_obj;
static int diff_prog, addrs_fd, out_fd;
static struct rt *routes;
static size_t nroutes;
static __u32 fib;	/* the FIB under test, in vnet 1 */

static __u32 rnd(void)
{
	return (__u32)random() << 16 ^ (__u32)random();
}

static __u32 mask(__u32 plen)
{
	return plen ? ~0u << (32 - plen) : 0;
}

static struct vnet_route_spec spec(__u32 addr, __u32 plen)
{
	static char gw[16];
	struct vnet_route_spec s = { .dst = { .family = 4, .v4 = htonl(addr) }, .plen = plen };
	__u32 kind = (addr ^ plen * 2654435761u) % 10;

	if (kind >= 8) {
		s.type = kind == 8 ? VNET_RT_BLACKHOLE : VNET_RT_UNREACHABLE;
		return s;
	}
	snprintf(gw, sizeof(gw), "10.0.2.%u", 2 + kind);
	s.type = VNET_RT_UNICAST;
	s.gw = in4(gw);
	s.dev = ifn[1];
	return s;
}

/* A random prefix: half nested in one already there, so they overlap. */
static struct rt random_prefix(bool dflt)
{
	struct rt r;

	if (nroutes && random() % 2) {
		const struct rt *p = &routes[random() % nroutes];

		r.plen = p->plen + random() % (33 - p->plen);
		r.addr = (p->addr | (rnd() & ~mask(p->plen))) & mask(r.plen);
	} else {
		r.plen = dflt ? random() % 33 : 1 + random() % 32;
		r.addr = rnd() & mask(r.plen);
	}
	return r;
}

static bool add(struct rt r)
{
	struct vnet_route_spec s = spec(r.addr, r.plen);
	int e = vnet_route_add(st, 1, fib, &s);

	if (e == -EEXIST)
		return false;
	if (!ASSERT_EQ(e, 0, vnet_errmsg(st)))
		return false;
	routes[nroutes++] = r;
	return true;
}

static void del_at(size_t i)
{
	struct vnet_ip a = { .family = 4, .v4 = htonl(routes[i].addr) };

	ASSERT_EQ(vnet_route_del(st, 1, fib, &a, routes[i].plen), 0, vnet_errmsg(st));
	routes[i] = routes[--nroutes];
}

/* A fresh FIB of n random routes (and the connected ones), batched. */
static void load_table(size_t n, bool dflt)
{
	if (fib)
		ASSERT_EQ(vnet_fib_del(st, 1, fib), 0, vnet_errmsg(st));
	ASSERT_EQ(vnet_fib_add(st, 1, &fib), 0, vnet_errmsg(st));
	nroutes = 0;
	vnet_batch_begin(st);
	if (dflt)
		add((struct rt){ 0, 0 });
	while (nroutes < n)
		add(random_prefix(dflt));
	ASSERT_EQ(vnet_batch_end(st), 0, vnet_errmsg(st));
}

/* Addresses: a third uniform, the rest on and around route edges. */
static void fill_addrs(void)
{
	static __u32 keys[NADDR + 1], vals[NADDR + 1];
	__u32 n = NADDR + 1;

	for (__u32 i = 0; i <= NADDR; i++)
		keys[i] = i;
	vals[0] = NADDR;
	for (__u32 i = 1; i <= NADDR; i++) {
		const struct rt *r = &routes[random() % nroutes];
		__u32 first = r->addr, last = r->addr | ~mask(r->plen), a;

		switch (random() % 6) {
		case 0: case 1: a = rnd(); break;
		case 2: a = first; break;
		case 3: a = last; break;
		case 4: a = random() % 2 ? first - 1 : last + 1; break;
		default: a = first + (rnd() & ~mask(r->plen)); break;
		}
		vals[i] = htonl(a);
	}
	expect(bpf_map_update_batch(addrs_fd, keys, vals, &n, NULL) == 0 && n == NADDR + 1,
	       "cannot write the addresses");
}

/* Every address answered alike by the trie and the compiled table. */
static void diff(const char *what)
{
	struct xdp_md ctx = { .data_end = 64, .ingress_ifindex = ifx[0] };
	struct diff_res r = { .slot = VNET_FIB_SLOT(1, fib) };
	__u8 frame[64] = {};
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = frame, .data_size_in = 64,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx));
	char msg[256], a[16];

	fill_addrs();
	bpf_map_update_elem(out_fd, &(__u32){ 0 }, &r, 0);
	if (!ASSERT_EQ(bpf_prog_test_run_opts(diff_prog, &t), 0, "diff test run failed"))
		return;
	bpf_map_lookup_elem(out_fd, &(__u32){ 0 }, &r);
	inet_ntop(AF_INET, &r.first_bad, a, sizeof(a));
	snprintf(msg, sizeof(msg), "%s: %llu of %llu addresses differ (first %s: trie "
		 "/%u type %u gw %x, dxr /%u type %u gw %x)%s", what,
		 (unsigned long long)r.mismatches, (unsigned long long)r.checked, a,
		 r.trie.prefixlen, r.trie.type, r.trie.gw, r.dxr.prefixlen, r.dxr.type,
		 r.dxr.gw, r.no_table ? "; no compiled table" : "");
	expect(!r.no_table && r.checked == NADDR && r.mismatches == 0, msg);
	/* a check that routes nothing proves nothing */
	snprintf(msg, sizeof(msg), "%s: only %llu of %u addresses routed", what,
		 (unsigned long long)r.routed, NADDR);
	expect(r.routed > NADDR / 4, msg);
}

static struct vnet_fib_info info(void)
{
	struct vnet_fib_info i;

	ASSERT_EQ(vnet_fib_info(st, 1, fib, &i), 0, vnet_errmsg(st));
	return i;
}

static void set_algo(__u32 algo)
{
	expect(vnet_sysctl_set(st, 1, "net.route.algo.inet.algo", algo) == 0,
	       vnet_errmsg(st));
}

TEST(diff_random_tables)
{
	load_table(20000, true);
	set_algo(VNET_ALGO_DXR);
	expect(info().compiled, "fib not compiled with algo=dxr");
	diff("20,000 routes with a default");
	load_table(60000, false);
	expect(info().compiled, "new fib not compiled with algo=dxr");
	diff("60,000 routes, no default");
}

TEST(diff_after_updates)
{
	struct vnet_fib_info before, after;
	char msg[128];

	set_algo(VNET_ALGO_DXR);
	load_table(60000, false);
	before = info();

	for (int i = 0; i < 3000; i++) {	/* one commit each: in place */
		if (random() % 2 && nroutes > 1000)
			del_at(random() % nroutes);
		else
			add(random_prefix(true));
	}
	after = info();
	snprintf(msg, sizeof(msg), "in-place updates %u -> %u", before.fi.updates,
		 after.fi.updates);
	expect(after.fi.updates > before.fi.updates + 1000, msg);
	diff("after 3,000 single adds and deletes");
	add((struct rt){ 0, 0 });
	diff("default route added");
	for (size_t i = 0; i < nroutes; i++)
		if (routes[i].plen == 0) {
			del_at(i);
			break;
		}
	diff("default route deleted");
	before = info();
	vnet_batch_begin(st);
	for (int i = 0; i < 30000; i++) {
		if (random() % 3 == 0 && nroutes > 1000)
			del_at(random() % nroutes);
		else
			add(random_prefix(true));
	}
	ASSERT_EQ(vnet_batch_end(st), 0, vnet_errmsg(st));
	after = info();
	expect(after.fi.rebuilds > before.fi.rebuilds, "a 30,000-change batch did not rebuild");
	ASSERT_EQ(after.fi.routes4, nroutes + 4, "route count off (connected + local: 4)");
	diff("after a batch of 30,000 changes");
}

/* A frame through FIB 0 once compiled: rewritten for the route's next hop,
 * then "no route" once the route is gone. */
TEST(packet_through_compiled_fib)
{
	struct vnet_route_spec s = { .dst = in4("10.77.0.0"), .plen = 16,
				     .type = VNET_RT_UNICAST, .gw = in4("10.0.2.2") };
	__u8 f[128];
	struct out o;
	size_t len = udp_frame(f, mac[0], host_mac, ip("10.0.1.2"), ip("10.77.3.4"), 64, 18, true);
	__u64 noroute = CTR(1, drops.no_route);
	struct vnet_fib_info i;

	set_algo(VNET_ALGO_DXR);
	ASSERT_EQ(vnet_route_add(st, 1, 0, &s), 0, vnet_errmsg(st));
	expect(vnet_fib_info(st, 1, 0, &i) == 0 && i.compiled, "fib 0 not compiled");
	run(ifx[0], f, len, &o);
	expect_verdict(&o, XDP_REDIRECT);
	expect(!memcmp(o.d, nbr_mac, 6), "destination MAC is not the gateway's");
	ASSERT_EQ(vnet_route_del(st, 1, 0, &s.dst, 16), 0, vnet_errmsg(st));
	run(ifx[0], f, len, &o);
	ASSERT_NE(o.ret, XDP_REDIRECT, "forwarded after its route was deleted");
	ASSERT_EQ(CTR(1, drops.no_route), noroute + 1, "no_route not counted");
}

/* The compiled table of the FIB under test: in the slot of the outer map
 * of its class, and pinned. */
static bool has_table(void)
{
	__u32 slot = VNET_FIB_SLOT(1, fib), cls = 0, inner;
	char path[256];
	int fd;
	bool in_slot = false;

	snprintf(path, sizeof(path), "%s/vnet_dxr4cls", pin);
	fd = bpf_obj_get(path);
	if (fd >= 0)
		bpf_map_lookup_elem(fd, &slot, &cls);
	close(fd);
	if (!cls)
		return false;
	snprintf(path, sizeof(path), "%s/vnet_dxr4_%u", pin, cls - 1);
	fd = bpf_obj_get(path);
	in_slot = fd >= 0 && bpf_map_lookup_elem(fd, &slot, &inner) == 0;
	close(fd);
	snprintf(path, sizeof(path), "%s/v1/fib%u_dxr4_%u", pin, fib, cls - 1);
	ASSERT_EQ(in_slot, (access(path, F_OK) == 0), "slot and pin disagree");
	return in_slot;
}

TEST(auto_by_size)
{
	set_algo(VNET_ALGO_AUTO);
	expect(vnet_sysctl_set(st, 1, "net.route.algo.inet.dxr_min", 100) == 0,
	       vnet_errmsg(st));
	load_table(95, false);	/* + 4 connected and local */
	expect(!info().compiled, "99 routes compiled with dxr_min=100");
	add(random_prefix(false));
	expect(info().compiled, "100 routes not compiled with dxr_min=100");
	expect(has_table(), "no compiled table in the slot");
	while (nroutes > 46)	/* 50 routes: still compiled (half the threshold) */
		del_at(0);
	expect(info().compiled, "dropped above half the threshold");
	del_at(0);
	expect(!info().compiled, "still compiled under half the threshold");
	expect(!has_table(), "compiled table still in the slot");
	expect(vnet_sysctl_set(st, 1, "net.route.algo.inet.dxr_min", 4096) == 0,
	       vnet_errmsg(st));
}

/* More ranges in one /16 than a page holds: the table takes the 20-bit D
 * (chunks of /20s), and answers as the trie does, before and after edits. */
TEST(dense_chunk_takes_20_bit_table)
{
	struct vnet_fib_info i;
	char msg[96];

	set_algo(VNET_ALGO_DXR);
	load_table(20000, true);
	vnet_batch_begin(st);
	for (__u32 k = 0; k < 8200; k++)	/* every other /32: 16,400 ranges */
		add((struct rt){ 0x0a630000 + 2 * k, 32 });
	ASSERT_EQ(vnet_batch_end(st), 0, vnet_errmsg(st));
	i = info();
	snprintf(msg, sizeof(msg), "not compiled in a 20-bit class (class %d)",
		 (int)i.fi.cls - 1);
	expect(i.compiled && i.fi.cls - 1 >= DXR_D20_CLASS, msg);
	diff("a dense /16 and 20,000 random routes, 20-bit D");
	for (int k = 0; k < 1000; k++) {
		if (random() % 2)
			del_at(random() % nroutes);
		else
			add(random_prefix(true));
	}
	expect(info().fi.updates > i.fi.updates + 300, "no in-place updates");
	diff("20-bit D after 1,000 single adds and deletes");
}

/* The diff program is loaded once; each test draws from the same seed. */
bool ut_prepare(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .pin_root_path = pin);

	srandom(20261122);
	fib = 0;		/* the fixture's vnet is new: no FIB of ours yet */
	nroutes = 0;
	if (diff_obj)
		return true;
	routes = calloc(200000, sizeof(*routes));
	diff_obj = bpf_object__open_file("build/dxr_diff.bpf.o", &o);
	if (!routes || !diff_obj || bpf_object__load(diff_obj)) {
		fprintf(stderr, "cannot load build/dxr_diff.bpf.o\n");
		return false;
	}
	diff_prog = bpf_program__fd(bpf_object__find_program_by_name(diff_obj, "dxr_diff"));
	addrs_fd = bpf_object__find_map_fd_by_name(diff_obj, "diff_addrs");
	out_fd = bpf_object__find_map_fd_by_name(diff_obj, "diff_out");
	return diff_prog >= 0 && addrs_fd >= 0 && out_fd >= 0;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench.c - the measuring half of `make bench` (bench.sh builds the
 * topology and writes the report). Subcommands print `key=value` lines.
 *
 *   throughput --seconds S --rounds R --dsts FILE NAME,GEN_IF,SINK_IF,DMAC ...
 *       Live-frames generator into each chain in turn, R rounds; the sink
 *       programs count what came out. Prints tput.NAME.rI=pps.
 *   cost --pin DIR --in IF --out IF [--quick]
 *       Per-packet ns of the dataplane (and of a parse-only program, the
 *       vnet indirection alone and the minimal forwarder) with
 *       BPF_PROG_TEST_RUN, for 1..4096 vnets and 10..1,000,000 routes.
 *   filter --pin DIR --in IF --out IF [--quick]
 *       Per-packet ns of the filter: established flows with 1 and 1,000
 *       rules, and the rule walk of 1 and 1,000 stateless rules.
 *   ip6 --pin DIR --in IF --out IF [--quick]
 *       Per-packet ns of IPv6 forwarding beside IPv4, 10 and 10,000 routes.
 *   ctl --pin DIR --vnetctl PATH [--n N]
 *       Control plane: create/destroy one vnet, in process and as commands.
 *   routes --n N --ndst N --routes FILE --dsts FILE
 *       The route set and destinations every device under test gets.
 *   attach-min IN OUT DMAC
 *       Attach the minimal forwarder, its maps filled.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "libvnet.h"
#include "vnet.skel.h"
#include "bench_common.h"

static const char *objdir = "build";

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static struct bpf_object *open_obj(const char *name, const char *pin)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .pin_root_path = pin);
	char path[512];
	struct bpf_object *obj;

	snprintf(path, sizeof(path), "%s/bench_%s.bpf.o", objdir, name);
	obj = bpf_object__open_file(path, &o);
	if (!obj || bpf_object__load(obj))
		die("cannot load %s", path);
	return obj;
}

static int map_fd(struct bpf_object *o, const char *name)
{
	return bpf_map__fd(bpf_object__find_map_by_name(o, name));
}

static int prog_fd(struct bpf_object *o, const char *name)
{
	return bpf_program__fd(bpf_object__find_program_by_name(o, name));
}

static void if_mac(const char *ifname, __u8 mac[6])
{
	struct ifreq ifr = {};
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (s < 0 || ioctl(s, SIOCGIFHWADDR, &ifr))
		die("cannot read MAC of %s", ifname);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(s);
}

static void parse_mac(const char *s, __u8 mac[6])
{
	unsigned b[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		die("bad MAC %s", s);
	for (int i = 0; i < 6; i++)
		mac[i] = b[i];
}

/* 64-byte UDP/IPv4 frame (60 + FCS); the programs fill in the rest. */
static void make_frame(__u8 *f)
{
	memset(f, 0, 60);
	f[12] = 0x08;
	f[14] = 0x45;
	f[16] = 0;
	f[17] = 46;		/* tot_len */
	f[22] = 64;
	f[23] = 17;		/* UDP */
	f[34] = 0x9c; f[35] = 0x40;	/* 40000 */
	f[36] = 0x82; f[37] = 0x9a;	/* 33434 */
	f[39] = 26;		/* UDP length */
}

static __u32 load_dsts(int fd, const char *file)
{
	FILE *f = fopen(file, "r");
	char line[64];
	__u32 n = 0, a;

	if (!f)
		die("cannot open %s", file);
	while (n < BENCH_MAX_DSTS && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (inet_pton(AF_INET, line, &a) == 1 && !bpf_map_update_elem(fd, &n, &a, 0))
			n++;
	}
	fclose(f);
	return n;
}

static __u64 percpu_sum(int fd)
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 v[ncpu], sum = 0;
	__u32 zero = 0;

	if (bpf_map_lookup_elem(fd, &zero, v))
		return 0;
	for (int i = 0; i < ncpu; i++)
		sum += v[i];
	return sum;
}

static void pin_cpu(int cpu)	/* -1: every CPU */
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (c == cpu || (cpu < 0 && c < libbpf_num_possible_cpus()))
			CPU_SET(c, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* ---------------------------------------------------------- throughput */

struct chain {
	char name[32], gen_if[32], sink_if[32];
	__u8 dmac[6];
};

static int cmd_throughput(int argc, char **argv)
{
	double seconds = 2;
	int rounds = 3, nch = 0, gen, sink_cnt, cfg_fd;
	const char *dsts = NULL;
	struct chain ch[8];
	struct bpf_object *g, *s;
	__u8 frame[60];
	__u32 ndst, zero = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--dsts") && i + 1 < argc)
			dsts = argv[++i];
		else if (nch < 8) {
			char mac[32];

			if (sscanf(argv[i], "%31[^,],%31[^,],%31[^,],%31s", ch[nch].name,
				   ch[nch].gen_if, ch[nch].sink_if, mac) != 4)
				die("bad chain '%s'", argv[i]);
			parse_mac(mac, ch[nch].dmac);
			nch++;
		}
	}
	if (!dsts || !nch)
		die("throughput needs --dsts and chains");
	g = open_obj("gen", NULL);
	s = open_obj("sink", NULL);
	gen = prog_fd(g, "bench_gen");
	cfg_fd = map_fd(g, "bench_cfg");
	sink_cnt = map_fd(s, "sink_count");
	ndst = load_dsts(map_fd(g, "bench_dsts"), dsts);
	for (int c = 0; c < nch; c++)
		if (bpf_xdp_attach(if_nametoindex(ch[c].sink_if), prog_fd(s, "bench_sink"),
				   XDP_FLAGS_DRV_MODE, NULL))
			die("cannot attach sink to %s", ch[c].sink_if);
	make_frame(frame);
	pin_cpu(0);
	printf("dsts=%u\n", ndst);
	for (int r = 0; r < rounds; r++) {
		for (int c = 0; c < nch; c++) {
			struct bench_frame_cfg cfg = { .ndst = ndst,
						       .saddr = inet_addr("10.0.1.2") };
			LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = frame,
				    .data_size_in = sizeof(frame), .repeat = 1 << 20,
				    .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
			__u64 before, after, sent = 0;
			double t0, t1;

			cfg.ifindex = if_nametoindex(ch[c].gen_if);
			if_mac(ch[c].gen_if, cfg.smac);
			memcpy(cfg.dmac, ch[c].dmac, 6);
			bpf_map_update_elem(cfg_fd, &zero, &cfg, 0);
			/* warm up: neighbor caches, page pools */
			t.repeat = 1 << 16;
			bpf_prog_test_run_opts(gen, &t);
			usleep(100000);
			t.repeat = 1 << 20;
			before = percpu_sum(sink_cnt);
			t0 = now_s();
			do {
				if (bpf_prog_test_run_opts(gen, &t))
					die("generator: %s", strerror(errno));
				sent += t.repeat;
				t1 = now_s();
			} while (t1 - t0 < seconds);
			usleep(50000);	/* let the last batch drain */
			after = percpu_sum(sink_cnt);
			printf("tput.%s.r%d=%.0f\n", ch[c].name, r, (after - before) / (t1 - t0));
			printf("sent.%s.r%d=%.0f\n", ch[c].name, r, sent / (t1 - t0));
			fflush(stdout);
		}
	}
	for (int c = 0; c < nch; c++)
		bpf_xdp_detach(if_nametoindex(ch[c].sink_if), XDP_FLAGS_DRV_MODE, NULL);
	bpf_object__close(g);
	bpf_object__close(s);
	return 0;
}

/* ---------------------------------------------------------------- cost */

static __u32 rnd32(void)
{
	return ((__u32)random() << 16) ^ (__u32)random();
}

struct rt { __u32 addr, plen; };

/* Random prefixes in 16.0.0.0-95.255.255.255, /16 to /28. */
static void gen_routes(struct rt *r, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		__u32 plen = 16 + random() % 13;
		__u32 a = (16u << 24) + rnd32() % (80u << 24);

		r[i].plen = plen;
		r[i].addr = htonl(a & (~0u << (32 - plen)));
	}
}

static int rt_cmp(const void *a, const void *b)
{
	const struct rt *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->plen - (int)y->plen;
}

static void fill_dsts(int fd, const struct rt *r, size_t nr, bool hit, __u32 n)
{
	for (__u32 i = 0; i < n; i++) {
		__u32 a;

		if (hit) {
			const struct rt *x = &r[random() % nr];

			a = htonl(ntohl(x->addr) | (rnd32() & ((1u << (32 - x->plen)) - 1)));
		} else {
			a = htonl((128u << 24) + rnd32() % (64u << 24));	/* unrouted */
		}
		bpf_map_update_elem(fd, &i, &a, 0);
	}
}

struct cost_ctx {
	int harness, next_fd, cfg_fd, dst_fd;
	__u32 in_ifindex;
	__u32 len;		/* of the frame: 60 (IPv4), 64 (IPv6) */
	__u8 frame[64];
};

/*
 * ns per packet of the harness in front of each target: runs interleaved
 * round-robin (so the figures later subtracted from each other share the
 * same moments of a shared machine), the best of 9 rounds after a warm-up.
 */
static void measure(struct cost_ctx *c, const int *targets, int n, __u32 repeat,
		    double *best)
{
	struct xdp_md ctx = { .data_end = c->len, .ingress_ifindex = c->in_ifindex };
	__u32 zero = 0;

	for (int k = 0; k < n; k++)
		best[k] = 1e18;
	for (int round = -1; round < 9; round++) {
		for (int k = 0; k < n; k++) {
			LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = c->frame,
				    .data_size_in = c->len, .ctx_in = &ctx,
				    .ctx_size_in = sizeof(ctx), .repeat = repeat);

			bpf_map_update_elem(c->next_fd, &zero, &targets[k], 0);
			if (bpf_prog_test_run_opts(c->harness, &t))
				die("test run: %s", strerror(errno));
			if (round >= 0 && t.duration < best[k])
				best[k] = t.duration;
		}
	}
}

#define V4(a) ((struct vnet_ip){ .family = 4, .v4 = (a) })

/* One vnet routing between two attached interfaces, the dataplane and the
 * harness programs loaded: what the cost and filter figures both measure. */
struct dp {
	struct vnet_state *st;
	struct vnet_bpf *skel;
	struct bpf_object *h, *cv, *fm;
	struct cost_ctx c;
	const char *in, *out;
	__u32 out_ifindex;
	__u8 nmac[6];
};

#define TRY(x) do { if (x) die("%s: %s", #x, vnet_errmsg(d->st)); } while (0)

static void dp_setup(struct dp *d, const char *pin, const char *in, const char *out,
		     __u32 max_routes)
{
	struct vnet_create_opts vo = { .id = 1, .name = "bench", .max_routes = max_routes };
	struct bench_fwd_cfg fc = {};
	struct bench_frame_cfg cfg = { .ndst = 4096, .saddr = inet_addr("10.0.1.2") };
	struct vnet_iface rec;
	__u32 id, zero = 0;
	char err[512];

	d->in = in;
	d->out = out;
	memcpy(d->nmac, (__u8[6]){ 0x02, 0, 0, 0, 0, 0x22 }, 6);
	d->st = vnet_open(pin, VNET_OPEN_CREATE, err, sizeof(err));
	if (!d->st)
		die("%s", err);
	TRY(vnet_attach(d->st, in, VNET_MODE_NATIVE));
	TRY(vnet_attach(d->st, out, VNET_MODE_NATIVE));
	TRY(vnet_create(d->st, &vo, &id));
	TRY(vnet_link_set(d->st, in, 1, 0));
	TRY(vnet_link_set(d->st, out, 1, 0));
	TRY(vnet_addr_add(d->st, 1, in, &V4(inet_addr("10.0.1.1")), 24));
	TRY(vnet_addr_add(d->st, 1, out, &V4(inet_addr("10.0.2.1")), 24));
	TRY(vnet_neigh_add(d->st, 1, &V4(inet_addr("10.0.2.2")), d->nmac, out));
	TRY(vnet_sysctl_set(d->st, 1, "net.inet.icmp.unreach", 0));	/* a miss just drops */
	TRY(vnet_iface_get(d->st, in, &d->c.in_ifindex, &rec));
	memcpy(cfg.dmac, rec.mac, 6);
	TRY(vnet_iface_get(d->st, out, &d->out_ifindex, &rec));
	{
		LIBBPF_OPTS(bpf_object_open_opts, o, .pin_root_path = pin);
		d->skel = vnet_bpf__open_opts(&o);
		if (!d->skel || vnet_bpf__load(d->skel))
			die("cannot load the dataplane");
	}
	d->h = open_obj("harness", NULL);
	d->cv = open_obj("curvnet_only", pin);
	d->fm = open_obj("fwd_min", NULL);
	d->c.harness = prog_fd(d->h, "bench_harness");
	d->c.next_fd = map_fd(d->h, "bench_next");
	d->c.cfg_fd = map_fd(d->h, "bench_cfg");
	d->c.dst_fd = map_fd(d->h, "bench_dsts");
	bpf_map_update_elem(map_fd(d->fm, "fwd_port"), &zero, &d->out_ifindex, 0);
	memcpy(cfg.smac, d->nmac, 6);
	bpf_map_update_elem(d->c.cfg_fd, &zero, &cfg, 0);
	memcpy(fc.dmac, d->nmac, 6);
	bpf_map_update_elem(map_fd(d->fm, "fwd_cfg"), &zero, &fc, 0);
	make_frame(d->c.frame);
	d->c.len = 60;
}

/* Detach, then let bench.sh remove the pin directory: unpinning frees
 * every vnet at once, where destroy waits two grace periods per live vnet. */
static void dp_teardown(struct dp *d)
{
	bpf_object__close(d->h);
	bpf_object__close(d->cv);
	bpf_object__close(d->fm);
	vnet_bpf__destroy(d->skel);
	vnet_detach(d->st, d->in);
	vnet_detach(d->st, d->out);
	vnet_close(d->st);
}

static bool cost_args(int argc, char **argv, const char **pin, const char **in,
		      const char **out, bool *quick)
{
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--pin") && i + 1 < argc) *pin = argv[++i];
		else if (!strcmp(argv[i], "--in") && i + 1 < argc) *in = argv[++i];
		else if (!strcmp(argv[i], "--out") && i + 1 < argc) *out = argv[++i];
		else if (!strcmp(argv[i], "--quick")) *quick = true;
	}
	return *pin && *in && *out;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* ms of n route adds (then deletes) of random /plen in fib, median and max. */
static void time_updates(struct dp *d, __u32 fib, __u32 plen, int n, const char *k)
{
	struct vnet_route_spec rs = { .plen = plen, .type = VNET_RT_UNICAST,
				      .gw = V4(inet_addr("10.0.2.2")) };
	double add[64], del[64];
	int got = 0;

	while (got < n && got < 64) {
		double t0 = now_s();

		rs.dst = V4(htonl(((16u << 24) + rnd32() % (80u << 24)) & (~0u << (32 - plen))));
		if (vnet_route_add(d->st, 1, fib, &rs))
			continue;	/* already there */
		add[got] = (now_s() - t0) * 1e3;
		t0 = now_s();
		TRY(vnet_route_del(d->st, 1, fib, &rs.dst, plen));
		del[got++] = (now_s() - t0) * 1e3;
	}
	qsort(add, got, sizeof(*add), cmp_double);
	qsort(del, got, sizeof(*del), cmp_double);
	printf("dxr.update_%s_add_ms=%.3f\ndxr.update_%s_add_max_ms=%.3f\n", k, add[got / 2],
	       k, add[got - 1]);
	printf("dxr.update_%s_del_ms=%.3f\ndxr.update_%s_del_max_ms=%.3f\n", k, del[got / 2],
	       k, del[got - 1]);
}

/*
 * Compiled FIBs against the trie, 1 vnet: the lookup alone (bench_lookup
 * minus bench_curvnet) and the whole dataplane, per table size; then the
 * full compile, the memory, and single updates of the largest table.
 */
static void dxr_section(struct dp *d, const size_t *steps, size_t nrs,
			const struct rt *routes, __u32 repeat)
{
	const __u32 algos[2] = { VNET_ALGO_DXR, VNET_ALGO_TRIE };
	const int targets[4] = {
		prog_fd(d->h, "bench_parse"), bpf_program__fd(d->skel->progs.vnet_xdp),
		prog_fd(d->cv, "bench_curvnet"), prog_fd(d->cv, "bench_lookup"),
	};
	double t0;

	TRY(vnet_sysctl_set(d->st, 1, "net.route.algo.inet.algo", VNET_ALGO_TRIE));
	for (int a = 0; a < 2; a++) {
		const char *an = vnet_fib_algo_name(algos[a]);

		pin_cpu(-1);	/* as vnetctl runs: the trie is read by two threads */
		t0 = now_s();
		TRY(vnet_sysctl_set(d->st, 1, "net.route.algo.inet.algo", algos[a]));
		if (algos[a] == VNET_ALGO_DXR)	/* every FIB of the vnet, the largest dominates */
			printf("dxr.compile_s.%zu=%.3f\n", steps[nrs - 1], now_s() - t0);
		pin_cpu(1);
		for (size_t ri = 0; ri < nrs; ri++) {
			struct vnet_fib_info fi;

			TRY(vnet_link_set(d->st, d->in, 1, ri));
			if (algos[a] == VNET_ALGO_DXR) {
				TRY(vnet_fib_info(d->st, 1, ri, &fi));
				printf("mem.dxr_bytes_per_route.%zu=%.1f\n", steps[ri],
				       (double)fi.dxr_bytes / fi.fi.routes4);
				printf("mem.trie_bytes_per_route.%zu=%.1f\n", steps[ri],
				       (double)fi.trie_bytes / fi.fi.routes4);
			}
			for (int hit = 1; hit >= 0; hit--) {
				const char *k = hit ? "hit" : "miss";
				double t[4];

				srandom(1000 + ri * 2 + hit);
				fill_dsts(d->c.dst_fd, routes, steps[ri], hit, 4096);
				measure(&d->c, targets, 4, repeat, t);
				printf("cost.v1.r%zu.%s.lookup_%s=%.1f\n", steps[ri], k, an,
				       t[3] - t[2]);
				printf("cost.v1.r%zu.%s.dataplane_%s=%.1f\n", steps[ri], k, an,
				       t[1] - t[0]);
				fflush(stdout);
			}
		}
	}
	TRY(vnet_sysctl_set(d->st, 1, "net.route.algo.inet.algo", VNET_ALGO_DXR));
	time_updates(d, nrs - 1, 24, 50, "p24");
	time_updates(d, nrs - 1, 8, 10, "p8");
	TRY(vnet_sysctl_set(d->st, 1, "net.route.algo.inet.algo", VNET_ALGO_AUTO));
	fflush(stdout);
}

static int cmd_cost(int argc, char **argv)
{
	const char *pin = NULL, *in = NULL, *out = NULL;
	bool quick = false;
	struct dp dp = {}, *d = &dp;
	__u32 id;
	struct rt *routes;
	size_t nroutes = 0;

	if (!cost_args(argc, argv, &pin, &in, &out, &quick))
		die("cost needs --pin --in --out");
	srandom(42);
	pin_cpu(1);	/* one CPU for every figure: no migration mid-series */
	dp_setup(d, pin, in, out, 1100000);

	/* Each route-table size is its own FIB of the tested vnet: switching
	 * the ingress interface's FIB is one map write, loading is done once. */
	const size_t route_steps[] = { 10, 10000, 1000000 };
	const __u32 vnet_steps[] = { 1, 64, 1024, 4096 };
	size_t nrs = quick ? 2 : 3;
	__u32 repeat = quick ? 20000 : 200000, vnets = 1, fib;

	if (getenv("BENCH_REPEAT"))	/* steadier figures from a quick run */
		repeat = atoi(getenv("BENCH_REPEAT"));

	routes = calloc(1000000, sizeof(*routes));
	gen_routes(routes, 0, 1000000);
	for (size_t ri = 0; ri < nrs; ri++) {
		double t0 = now_s();

		if (ri)
			TRY(vnet_fib_add(d->st, 1, &fib));
		vnet_batch_begin(d->st);	/* as vnetctl -b: one commit */
		for (nroutes = 0; nroutes < route_steps[ri]; nroutes++) {
			struct vnet_route_spec rs = { .dst = V4(routes[nroutes].addr),
						      .plen = routes[nroutes].plen,
						      .type = VNET_RT_UNICAST,
						      .gw = V4(inet_addr("10.0.2.2")) };
			int e = vnet_route_add(d->st, 1, ri, &rs);

			if (e && e != -EEXIST)
				die("route add: %s", vnet_errmsg(d->st));
		}
			TRY(vnet_batch_end(d->st));
		printf("routes_loaded_in_process_s.%zu=%.3f\n", nroutes, now_s() - t0);
		fflush(stdout);
	}
	/* Loading a million routes leaves the kernel busy for a while (deferred
	 * frees, compaction); measured right away, the first figures came out
	 * 25-30% slower than later ones. */
	sleep(quick ? 1 : 5);
	dxr_section(d, route_steps, nrs, routes, repeat);
	for (size_t vi = 0; vi < 4; vi++) {
		__u32 want = vnet_steps[vi] >= VNET_MAX ? VNET_MAX - 1 : vnet_steps[vi];
		static __u32 ids[VNET_MAX];
		size_t nids = 0;

		if (quick && vi != 0 && vi != 3)
			continue;
		/* more vnets, live (slots installed), one batch for all */
		for (; vnets < want; vnets++) {
			struct vnet_create_opts o = { 0 };

			TRY(vnet_create(d->st, &o, &id));
			ids[nids++] = id;
		}
		if (nids)
			TRY(vnet_make_live_many(d->st, ids, nids));
		for (size_t ri = 0; ri < nrs; ri++) {
			TRY(vnet_link_set(d->st, in, 1, ri));
			for (int hit = 1; hit >= 0; hit--) {
				const char *k = hit ? "hit" : "miss";
				const int targets[4] = {
					prog_fd(d->h, "bench_parse"),
					bpf_program__fd(d->skel->progs.vnet_xdp),
					prog_fd(d->cv, "bench_curvnet"),
					prog_fd(d->fm, "bench_fwd_min"),
				};
				double t[4], parse, dp_ns, ind, mf;

				/* the same destinations at every vnet count */
				srandom(1000 + ri * 2 + hit);
				fill_dsts(d->c.dst_fd, routes, route_steps[ri], hit, 4096);
				measure(&d->c, targets, 4, repeat, t);
				parse = t[0], dp_ns = t[1], ind = t[2], mf = t[3];
				printf("cost.v%u.r%zu.%s.dataplane=%.1f\n", want, route_steps[ri], k,
				       dp_ns - parse);
				printf("cost.v%u.r%zu.%s.indirection=%.1f\n", want, route_steps[ri], k,
				       ind - parse);
				printf("cost.v%u.r%zu.%s.fwd_min=%.1f\n", want, route_steps[ri], k,
				       mf - parse);
				printf("cost.v%u.r%zu.%s.parse=%.1f\n", want, route_steps[ri], k, parse);
				fflush(stdout);
			}
		}
	}
	free(routes);
	dp_teardown(d);
	return 0;
}

/* --------------------------------------------------------------- filter */

/* deny tcp from 192.0.2.N to any: a rule no benchmark packet matches. */
static struct fw_rule fw_nomatch(__u16 num)
{
	struct fw_rule r = { .num = num, .action = FW_DENY, .proto = IPPROTO_TCP,
			     .family = 4 };

	r.src[0] = htonl(0xc0000200u | (num % 250));
	r.smask[0] = ~0u;
	return r;
}

/* A fresh set: n - 1 rules no packet matches, then rule n allows. */
static void fw_load(struct dp *d, size_t n, bool keep)
{
	struct fw_rule last = { .num = n, .action = FW_ALLOW,
				.flags = keep ? FW_F_KEEP_STATE : 0 };

	vnet_batch_begin(d->st);
	TRY(vnet_filter_flush(d->st, 1));
	for (size_t i = 1; i < n; i++) {
		struct fw_rule r = fw_nomatch(i);

		TRY(vnet_filter_add(d->st, 1, &r, NULL));
	}
	TRY(vnet_filter_add(d->st, 1, &last, NULL));
	TRY(vnet_batch_end(d->st));
	TRY(vnet_sysctl_set(d->st, 1, "net.inet.ip.fw.enable", 1));
}

/* Put rules 1..n-1 in front of rule n, or take them out; states stay. */
static void fw_front(struct dp *d, size_t n, bool add)
{
	vnet_batch_begin(d->st);
	for (size_t i = 1; i < n; i++) {
		struct fw_rule r = fw_nomatch(i);

		TRY(add ? vnet_filter_add(d->st, 1, &r, NULL) : vnet_filter_del(d->st, 1, i));
	}
	TRY(vnet_batch_end(d->st));
}

static void set_flows(struct dp *d, __u32 n)
{
	struct bench_frame_cfg cfg;
	__u32 zero = 0;

	bpf_map_lookup_elem(d->c.cfg_fd, &zero, &cfg);
	cfg.ndst = n;
	bpf_map_update_elem(d->c.cfg_fd, &zero, &cfg, 0);
}

/* ns per packet of the dataplane minus parse-only, best of 9 rounds. */
static double dp_cost(struct dp *d, __u32 repeat)
{
	const int targets[2] = { prog_fd(d->h, "bench_parse"),
				 bpf_program__fd(d->skel->progs.vnet_xdp) };
	double t[2];

	measure(&d->c, targets, 2, repeat, t);
	return t[1] - t[0];
}

static void keep_min(double *best, double v)
{
	if (v < *best)
		*best = v;
}

/*
 * The filter's cost per packet, UDP flows to 20.0.0.0/8:
 *  - established flows (the state decides) behind 1 rule and behind 1,000:
 *    the keep-state rule is number 1000 in both sets and the 999 rules in
 *    front of it come and go without touching the states, so both sets
 *    are measured on the very same state table, alternately; with 64 flows
 *    (the table in cache) and 4,096 (it is not);
 *  - the rule walk of stateless sets of 1 and 1,000 rules (every packet
 *    walks them on the inbound and the outbound pass).
 * The warm-up round of a measurement makes the states.
 */
static int cmd_filter(int argc, char **argv)
{
	const char *pin = NULL, *in = NULL, *out = NULL;
	bool quick = false;
	struct dp dp = {}, *d = &dp;
	struct vnet_route_spec rs = { .dst = V4(inet_addr("20.0.0.0")), .plen = 8,
				      .type = VNET_RT_UNICAST, .gw = V4(inet_addr("10.0.2.2")) };
	const __u32 flows[2] = { 64, 4096 };
	double off = 1e18, est[2][2], walk1 = 1e18, walk1000 = 1e18;
	__u32 repeat;
	int rounds;

	if (!cost_args(argc, argv, &pin, &in, &out, &quick))
		die("filter needs --pin --in --out");
	repeat = quick ? 20000 : 200000;
	rounds = quick ? 1 : 5;
	srandom(7);
	pin_cpu(1);
	dp_setup(d, pin, in, out, 0);
	TRY(vnet_route_add(d->st, 1, 0, &rs));
	for (__u32 i = 0; i < 4096; i++) {
		__u32 a = htonl((20u << 24) | (i << 8) | (rnd32() & 0xff));

		bpf_map_update_elem(d->c.dst_fd, &i, &a, 0);
	}
	for (int f = 0; f < 2; f++)
		est[f][0] = est[f][1] = 1e18;

	set_flows(d, 4096);
	keep_min(&off, dp_cost(d, repeat));
	fw_load(d, 1000, true);
	fw_front(d, 1000, false);
	for (int r = 0; r < rounds; r++)
		for (int f = 0; f < 2; f++) {
			set_flows(d, flows[f]);
			keep_min(&est[f][0], dp_cost(d, repeat));
			fw_front(d, 1000, true);
			keep_min(&est[f][1], dp_cost(d, repeat));
			fw_front(d, 1000, false);
		}
	set_flows(d, 4096);
	TRY(vnet_sysctl_set(d->st, 1, "net.inet.ip.fw.enable", 0));
	keep_min(&off, dp_cost(d, repeat));
	fw_load(d, 1, false);
	keep_min(&walk1, dp_cost(d, repeat));
	fw_load(d, 1000, false);
	keep_min(&walk1000, dp_cost(d, quick ? 200 : 2000));

	printf("filter.off=%.1f\n", off);
	for (int f = 0; f < 2; f++) {
		printf("filter.est.f%u.r1=%.1f\n", flows[f], est[f][0]);
		printf("filter.est.f%u.r1000=%.1f\n", flows[f], est[f][1]);
	}
	printf("filter.walk.r1=%.1f\n", walk1);
	printf("filter.walk.r1000=%.1f\n", walk1000);
	dp_teardown(d);
	return 0;
}
/* --------------------------------------------------------------- ipv6 */

/*
 * IPv6 forwarding beside IPv4, same vnet, same harness method: R routes
 * of each family (IPv4 /24s in 16.0.0.0/8, IPv6 /112s in
 * 2001:db8:f00d::/48, R random 16-bit route numbers), 4096 destinations
 * that hit them, measured alternately.
 */
static int cmd_ip6(int argc, char **argv)
{
	const char *pin = NULL, *in = NULL, *out = NULL;
	bool quick = false;
	struct dp dp = {}, *d = &dp;
	struct vnet_ip a6, gw6, n6;
	const size_t steps[] = { 10, 10000 };
	struct bpf_object *h6;
	struct cost_ctx c6;
	__u16 *rid;
	__u32 repeat, zero = 0;

	if (!cost_args(argc, argv, &pin, &in, &out, &quick))
		die("ip6 needs --pin --in --out");
	repeat = quick ? 20000 : 200000;
	srandom(66);
	pin_cpu(1);
	dp_setup(d, pin, in, out, 0);
	vnet_ip_parse("2001:db8:1::1", &a6);
	TRY(vnet_addr_add(d->st, 1, in, &a6, 64));
	vnet_ip_parse("2001:db8:2::1", &a6);
	TRY(vnet_addr_add(d->st, 1, out, &a6, 64));
	vnet_ip_parse("2001:db8:2::2", &n6);
	TRY(vnet_neigh_add(d->st, 1, &n6, d->nmac, out));
	gw6 = n6;

	h6 = open_obj("harness6", NULL);
	c6 = d->c;
	c6.harness = prog_fd(h6, "bench_harness6");
	c6.next_fd = map_fd(h6, "bench_next6");
	c6.cfg_fd = map_fd(h6, "bench_cfg");
	c6.dst_fd = map_fd(h6, "bench_dsts");
	c6.len = 64;
	memset(c6.frame, 0, sizeof(c6.frame));
	{
		struct bench_frame_cfg cfg;

		bpf_map_lookup_elem(d->c.cfg_fd, &zero, &cfg);
		bpf_map_update_elem(c6.cfg_fd, &zero, &cfg, 0);
	}
	rid = calloc(10000, sizeof(*rid));
	for (size_t i = 0; i < 10000; i++)	/* distinct random route numbers */
		for (bool dup = true; dup;) {
			rid[i] = 1 + random() % 65535;
			dup = false;
			for (size_t j = 0; j < i && !dup; j++)
				dup = rid[j] == rid[i];
		}
	for (size_t si = 0, done = 0; si < (quick ? 1u : 2u); si++) {
		double best4 = 1e18, best6 = 1e18;

		for (; done < steps[si]; done++) {
			struct vnet_route_spec r4 = { .plen = 24, .type = VNET_RT_UNICAST,
						      .gw = V4(inet_addr("10.0.2.2")) };
			struct vnet_route_spec r6 = { .plen = 112, .type = VNET_RT_UNICAST,
						      .gw = gw6 };

			r4.dst = V4(htonl(16u << 24 | (__u32)rid[done] << 8));
			vnet_ip_parse("2001:db8:f00d::", &r6.dst);
			r6.dst.w[3] = htonl((__u32)rid[done] << 16);
			TRY(vnet_route_add(d->st, 1, 0, &r4));
			TRY(vnet_route_add(d->st, 1, 0, &r6));
		}
		for (__u32 i = 0; i < 4096; i++) {
			__u32 r = rid[random() % steps[si]], h = random();
			__u32 v4 = htonl(16u << 24 | r << 8 | (h & 0xff));
			__u32 v6 = htonl(r << 16 | (h & 0xffff));

			bpf_map_update_elem(d->c.dst_fd, &i, &v4, 0);
			bpf_map_update_elem(c6.dst_fd, &i, &v6, 0);
		}
		for (int round = 0; round < (quick ? 1 : 3); round++) {
			const int t4[2] = { prog_fd(d->h, "bench_parse"),
					    bpf_program__fd(d->skel->progs.vnet_xdp) };
			const int t6[2] = { prog_fd(h6, "bench_parse6"),
					    bpf_program__fd(d->skel->progs.vnet_xdp) };
			double t[2];

			measure(&d->c, t4, 2, repeat, t);
			keep_min(&best4, t[1] - t[0]);
			measure(&c6, t6, 2, repeat, t);
			keep_min(&best6, t[1] - t[0]);
		}
		{	/* a figure of frames that were not forwarded is no figure */
			struct vnet_stats s4, s6;

			TRY(vnet_stats_read(d->st, 1, &s4));
			TRY(vnet_stats6_read(d->st, 1, &s6));
			if (s4.forwarded < repeat || s6.forwarded < repeat)
				die("frames not forwarded (IPv4 %llu, IPv6 %llu)",
				    (unsigned long long)s4.forwarded,
				    (unsigned long long)s6.forwarded);
		}
		printf("ip6.r%zu.v4=%.1f\nip6.r%zu.v6=%.1f\n", steps[si], best4, steps[si], best6);
		fflush(stdout);
	}
	free(rid);
	bpf_object__close(h6);
	dp_teardown(d);
	return 0;
}
#undef TRY

/* ----------------------------------------------------------------- ctl */

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_d);
	return v[n / 2];
}

static double run_cmd(char *const argv[])
{
	double t0 = now_s();
	pid_t p = fork();
	int status;

	if (p == 0) {
		int fd = open("/dev/null", 1);

		dup2(fd, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(p, &status, 0);
	return now_s() - t0;
}

static int cmd_ctl(int argc, char **argv)
{
	const char *pin = NULL, *vnetctl = NULL;
	int n = 200;
	char err[512];
	struct vnet_state *st;
	double *a, *b, *c, *d, *e;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--pin") && i + 1 < argc) pin = argv[++i];
		else if (!strcmp(argv[i], "--vnetctl") && i + 1 < argc) vnetctl = argv[++i];
		else if (!strcmp(argv[i], "--n") && i + 1 < argc) n = atoi(argv[++i]);
	}
	if (!pin || !vnetctl)
		die("ctl needs --pin --vnetctl");
	a = calloc(n, sizeof(*a)); b = calloc(n, sizeof(*b)); c = calloc(n, sizeof(*c));
	d = calloc(n, sizeof(*d)); e = calloc(n, sizeof(*e));
	st = vnet_open(pin, VNET_OPEN_CREATE, err, sizeof(err));
	if (!st)
		die("%s", err);
	for (int i = 0; i < n; i++) {	/* in process */
		struct vnet_create_opts o = { 0 };
		__u32 id;
		double t0 = now_s();

		if (vnet_create(st, &o, &id))
			die("%s", vnet_errmsg(st));
		a[i] = now_s() - t0;
		t0 = now_s();
		vnet_destroy(st, id);
		b[i] = now_s() - t0;
	}
	vnet_close(st);	/* drop the lock for the commands */
	for (int i = 0; i < n; i++) {
		char *cr[] = { (char *)vnetctl, "-p", (char *)pin, "create", "name", "cmdbench", NULL };
		char *ds[] = { (char *)vnetctl, "-p", (char *)pin, "destroy", "cmdbench", NULL };
		char *tr[] = { "/bin/true", NULL };

		c[i] = run_cmd(cr);
		d[i] = run_cmd(ds);
		e[i] = run_cmd(tr);
	}
	printf("ctl.create_inproc_ms=%.3f\n", median(a, n) * 1e3);
	printf("ctl.destroy_inproc_ms=%.3f\n", median(b, n) * 1e3);
	printf("ctl.create_cmd_ms=%.3f\n", median(c, n) * 1e3);
	printf("ctl.destroy_cmd_ms=%.3f\n", median(d, n) * 1e3);
	printf("ctl.true_cmd_ms=%.3f\n", median(e, n) * 1e3);
	return 0;
}

/* ------------------------------------------------------------- helpers */

/* Route and destination files shared by every device under test. */
static int cmd_routes(int argc, char **argv)
{
	size_t n = 10000, ndst = 4096;
	const char *rf = NULL, *df = NULL;
	struct rt *r;
	FILE *f;
	char a[16];

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--n") && i + 1 < argc) n = atol(argv[++i]);
		else if (!strcmp(argv[i], "--ndst") && i + 1 < argc) ndst = atol(argv[++i]);
		else if (!strcmp(argv[i], "--routes") && i + 1 < argc) rf = argv[++i];
		else if (!strcmp(argv[i], "--dsts") && i + 1 < argc) df = argv[++i];
	}
	if (!rf || !df)
		die("routes needs --routes FILE --dsts FILE");
	srandom(7);
	r = calloc(n, sizeof(*r));
	for (size_t have = 0; have < n;) {	/* n distinct prefixes */
		gen_routes(r, have, n);
		qsort(r, n, sizeof(*r), rt_cmp);
		have = 0;
		for (size_t i = 0; i < n; i++)
			if (!have || rt_cmp(&r[i], &r[have - 1]))
				r[have++] = r[i];
	}
	f = fopen(rf, "w");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s/%u\n", inet_ntop(AF_INET, &r[i].addr, a, sizeof(a)), r[i].plen);
	fclose(f);
	f = fopen(df, "w");
	for (size_t i = 0; i < ndst; i++) {	/* each inside a random route */
		const struct rt *x = &r[random() % n];
		__u32 d = htonl(ntohl(x->addr) | (rnd32() & ((1u << (32 - x->plen)) - 1)));

		fprintf(f, "%s\n", inet_ntop(AF_INET, &d, a, sizeof(a)));
	}
	fclose(f);
	free(r);
	return 0;
}

/* Attach the minimal forwarder IN -> OUT, next hop MAC DMAC. */
static int cmd_attach_min(int argc, char **argv)
{
	struct bench_fwd_cfg cfg = {};
	struct bpf_object *o;
	__u32 zero = 0, out;

	if (argc != 3)
		die("usage: attach-min IN OUT DMAC");
	o = open_obj("fwd_min", NULL);
	out = if_nametoindex(argv[1]);
	parse_mac(argv[2], cfg.dmac);
	if_mac(argv[1], cfg.smac);
	if (!out || bpf_map_update_elem(map_fd(o, "fwd_port"), &zero, &out, 0) ||
	    bpf_map_update_elem(map_fd(o, "fwd_cfg"), &zero, &cfg, 0))
		die("cannot configure the minimal forwarder");
	if (bpf_xdp_attach(if_nametoindex(argv[0]), prog_fd(o, "bench_fwd_min"),
			   XDP_FLAGS_DRV_MODE, NULL))
		die("cannot attach the minimal forwarder to %s", argv[0]);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = getenv("BENCH_OBJDIR");

	if (dir)
		objdir = dir;
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	if (argc < 2)
		die("usage: bench throughput|cost|ctl ...");
	if (!strcmp(argv[1], "throughput"))
		return cmd_throughput(argc - 2, argv + 2);
	if (!strcmp(argv[1], "cost"))
		return cmd_cost(argc - 2, argv + 2);
	if (!strcmp(argv[1], "filter"))
		return cmd_filter(argc - 2, argv + 2);
	if (!strcmp(argv[1], "ip6"))
		return cmd_ip6(argc - 2, argv + 2);
	if (!strcmp(argv[1], "ctl"))
		return cmd_ctl(argc - 2, argv + 2);
	if (!strcmp(argv[1], "routes"))
		return cmd_routes(argc - 2, argv + 2);
	if (!strcmp(argv[1], "attach-min"))
		return cmd_attach_min(argc - 2, argv + 2);
	die("unknown subcommand %s", argv[1]);
	return 1;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz.c - `make fuzz`: mutated frames through the real XDP program
 * (BPF_PROG_TEST_RUN), on state made through libvnet: two tenants, red and
 * blue, with the same IPv4 and IPv6 addressing, static neighbors, routes
 * of every type (via a gateway, on-link, unresolved, blackhole,
 * unreachable, local), the same stateful filter with keep-state and reject
 * rules, and one interface of red with an MTU of 1400.
 *
 * Each frame starts from a valid seed of one kind (fuzz_seeds.c), takes
 * up to four mutations (bits, bytes, header fields, lengths, splices), has
 * its checksums fixed more often than not (so that it reaches past
 * validation), and runs once. fuzz_check.c judges the result; the counts
 * by fate and by defect class are printed at the end, with the first
 * example of each defect. A last line PASS/FAIL is for tests/run.sh.
 *
 * usage: fuzz [FRAMES [SEED]]     (FRAMES: 200,000 unless $FUZZ_FRAMES)
 */
#include <time.h>
#include "fuzz.h"

#define MAX_SEEDS	256
#define FATES		(3 + VNET_DROP_MAX)	/* forwarded, delivered, hoststack_out, drops */

static struct frame seeds[MAX_SEEDS];
static size_t nseeds;
static __u64 rng;
static const char *fate_names[FATES];

/* xorshift64*: fast, and the same run again from the same seed */
static __u64 rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static __u32 below(__u32 n)
{
	return n ? rnd() % n : 0;
}

/* ---- mutations ---- */

static __u8 interesting8(void)
{
	static const __u8 v[] = { 0, 1, 2, 4, 5, 6, 8, 15, 16, 17, 22, 40, 44, 53, 58, 60,
				  64, 80, 0x7f, 0x80, 0xfe, 0xff };

	return below(4) ? v[below(sizeof(v))] : (__u8)rnd();
}

static __u16 interesting16(size_t len)
{
	const __u16 v[] = { 0, 1, 8, 20, 22, 40, 53, 80, 0x7fff, 0x8000, 0xffff, (__u16)(len - 14),
			    (__u16)(len - 54), (__u16)(len - 34), (__u16)(len + 100), 1280,
			    1400, 1500 };

	return below(3) ? v[below(sizeof(v) / sizeof(v[0]))] : (__u16)rnd();
}

/* The bytes parsers decide on: Ethernet type, IPv4 version/IHL, lengths,
 * fragment field, TTL, protocol; IPv6 length, next header, hop limit, the
 * first extension header's type and length; ports, TCP offset and flags. */
static const __u16 field_offsets[] = { 12, 13, 14, 16, 17, 20, 21, 22, 23, 18, 19, 21,
				       54, 55, 56, 57, 34, 35, 36, 37, 46, 47, 62, 63, 74,
				       75, 94, 95 };

static void mutate(struct frame *f)
{
	size_t n;

	switch (below(10)) {
	case 0:		/* a bit */
		if (f->len)
			f->b[below(f->len)] ^= 1 << below(8);
		break;
	case 1:		/* a byte */
		if (f->len)
			f->b[below(f->len)] = interesting8();
		break;
	case 2: {	/* a 16-bit word */
		__u16 v = interesting16(f->len);

		if (f->len >= 2) {
			n = below(f->len - 1);
			f->b[n] = v >> 8;
			f->b[n + 1] = v;
		}
		break;
	}
	case 3: case 4: {	/* a header field */
		__u16 off = field_offsets[below(sizeof(field_offsets) / 2)];

		if (off + 1u < f->len) {
			if (below(2)) {
				__u16 v = interesting16(f->len);

				f->b[off] = v >> 8;
				f->b[off + 1] = v;
			} else {
				f->b[off] = interesting8();
			}
		}
		break;
	}
	case 5:		/* cut short (not below Ethernet's header: no NIC hands XDP
			 * less, and BPF_PROG_TEST_RUN refuses it) */
		if (f->len > ETH_HLEN)
			f->len = ETH_HLEN + below(f->len - ETH_HLEN + 1);
		break;
	case 6:		/* bytes past the end */
		n = below(4) ? below(64) + 1 : below(FRAME_MAX - f->len + 1);
		for (size_t i = 0; i < n && f->len < FRAME_MAX; i++)
			f->b[f->len++] = below(2) ? 0 : rnd();
		break;
	case 7: {	/* a piece of another seed */
		const struct frame *o = &seeds[below(nseeds)];
		size_t from = below(o->len), at = below(f->len + 1);

		n = below(o->len - from + 1);
		if (at + n > FRAME_MAX)
			n = FRAME_MAX - at;
		memcpy(f->b + at, o->b + from, n);
		if (at + n > f->len)
			f->len = at + n;
		break;
	}
	case 8: {	/* bytes inserted */
		size_t at = below(f->len + 1);

		n = below(16) + 1;
		if (f->len + n > FRAME_MAX)
			break;
		memmove(f->b + at + n, f->b + at, f->len - at);
		for (size_t i = 0; i < n; i++)
			f->b[at + i] = rnd();
		f->len += n;
		break;
	}
	case 9: {	/* MACs: group, zero, broadcast */
		static const __u8 group[6] = { 0x33, 0x33, 0, 0, 0, 1 };
		const __u8 *m = below(3) == 0 ? group : below(2) ? zero_mac : bcast;

		if (f->len >= 12)
			memcpy(f->b + (below(2) ? 0 : 6), m, 6);
		break;
	}
	}
}

/* ---- running and counting ---- */

static void read_fates(__u32 vnet, __u64 *v, __u64 *received, __u64 *states)
{
	const struct vnet_counter *d;
	struct vnet_fw_stats fs;
	struct vnet_stats s;
	size_t nd;

	d = vnet_drop_table(&nd);
	memset(v, 0, FATES * sizeof(*v));
	*received = 0;
	for (int fam = 0; fam < 2; fam++) {
		if ((fam ? vnet_stats6_read : vnet_stats_read)(st, vnet, &s))
			continue;
		*received += s.received;
		v[0] += s.forwarded;
		v[1] += s.delivered;
		v[2] += s.hoststack_out;
		for (size_t i = 0; i < nd; i++)
			v[3 + i] += *(__u64 *)((char *)&s + d[i].off);
	}
	*states = vnet_fw_stats_read(st, vnet, &fs) ? 0 : fs.states_created;
}

static void run_one(const struct frame *f, struct result *r)
{
	struct xdp_md ctx = { .data_end = f->len, .ingress_ifindex = ifx[f->in] };
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = f->b, .data_size_in = f->len,
		    .data_out = r->out, .data_size_out = sizeof(r->out),
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx));
	__u64 before[FATES], after[FATES], rb, ra, sb, sa;

	r->vnet = f->in < 2 ? 1 : 2;
	read_fates(r->vnet, before, &rb, &sb);
	if (bpf_prog_test_run_opts(prog_fd, &t)) {
		r->verdict = -errno;
		r->out_len = 0;
	} else {
		r->verdict = t.retval;
		r->out_len = t.data_size_out;
	}
	read_fates(r->vnet, after, &ra, &sa);
	r->fates = 0;
	r->fate = -1;
	for (int i = 0; i < FATES; i++)
		if (after[i] != before[i]) {
			r->fates += after[i] - before[i];
			r->fate = i;
		}
	if (ra - rb != 1)	/* taken once, by its own vnet */
		r->fates = -1;
	r->state_created = sa != sb;
}

static void hexdump(const __u8 *b, size_t len)
{
	for (size_t i = 0; i < len && i < 96; i++)
		printf("%s%02x", i % 32 ? "" : "\n      ", b[i]);
	printf("%s\n", len > 96 ? " ..." : "");
}

/* ---- the tenants ---- */

static bool route(__u32 id, const char *dst, __u32 plen, __u8 type, const char *gw)
{
	struct vnet_route_spec r = { .plen = plen, .type = type };

	vnet_ip_parse(dst, &r.dst);
	if (gw)
		vnet_ip_parse(gw, &r.gw);
	return vnet_route_add(st, id, 0, &r) == 0;
}

static bool tenant(__u32 id, int near, int far)
{
	static const char *const rules[] = {
		"100 allow tcp from any to any dst-port 80 keep-state",
		"200 reject tcp from any to any dst-port 22",
		"300 allow udp from 10.0.1.0/24 to any keep-state",
		"310 allow udp from 2001:db8:1::/64 to any keep-state",
		"400 allow icmp from any to any",
		"500 allow ipv6-icmp from any to any",
	};
	struct vnet_ip a;
	bool ok = true;

	/* what the fixture did not give both tenants */
	if (id == 2) {
		ok = vnet_link_set(st, ifn[far], 2, 0) == 0 &&
		     vnet_addr_add(st, 2, ifn[far], IN4("10.0.2.1"), 24) == 0 &&
		     vnet_neigh_add(st, 2, IN4("10.0.2.2"), nbr_mac, ifn[far]) == 0 &&
		     route(2, "10.8.0.0", 16, VNET_RT_BLACKHOLE, NULL) &&
		     route(2, "10.7.0.0", 16, VNET_RT_UNREACHABLE, NULL) &&
		     route(2, "10.6.0.0", 16, VNET_RT_UNICAST, "10.0.2.9");
	}
	ok = ok && vnet_neigh_add(st, id, IN4("10.0.1.2"), host_mac, ifn[near]) == 0 &&
	     route(id, "10.5.0.0", 16, VNET_RT_UNICAST, "10.0.2.2");
	a = in6("2001:db8:1::1");
	ok = ok && vnet_addr_add(st, id, ifn[near], &a, 64) == 0;
	a = in6("2001:db8:2::1");
	ok = ok && vnet_addr_add(st, id, ifn[far], &a, 64) == 0;
	a = in6("2001:db8:1::2");
	ok = ok && vnet_neigh_add(st, id, &a, host_mac, ifn[near]) == 0;
	a = in6("2001:db8:2::2");
	ok = ok && vnet_neigh_add(st, id, &a, nbr_mac, ifn[far]) == 0 &&
	     route(id, "2001:db8:5::", 48, VNET_RT_UNICAST, "2001:db8:2::2") &&
	     route(id, "2001:db8:6::", 48, VNET_RT_UNICAST, "2001:db8:2::9") &&
	     route(id, "2001:db8:8::", 48, VNET_RT_BLACKHOLE, NULL) &&
	     route(id, "2001:db8:7::", 48, VNET_RT_UNREACHABLE, NULL);
	ok = ok && vnet_sysctl_set(st, id, "net.inet.ip.fw.default_to_accept", 0) == 0;
	for (size_t i = 0; ok && i < sizeof(rules) / sizeof(rules[0]); i++)
		ok = fw_text(id, rules[i]);
	if (!ok)
		fprintf(stderr, "fuzz: tenant %u: %s\n", id, vnet_errmsg(st));
	return ok;
}

static bool prepare(void)
{
	if (!tenant(1, 0, 1) || !tenant(2, 2, 3))
		return false;
	if (vnet_link_mtu(st, ifn[1], 1400)) {
		fprintf(stderr, "fuzz: mtu: %s\n", vnet_errmsg(st));
		return false;
	}
	check_setup();
	nseeds = seeds_build(seeds, MAX_SEEDS);
	return nseeds > 0;
}

/* ---- the run ---- */

struct tally {
	__u64 frames, verdicts[5], fates[FATES], not_one, defects[D_COUNT];
	__u64 sent[3];		/* frames sent into vnet 1 and 2 */
	bool example[D_COUNT];
};

static void report(const struct tally *t, double secs, __u64 seed)
{
	static const char *const vn[] = { "aborted", "drop", "pass", "tx", "redirect" };
	__u64 total = 0;

	printf("fuzz: %llu frames from %zu seeds, seed %llu, %.1f s (%.0f frames/s)\n",
	       (unsigned long long)t->frames, nseeds, (unsigned long long)seed, secs,
	       t->frames / secs);
	printf("  verdicts:");
	for (int i = 0; i < 5; i++)
		if (t->verdicts[i])
			printf(" %s %llu", vn[i], (unsigned long long)t->verdicts[i]);
	printf("\n  fates (one per frame):\n");
	for (int i = 0; i < FATES; i++)
		if (t->fates[i])
			printf("%14llu %s\n", (unsigned long long)t->fates[i], fate_names[i]);
	printf("%14llu in no fate or in more than one\n", (unsigned long long)t->not_one);
	printf("  defects:\n");
	for (int i = 0; i < D_COUNT; i++) {
		printf("%14llu %s\n", (unsigned long long)t->defects[i], defect_names[i]);
		total += t->defects[i];
	}
	if (total)
		printf("FAIL fuzz: %llu defects in %llu frames\n", (unsigned long long)total,
		       (unsigned long long)t->frames);
	else
		printf("PASS fuzz: %llu frames, 0 defects, every frame in one fate\n",
		       (unsigned long long)t->frames);
}

/* Counters of each vnet moved only for the frames sent into it. */
static void check_vnets(struct tally *t, const __u64 base[3])
{
	__u64 v[FATES], recv, states;

	for (__u32 id = 1; id <= 2; id++) {
		read_fates(id, v, &recv, &states);
		if (recv - base[id] != t->sent[id] && !t->defects[D_OTHER_VNET]++)
			printf("  other_vnet_counted: vnet %u received %llu, was sent %llu\n", id,
			       (unsigned long long)(recv - base[id]),
			       (unsigned long long)t->sent[id]);
	}
}

int main(int argc, char **argv)
{
	const char *env = getenv("FUZZ_FRAMES");
	__u64 frames = argc > 1 ? strtoull(argv[1], NULL, 0) :
		       env ? strtoull(env, NULL, 0) : 200000;
	__u64 seed = argc > 2 ? strtoull(argv[2], NULL, 0) : (__u64)time(NULL);
	static struct tally t;
	struct timespec a, b;
	__u64 base[3] = {}, v[FATES], states;
	const struct vnet_counter *d;
	size_t nd;
	bool ok;

	d = vnet_drop_table(&nd);
	fate_names[0] = "forwarded";
	fate_names[1] = "delivered";
	fate_names[2] = "hoststack_out";
	for (size_t i = 0; i < nd; i++)
		fate_names[3 + i] = d[i].name;
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	ok = setup() && prepare();
	if (!ok) {
		printf("FAIL fuzz: set-up failed\n");
		teardown();
		return 1;
	}
	for (__u32 id = 1; id <= 2; id++)
		read_fates(id, v, &base[id], &states);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (t.frames = 0; t.frames < frames; t.frames++) {
		struct frame f = seeds[below(nseeds)];
		struct result r;
		char why[160];
		__u32 defects;

		for (int m = below(10) ? below(4) + 1 : 0; m > 0; m--)
			mutate(&f);
		if (below(10) < 6)
			fix_checksums(f.b, f.len);
		run_one(&f, &r);
		t.sent[r.vnet]++;
		if (r.verdict >= 0 && r.verdict < 5)
			t.verdicts[r.verdict]++;
		if (r.fates == 1)
			t.fates[r.fate]++;
		else
			t.not_one++;
		defects = check_result(&f, &r, why, sizeof(why));
		for (int i = 0; i < D_COUNT; i++) {
			if (!(defects & (1u << i)))
				continue;
			t.defects[i]++;
			if (!t.example[i]) {
				t.example[i] = true;
				printf("  %s: %s (seed kind %s, %zu bytes in, verdict %d):", defect_names[i],
				       why, f.kind, f.len, r.verdict);
				hexdump(f.b, f.len);
			}
		}
		if (t.frames % 100000 == 0) {
			__u64 was = t.defects[D_OTHER_VNET];

			check_vnets(&t, base);
			if (!was && t.defects[D_OTHER_VNET]) {
				printf("  after %s into vnet %u, verdict %d, fate %s:", f.kind, r.vnet,
				       r.verdict, r.fate >= 0 ? fate_names[r.fate] : "-");
				hexdump(f.b, f.len);
			}
		}
	}
	check_vnets(&t, base);
	clock_gettime(CLOCK_MONOTONIC, &b);
	report(&t, (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9, seed);
	teardown();
	for (int i = 0; i < D_COUNT; i++)
		if (t.defects[i])
			return 1;
	return 0;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_dxr_model.c - the compiled IPv4 FIB's model (loader/net/dxr_model.c)
 * alone, without BPF or root: built tables, tables repainted route by
 * route, encoded words and re-chunked copies all answer as a reference
 * longest-prefix match over the same routes does.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "dxr_model.h"
#include "ut.h"

#define NROUTES_MAX	40000
#define NPROBES		200000

static struct dxr_route routes[NROUTES_MAX];
static size_t nroutes;

static __u32 mask(__u32 plen)
{
	return plen ? 0xffffffffu << (32 - plen) : 0;
}

static __u32 rnd(void)
{
	return (__u32)random() << 16 ^ (__u32)random();
}

/* ---- the reference: routes sorted by (plen, addr), one binary search a length */

static struct dxr_route sorted[NROUTES_MAX];
static size_t by_len[34];	/* sorted[by_len[l] .. by_len[l + 1]) have length l */

static int by_plen_addr(const void *a, const void *b)
{
	const struct dxr_route *x = a, *y = b;

	if (x->plen != y->plen)
		return x->plen < y->plen ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void ref_index(void)
{
	memcpy(sorted, routes, nroutes * sizeof(*routes));
	qsort(sorted, nroutes, sizeof(*sorted), by_plen_addr);
	for (int l = 0, i = 0; l <= 33; l++) {
		while ((size_t)i < nroutes && sorted[i].plen < (__u32)l)
			i++;
		by_len[l] = i;
	}
}

/* The longest route of length <= maxlen covering a; {} for none. */
static struct fib4_route ref_lookup(__u32 a, int maxlen)
{
	for (int l = maxlen; l >= 0; l--) {
		size_t lo = by_len[l], hi = by_len[l + 1];
		__u32 want = a & mask(l);

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (sorted[mid].addr < want)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < by_len[l + 1] && sorted[lo].addr == want)
			return sorted[lo].v;
	}
	return (struct fib4_route){};
}

/* ---- the model and its encoding, looked up as the datapath does ---- */

static struct fib4_route model_lookup(const struct dxr_model *m, __u32 a)
{
	const struct dxr_chunk *c = &m->c[a >> (32 - m->dbits)];
	__u32 off = a & (m->span - 1), i = 0;

	while (i + 1 < c->n && c->r[i + 1].start <= off)
		i++;
	return m->nh[c->r[i].nh];
}

static struct fib4_route words_lookup(const __u32 *w, __u32 dbits, __u32 a)
{
	__u32 d = w[a >> (32 - dbits)], off = a & ((1u << (32 - dbits)) - 1), nh;
	struct fib4_route v;

	if (d & DXR_DIRECT) {
		nh = d & ~DXR_DIRECT;
	} else {
		__u32 lo = 0, hi = w[d] - 1;	/* the last range starting <= off */

		while (lo < hi) {
			__u32 mid = (lo + hi + 1) / 2;

			if (w[d + 1 + mid] >> 16 <= off)
				lo = mid;
			else
				hi = mid - 1;
		}
		nh = w[d + 1 + lo] & 0xffff;
	}
	memcpy(&v, &w[(DXR_D_PAGES(dbits) << DXR_PAGE_SHIFT) + nh * 4], sizeof(v));
	return v;
}

static bool same(struct fib4_route x, struct fib4_route y)
{
	x.pad = y.pad = 0;
	return !memcmp(&x, &y, sizeof(x));
}

/* Probes: a third uniform, the rest on, around and inside route edges. */
static __u32 probe(void)
{
	const struct dxr_route *r = &routes[random() % nroutes];
	__u32 first = r->addr, last = r->addr | ~mask(r->plen);

	switch (random() % 6) {
	case 0: case 1: return rnd();
	case 2: return first;
	case 3: return last;
	case 4: return random() % 2 ? first - 1 : last + 1;
	default: return first + (rnd() & ~mask(r->plen));
	}
}

/* Every probe answered by lookup(ctx, a) as by the reference. */
static void check_all(const char *what, struct fib4_route (*lookup)(const void *, __u32),
		      const void *ctx)
{
	char msg[160], as[16];

	ref_index();
	for (int i = 0; i < NPROBES; i++) {
		__u32 a = probe();
		struct fib4_route got = lookup(ctx, a), want = ref_lookup(a, 32);

		if (!same(got, want)) {
			inet_ntop(AF_INET, &(__u32){ htonl(a) }, as, sizeof(as));
			snprintf(msg, sizeof(msg), "%s: %s answered /%u gw %x, want /%u gw %x",
				 what, as, got.prefixlen, got.gw, want.prefixlen, want.gw);
			expect(false, msg);
			return;
		}
	}
}

static struct fib4_route by_model(const void *m, __u32 a)
{
	return model_lookup(m, a);
}

struct words { const __u32 *w; __u32 dbits; };

static struct fib4_route by_words(const void *ctx, __u32 a)
{
	const struct words *x = ctx;

	return words_lookup(x->w, x->dbits, a);
}

/* ---- routes ---- */

static bool have(__u32 addr, __u32 plen)
{
	for (size_t i = 0; i < nroutes; i++)
		if (routes[i].addr == addr && routes[i].plen == plen)
			return true;
	return false;
}

/* A new random prefix: lengths as in a real table (mostly /16../24), in a
 * few dense /8s so that they nest; a few gateways so next hops repeat. */
static struct dxr_route random_route(void)
{
	static const __u32 lens[] = { 8, 12, 16, 18, 20, 22, 23, 24, 24, 24, 24, 25, 28, 30, 32 };
	struct dxr_route r;

	do {
		r.plen = lens[random() % (sizeof(lens) / sizeof(lens[0]))];
		r.addr = ((10u + random() % 4) << 24 | (rnd() & 0xffffff)) & mask(r.plen);
	} while (have(r.addr, r.plen));
	r.v = (struct fib4_route){ .type = VNET_RT_UNICAST, .prefixlen = r.plen,
				   .ifindex = 2 + random() % 3, .gw = 0x0a000001 + random() % 8 };
	return r;
}

static void random_table(size_t n, bool dflt)
{
	nroutes = 0;
	if (dflt)
		routes[nroutes++] = (struct dxr_route){ 0, 0, { .type = VNET_RT_UNICAST,
							       .ifindex = 2, .gw = 0x0a000001 } };
	while (nroutes < n)
		routes[nroutes++] = random_route();
}

static struct dxr_model *build(__u32 dbits)
{
	struct dxr_route *r = malloc(nroutes * sizeof(*r) + 1);
	struct dxr_model *m = dxr_model_new(dbits);

	if (!expect(r && m, "out of memory"))
		goto out;
	memcpy(r, routes, nroutes * sizeof(*r));
	qsort(r, nroutes, sizeof(*r), dxr_route_cmp);
	if (!ASSERT_EQ(dxr_build(m, r, nroutes), 0, "dxr_build")) {
		dxr_model_free(m);
		m = NULL;
	}
out:
	free(r);
	return m;
}

/* ---- tests ---- */

TEST(built_table_answers_as_lpm)
{
	struct dxr_model *m;

	random_table(20000, true);
	m = build(16);
	if (m)
		check_all("20,000 routes and a default, /16 chunks", by_model, m);
	dxr_model_free(m);
	random_table(30000, false);
	m = build(20);
	if (m)
		check_all("30,000 routes, no default, /20 chunks", by_model, m);
	dxr_model_free(m);
}

/* Adjacent ranges never share a next hop, and starts increase: the
 * painted and built forms of one table can then be compared range by range. */
TEST(ranges_are_minimal)
{
	struct dxr_model *m;

	random_table(20000, true);
	m = build(16);
	for (__u32 c = 0; m && c < m->nchunks; c++)
		for (__u32 i = 1; i < m->c[c].n; i++)
			if (!expect(m->c[c].r[i].start > m->c[c].r[i - 1].start &&
				    m->c[c].r[i].nh != m->c[c].r[i - 1].nh,
				    "a chunk's ranges repeat a next hop or go backwards"))
				c = m->nchunks - 1;
	dxr_model_free(m);
}

/* Route by route, as the control plane edits a live table: an add paints
 * its span for ranges of its length or shorter, a delete hands its ranges
 * to the longest shorter prefix; the result is the table built at once. */
TEST(painting_equals_building)
{
	struct dxr_model *m = dxr_model_new(16), *b;
	char msg[128];

	random_table(0, false);
	if (!m || !ASSERT_EQ(dxr_build(m, NULL, 0), 0, "empty build"))
		goto out;
	for (int i = 0; i < 20000 && !cur_failed; i++) {
		bool del = nroutes > 2000 && random() % 3 == 0;
		size_t k = del ? random() % nroutes : nroutes;
		struct dxr_route r = del ? routes[k] : random_route();
		__u32 last = r.addr | ~mask(r.plen);
		struct fib4_route v = r.v;

		if (del) {
			routes[k] = routes[--nroutes];
			ref_index();
			v = r.plen ? ref_lookup(r.addr, r.plen - 1) : (struct fib4_route){};
		} else {
			routes[nroutes++] = r;
		}
		int nh = dxr_nh_intern(m, &v);

		ASSERT_EQ(nh >= 0, 1, "next hop interned");
		ASSERT_EQ(dxr_paint(m, r.addr, last, nh, del ? DXR_PAINT_DEL : DXR_PAINT_ADD,
				    r.plen), 0, "dxr_paint");
	}
	check_all("after 20,000 adds and deletes", by_model, m);
	b = build(16);
	for (__u32 c = 0; b && c < m->nchunks && !cur_failed; c++) {
		const struct dxr_chunk *x = &m->c[c], *y = &b->c[c];
		bool eq = x->n == y->n;

		for (__u32 i = 0; eq && i < x->n; i++)
			eq = x->r[i].start == y->r[i].start &&
			     same(m->nh[x->r[i].nh], b->nh[y->r[i].nh]);
		snprintf(msg, sizeof(msg), "chunk %u: %u painted ranges, %u built, or they differ",
			 c, x->n, y->n);
		expect(eq, msg);
	}
	dxr_model_free(b);
out:
	dxr_model_free(m);
}

/* The words the datapath reads (vnet_abi.h's layout) answer as the model;
 * read back, they give the same chunks. */
TEST(encoding_round_trip)
{
	struct dxr_model *m, *back = NULL;
	struct dxr_layout l;
	__u32 *w = NULL;

	random_table(20000, true);
	m = build(16);
	if (!m || !ASSERT_EQ(dxr_plan(m, &l), 0, "dxr_plan"))
		goto out;
	w = calloc((size_t)l.pages << DXR_PAGE_SHIFT, sizeof(*w));
	if (!expect(w != NULL, "out of memory"))
		goto out;
	ASSERT_NE(dxr_encode(m, &l, w), 0, "encoded nothing");
	check_all("encoded words", by_words, &(struct words){ w, 16 });
	back = dxr_model_new(16);
	if (!back || !ASSERT_EQ(dxr_load_nh(back, w, m->nh_n), 0, "dxr_load_nh"))
		goto out;
	for (__u32 c = 0; c < m->nchunks; c++)
		if (dxr_decode(back, w, c))
			break;
	check_all("decoded model", by_model, back);
out:
	free(w);
	dxr_model_free(back);
	dxr_model_free(m);
}

/* Next hops the chunks refer to, "no route" always among them. */
static __u32 nh_used(const struct dxr_model *m)
{
	static __u8 seen[DXR_NH_MAX];
	__u32 n = 1;

	memset(seen, 0, sizeof(seen));
	seen[0] = 1;
	for (__u32 c = 0; c < m->nchunks; c++)
		for (__u32 i = 0; i < m->c[c].n; i++)
			if (!seen[m->c[c].r[i].nh]) {
				seen[m->c[c].r[i].nh] = 1;
				n++;
			}
	return n;
}

/* Re-chunked between /16 and /20 (a class change), a table answers alike. */
TEST(compact_to_other_chunks)
{
	struct dxr_model *m, *c20 = NULL, *c16 = NULL;

	random_table(20000, true);
	m = build(16);
	c20 = m ? dxr_model_compact(m, 20) : NULL;
	if (expect(c20 != NULL, "compact to /20 chunks"))
		check_all("/16 chunks as /20 chunks", by_model, c20);
	c16 = c20 ? dxr_model_compact(c20, 16) : NULL;
	if (expect(c16 != NULL, "compact back to /16 chunks"))
		check_all("and back to /16 chunks", by_model, c16);
	ASSERT_EQ(c16 ? c16->nh_n : 0, m ? nh_used(m) : 1,
		  "next hops after compaction: exactly those the chunks use");
	dxr_model_free(c16);
	dxr_model_free(c20);
	dxr_model_free(m);
}

bool ut_prepare(void)
{
	srandom(20261206);
	return true;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dxr_model.c - routes to ranges, ranges to the map layout (vnet_abi.h).
 *
 * A /16 is a sorted list of ranges; adjacent ranges never share a next hop.
 * A next hop is a whole route value, its prefix length included: that is
 * what lets an update work on the ranges alone. A range whose next hop has
 * prefix length L came from the one route of length L covering it, so an
 * added route of length P takes every range in its span with L <= P, and
 * a deleted one gives back exactly its ranges (L == P) to the longest
 * shorter prefix covering it, which is the same for all of them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dxr_model.h"

struct dxr_model *dxr_model_new(__u32 dbits)
{
	struct dxr_model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->dbits = dbits;
	m->nchunks = 1u << dbits;
	m->span = 1u << (32 - dbits);
	m->hash_size = 1u << 17;	/* twice DXR_NH_MAX: probes stay short */
	m->hash = calloc(m->hash_size, sizeof(*m->hash));
	m->nh_cap = 256;
	m->nh = calloc(m->nh_cap, sizeof(*m->nh));
	if (!m->hash || !m->nh || dxr_nh_intern(m, &(struct fib4_route){}) != 0) {
		dxr_model_free(m);
		return NULL;
	}
	return m;
}

void dxr_model_free(struct dxr_model *m)
{
	if (!m)
		return;
	for (__u32 i = 0; i < m->nused; i++)
		free(m->c[m->used[i]].r);
	free(m->used);
	free(m->nh);
	free(m->hash);
	free(m);
}

static __u32 nh_hash(const struct fib4_route *v)
{
	const __u8 *b = (const void *)v;
	__u32 h = 2166136261u;

	for (size_t i = 0; i < sizeof(*v); i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

int dxr_nh_intern(struct dxr_model *m, const struct fib4_route *v)
{
	__u32 mask = m->hash_size - 1, h = nh_hash(v) & mask;
	struct fib4_route key = *v;

	key.pad = 0;
	for (;; h = (h + 1) & mask) {
		__u32 e = m->hash[h];

		if (!e)
			break;
		if (!memcmp(&m->nh[e - 1], &key, sizeof(key)))
			return e - 1;
	}
	if (m->nh_n == DXR_NH_MAX)
		return -ENOSPC;
	if (m->nh_n == m->nh_cap) {
		struct fib4_route *n = realloc(m->nh, 2 * m->nh_cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		m->nh = n;
		m->nh_cap *= 2;
	}
	m->nh[m->nh_n] = key;
	m->hash[h] = ++m->nh_n;
	return m->nh_n - 1;
}

/* -1 for "no route": every route is more specific than nothing. */
static int nh_plen(const struct dxr_model *m, __u16 nh)
{
	return nh ? m->nh[nh].prefixlen : -1;
}

static int chunk_reserve(struct dxr_chunk *c, __u32 n)
{
	struct dxr_range *r;
	__u32 cap = c->cap ? c->cap : 4;

	if (n <= c->cap)
		return 0;
	while (cap < n)
		cap *= 2;
	r = realloc(c->r, cap * sizeof(*r));
	if (!r)
		return -ENOMEM;
	c->r = r;
	c->cap = cap;
	return 0;
}

/* Append a range, keeping the list minimal: a range at the start of the
 * last one replaces it, and one with the last one's next hop extends it. */
static int emit(struct dxr_chunk *c, __u32 start, __u16 nh)
{
	if (c->n && c->r[c->n - 1].start == start) {
		c->r[c->n - 1].nh = nh;
		if (c->n > 1 && c->r[c->n - 2].nh == nh)
			c->n--;
		return 0;
	}
	if (c->n && c->r[c->n - 1].nh == nh)
		return 0;
	if (chunk_reserve(c, c->n + 1))
		return -ENOMEM;
	c->r[c->n++] = (struct dxr_range){ .start = start, .nh = nh };
	return 0;
}

int dxr_mark_loaded(struct dxr_model *m, __u32 hi)
{
	if (m->loaded[hi])
		return 0;
	if (m->nused == m->used_cap) {
		__u32 cap = m->used_cap ? 2 * m->used_cap : 1024;
		__u32 *u = realloc(m->used, cap * sizeof(*u));

		if (!u)
			return -ENOMEM;
		m->used = u;
		m->used_cap = cap;
	}
	m->used[m->nused++] = hi;
	m->loaded[hi] = 1;
	return 0;
}

int dxr_chunk_set(struct dxr_model *m, __u32 hi, __u16 nh)
{
	struct dxr_chunk *c = &m->c[hi];

	c->n = 0;
	m->dirty[hi] = 1;
	return dxr_mark_loaded(m, hi) ? : emit(c, 0, nh);
}

static bool paints(const struct dxr_model *m, __u16 nh, enum dxr_paint how, __u32 plen)
{
	int l = nh_plen(m, nh);

	return how == DXR_PAINT_ADD ? l <= (int)plen : l == (int)plen;
}

/* One chunk, [lo, hi] within it. */
static int paint_chunk(struct dxr_model *m, __u32 ci, __u32 lo, __u32 hi, __u16 nh,
		       enum dxr_paint how, __u32 plen)
{
	struct dxr_chunk *c = &m->c[ci], out = {};
	int err = 0;

	for (__u32 i = 0; i < c->n && !err; i++) {
		__u32 s = c->r[i].start, e = i + 1 < c->n ? c->r[i + 1].start - 1u : m->span - 1;
		__u16 old = c->r[i].nh;

		if (e < lo || s > hi) {
			err = emit(&out, s, old);
			continue;
		}
		if (s < lo)
			err = emit(&out, s, old);
		if (!err)
			err = emit(&out, s < lo ? lo : s, paints(m, old, how, plen) ? nh : old);
		if (!err && e > hi)
			err = emit(&out, hi + 1, old);
	}
	if (err) {
		free(out.r);
		return err;
	}
	free(c->r);
	*c = out;
	m->dirty[ci] = 1;
	return 0;
}

int dxr_paint(struct dxr_model *m, __u32 first, __u32 last, __u16 nh,
	      enum dxr_paint how, __u32 plen)
{
	__u32 sh = 32 - m->dbits, mask = m->span - 1;

	for (__u32 ci = first >> sh; ci <= last >> sh; ci++) {
		__u32 lo = ci == first >> sh ? first & mask : 0;
		__u32 hi = ci == last >> sh ? last & mask : mask;
		int err;

		if (!m->loaded[ci])
			return -EINVAL;	/* the caller decodes what it paints */
		err = paint_chunk(m, ci, lo, hi, nh, how, plen);
		if (err)
			return err;
	}
	return 0;
}

int dxr_route_cmp(const void *a, const void *b)
{
	const struct dxr_route *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->plen - (int)y->plen;
}

/*
 * Routes of /16 or shorter give each chunk its base next hop (painted
 * shortest first); longer ones are nested intervals inside one chunk, swept
 * in address order with a stack of the prefixes still open.
 */
int dxr_build(struct dxr_model *m, const struct dxr_route *r, size_t n)
{
	__u32 sh = 32 - m->dbits, mask = m->span - 1;
	__u16 *base = calloc(m->nchunks, sizeof(*base));
	struct { __u32 hi; __u16 nh; } stack[34];
	int err = 0;
	size_t i;

	if (!base)
		return -ENOMEM;
	for (__u32 plen = 0; plen <= m->dbits && !err; plen++)
		for (i = 0; i < n; i++) {
			int id;

			if (r[i].plen != plen)
				continue;
			id = dxr_nh_intern(m, &r[i].v);
			if (id < 0) {
				err = id;
				break;
			}
			for (__u32 c = r[i].addr >> sh; c <= (r[i].addr | (0xffffffffu >> plen)) >> sh; c++)
				base[c] = id;
		}
	for (__u32 c = 0; c < m->nchunks && !err; c++)
		err = dxr_chunk_set(m, c, base[c]);
	for (i = 0; i < n && !err;) {
		__u32 ci = r[i].addr >> sh;
		struct dxr_chunk *c = &m->c[ci];
		int sp = 1;

		if (r[i].plen <= m->dbits) {
			i++;
			continue;
		}
		stack[0].hi = mask;
		stack[0].nh = base[ci];
		for (; i < n && r[i].addr >> sh == ci && !err; i++) {
			__u32 lo = r[i].addr & mask;
			int id;

			if (r[i].plen <= m->dbits)
				continue;
			id = dxr_nh_intern(m, &r[i].v);
			if (id < 0) {
				err = id;
				break;
			}
			while (!err && stack[sp - 1].hi < lo) {
				sp--;
				err = emit(c, stack[sp].hi + 1, stack[sp - 1].nh);
			}
			if (!err)
				err = emit(c, lo, id);
			stack[sp].hi = lo | (mask >> (r[i].plen - m->dbits));
			stack[sp++].nh = id;
		}
		while (!err && sp > 1) {
			sp--;
			if (stack[sp].hi < mask)
				err = emit(c, stack[sp].hi + 1, stack[sp - 1].nh);
		}
	}
	free(base);
	return err;
}

bool dxr_place(__u32 *tail, __u32 need, __u32 end)
{
	__u32 t = *tail;

	if ((t & DXR_PAGE_MASK) + need > DXR_PAGE_WORDS)
		t = (t | DXR_PAGE_MASK) + 1;
	if (t + need > end)
		return false;
	*tail = t;
	return true;
}

/* Room for a quarter more next hops and an eighth more ranges than now, at
 * least a page of each, so that updates can go in place for a while (the
 * table's class, next size up, usually adds more). */
int dxr_plan(const struct dxr_model *m, struct dxr_layout *l)
{
	__u32 first, t;
	__u64 words = 0;

	memset(l, 0, sizeof(*l));
	l->d_pages = DXR_D_PAGES(m->dbits);
	l->nh_pages = (m->nh_n + m->nh_n / 4 + (1u << DXR_NH_SHIFT)) >> DXR_NH_SHIFT;
	if (l->nh_pages > DXR_NH_MAX >> DXR_NH_SHIFT)
		l->nh_pages = DXR_NH_MAX >> DXR_NH_SHIFT;
	first = (l->d_pages + l->nh_pages) << DXR_PAGE_SHIFT;
	t = first;
	for (__u32 c = 0; c < m->nchunks; c++) {
		__u32 need = dxr_chunk_words(&m->c[c]);

		if (!need)
			continue;
		if (need > DXR_PAGE_WORDS)
			return -E2BIG;
		dxr_place(&t, need, ~0u);
		t += need;
		l->chunks++;
		l->ranges += need;
	}
	words = t - first;
	l->pages = l->d_pages + l->nh_pages +
		   (__u32)((words + words / 8 + DXR_PAGE_WORDS) >> DXR_PAGE_SHIFT);
	l->tail = first;
	return 0;
}

__u32 dxr_encode(const struct dxr_model *m, const struct dxr_layout *l, __u32 *w)
{
	__u32 t = l->tail, end = l->pages << DXR_PAGE_SHIFT;

	for (__u32 i = 0; i < m->nh_n; i++)
		memcpy(&w[(l->d_pages << DXR_PAGE_SHIFT) + i * 4], &m->nh[i], sizeof(m->nh[i]));
	for (__u32 c = 0; c < m->nchunks; c++) {
		const struct dxr_chunk *ch = &m->c[c];
		__u32 need = dxr_chunk_words(ch);

		if (!need) {
			w[c] = DXR_DIRECT | ch->r[0].nh;
			continue;
		}
		dxr_place(&t, need, end);
		w[t] = ch->n;
		for (__u32 i = 0; i < ch->n; i++)
			w[t + 1 + i] = (__u32)ch->r[i].start << 16 | ch->r[i].nh;
		w[c] = t;
		t += need;
	}
	return t;
}

/* Chunk nc of n (chunks of dbits) from the chunks of m (all loaded); one
 * span divides the other. */
static int rechunk(const struct dxr_model *m, struct dxr_model *n, __u32 nc)
{
	struct dxr_chunk *out = &n->c[nc];
	__u32 base = nc * n->span;	/* in m's chunk, or m's chunks from here */
	int err = 0;

	n->dirty[nc] = 1;
	out->n = 0;
	if (dxr_mark_loaded(n, nc))
		return -ENOMEM;
	for (__u32 oc = base / m->span; !err && oc < m->nchunks &&
	     (__u64)oc * m->span < (__u64)base + n->span; oc++) {
		const struct dxr_chunk *ch = &m->c[oc];
		__u64 off = (__u64)oc * m->span;	/* of chunk oc, from 0 */

		for (__u32 i = 0; i < ch->n && !err; i++) {
			__u64 s = off + ch->r[i].start;
			__u64 e = i + 1 < ch->n ? off + ch->r[i + 1].start : off + m->span;
			int id;

			if (e <= base || s >= (__u64)base + n->span)
				continue;
			id = dxr_nh_intern(n, &m->nh[ch->r[i].nh]);
			err = id < 0 ? id : emit(out, s > base ? s - base : 0, id);
		}
	}
	return err;
}

struct dxr_model *dxr_model_compact(const struct dxr_model *m, __u32 dbits)
{
	struct dxr_model *n = dxr_model_new(dbits);

	for (__u32 c = 0; n && c < m->nchunks; c++)
		if (!m->loaded[c]) {
			dxr_model_free(n);
			return NULL;
		}
	for (__u32 c = 0; n && c < n->nchunks; c++)
		if (rechunk(m, n, c)) {
			dxr_model_free(n);
			return NULL;
		}
	return n;
}

int dxr_load_nh(struct dxr_model *m, const __u32 *w, __u32 nh_count)
{
	for (__u32 i = 1; i < nh_count; i++) {
		struct fib4_route v;
		int id;

		memcpy(&v, &w[(DXR_D_PAGES(m->dbits) << DXR_PAGE_SHIFT) + i * 4], sizeof(v));
		id = dxr_nh_intern(m, &v);
		if (id < 0)
			return id;
		if ((__u32)id != i)
			return -EUCLEAN;	/* a table this code did not write */
	}
	return 0;
}

int dxr_decode(struct dxr_model *m, const __u32 *w, __u32 hi)
{
	__u32 d = w[hi];
	struct dxr_chunk *c = &m->c[hi];

	c->n = 0;
	if (dxr_mark_loaded(m, hi))
		return -ENOMEM;
	if (d & DXR_DIRECT)
		return emit(c, 0, d & 0xffff);
	if (chunk_reserve(c, w[d]))
		return -ENOMEM;
	for (__u32 i = 0; i < w[d]; i++)
		c->r[c->n++] = (struct dxr_range){ .start = w[d + 1 + i] >> 16,
						   .nh = w[d + 1 + i] & 0xffff };
	return 0;
}

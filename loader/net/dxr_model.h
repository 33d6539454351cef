/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dxr_model.h - a compiled IPv4 FIB as the control plane edits it: each /16
 * as a sorted list of ranges, plus the next-hop table. dxr_model.c turns
 * routes into ranges and ranges into the map layout of vnet_abi.h; dxr.c
 * moves them in and out of BPF maps.
 */
#ifndef VNET_DXR_MODEL_H
#define VNET_DXR_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include "../bpf/vnet_abi.h"

#define DXR_CHUNKS_MAX	(1u << 20)	/* D20 */

struct dxr_range { __u16 start, nh; };

struct dxr_chunk {
	struct dxr_range *r;
	__u32 n, cap;
};

/* One route, host byte order, for a full build. */
struct dxr_route {
	__u32 addr;
	__u32 plen;
	struct fib4_route v;
};

struct dxr_model {
	__u32 dbits;			/* 16 or 20: chunks are /16s or /20s */
	__u32 nchunks, span;		/* 1 << dbits chunks of span addresses */
	struct dxr_chunk c[DXR_CHUNKS_MAX];
	__u8 loaded[DXR_CHUNKS_MAX];	/* c[i] holds chunk i */
	__u8 dirty[DXR_CHUNKS_MAX];	/* c[i] differs from the map */
	__u32 *used;			/* the loaded chunks, in loading order: */
	__u32 nused, used_cap;		/* an update visits these, not 1M */
	struct fib4_route *nh;		/* nh[0]: no route */
	__u32 nh_n, nh_cap;
	__u32 *hash;			/* next hop -> id + 1, open addressing */
	__u32 hash_size;
};

/* Painting: an added route takes the ranges of less specific ones (and of
 * the same prefix); a deleted one hands its own ranges to its successor. */
enum dxr_paint { DXR_PAINT_ADD, DXR_PAINT_DEL };

struct dxr_model *dxr_model_new(__u32 dbits);
void dxr_model_free(struct dxr_model *m);
/* The id of next hop v, added if new; -ENOSPC past DXR_NH_MAX. */
int dxr_nh_intern(struct dxr_model *m, const struct fib4_route *v);
/* Chunk hi is (to be) loaded: recorded in m->used once. */
int dxr_mark_loaded(struct dxr_model *m, __u32 hi);
/* Chunk hi as one range to next hop nh. */
int dxr_chunk_set(struct dxr_model *m, __u32 hi, __u16 nh);
/* Repaint [first, last] (host order) with nh for a route of length plen. */
int dxr_paint(struct dxr_model *m, __u32 first, __u32 last, __u16 nh,
	      enum dxr_paint how, __u32 plen);
/* Every chunk from routes sorted by (addr, plen). */
int dxr_build(struct dxr_model *m, const struct dxr_route *r, size_t n);
int dxr_route_cmp(const void *a, const void *b);

/* Layout of a fresh table: pages for next hops and ranges, with slack. */
struct dxr_layout { __u32 pages, d_pages, nh_pages, tail, chunks, ranges; };
int dxr_plan(const struct dxr_model *m, struct dxr_layout *l);
/* Write the whole model into w (pages of the layout, zeroed); returns the
 * first free range word. */
__u32 dxr_encode(const struct dxr_model *m, const struct dxr_layout *l, __u32 *w);
/* A copy with only the next hops its chunks use (all chunks loaded), in
 * chunks of dbits. */
struct dxr_model *dxr_model_compact(const struct dxr_model *m, __u32 dbits);
/* Read chunk hi (and the next hops it uses) from a table. */
int dxr_decode(struct dxr_model *m, const __u32 *w, __u32 hi);
/* Read the next-hop table of a table (before any decode). */
int dxr_load_nh(struct dxr_model *m, const __u32 *w, __u32 nh_count);
/* Words a chunk takes in a table: 0 when direct. */
static inline __u32 dxr_chunk_words(const struct dxr_chunk *c)
{
	return c->n > 1 ? c->n + 1 : 0;
}
/* Place need words at *tail without straddling a page; false: no room. */
bool dxr_place(__u32 *tail, __u32 need, __u32 end);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dxr.c - compiled IPv4 FIBs (FreeBSD's fib_dxr): which FIBs have one, and
 * keeping it in step with the trie, which stays the source of truth.
 *
 * Every IPv4 route change is queued here after the trie took it, and
 * applied at commit: at once, or at the end of a batch (vnet_batch_end:
 * vnetctl -b, an interface's purge). This is the IPv4 FIBs' lookup
 * algorithm (fib_algo.h), as FreeBSD's fib_algo drives fib_dxr.
 *
 * - A FIB that should be compiled and is not gets a table built from its
 *   trie, aside, then put in its slot of the outer map of its size class
 *   (one grace period).
 * - A compiled FIB is edited in place: the chunks a change touches are
 *   decoded, repainted, written to free space past the table's tail, and
 *   switched over by one 32-bit store each into D. Old chunks are never
 *   reused, so a packet still reading one reads it whole; they are garbage
 *   until the next full build.
 * - Out of room (free space, next hops), too much garbage, or a change that
 *   touches a large part of the table: a full build from the current model,
 *   aside again, and swapped in.
 * A FIB that cannot be compiled (a /16 with more ranges than a page holds)
 * falls back to its trie, which is always complete: packets never see a
 * half-built table, only a slower one. It stays there (route changes do
 * not retry) until its vnet's net.route.algo setting is set again.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include "net.h"
#include "fib_algo.h"
#include "dxr_model.h"

struct rt_op {
	__u32 id, fib, seq;
	__u32 addr;		/* network order */
	__u8 plen, del;
	struct fib4_route v;
};

/* Changes the tries took that the compiled FIBs and counts have not yet. */
struct dxr_queue {
	struct rt_op *ops;
	size_t n, cap;
};

#define DXR_DEF_MIN	4096

static void dxr_rtconf_defaults(struct vnet_rtconf *c)
{
	c->algo4 = VNET_ALGO_AUTO;
	c->dxr_min = DXR_DEF_MIN;
}

static int info_get(struct vnet_state *st, __u32 slot, struct vnet_fibinfo *fi)
{
	memset(fi, 0, sizeof(*fi));
	if (st->fibinfo_fd < 0)
		return 0;	/* an old state opened read-only */
	if (bpf_map_lookup_elem(st->fibinfo_fd, &slot, fi))
		return vnet_fail(st, errno, "cannot read vnet_fibinfo: %s", strerror(errno));
	return 0;
}

static int info_put(struct vnet_state *st, __u32 slot, const struct vnet_fibinfo *fi)
{
	if (bpf_map_update_elem(st->fibinfo_fd, &slot, fi, 0))
		return vnet_fail(st, errno, "cannot write vnet_fibinfo: %s", strerror(errno));
	return 0;
}

static void dxr_fib_reset(struct vnet_state *st, __u32 id, __u32 fib)
{
	struct vnet_fibinfo fi = {};
	__u32 slot = VNET_FIB_SLOT(id, fib);

	if (st->fibinfo_fd >= 0)
		bpf_map_update_elem(st->fibinfo_fd, &slot, &fi, 0);
	if (st->dxr4cls_fd >= 0)
		bpf_map_update_elem(st->dxr4cls_fd, &slot, &fi.cls, 0);
}

static int rtconf_get(struct vnet_state *st, __u32 id, struct vnet_rtconf *c)
{
	dxr_rtconf_defaults(c);
	if (st->rtconf_fd >= 0 && bpf_map_lookup_elem(st->rtconf_fd, &id, c))
		return vnet_fail(st, errno, "cannot read vnet_rtconf: %s", strerror(errno));
	return 0;
}

/* Auto keeps a compiled FIB down to half the threshold: no flapping. */
static bool wants_dxr(const struct vnet_rtconf *c, const struct vnet_fibinfo *fi)
{
	if (c->algo4 != VNET_ALGO_AUTO)
		return c->algo4 == VNET_ALGO_DXR;
	return fi->routes4 >= (fi->cls ? c->dxr_min / 2 : c->dxr_min);
}

/*
 * The vnet's route limit bounds its compiled tables too: a route adds at
 * most two ranges, each chunk at most a count word and one range; then the
 * slack of a fresh build, every next-hop page, and the rounding up to a
 * class (at most twice the size).
 */
static __u32 max_pages(const struct vnet_state *st, __u32 id)
{
	__u64 words = 2ull * st->reg[id].max_routes + 2ull * DXR_CHUNKS_MAX;

	words += words / 4 + 2 * DXR_PAGE_WORDS;
	return 2 * (DXR_D_PAGES(20) + (DXR_NH_MAX >> DXR_NH_SHIFT) + (words >> DXR_PAGE_SHIFT));
}

static int class_for(__u32 pages);

/* The size class of a model's table, its layout in l; -1: it fits none
 * that uses its D width. */
static int plan_class(const struct dxr_model *m, struct dxr_layout *l)
{
	int c;

	if (dxr_plan(m, l))
		return -1;
	c = class_for(l->pages);
	return c >= 0 && DXR_DBITS(c) == m->dbits ? c : -1;
}

/* The map kind and size of a FIB's table: fi->cls is its class + 1. */
static enum vnet_kind kind_of(const struct vnet_fibinfo *fi)
{
	return KIND_dxr4_0 + fi->cls - 1;
}

static __u32 pages_of(const struct vnet_fibinfo *fi)
{
	return DXR_CLASS_PAGES(fi->cls - 1);
}

static int class_for(__u32 pages)
{
	for (int c = 0; c < DXR_CLASSES; c++)
		if (pages <= DXR_CLASS_PAGES(c))
			return c;
	return -1;
}

/* What the datapath reads first: which outer map holds the slot's table. */
static int class_set(struct vnet_state *st, __u32 slot, __u32 cls)
{
	if (bpf_map_update_elem(st->dxr4cls_fd, &slot, &cls, 0))
		return vnet_fail(st, errno, "cannot write vnet_dxr4cls: %s", strerror(errno));
	return 0;
}

static __u32 *table_map(int fd, __u32 pages)
{
	void *w = mmap(NULL, (size_t)pages << (DXR_PAGE_SHIFT + 2), PROT_READ | PROT_WRITE,
		       MAP_SHARED, fd, 0);

	return w == MAP_FAILED ? NULL : w;
}

static void table_unmap(__u32 *w, __u32 pages)
{
	munmap(w, (size_t)pages << (DXR_PAGE_SHIFT + 2));
}

/*
 * The model as a new table, in the smallest class that holds it. Same
 * class: it replaces the old one in the slot (one grace period). Another
 * class: it goes into its own slot first, then vnet_dxr4cls points there,
 * then the old slot is cleared; a packet sees one table or the other.
 */
static int table_write(struct vnet_state *st, __u32 id, __u32 fib,
		       const struct dxr_model *m, struct vnet_fibinfo *fi)
{
	__u32 slot = VNET_FIB_SLOT(id, fib), *w, old = fi->cls;
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	bool live = st->reg[id].flags & VNET_REG_LIVE;
	struct dxr_model *other = NULL;
	enum vnet_kind kind;
	bool made = false;
	struct dxr_layout l;
	struct timespec now;
	int fd = -1, err = 0, cls = plan_class(m, &l);

	if (cls < 0) {	/* too large (or a /16 too dense) for 16 bits: 20 */
		other = dxr_model_compact(m, m->dbits == 16 ? 20 : 16);
		if (!other)
			return vnet_fail(st, ENOMEM, "out of memory");
		m = other;
		cls = plan_class(m, &l);
	}
	if (cls < 0 || DXR_CLASS_PAGES(cls) > max_pages(st, id)) {
		err = vnet_fail(st, E2BIG, "fib %u of vnet %u: a compiled table of %u "
				"pages is over the vnet's limit or the largest class (%u)",
				fib, id, l.pages, DXR_CLASS_PAGES(DXR_CLASSES - 1));
		goto out;
	}
	l.pages = DXR_CLASS_PAGES(cls);
	kind = KIND_dxr4_0 + cls;
	inst_path(st, kind, id, fib, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s_new", path);
	err = inst_create_sized(st, kind, id, fib, l.pages, "_new");
	if (err)
		goto out;
	made = true;
	fd = bpf_obj_get(tmp);
	w = fd < 0 ? NULL : table_map(fd, l.pages);
	if (!w) {
		err = vnet_fail(st, errno, "cannot map %s: %s", tmp, strerror(errno));
		goto out;
	}
	fi->tail = dxr_encode(m, &l, w);
	table_unmap(w, l.pages);
	if (live && bpf_map_update_elem(st->outer_fd[kind], &slot, &fd, 0)) {
		err = vnet_fail(st, errno, "cannot install %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, path))
		err = vnet_fail(st, errno, "cannot rename %s: %s", tmp, strerror(errno));
	inst_cache_drop(st, kind);
	if (!err)
		err = class_set(st, slot, cls + 1);
	if (!err && old && old != (__u32)cls + 1)
		inst_destroy(st, KIND_dxr4_0 + old - 1, id, fib);
	clock_gettime(CLOCK_REALTIME, &now);
	fi->cls = cls + 1;
	fi->nh_pages = l.nh_pages;
	fi->nh_count = m->nh_n;
	fi->garbage = 0;
	fi->chunks = l.chunks;
	fi->ranges = l.ranges;
	fi->compiled_ns = now.tv_sec * 1000000000ull + now.tv_nsec;
	fi->rebuilds++;
	fi->error = 0;
out:
	if (err && made)
		unlink(tmp);
	if (fd >= 0)
		close(fd);
	dxr_model_free(other);
	return err;
}

#define DXR_D20_ROUTES	131072

/*
 * Reading a trie of a million routes is two syscalls a route: the next key
 * (a walk from the root, ~1.3 us) and its value (~0.9 us). A second thread
 * reads the values while the first walks the keys; the keys go into blocks
 * that never move, published by a counter.
 */
#define DUMP_BLK	65536
#define DUMP_BLKS	(VNET_MAX_ROUTES / DUMP_BLK + 1)

struct dump {
	int fd;
	struct dxr_route *blk[DUMP_BLKS];
	size_t produced;	/* keys written (atomic) */
	bool done;		/* the walk ended (atomic) */
};

static struct dxr_route *dump_at(struct dump *d, size_t i)
{
	return &d->blk[i / DUMP_BLK][i % DUMP_BLK];
}

static void *dump_values(void *arg)
{
	struct dump *d = arg;

	for (size_t i = 0;;) {
		if (i < __atomic_load_n(&d->produced, __ATOMIC_ACQUIRE)) {
			struct dxr_route *e = dump_at(d, i++);
			struct fib4_key k = { .prefixlen = e->plen, .addr = htonl(e->addr) };

			if (bpf_map_lookup_elem(d->fd, &k, &e->v))
				e->plen = 255;	/* deleted meanwhile: skipped */
		} else if (__atomic_load_n(&d->done, __ATOMIC_ACQUIRE)) {
			if (i >= __atomic_load_n(&d->produced, __ATOMIC_ACQUIRE))
				return NULL;
		} else {
			sched_yield();
		}
	}
}

/* Every route of the trie, sorted for dxr_build. */
static int trie_routes(struct vnet_state *st, __u32 id, __u32 fib,
		       struct dxr_route **out, size_t *n)
{
	struct dump *d = calloc(1, sizeof(*d));
	struct fib4_key k, next;
	struct dxr_route *r = NULL;
	size_t produced = 0;
	pthread_t th;
	bool oom = !d;
	int fd = inst_fd(st, KIND_fib4, id, fib);

	*n = 0;
	if (fd < 0 || oom) {
		free(d);
		return fd < 0 ? fd : vnet_fail(st, ENOMEM, "out of memory");
	}
	d->fd = fd;
	if (pthread_create(&th, NULL, dump_values, d)) {
		free(d);
		return vnet_fail(st, EAGAIN, "cannot start a thread");
	}
	for (int more = !bpf_map_get_next_key(fd, NULL, &next); more;
	     more = !bpf_map_get_next_key(fd, &k, &next)) {
		k = next;
		if (produced % DUMP_BLK == 0 &&
		    (produced / DUMP_BLK >= DUMP_BLKS ||
		     !(d->blk[produced / DUMP_BLK] = malloc(DUMP_BLK * sizeof(*r))))) {
			oom = true;
			break;
		}
		dump_at(d, produced)->addr = ntohl(k.addr);
		dump_at(d, produced)->plen = k.prefixlen;
		__atomic_store_n(&d->produced, ++produced, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&d->done, true, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	r = oom ? NULL : malloc((produced + 1) * sizeof(*r));
	for (size_t i = 0; r && i < produced; i++)
		if (dump_at(d, i)->plen != 255)
			r[(*n)++] = *dump_at(d, i);
	for (size_t b = 0; b < DUMP_BLKS && d->blk[b]; b++)
		free(d->blk[b]);
	free(d);
	if (!r) {
		*n = 0;
		return vnet_fail(st, ENOMEM, "out of memory");
	}
	qsort(r, *n, sizeof(*r), dxr_route_cmp);
	*out = r;
	return 0;
}

static int compile_trie(struct vnet_state *st, __u32 id, __u32 fib,
			struct vnet_fibinfo *fi)
{
	struct dxr_route *r = NULL;
	size_t n = 0;
	int err = trie_routes(st, id, fib, &r, &n);
	/* a large table goes to the 20-bit classes anyway: build it there */
	struct dxr_model *m = err ? NULL : dxr_model_new(n >= DXR_D20_ROUTES ? 20 : 16);

	if (!err && !m)
		err = vnet_fail(st, ENOMEM, "out of memory");

	if (!err && dxr_build(m, r, n))
		err = vnet_fail(st, ENOSPC, "fib %u of vnet %u cannot be compiled: more "
				"than %u distinct next hops", fib, id, DXR_NH_MAX - 1);
	if (!err)
		err = table_write(st, id, fib, m, fi);
	free(r);
	dxr_model_free(m);
	return err;
}

/* Back to the trie alone: packets first, then the table goes. */
static void drop_table(struct vnet_state *st, __u32 id, __u32 fib,
		       struct vnet_fibinfo *fi)
{
	class_set(st, VNET_FIB_SLOT(id, fib), 0);
	if (fi->cls)
		inst_destroy(st, kind_of(fi), id, fib);
	fi->nh_pages = fi->nh_count = fi->tail = fi->garbage = 0;
	fi->chunks = fi->ranges = fi->cls = 0;
}

/* The route that takes over a deleted prefix: the longest shorter one. */
static int successor(struct vnet_state *st, __u32 id, __u32 fib, const struct rt_op *op,
		     struct fib4_route *v)
{
	struct fib4_key k = { .prefixlen = op->plen - 1, .addr = op->addr };
	int fd = inst_fd(st, KIND_fib4, id, fib);

	memset(v, 0, sizeof(*v));
	if (fd < 0)
		return fd;
	if (op->plen && bpf_map_lookup_elem(fd, &k, v))
		memset(v, 0, sizeof(*v));
	return 0;
}

static int paint_op(struct vnet_state *st, struct dxr_model *m, const __u32 *w,
		    const struct rt_op *op)
{
	__u32 first = ntohl(op->addr), sh = 32 - m->dbits;
	__u32 last = first | (op->plen == 32 ? 0 : 0xffffffffu >> op->plen);
	struct fib4_route v = op->v;
	int id, err = 0;

	for (__u32 c = first >> sh; c <= last >> sh && !err; c++)
		if (!m->loaded[c])
			err = dxr_decode(m, w, c);
	if (!err && op->del)
		err = successor(st, op->id, op->fib, op, &v);
	if (err)
		return err;
	id = dxr_nh_intern(m, &v);
	if (id < 0)
		return id;
	return dxr_paint(m, first, last, id, op->del ? DXR_PAINT_DEL : DXR_PAINT_ADD,
			 op->plen);
}

/* Changes that touch more than an eighth of the chunks rebuild the table. */
#define DXR_INPLACE_MAX(m)	((m)->nchunks / 8)

/*
 * Write the repainted chunks past the tail, then switch D over. Returns 1
 * when they do not fit (the caller rebuilds; nothing was published).
 */
static int publish(struct dxr_model *m, __u32 *w, struct vnet_fibinfo *fi)
{
	__u32 end = pages_of(fi) << DXR_PAGE_SHIFT, t = fi->tail, n = 0;
	__u32 nh0 = DXR_D_PAGES(m->dbits) << DXR_PAGE_SHIFT;
	__u32 *d = calloc(m->nused + 1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	if (m->nh_n > fi->nh_pages << DXR_NH_SHIFT)
		goto full;
	for (__u32 i = fi->nh_count; i < m->nh_n; i++)	/* no D refers to them yet */
		memcpy(&w[nh0 + i * 4], &m->nh[i], sizeof(m->nh[i]));
	for (__u32 u = 0; u < m->nused; u++) {	/* d[u]: the new D of chunk used[u] */
		const struct dxr_chunk *ch = &m->c[m->used[u]];
		__u32 need = dxr_chunk_words(ch);

		if (!m->dirty[m->used[u]])
			continue;
		if (!need) {
			d[u] = DXR_DIRECT | ch->r[0].nh;
			continue;
		}
		if (need > DXR_PAGE_WORDS || !dxr_place(&t, need, end))
			goto full;
		w[t] = ch->n;
		for (__u32 i = 0; i < ch->n; i++)
			w[t + 1 + i] = (__u32)ch->r[i].start << 16 | ch->r[i].nh;
		d[u] = t;
		t += need;
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	for (__u32 u = 0; u < m->nused; u++) {
		__u32 c = m->used[u], old = w[c];

		if (!m->dirty[c])
			continue;
		if (!(old & DXR_DIRECT)) {
			fi->garbage += w[old] + 1;
			fi->ranges -= w[old] + 1;
			fi->chunks--;
		}
		if (!(d[u] & DXR_DIRECT)) {
			fi->ranges += m->c[c].n + 1;
			fi->chunks++;
		}
		__atomic_store_n(&w[c], d[u], __ATOMIC_RELEASE);
		n++;
	}
	fi->tail = t;
	fi->nh_count = m->nh_n;
	fi->updates += n;
	free(d);
	return 0;
full:
	free(d);
	return 1;
}

/* Apply ops to a compiled FIB: in place when they fit, else a rebuild. */
static int update_table(struct vnet_state *st, __u32 id, __u32 fib,
			const struct rt_op *ops, size_t nops, struct vnet_fibinfo *fi)
{
	int fd = inst_fd(st, kind_of(fi), id, fib), err = 0, rc = 1;
	struct dxr_model *m = dxr_model_new(DXR_DBITS(fi->cls - 1)), *c = NULL;
	__u32 pages = pages_of(fi);	/* of this table: a rebuild changes fi */
	__u32 *w = fd < 0 ? NULL : table_map(fd, pages), dirty = 0;

	if (!m || !w) {
		err = vnet_fail(st, fd < 0 ? -fd : ENOMEM, "cannot open the compiled "
				"table of fib %u of vnet %u", fib, id);
		goto out;
	}
	err = dxr_load_nh(m, w, fi->nh_count);
	for (size_t i = 0; i < nops && !err; i++)
		err = paint_op(st, m, w, &ops[i]);
	if (err && err != -ENOSPC) {
		err = vnet_fail(st, -err, "cannot update the compiled table of fib %u "
				"of vnet %u: %s", fib, id, strerror(-err));
		goto out;
	}
	for (__u32 i = 0; i < m->nused; i++)
		dirty += m->dirty[m->used[i]];
	if (!err && dirty <= DXR_INPLACE_MAX(m))
		rc = publish(m, w, fi);
	if (rc < 0)
		err = vnet_fail(st, -rc, "out of memory");
	if (err == -ENOSPC || (!err && !rc && fi->garbage > DXR_PAGE_WORDS &&
			       fi->garbage > fi->ranges))
		rc = 1;
	if (err == -ENOSPC) {	/* next hops full: the trie's set may be smaller */
		table_unmap(w, pages);
		w = NULL;
		err = compile_trie(st, id, fib, fi);
		goto out;
	}
	if (err || rc == 0)
		goto out;
	/* rebuild: the whole model, its unused next hops dropped */
	for (__u32 i = 0; i < m->nchunks && !err; i++)
		if (!m->loaded[i])
			err = dxr_decode(m, w, i);
	c = err ? NULL : dxr_model_compact(m, m->dbits);
	if (!c)
		err = err ? err : vnet_fail(st, ENOMEM, "out of memory");
	else
		err = table_write(st, id, fib, c, fi);
out:
	if (w)
		table_unmap(w, pages);
	dxr_model_free(c);
	dxr_model_free(m);
	return err;
}

/*
 * Bring one FIB's lookup in line with its setting and size. A compile that
 * fails leaves the FIB on its trie, the reason in vnet_fibinfo.error.
 */
static int fib_sync(struct vnet_state *st, __u32 id, __u32 fib,
		    const struct rt_op *ops, size_t nops)
{
	__u32 slot = VNET_FIB_SLOT(id, fib);
	struct vnet_rtconf c;
	struct vnet_fibinfo fi;
	int err = rtconf_get(st, id, &c);

	if (!err)
		err = info_get(st, slot, &fi);
	if (err)
		return err;
	for (size_t i = 0; i < nops; i++)	/* the trie took each as a new route or a delete */
		fi.routes4 += ops[i].del ? -1 : 1;
	if (fi.cls && !inst_exists(st, kind_of(&fi), id, fib))
		fi.cls = 0;	/* an interrupted run: build again */
	if (!wants_dxr(&c, &fi)) {
		if (fi.cls)
			drop_table(st, id, fib, &fi);
	} else if ((!fi.cls && !(fi.error && nops)) || (fi.cls && nops > fi.routes4 / 2 + 1024)) {
		/* one that failed waits for its setting to be set again; changes
		 * to more than half the routes: the trie is the shorter way */
		err = compile_trie(st, id, fib, &fi);
	} else if (nops) {
		err = update_table(st, id, fib, ops, nops, &fi);
	}
	if (err && fi.cls)	/* a table left behind the trie: the trie answers */
		drop_table(st, id, fib, &fi);
	if (err)
		fi.error = err;
	return info_put(st, slot, &fi) ? : err;
}

/* ---- the queue ---- */

static int op_cmp(const void *a, const void *b)
{
	const struct rt_op *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->fib != y->fib)
		return x->fib < y->fib ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int dxr_commit(struct vnet_state *st)
{
	struct dxr_queue *q = st->dxrq;
	struct rt_op *ops;
	size_t n, i = 0;
	int err = 0;

	if (!q || !q->n)
		return 0;
	ops = q->ops;
	n = q->n;
	*q = (struct dxr_queue){};
	qsort(ops, n, sizeof(*ops), op_cmp);
	while (i < n) {
		size_t j = i;
		int e;

		while (j < n && ops[j].id == ops[i].id && ops[j].fib == ops[i].fib)
			j++;
		e = fib_sync(st, ops[i].id, ops[i].fib, ops + i, j - i);
		if (e && !err)
			err = e;
		i = j;
	}
	/* every change is in its FIB's lookup and count now (or the FIB is
	 * back on its trie): no journal left to replay */
	for (i = 0; i < n; i++)
		st->reg[ops[i].id].flags &= ~VNET_REG_RTDIRTY;
	free(ops);
	/* a compile that failed leaves the FIB on the trie: routes are not lost */
	return err == -E2BIG || err == -ENOSPC ? 0 : err;
}

/* Queued changes of vnet id (of one FIB, or all with fib -1) dropped: the
 * FIB or the vnet goes. */
static void dxr_forget(struct vnet_state *st, __u32 id, int fib)
{
	struct dxr_queue *q = st->dxrq;
	size_t k = 0;

	for (size_t i = 0; q && i < q->n; i++)
		if (q->ops[i].id != id || (fib >= 0 && q->ops[i].fib != (__u32)fib))
			q->ops[k++] = q->ops[i];
	if (q)
		q->n = k;
}

/* After the trie took a change: queue it for the count and the compiled copy. */
static int dxr_route_changed(struct vnet_state *st, __u32 id, __u32 fib, __u32 addr,
			     __u32 plen, const struct rval *v)
{
	struct dxr_queue *q;
	struct rt_op *op;

	if (st->fibinfo_fd < 0)
		return 0;
	if (!st->dxrq && !(st->dxrq = calloc(1, sizeof(*st->dxrq))))
		return vnet_fail(st, ENOMEM, "out of memory");
	q = st->dxrq;
	if (q->n == q->cap) {
		size_t cap = q->cap ? 2 * q->cap : 64;
		struct rt_op *n = realloc(q->ops, cap * sizeof(*n));

		if (!n)
			return vnet_fail(st, ENOMEM, "out of memory");
		q->ops = n;
		q->cap = cap;
	}
	op = &q->ops[q->n];
	memset(op, 0, sizeof(*op));
	op->id = id;
	op->fib = fib;
	op->seq = q->n++;
	op->addr = addr;
	op->plen = plen;
	op->del = !v;
	if (v)
		memcpy(&op->v, v, sizeof(op->v));
	return st->batch ? 0 : dxr_commit(st);
}

/* A setting changed: every FIB of the vnet follows it now. */
static int dxr_apply(struct vnet_state *st, __u32 id)
{
	int err = dxr_commit(st);

	for (__u32 fib = 0; fib < VNET_MAX_FIBS && !err; fib++) {
		__u32 slot = VNET_FIB_SLOT(id, fib);
		struct vnet_fibinfo fi;

		if (!(st->reg[id].fibs & (1u << fib)))
			continue;
		err = info_get(st, slot, &fi);
		fi.error = 0;
		if (!err)
			err = info_put(st, slot, &fi);
		if (!err)
			err = fib_sync(st, id, fib, NULL, 0);
	}
	return err;
}

/* The routes in a FIB's IPv4 trie, counted one by one. */
static int trie_count(struct vnet_state *st, __u32 id, __u32 fib, __u32 *n)
{
	struct fib4_key k, next;
	int fd = inst_fd(st, KIND_fib4, id, fib);

	if (fd < 0)
		return fd;
	*n = 0;
	for (int more = !bpf_map_get_next_key(fd, NULL, &next); more;
	     more = !bpf_map_get_next_key(fd, &k, &next)) {
		k = next;
		(*n)++;
	}
	return 0;
}

/* States older than compiled FIBs: count each trie once (the upgrade). */
static int dxr_upgrade(struct vnet_state *st, __u32 id)
{
	struct vnet_rtconf c;

	/* a state that has the records already (a later upgrade) keeps them */
	if (bpf_map_lookup_elem(st->rtconf_fd, &id, &c) == 0 && c.dxr_min)
		return 0;
	dxr_rtconf_defaults(&c);
	if (bpf_map_update_elem(st->rtconf_fd, &id, &c, 0))
		return vnet_fail(st, errno, "cannot write settings: %s", strerror(errno));
	for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++) {
		struct vnet_fibinfo fi = {};
		int err;

		if (!(st->reg[id].fibs & (1u << fib)))
			continue;
		err = trie_count(st, id, fib, &fi.routes4);
		if (err)
			return err;
		if (info_put(st, VNET_FIB_SLOT(id, fib), &fi))
			return -EIO;
	}
	return dxr_apply(st, id);
}

/*
 * After a crash cut route changes short (VNET_REG_RTDIRTY found set): the
 * tries are the truth; counts are taken from them again and every compiled
 * table, which may be behind them, is dropped (packets read the tries
 * meanwhile) and built afresh where the FIB wants one.
 */
static int dxr_resync(struct vnet_state *st, __u32 id)
{
	for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++) {
		__u32 slot = VNET_FIB_SLOT(id, fib);
		struct vnet_fibinfo fi;
		int err;

		if (!(st->reg[id].fibs & (1u << fib)))
			continue;
		err = info_get(st, slot, &fi);
		if (!err)
			err = trie_count(st, id, fib, &fi.routes4);
		if (err)
			return err;
		drop_table(st, id, fib, &fi);
		fi.error = 0;
		if (info_put(st, slot, &fi))
			return vnet_fail(st, errno, "cannot write vnet_fibinfo: %s", strerror(errno));
		err = fib_sync(st, id, fib, NULL, 0);
		if (err && err != -E2BIG && err != -ENOSPC)
			return err;
	}
	return 0;
}

static long long memlock_of(int fd)
{
	char path[64], line[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %lld", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

int vnet_fib_info(struct vnet_state *st, __u32 id, __u32 fib, struct vnet_fib_info *out)
{
	int err = vnet_check_fib(st, id, fib), fd;
	struct vnet_rtconf c;

	memset(out, 0, sizeof(*out));
	if (!err)
		err = rtconf_get(st, id, &c);
	if (!err)
		err = info_get(st, VNET_FIB_SLOT(id, fib), &out->fi);
	if (err)
		return err;
	out->setting = c.algo4;
	out->compiled = out->fi.cls && inst_exists(st, kind_of(&out->fi), id, fib);
	fd = inst_fd(st, KIND_fib4, id, fib);
	out->trie_bytes = fd < 0 ? 0 : memlock_of(fd);
	fd = out->compiled ? inst_fd(st, kind_of(&out->fi), id, fib) : -1;
	out->dxr_bytes = fd < 0 ? 0 : memlock_of(fd);
	return 0;
}

const char *vnet_fib_algo_name(__u32 algo)
{
	return algo == VNET_ALGO_TRIE ? "trie" : algo == VNET_ALGO_DXR ? "dxr" : "auto";
}

static const struct fib_algo dxr_algo = {
	.name = "dxr",
	.changed = dxr_route_changed,
	.apply = dxr_apply,
	.resync = dxr_resync,
	.defaults = dxr_rtconf_defaults,
};
const struct fib_algo *const fib4_algo = &dxr_algo;

/* ---- this file's part in a vnet's life (SI_ROUTES) ---- */

static int dxr_vnet_init(struct vnet_state *st, __u32 id)
{
	struct vnet_rtconf rc;

	dxr_rtconf_defaults(&rc);
	for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++)
		dxr_fib_reset(st, id, fib);
	if (st->rtconf_fd >= 0 && bpf_map_update_elem(st->rtconf_fd, &id, &rc, 0))
		return vnet_fail(st, errno, "cannot write settings: %s", strerror(errno));
	return 0;
}

static void dxr_vnet_uninit(struct vnet_state *st, __u32 id)
{
	struct vnet_rtconf rc = {};

	dxr_forget(st, id, -1);
	for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++)
		dxr_fib_reset(st, id, fib);
	if (st->rtconf_fd >= 0)
		bpf_map_update_elem(st->rtconf_fd, &id, &rc, 0);
}

static int dxr_fib_init(struct vnet_state *st, __u32 id, __u32 fib)
{
	dxr_fib_reset(st, id, fib);
	return 0;
}

static void dxr_fib_uninit(struct vnet_state *st, __u32 id, __u32 fib)
{
	dxr_forget(st, id, fib);
	dxr_fib_reset(st, id, fib);
}

/* A dying vnet's FIBs go whole: nothing queued for them is to be applied. */
static void dxr_iface_leave(struct vnet_state *st, __u32 id, __u32 ifindex, bool dying)
{
	if (dying)
		dxr_forget(st, id, -1);
}

/* At close, changes the tries took reach the compiled FIBs (a caller that
 * began a batch and did not end it). */
static void dxr_close(struct vnet_state *st)
{
	dxr_commit(st);
	if (st->dxrq)
		free(st->dxrq->ops);
	free(st->dxrq);
	st->dxrq = NULL;
}

static const struct vnet_sysinit dxr_sysinit = {
	.name = "dxr",
	.order = SI_ROUTES,
	.vnet_init = dxr_vnet_init,
	.vnet_uninit = dxr_vnet_uninit,
	.fib_init = dxr_fib_init,
	.fib_uninit = dxr_fib_uninit,
	.iface_leave = dxr_iface_leave,
	.upgrade = dxr_upgrade,
	.commit = dxr_commit,
	.close = dxr_close,
};
VNET_SYSINIT(dxr_sysinit);

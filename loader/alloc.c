/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * alloc.c - the vnet allocator: FreeBSD's VNET_DEFINE reference copies and
 * VNET_SYSINIT/VNET_SYSUNINIT, over BPF maps.
 *
 * Each per-vnet map is declared once in bpf/ as an outer map with an inner
 * template; vnet_subsys[] below only says which outer maps exist and how
 * their copies are scoped, named and limited. Instantiating a copy is the
 * same code for every kind.
 *
 * Setup runs in the order of vnet_sysinits[] (settings, counters, then the
 * map kinds in vnet_subsys[] order); teardown runs it backwards, and a
 * setup that fails halfway is undone the same way. The IPv6 and filter
 * maps are lazy: a vnet that never had an IPv6 address, route or neighbor,
 * or a rule, has none (an empty vnet stays small, and each slot costs a
 * grace period to install and to clear); first use makes them
 * (inet6_ensure below, filter.c), and teardown removes them like the rest.
 *
 * Installing a copy into its outer-map slot costs an RCU grace period on
 * this kernel (~8 ms per syscall, batch or not). A vnet with no interface
 * can receive no packet, so its copies stay only pinned until it gets its
 * first interface (vnet_make_live), when all slots go in with one batch per
 * outer map. `create` therefore never waits for a grace period.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "internal.h"

#define DXR4_KIND(c) [SUBSYS_DXR4 + c] = { "vnet_dxr4_" #c, SCOPE_FIB, LIMIT_ROUTES, \
					 "fib%u_dxr4_" #c, "v%u_fib%u_dx" #c, .lazy = true }

/* Order is setup order. */
const struct vnet_subsys vnet_subsys[SUBSYS_COUNT] = {
	[SUBSYS_NBR4] = { "vnet_nbr4", SCOPE_VNET, LIMIT_NEIGH,
			  "nbr4", "v%u_nbr4" },
	[SUBSYS_FIB4] = { "vnet_fib4", SCOPE_FIB, LIMIT_ROUTES,
			  "fib%u_in4", "v%u_fib%u_in4" },
	[SUBSYS_NBR6] = { "vnet_nbr6", SCOPE_VNET, LIMIT_NEIGH,
			  "nbr6", "v%u_nbr6", .lazy = true },
	[SUBSYS_FIB6] = { "vnet_fib6", SCOPE_FIB, LIMIT_ROUTES,
			  "fib%u_in6", "v%u_fib%u_in6", .lazy = true },
	[SUBSYS_FWCNT] = { "vnet_fwcnt", SCOPE_VNET, LIMIT_RULES,
			   "fwcnt", "v%u_fwcnt", .lazy = true },
	[SUBSYS_FWSTATE] = { "vnet_fwstate", SCOPE_VNET, LIMIT_STATES,
			     "fwstate", "v%u_fwstate", .lazy = true },
	[SUBSYS_FWRULES] = { "vnet_fwrules", SCOPE_VNET, LIMIT_RULES,
			     "fwrules", "v%u_fwrules", .lazy = true },
	[SUBSYS_NBRPEND] = { "vnet_nbrpend", SCOPE_VNET, LIMIT_TEMPLATE,
			     "nbrpend", "v%u_nbrpend" },
	/* compiled FIBs (dxr.c), one kind per size class */
	DXR4_KIND(0), DXR4_KIND(1), DXR4_KIND(2), DXR4_KIND(3), DXR4_KIND(4),
	DXR4_KIND(5), DXR4_KIND(6), DXR4_KIND(7), DXR4_KIND(8),
};

__u32 subsys_slot(enum vnet_subsys_id s, __u32 id, __u32 fib)
{
	return vnet_subsys[s].scope == SCOPE_FIB ? VNET_FIB_SLOT(id, fib) : id;
}

void inst_path(const struct vnet_state *st, enum vnet_subsys_id s,
	       __u32 id, __u32 fib, char *buf, size_t len)
{
	char leaf[32];

	snprintf(leaf, sizeof(leaf), vnet_subsys[s].pin_fmt, fib);
	snprintf(buf, len, "%s/v%u/%s", st->pin, id, leaf);
}

bool inst_exists(const struct vnet_state *st, enum vnet_subsys_id s, __u32 id,
		 __u32 fib)
{
	char path[PATH_MAX];

	inst_path(st, s, id, fib, path, sizeof(path));
	return access(path, F_OK) == 0;
}

void inst_cache_drop(struct vnet_state *st, enum vnet_subsys_id s)
{
	if (st->cache[s].fd >= 0)
		close(st->cache[s].fd);
	st->cache[s].fd = -1;
}

/* An open fd of the copy (cached per kind; do not close it). */
int inst_fd(struct vnet_state *st, enum vnet_subsys_id s, __u32 id, __u32 fib)
{
	struct inst_cache *c = &st->cache[s];
	char path[PATH_MAX];
	int fd;

	if (c->fd >= 0 && c->id == id && c->fib == fib)
		return c->fd;
	inst_path(st, s, id, fib, path, sizeof(path));
	fd = pin_open(st, path);
	if (fd < 0)
		return vnet_fail(st, errno, "cannot open %s: %s", path, strerror(errno));
	inst_cache_drop(st, s);
	*c = (struct inst_cache){ .id = id, .fib = fib, .fd = fd };
	return fd;
}

/*
 * A copy of map kind s, pinned at its path plus suffix (a copy built aside
 * is renamed into place later). max: its size; 0 takes the vnet's limit.
 */
int inst_create_sized(struct vnet_state *st, enum vnet_subsys_id s, __u32 id,
		      __u32 fib, __u32 max, const char *suffix)
{
	const struct vnet_tmpl *t = &st->tmpl[s];
	const struct vnet_reg *r = &st->reg[id];
	LIBBPF_OPTS(bpf_map_create_opts, o,
		    .btf_fd = st->btf_fd,
		    .btf_key_type_id = t->btf_key_type_id,
		    .btf_value_type_id = t->btf_value_type_id,
		    .map_flags = t->map_flags);
	char name[BPF_OBJ_NAME_LEN], path[PATH_MAX];
	size_t len;
	int fd, err = 0;

	if (!max) {
		switch (vnet_subsys[s].limit) {
		case LIMIT_ROUTES: max = r->max_routes; break;
		case LIMIT_TEMPLATE: max = t->max_entries; break;
		default: max = r->max_neigh; break;
		}
	}
	snprintf(name, sizeof(name), vnet_subsys[s].name_fmt, id, fib);
	fd = bpf_map_create(t->map_type, name, t->key_size, t->value_size, max, &o);
	if (fd < 0)
		return vnet_fail(st, errno, "cannot create map %s (%u entries): %s",
				 name, max, strerror(errno));
	inst_path(st, s, id, fib, path, sizeof(path));
	len = strlen(path);
	snprintf(path + len, sizeof(path) - len, "%s", suffix ? suffix : "");
	if (bpf_obj_pin(fd, path))
		err = vnet_fail(st, errno, "cannot pin %s: %s", path, strerror(errno));
	close(fd);
	return err;
}

int inst_create(struct vnet_state *st, enum vnet_subsys_id s, __u32 id, __u32 fib)
{
	return inst_create_sized(st, s, id, fib, 0, NULL);
}

void inst_destroy(struct vnet_state *st, enum vnet_subsys_id s, __u32 id, __u32 fib)
{
	char path[PATH_MAX];
	__u32 slot = subsys_slot(s, id, fib);

	/* An empty slot costs a grace period to clear too: skip absent copies. */
	if (vnet_subsys[s].lazy && !inst_exists(st, s, id, fib))
		return;
	route_cache_invalidate(st);
	if (st->reg[id].flags & VNET_REG_LIVE)
		bpf_map_delete_elem(st->outer_fd[s], &slot);
	if (st->cache[s].id == id && st->cache[s].fib == fib)
		inst_cache_drop(st, s);
	inst_path(st, s, id, fib, path, sizeof(path));
	unlink(path);
}

int inst_install(struct vnet_state *st, enum vnet_subsys_id s, __u32 id, __u32 fib)
{
	__u32 slot = subsys_slot(s, id, fib);
	int fd = inst_fd(st, s, id, fib);

	if (fd < 0)
		return fd;
	if (bpf_map_update_elem(st->outer_fd[s], &slot, &fd, 0))
		return vnet_fail(st, errno, "cannot install %s slot %u: %s",
				 vnet_subsys[s].outer, slot, strerror(errno));
	return 0;
}

/* Slots of one vnet's copies of map kind s, and their fds (to close). */
static int collect_slots(struct vnet_state *st, int s, __u32 id, __u32 *keys,
			 int *fds, __u32 *n)
{
	const struct vnet_reg *r = &st->reg[id];
	char path[PATH_MAX];

	for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++) {
		if (vnet_subsys[s].scope == SCOPE_FIB ? !(r->fibs & (1u << fib)) : fib)
			continue;
		if (vnet_subsys[s].lazy && !inst_exists(st, s, id, fib))
			continue;
		inst_path(st, s, id, fib, path, sizeof(path));
		fds[*n] = bpf_obj_get(path);
		if (fds[*n] < 0)
			return vnet_fail(st, errno, "cannot open %s: %s", path,
					 strerror(errno));
		keys[(*n)++] = subsys_slot(s, id, fib);
	}
	return 0;
}

static void unslot(struct vnet_state *st, const __u32 *ids, size_t nids)
{
	for (size_t i = 0; i < nids; i++)
		for (int s = 0; s < SUBSYS_COUNT; s++)
			for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++) {
				__u32 slot = subsys_slot(s, ids[i], fib);

				if (vnet_subsys[s].scope == SCOPE_FIB ?
				    (st->reg[ids[i]].fibs & (1u << fib)) :
				    (!fib && (!vnet_subsys[s].lazy ||
					      inst_exists(st, s, ids[i], 0))))
					bpf_map_delete_elem(st->outer_fd[s], &slot);
			}
}

/* Every slot vnet id could hold, emptied (a vnet left half made). */
void alloc_unslot_all(struct vnet_state *st, __u32 id)
{
	for (int s = 0; s < SUBSYS_COUNT; s++) {
		if (st->outer_fd[s] < 0)
			continue;
		for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++) {
			__u32 slot = subsys_slot(s, id, fib);

			bpf_map_delete_elem(st->outer_fd[s], &slot);
			if (vnet_subsys[s].scope != SCOPE_FIB)
				break;
		}
		if (st->cache[s].id == id)
			inst_cache_drop(st, s);
	}
}

/*
 * Put every copy of the given vnets into its slot, with one batch update
 * (one RCU grace period) per outer map whatever the number of vnets.
 */
int vnet_make_live_many(struct vnet_state *st, const __u32 *ids, size_t nids)
{
	size_t cap = nids * VNET_MAX_FIBS, done = 0;
	__u32 *keys = calloc(cap ? cap : 1, sizeof(*keys)), *todo = calloc(nids + 1, sizeof(*todo));
	int *fds = calloc(cap ? cap : 1, sizeof(*fds)), err = 0;
	__u32 n;

	if (!keys || !fds || !todo) {
		err = vnet_fail(st, ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nids; i++)
		if (!(st->reg[ids[i]].flags & VNET_REG_LIVE))
			todo[done++] = ids[i];
	for (int s = 0; s < SUBSYS_COUNT && !err; s++) {
		n = 0;
		for (size_t i = 0; i < done && !err; i++)
			err = collect_slots(st, s, todo[i], keys, fds, &n);
		if (!err && n && bpf_map_update_batch(st->outer_fd[s], keys, fds, &n, NULL))
			err = vnet_fail(st, errno, "cannot install vnets in %s: %s",
					vnet_subsys[s].outer, strerror(errno));
		while (n--)
			close(fds[n]);
	}
	if (err)
		unslot(st, todo, done);
	else
		for (size_t i = 0; i < done; i++)
			st->reg[todo[i]].flags |= VNET_REG_LIVE;
out:
	free(keys);
	free(fds);
	free(todo);
	return err;
}

int vnet_make_live(struct vnet_state *st, __u32 id)
{
	return vnet_make_live_many(st, &id, 1);
}

/* ---- per-vnet setup steps ---- */

static int conf_init(struct vnet_state *st, __u32 id)
{
	struct vnet_ratelimit rl = {};
	struct vnet_rtconf rc;
	struct vnet_conf c;
	struct vnet_conf6 c6;

	vnet_conf_defaults(&c, &c6);
	dxr_rtconf_defaults(&rc);
	for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++)
		dxr_fib_reset(st, id, fib);
	if (bpf_map_update_elem(st->conf_fd, &id, &c, 0) ||
	    bpf_map_update_elem(st->conf6_fd, &id, &c6, 0) ||
	    bpf_map_update_elem(st->rtconf_fd, &id, &rc, 0) ||
	    bpf_map_update_elem(st->icmplim_fd, &id, &rl, 0))
		return vnet_fail(st, errno, "cannot write settings: %s", strerror(errno));
	return fw_conf_init(st, id);
}

static void conf_uninit(struct vnet_state *st, __u32 id)
{
	struct vnet_conf c = {};
	struct vnet_conf6 c6 = {};
	struct vnet_rtconf rc = {};
	struct vnet_fw fw = {};

	for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++)
		dxr_fib_reset(st, id, fib);
	bpf_map_update_elem(st->rtconf_fd, &id, &rc, 0);

	bpf_map_update_elem(st->fw_fd, &id, &fw, 0);
	bpf_map_update_elem(st->conf6_fd, &id, &c6, 0);
	bpf_map_update_elem(st->conf_fd, &id, &c, 0);
}

static int stats_zero(struct vnet_state *st, __u32 id)
{
	void *z = calloc(st->ncpus, sizeof(struct vnet_stats) + sizeof(struct vnet_fw_stats));
	int err = 0;

	if (!z)
		return vnet_fail(st, ENOMEM, "out of memory");
	if (bpf_map_update_elem(st->stats_fd, &id, z, 0) ||
	    bpf_map_update_elem(st->stats6_fd, &id, z, 0) ||
	    bpf_map_update_elem(st->fwstats_fd, &id, z, 0))
		err = vnet_fail(st, errno, "cannot reset counters: %s", strerror(errno));
	free(z);
	return err;
}

static void stats_uninit(struct vnet_state *st, __u32 id)
{
	stats_zero(st, id);
}

/* Copies of one map kind: one per vnet, or one per FIB of the vnet. */
static int subsys_init(struct vnet_state *st, enum vnet_subsys_id s, __u32 id)
{
	__u32 fibs = vnet_subsys[s].scope == SCOPE_FIB ? st->reg[id].fibs : 1;
	int err;

	if (vnet_subsys[s].lazy)
		return 0;
	for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++) {
		if (!(fibs & (1u << fib)))
			continue;
		err = inst_create(st, s, id, fib);
		if (err) {
			while (fib--)
				if (fibs & (1u << fib))
					inst_destroy(st, s, id, fib);
			return err;
		}
	}
	return 0;
}

static void subsys_uninit(struct vnet_state *st, enum vnet_subsys_id s, __u32 id)
{
	__u32 fibs = vnet_subsys[s].scope == SCOPE_FIB ? st->reg[id].fibs : 1;

	for (__u32 fib = VNET_MAX_FIBS; fib--;)
		if (fibs & (1u << fib))
			inst_destroy(st, s, id, fib);
}

/*
 * The setup sequence. Steps before the map kinds have their own functions;
 * each map kind in vnet_subsys[] is one more step, handled alike.
 */
#define SYSINIT_FIXED 2
static int sysinit_step(struct vnet_state *st, int step, __u32 id)
{
	switch (step) {
	case 0: return conf_init(st, id);
	case 1: return stats_zero(st, id);
	default: return subsys_init(st, step - SYSINIT_FIXED, id);
	}
}

static void sysuninit_step(struct vnet_state *st, int step, __u32 id)
{
	switch (step) {
	case 0: conf_uninit(st, id); break;
	case 1: stats_uninit(st, id); break;
	default: subsys_uninit(st, step - SYSINIT_FIXED, id); break;
	}
}

int vnet_sysinit(struct vnet_state *st, __u32 id)
{
	int steps = SYSINIT_FIXED + SUBSYS_COUNT, err;

	for (int i = 0; i < steps; i++) {
		err = sysinit_step(st, i, id);
		if (err) {
			while (i--)
				sysuninit_step(st, i, id);
			return err;
		}
	}
	return 0;
}

void vnet_sysuninit(struct vnet_state *st, __u32 id)
{
	for (int i = SYSINIT_FIXED + SUBSYS_COUNT; i--;)
		sysuninit_step(st, i, id);
}

/* A FIB's own copies (add-fib), installed at once if the vnet is live;
 * its IPv6 FIB only if the vnet uses IPv6 already. */
int vnet_fib_sysinit(struct vnet_state *st, __u32 id, __u32 fib)
{
	int err = 0;

	for (int s = 0; s < SUBSYS_COUNT; s++) {
		if (vnet_subsys[s].scope != SCOPE_FIB || s >= SUBSYS_DXR4 ||
		    (vnet_subsys[s].lazy && !inst_exists(st, SUBSYS_NBR6, id, 0)))
			continue;
		err = inst_create(st, s, id, fib);
		if (!err && (st->reg[id].flags & VNET_REG_LIVE))
			err = inst_install(st, s, id, fib);
		if (err) {	/* undo this kind (pin only, never installed) and the ones before */
			char path[PATH_MAX];

			inst_path(st, s, id, fib, path, sizeof(path));
			unlink(path);
			while (s--)
				if (vnet_subsys[s].scope == SCOPE_FIB)
					inst_destroy(st, s, id, fib);	/* absent lazy ones: no-op */
			return err;
		}
	}
	return 0;
}

void vnet_fib_sysuninit(struct vnet_state *st, __u32 id, __u32 fib)
{
	for (int s = SUBSYS_COUNT; s--;)
		if (vnet_subsys[s].scope == SCOPE_FIB)
			inst_destroy(st, s, id, fib);
}

/*
 * Copies of map kinds a newer build added (the IPv6 FIBs and neighbor
 * cache, say), for the vnets an older build made: run once, when the
 * state is upgraded. Installed at once in live vnets.
 */
int alloc_upgrade(struct vnet_state *st)
{
	for (__u32 id = 1; id < VNET_MAX; id++) {
		const struct vnet_reg *r = &st->reg[id];

		struct vnet_conf c;
		struct vnet_conf6 c6;

		if (!(r->flags & VNET_REG_USED))
			continue;
		vnet_conf_defaults(&c, &c6);	/* settings of the new family */
		if (bpf_map_update_elem(st->conf6_fd, &id, &c6, BPF_ANY))
			return vnet_fail(st, errno, "cannot write settings: %s",
					 strerror(errno));
		for (int s = 0; s < SUBSYS_COUNT; s++) {
			__u32 fibs = vnet_subsys[s].scope == SCOPE_FIB ? r->fibs : 1;

			if (vnet_subsys[s].lazy)
				continue;
			for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++) {
				int err;

				if (!(fibs & (1u << fib)) || inst_exists(st, s, id, fib))
					continue;
				err = inst_create(st, s, id, fib);
				if (!err && (r->flags & VNET_REG_LIVE))
					err = inst_install(st, s, id, fib);
				if (err)
					return err;
			}
		}
	}
	/* route counts and compiled FIBs, once every map kind is there */
	for (__u32 id = 1; id < VNET_MAX; id++) {
		int err;

		if (!(st->reg[id].flags & VNET_REG_USED))
			continue;
		err = dxr_upgrade(st, id);
		if (err)
			return err;
	}
	return 0;
}

/*
 * A vnet's IPv6 maps (its NDP table and an IPv6 FIB per FIB), made by its
 * first IPv6 address, route or neighbor; installed at once if it is live.
 */
int inet6_ensure(struct vnet_state *st, __u32 id)
{
	const struct vnet_reg *r = &st->reg[id];
	int err = 0;

	if (inst_exists(st, SUBSYS_NBR6, id, 0))
		return 0;
	for (__u32 fib = 0; fib < VNET_MAX_FIBS && !err; fib++) {
		if (!(r->fibs & (1u << fib)))
			continue;
		err = inst_create(st, SUBSYS_FIB6, id, fib);
		if (!err && (r->flags & VNET_REG_LIVE))
			err = inst_install(st, SUBSYS_FIB6, id, fib);
	}
	/* the NDP table last: its existence says the set is complete */
	if (!err)
		err = inst_create(st, SUBSYS_NBR6, id, 0);
	if (!err && (r->flags & VNET_REG_LIVE))
		err = inst_install(st, SUBSYS_NBR6, id, 0);
	if (err) {
		char path[PATH_MAX];

		inst_path(st, SUBSYS_NBR6, id, 0, path, sizeof(path));
		unlink(path);
		for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++)
			if (r->fibs & (1u << fib))
				inst_destroy(st, SUBSYS_FIB6, id, fib);
	}
	return err;
}

bool inet6_used(const struct vnet_state *st, __u32 id)
{
	return inst_exists(st, SUBSYS_NBR6, id, 0);
}

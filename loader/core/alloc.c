/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * alloc.c - the vnet allocator: FreeBSD's VNET_DEFINE reference copies,
 * over BPF maps.
 *
 * Each per-vnet map kind is declared once (VNET_MAP_KINDS, vnet_abi.h);
 * vnet_kinds[] below follows from that list, and making, installing or
 * removing a copy is the same code for every kind. This file's own hooks
 * (SI_MAPS) make a new vnet's eager kinds and remove every copy at
 * teardown; kinds made on demand are their subsystem's to make (the
 * filter's, the compiled FIBs), and an IPv4-only vnet has no IPv6 maps
 * until its first IPv6 use (inet6_ensure). An empty vnet stays small, and
 * each slot it does not have is a grace period its moves and teardown do
 * not pay.
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
#include "core.h"

#define VNET_KIND_ROW(n, type, key, value, max, flags, scope, limit, made, leaf, kname) \
	[KIND_##n] = { "vnet_" #n, #n, SCOPE_##scope, LIMIT_##limit, MADE_##made, leaf, kname },

const struct vnet_kind_info vnet_kinds[KIND_COUNT] = {
	VNET_MAP_KINDS(VNET_KIND_ROW)
};

__u32 kind_slot(enum vnet_kind s, __u32 id, __u32 fib)
{
	return vnet_kinds[s].scope == SCOPE_FIB ? VNET_FIB_SLOT(id, fib) : id;
}

void inst_path(const struct vnet_state *st, enum vnet_kind s,
	       __u32 id, __u32 fib, char *buf, size_t len)
{
	if (vnet_kinds[s].scope == SCOPE_FIB)
		snprintf(buf, len, "%s/v%u/fib%u_%s", st->pin, id, fib, vnet_kinds[s].leaf);
	else
		snprintf(buf, len, "%s/v%u/%s", st->pin, id, vnet_kinds[s].leaf);
}

/* Made by whom and when: only eager kinds are the allocator's to make. */
static bool kind_eager(enum vnet_kind s)
{
	return vnet_kinds[s].made == MADE_EAGER;
}

bool inst_exists(const struct vnet_state *st, enum vnet_kind s, __u32 id,
		 __u32 fib)
{
	char path[PATH_MAX];

	inst_path(st, s, id, fib, path, sizeof(path));
	return access(path, F_OK) == 0;
}

void inst_cache_drop(struct vnet_state *st, enum vnet_kind s)
{
	if (st->cache[s].fd >= 0)
		close(st->cache[s].fd);
	st->cache[s].fd = -1;
}

/* An open fd of the copy (cached per kind; do not close it). */
int inst_fd(struct vnet_state *st, enum vnet_kind s, __u32 id, __u32 fib)
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
int inst_create_sized(struct vnet_state *st, enum vnet_kind s, __u32 id,
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
		switch (vnet_kinds[s].limit) {
		case LIMIT_ROUTES: max = r->max_routes; break;
		case LIMIT_TEMPLATE: max = t->max_entries; break;
		default: max = r->max_neigh; break;
		}
	}
	if (vnet_kinds[s].scope == SCOPE_FIB)
		snprintf(name, sizeof(name), "v%u_fib%u_%s", id, fib, vnet_kinds[s].kname);
	else
		snprintf(name, sizeof(name), "v%u_%s", id, vnet_kinds[s].kname);
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

int inst_create(struct vnet_state *st, enum vnet_kind s, __u32 id, __u32 fib)
{
	return inst_create_sized(st, s, id, fib, 0, NULL);
}

void inst_destroy(struct vnet_state *st, enum vnet_kind s, __u32 id, __u32 fib)
{
	char path[PATH_MAX];
	__u32 slot = kind_slot(s, id, fib);

	/* An empty slot costs a grace period to clear too: skip absent copies. */
	if (!kind_eager(s) && !inst_exists(st, s, id, fib))
		return;
	st->epoch++;
	if (st->reg[id].flags & VNET_REG_LIVE)
		bpf_map_delete_elem(st->outer_fd[s], &slot);
	if (st->cache[s].id == id && st->cache[s].fib == fib)
		inst_cache_drop(st, s);
	inst_path(st, s, id, fib, path, sizeof(path));
	unlink(path);
}

int inst_install(struct vnet_state *st, enum vnet_kind s, __u32 id, __u32 fib)
{
	__u32 slot = kind_slot(s, id, fib);
	int fd = inst_fd(st, s, id, fib);

	if (fd < 0)
		return fd;
	if (bpf_map_update_elem(st->outer_fd[s], &slot, &fd, 0))
		return vnet_fail(st, errno, "cannot install %s slot %u: %s",
				 vnet_kinds[s].outer, slot, strerror(errno));
	return 0;
}

/* Slots of one vnet's copies of map kind s, and their fds (to close). */
static int collect_slots(struct vnet_state *st, int s, __u32 id, __u32 *keys,
			 int *fds, __u32 *n)
{
	const struct vnet_reg *r = &st->reg[id];
	char path[PATH_MAX];

	for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++) {
		if (vnet_kinds[s].scope == SCOPE_FIB ? !(r->fibs & (1u << fib)) : fib)
			continue;
		if (!kind_eager(s) && !inst_exists(st, s, id, fib))
			continue;
		inst_path(st, s, id, fib, path, sizeof(path));
		fds[*n] = bpf_obj_get(path);
		if (fds[*n] < 0)
			return vnet_fail(st, errno, "cannot open %s: %s", path,
					 strerror(errno));
		keys[(*n)++] = kind_slot(s, id, fib);
	}
	return 0;
}

static void unslot(struct vnet_state *st, const __u32 *ids, size_t nids)
{
	for (size_t i = 0; i < nids; i++)
		for (int s = 0; s < KIND_COUNT; s++)
			for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++) {
				__u32 slot = kind_slot(s, ids[i], fib);

				if (vnet_kinds[s].scope == SCOPE_FIB ?
				    (st->reg[ids[i]].fibs & (1u << fib)) :
				    (!fib && (kind_eager(s) ||
					      inst_exists(st, s, ids[i], 0))))
					bpf_map_delete_elem(st->outer_fd[s], &slot);
			}
}

/* Every slot vnet id could hold, emptied (a vnet left half made). */
void alloc_unslot_all(struct vnet_state *st, __u32 id)
{
	for (int s = 0; s < KIND_COUNT; s++) {
		if (st->outer_fd[s] < 0)
			continue;
		for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++) {
			__u32 slot = kind_slot(s, id, fib);

			bpf_map_delete_elem(st->outer_fd[s], &slot);
			if (vnet_kinds[s].scope != SCOPE_FIB)
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
	__u32 *keys = NULL, *todo = NULL;
	int *fds = NULL, err = 0;
	__u32 n;

	if (state_writable(st))
		return -EPERM;
	keys = calloc(cap ? cap : 1, sizeof(*keys));
	todo = calloc(nids + 1, sizeof(*todo));
	fds = calloc(cap ? cap : 1, sizeof(*fds));
	if (!keys || !fds || !todo) {
		err = vnet_fail(st, ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nids; i++)
		if (!(st->reg[ids[i]].flags & VNET_REG_LIVE))
			todo[done++] = ids[i];
	for (int s = 0; s < KIND_COUNT && !err; s++) {
		n = 0;
		for (size_t i = 0; i < done && !err; i++)
			err = collect_slots(st, s, todo[i], keys, fds, &n);
		if (!err && n && bpf_map_update_batch(st->outer_fd[s], keys, fds, &n, NULL))
			err = vnet_fail(st, errno, "cannot install vnets in %s: %s",
					vnet_kinds[s].outer, strerror(errno));
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

/* ---- this file's part in a vnet's life (SI_MAPS) ---- */

/* May kind s have a copy for FIB fib of vnet id made now? Eager kinds do;
 * IPv6 kinds once the vnet uses IPv6; the rest are made by their code. */
static bool made_here(const struct vnet_state *st, enum vnet_kind s, __u32 id)
{
	return kind_eager(s) ||
	       (vnet_kinds[s].made == MADE_INET6 && inst_exists(st, KIND_nbr6, id, 0));
}

/* Copies of one kind for a new vnet: one per vnet, or one per FIB. */
static int kind_init(struct vnet_state *st, enum vnet_kind s, __u32 id)
{
	__u32 fibs = vnet_kinds[s].scope == SCOPE_FIB ? st->reg[id].fibs : 1;
	int err;

	if (!kind_eager(s))
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

static void kind_uninit(struct vnet_state *st, enum vnet_kind s, __u32 id)
{
	__u32 fibs = vnet_kinds[s].scope == SCOPE_FIB ? st->reg[id].fibs : 1;

	for (__u32 fib = VNET_MAX_FIBS; fib--;)
		if (fibs & (1u << fib))
			inst_destroy(st, s, id, fib);
}

/* The eager kinds in list order; undone backwards if one fails. */
static int maps_vnet_init(struct vnet_state *st, __u32 id)
{
	for (int s = 0; s < KIND_COUNT; s++) {
		int err = kind_init(st, s, id);

		if (err) {
			while (s--)
				kind_uninit(st, s, id);
			return err;
		}
	}
	return 0;
}

/* Every copy the vnet has, whoever made it. */
static void maps_vnet_uninit(struct vnet_state *st, __u32 id)
{
	for (int s = KIND_COUNT; s--;)
		kind_uninit(st, s, id);
}

/* A FIB's own copies (add-fib), installed at once if the vnet is live. */
static int maps_fib_init(struct vnet_state *st, __u32 id, __u32 fib)
{
	for (int s = 0; s < KIND_COUNT; s++) {
		int err;

		if (vnet_kinds[s].scope != SCOPE_FIB || !made_here(st, s, id))
			continue;
		err = inst_create(st, s, id, fib);
		if (!err && (st->reg[id].flags & VNET_REG_LIVE))
			err = inst_install(st, s, id, fib);
		if (err) {	/* undo this kind (pin only, never installed) and the ones before */
			char path[PATH_MAX];

			inst_path(st, s, id, fib, path, sizeof(path));
			unlink(path);
			while (s--)
				if (vnet_kinds[s].scope == SCOPE_FIB)
					inst_destroy(st, s, id, fib);	/* absent ones: no-op */
			return err;
		}
	}
	return 0;
}

static void maps_fib_uninit(struct vnet_state *st, __u32 id, __u32 fib)
{
	for (int s = KIND_COUNT; s--;)
		if (vnet_kinds[s].scope == SCOPE_FIB)
			inst_destroy(st, s, id, fib);
}

/*
 * Copies of kinds a newer build added (the pending-neighbor table, say)
 * for a vnet an older build made; installed at once if it is live.
 */
static int maps_upgrade(struct vnet_state *st, __u32 id)
{
	const struct vnet_reg *r = &st->reg[id];

	for (int s = 0; s < KIND_COUNT; s++) {
		__u32 fibs = vnet_kinds[s].scope == SCOPE_FIB ? r->fibs : 1;

		if (!made_here(st, s, id))
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
	return 0;
}

static const struct vnet_sysinit maps_sysinit = {
	.name = "maps",
	.order = SI_MAPS,
	.vnet_init = maps_vnet_init,
	.vnet_uninit = maps_vnet_uninit,
	.fib_init = maps_fib_init,
	.fib_uninit = maps_fib_uninit,
	.upgrade = maps_upgrade,
};
VNET_SYSINIT(maps_sysinit);

/*
 * A vnet's IPv6 maps (its NDP table and an IPv6 FIB per FIB), made by its
 * first IPv6 address, route or neighbor; installed at once if it is live.
 */
int inet6_ensure(struct vnet_state *st, __u32 id)
{
	const struct vnet_reg *r = &st->reg[id];
	int err = 0;

	if (inst_exists(st, KIND_nbr6, id, 0))
		return 0;
	for (__u32 fib = 0; fib < VNET_MAX_FIBS && !err; fib++) {
		if (!(r->fibs & (1u << fib)))
			continue;
		err = inst_create(st, KIND_fib6, id, fib);
		if (!err && (r->flags & VNET_REG_LIVE))
			err = inst_install(st, KIND_fib6, id, fib);
	}
	/* the NDP table last: its existence says the set is complete */
	if (!err)
		err = inst_create(st, KIND_nbr6, id, 0);
	if (!err && (r->flags & VNET_REG_LIVE))
		err = inst_install(st, KIND_nbr6, id, 0);
	if (err) {
		char path[PATH_MAX];

		inst_path(st, KIND_nbr6, id, 0, path, sizeof(path));
		unlink(path);
		for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++)
			if (r->fibs & (1u << fib))
				inst_destroy(st, KIND_fib6, id, fib);
	}
	return err;
}

bool inet6_used(const struct vnet_state *st, __u32 id)
{
	return inst_exists(st, KIND_nbr6, id, 0);
}

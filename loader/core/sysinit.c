/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sysinit.c - the hooks subsystems register with VNET_SYSINIT() (a linker
 * set, as FreeBSD's SYSINIT: each registration sits beside its
 * subsystem's code, and the core knows none of them by name), run in
 * their order: init hooks from the lowest order up, uninit hooks from the
 * highest down, so that teardown mirrors setup.
 *
 * The library is linked whole (--whole-archive in the Makefile): a
 * subsystem object that nothing else referred to would otherwise be left
 * out, and its hooks with it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

extern const struct vnet_sysinit *const __start_vnet_sysinit[];
extern const struct vnet_sysinit *const __stop_vnet_sysinit[];

static const struct vnet_sysinit **sorted;
static size_t nsorted;

static int by_order(const void *a, const void *b)
{
	const struct vnet_sysinit *x = *(const struct vnet_sysinit *const *)a;
	const struct vnet_sysinit *y = *(const struct vnet_sysinit *const *)b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The registered hooks in order (sorted once per process). */
static size_t hooks(const struct vnet_sysinit ***v)
{
	if (!sorted) {
		size_t n = __stop_vnet_sysinit - __start_vnet_sysinit;

		sorted = malloc(n * sizeof(*sorted));
		if (!sorted)
			abort();
		memcpy(sorted, __start_vnet_sysinit, n * sizeof(*sorted));
		qsort(sorted, n, sizeof(*sorted), by_order);
		nsorted = n;
	}
	*v = sorted;
	return nsorted;
}

int sys_vnet_init(struct vnet_state *st, __u32 id)
{
	const struct vnet_sysinit **h;
	size_t n = hooks(&h);

	for (size_t i = 0; i < n; i++) {
		int err = h[i]->vnet_init ? h[i]->vnet_init(st, id) : 0;

		if (err) {
			while (i--)
				if (h[i]->vnet_uninit)
					h[i]->vnet_uninit(st, id);
			return err;
		}
	}
	return 0;
}

void sys_vnet_uninit(struct vnet_state *st, __u32 id)
{
	const struct vnet_sysinit **h;

	for (size_t i = hooks(&h); i--;)
		if (h[i]->vnet_uninit)
			h[i]->vnet_uninit(st, id);
}

int sys_fib_init(struct vnet_state *st, __u32 id, __u32 fib)
{
	const struct vnet_sysinit **h;
	size_t n = hooks(&h);

	for (size_t i = 0; i < n; i++) {
		int err = h[i]->fib_init ? h[i]->fib_init(st, id, fib) : 0;

		if (err) {
			while (i--)
				if (h[i]->fib_uninit)
					h[i]->fib_uninit(st, id, fib);
			return err;
		}
	}
	return 0;
}

void sys_fib_uninit(struct vnet_state *st, __u32 id, __u32 fib)
{
	const struct vnet_sysinit **h;

	for (size_t i = hooks(&h); i--;)
		if (h[i]->fib_uninit)
			h[i]->fib_uninit(st, id, fib);
}

int sys_fib_busy(struct vnet_state *st, __u32 id, __u32 fib)
{
	const struct vnet_sysinit **h;
	size_t n = hooks(&h);

	for (size_t i = 0; i < n; i++) {
		int err = h[i]->fib_busy ? h[i]->fib_busy(st, id, fib) : 0;

		if (err)
			return err;
	}
	return 0;
}

/* What an interface leaves behind, highest order first (its addresses,
 * then its neighbors and routes), as one batch. */
void sys_iface_leave(struct vnet_state *st, __u32 id, __u32 ifindex, bool dying)
{
	const struct vnet_sysinit **h;

	st->batch++;
	st->epoch++;
	for (size_t i = hooks(&h); i--;)
		if (h[i]->iface_leave)
			h[i]->iface_leave(st, id, ifindex, dying);
	if (!--st->batch)
		sys_commit(st);
}

int sys_addr_changed(struct vnet_state *st, __u32 id, const struct vnet_ip *addr, bool add)
{
	const struct vnet_sysinit **h;
	size_t n = hooks(&h);

	for (size_t i = 0; i < n; i++) {
		int err = h[i]->addr_changed ? h[i]->addr_changed(st, id, addr, add) : 0;

		if (err)
			return err;
	}
	return 0;
}

int sys_upgrade(struct vnet_state *st, __u32 id)
{
	const struct vnet_sysinit **h;
	size_t n = hooks(&h);

	for (size_t i = 0; i < n; i++) {
		int err = h[i]->upgrade ? h[i]->upgrade(st, id) : 0;

		if (err)
			return err;
	}
	return 0;
}

/* Every subsystem's waiting work; the first error is returned, all run. */
int sys_commit(struct vnet_state *st)
{
	const struct vnet_sysinit **h;
	size_t n = hooks(&h);
	char first[sizeof(st->err)];
	int err = 0;

	for (size_t i = 0; i < n; i++) {
		int e = h[i]->commit ? h[i]->commit(st) : 0;

		if (e && !err) {
			err = e;
			memcpy(first, st->err, sizeof(first));
		}
	}
	if (err)
		memcpy(st->err, first, sizeof(first));
	return err;
}

void sys_close(struct vnet_state *st)
{
	const struct vnet_sysinit **h;

	for (size_t i = hooks(&h); i--;)
		if (h[i]->close)
			h[i]->close(st);
}

void vnet_batch_begin(struct vnet_state *st)
{
	st->batch++;
}

int vnet_batch_end(struct vnet_state *st)
{
	if (!st->batch || --st->batch)
		return 0;
	return sys_commit(st);
}

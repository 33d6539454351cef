/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vnet.c - creating, naming, destroying vnets and their FIBs (jail -c vnet,
 * jail -r, setfib's FIBs): the registry entry, then every subsystem's part
 * through its hooks (core/sysinit.c), in order; teardown in the reverse
 * order (host stack, epairs, interfaces, addresses, ..., settings).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include "core/core.h"

static int check_name(struct vnet_state *st, const char *name)
{
	size_t len = strlen(name);

	if (!len || len >= VNET_NAME_LEN)
		return vnet_fail(st, EINVAL, "vnet name '%s' must be 1 to %d characters",
				 name, VNET_NAME_LEN - 1);
	if (all_digits(name))
		return vnet_fail(st, EINVAL, "vnet name '%s' is all digits: it would "
				 "read as an ID", name);
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
			return vnet_fail(st, EINVAL, "vnet name '%s' has '%c': use "
					 "letters, digits, '_', '.', '-'", name, *p);
	for (__u32 i = 0; i < VNET_MAX; i++)
		if ((st->reg[i].flags & VNET_REG_USED) &&
		    strncmp(st->reg[i].name, name, VNET_NAME_LEN) == 0)
			return vnet_fail(st, EEXIST, "vnet name '%s' is taken by vnet %u",
					 name, i);
	return 0;
}

int vnet_create(struct vnet_state *st, const struct vnet_create_opts *o, __u32 *idp)
{
	__u32 id = o->id, fibs = o->fibs ? o->fibs : 1;
	char dir[PATH_MAX], defname[VNET_NAME_LEN];
	struct vnet_reg *r;
	struct timespec now;
	int err = state_writable(st);

	if (err)
		return err;
	if (o->id) {
		if (o->id >= VNET_MAX)
			return vnet_fail(st, ERANGE, "vnet ID %u out of range (1-%d)",
					 o->id, VNET_MAX - 1);
		if (vnet_get(st, o->id))
			return vnet_fail(st, EEXIST, "vnet %u already exists", o->id);
	} else {
		for (id = 1; id < VNET_MAX && vnet_get(st, id); id++)
			;
		if (id == VNET_MAX)
			return vnet_fail(st, ENOSPC, "all %d vnet IDs are in use",
					 VNET_MAX - 1);
	}
	if (fibs > VNET_MAX_FIBS)
		return vnet_fail(st, ERANGE, "fibs %u out of range (1-%d)", fibs,
				 VNET_MAX_FIBS);
	if (o->max_routes > VNET_MAX_ROUTES || o->max_neigh > VNET_MAX_NEIGH)
		return vnet_fail(st, ERANGE, "limit out of range (routes <= %d, "
				 "neighbors <= %d)", VNET_MAX_ROUTES, VNET_MAX_NEIGH);
	if (!o->name)
		snprintf(defname, sizeof(defname), "vnet%u", id);
	err = check_name(st, o->name ? o->name : defname);
	if (err)
		return err;

	vnet_dir(st, id, dir, sizeof(dir));
	if (mkdir(dir, 0700) && errno != EEXIST)
		return vnet_fail(st, errno, "cannot create %s: %s", dir, strerror(errno));

	r = &st->reg[id];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", o->name ? o->name : defname);
	r->fibs = fibs == 32 ? ~0u : (1u << fibs) - 1;
	r->max_routes = o->max_routes ? o->max_routes : st->tmpl[KIND_fib4].max_entries;
	r->max_neigh = o->max_neigh ? o->max_neigh : st->tmpl[KIND_nbr4].max_entries;
	clock_gettime(CLOCK_REALTIME, &now);
	r->created_ns = now.tv_sec * 1000000000ULL + now.tv_nsec;
	r->flags = VNET_REG_USED;

	err = sys_vnet_init(st, id);
	if (!err && (o->max_rules || o->max_states)) {
		err = vnet_filter_limits(st, id, o->max_rules, o->max_states);
		if (err)
			sys_vnet_uninit(st, id);
	}
	if (err) {
		memset(r, 0, sizeof(*r));
		rmdir(dir);
		return err;
	}
	*idp = id;
	return 0;
}

int vnet_destroy(struct vnet_state *st, __u32 id)
{
	char dir[PATH_MAX];
	int err = state_writable(st);

	if (!err)
		err = vnet_check(st, id);
	if (err)
		return err;
	sys_vnet_uninit(st, id);
	memset(&st->reg[id], 0, sizeof(st->reg[id]));
	vnet_dir(st, id, dir, sizeof(dir));
	rmdir(dir);
	return 0;
}

int vnet_fib_add(struct vnet_state *st, __u32 id, __u32 *fibp)
{
	struct vnet_reg *r = &st->reg[id];
	__u32 fib;
	int err = state_writable(st);

	if (!err)
		err = vnet_check(st, id);
	if (err)
		return err;
	for (fib = 0; fib < VNET_MAX_FIBS && (r->fibs & (1u << fib)); fib++)
		;
	if (fib == VNET_MAX_FIBS)
		return vnet_fail(st, ENOSPC, "vnet %u already has %d FIBs", id,
				 VNET_MAX_FIBS);
	r->fibs |= 1u << fib;
	err = sys_fib_init(st, id, fib);	/* copies, then rtinit()'s routes */
	if (err) {
		r->fibs &= ~(1u << fib);
		return err;
	}
	*fibp = fib;
	return 0;
}

int vnet_fib_del(struct vnet_state *st, __u32 id, __u32 fib)
{
	int err = state_writable(st);

	if (!err)
		err = vnet_check_fib(st, id, fib);
	if (err)
		return err;
	if (fib == 0)
		return vnet_fail(st, EBUSY, "fib 0 is every vnet's default and cannot "
				 "be deleted");
	err = sys_fib_busy(st, id, fib);	/* an interface's, a rule's */
	if (err)
		return err;
	sys_fib_uninit(st, id, fib);
	st->reg[id].fibs &= ~(1u << fib);
	return 0;
}

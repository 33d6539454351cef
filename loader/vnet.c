/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vnet.c - creating, naming, destroying vnets and their FIBs (jail -c vnet,
 * jail -r, setfib's FIBs). The registry (vnet_reg) is an mmapped array, so
 * name and ID checks are plain memory reads.
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
#include "internal.h"

const struct vnet_reg *vnet_get(struct vnet_state *st, __u32 id)
{
	if (id >= VNET_MAX || !(st->reg[id].flags & VNET_REG_USED))
		return NULL;
	return &st->reg[id];
}

int vnet_check(struct vnet_state *st, __u32 id)
{
	if (id == 0)
		return vnet_fail(st, EINVAL, "vnet 0 is the host: its interfaces "
				 "and routes belong to the Linux stack (use ip(8))");
	if (!vnet_get(st, id))
		return vnet_fail(st, ENOENT, "vnet %u does not exist", id);
	return 0;
}

int vnet_check_fib(struct vnet_state *st, __u32 id, __u32 fib)
{
	int err = vnet_check(st, id);

	if (err)
		return err;
	if (fib >= VNET_MAX_FIBS || !(st->reg[id].fibs & (1u << fib)))
		return vnet_fail(st, ENOENT, "vnet %u has no fib %u", id, fib);
	return 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int vnet_resolve(struct vnet_state *st, const char *arg, __u32 *id)
{
	if (all_digits(arg)) {
		unsigned long v = strtoul(arg, NULL, 10);

		if (v >= VNET_MAX || !vnet_get(st, v))
			return vnet_fail(st, ENOENT, "vnet %s does not exist", arg);
		*id = v;
		return 0;
	}
	for (__u32 i = 0; i < VNET_MAX; i++)
		if ((st->reg[i].flags & VNET_REG_USED) &&
		    strncmp(st->reg[i].name, arg, VNET_NAME_LEN) == 0) {
			*id = i;
			return 0;
		}
	return vnet_fail(st, ENOENT, "no vnet named '%s'", arg);
}

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

static void vnet_dir(const struct vnet_state *st, __u32 id, char *buf, size_t len)
{
	snprintf(buf, len, "%s/v%u", st->pin, id);
}

int vnet_create(struct vnet_state *st, const struct vnet_create_opts *o, __u32 *idp)
{
	__u32 id = o->id, fibs = o->fibs ? o->fibs : 1;
	char dir[PATH_MAX], defname[VNET_NAME_LEN];
	struct vnet_reg *r;
	struct timespec now;
	int err;

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
	r->max_routes = o->max_routes ? o->max_routes : st->tmpl[SUBSYS_FIB4].max_entries;
	r->max_neigh = o->max_neigh ? o->max_neigh : st->tmpl[SUBSYS_NBR4].max_entries;
	clock_gettime(CLOCK_REALTIME, &now);
	r->created_ns = now.tv_sec * 1000000000ULL + now.tv_nsec;
	r->flags = VNET_REG_USED;

	err = vnet_sysinit(st, id);
	if (!err && (o->max_rules || o->max_states)) {
		err = vnet_filter_limits(st, id, o->max_rules, o->max_states);
		if (err)
			vnet_sysuninit(st, id);
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
	struct vnet_iface rec;
	char dir[PATH_MAX];
	int err = vnet_check(st, id);

	if (err)
		return err;
	fw_pending_forget(st, id);
	/* The host stack first: its namespace goes with the vnet (by name,
	 * also what an earlier destroy cut short left). */
	hoststack_teardown(st, id);
	/* Epairs next: both ends are destroyed, as Linux destroys the veths
	 * of a dying namespace. */
	for (__u32 key = 1; key < VNET_MAX_IFINDEX; key++)
		if (iface_get(st, key, &rec) == 0 && rec.vnet == id &&
		    (rec.flags & VNET_IF_F_EPAIR))
			epair_destroy_end(st, key);
	/* Then interfaces: they go home to vnet 0, taking nothing along. */
	for (__u32 key = 1; key < VNET_MAX_IFINDEX; key++) {
		if (iface_get(st, key, &rec) || rec.vnet != id)
			continue;
		rec.vnet = 0;
		rec.fib = 0;
		rec.addr4 = 0;
		iface_put(st, key, &rec);
		iface_leave(st, key, id, true);
	}
	dxr_forget(st, id, -1);
	vnet_sysuninit(st, id);
	memset(&st->reg[id], 0, sizeof(st->reg[id]));
	vnet_dir(st, id, dir, sizeof(dir));
	rmdir(dir);
	return 0;
}

int vnet_fib_add(struct vnet_state *st, __u32 id, __u32 *fibp)
{
	struct vnet_reg *r = &st->reg[id];
	__u32 fib;
	int err = vnet_check(st, id);

	if (err)
		return err;
	for (fib = 0; fib < VNET_MAX_FIBS && (r->fibs & (1u << fib)); fib++)
		;
	if (fib == VNET_MAX_FIBS)
		return vnet_fail(st, ENOSPC, "vnet %u already has %d FIBs", id,
				 VNET_MAX_FIBS);
	err = vnet_fib_sysinit(st, id, fib);
	if (err)
		return err;
	dxr_fib_reset(st, id, fib);
	r->fibs |= 1u << fib;
	/* rtinit(): the connected routes of every address go on the new FIB. */
	err = addr_copy_to_fib(st, id, fib);
	if (err) {
		dxr_forget(st, id, fib);
		r->fibs &= ~(1u << fib);
		vnet_fib_sysuninit(st, id, fib);
		dxr_fib_reset(st, id, fib);
		return err;
	}
	*fibp = fib;
	return 0;
}

int vnet_fib_del(struct vnet_state *st, __u32 id, __u32 fib)
{
	struct vnet_iface rec;
	char name[16];
	__u16 rule = 0;
	int err = vnet_check_fib(st, id, fib);

	if (err)
		return err;
	if (fib == 0)
		return vnet_fail(st, EBUSY, "fib 0 is every vnet's default and cannot "
				 "be deleted");
	for (__u32 key = 1; key < VNET_MAX_IFINDEX; key++) {
		if (iface_get(st, key, &rec) == 0 && rec.vnet == id && rec.fib == fib)
			return vnet_fail(st, EBUSY, "fib %u of vnet %u is the fib of %s "
					 "(link set %s vnet %u fib 0 first)", fib, id,
					 ifname_of(key, name), name, id);
	}
	if (fw_uses_fib(st, id, fib, &rule))
		return vnet_fail(st, EBUSY, "fib %u of vnet %u is used by filter "
				 "rule %u", fib, id, rule);
	dxr_forget(st, id, fib);
	vnet_fib_sysuninit(st, id, fib);
	dxr_fib_reset(st, id, fib);
	st->reg[id].fibs &= ~(1u << fib);
	return 0;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * recover.c - the pinned state made whole again before a command acts on
 * it, after what the state cannot prevent: a vnetctl killed in the middle
 * of an operation, an interface deleted behind its back.
 *
 *  - An interface that is gone (its devmap entry is: the kernel removes it
 *    when the device unregisters) leaves its vnet as if detached, with its
 *    addresses, routes and neighbors. A new device that takes the same
 *    ifindex is a stranger: it is not in the devmap, so it never inherits
 *    the old record.
 *  - A vnet directory without a registered vnet (a create or destroy cut
 *    short) loses its pins and its outer-map slots.
 *  - A vnet whose IPv4 route changes were cut short (VNET_REG_RTDIRTY)
 *    has its compiled FIBs rebuilt from its tries (fib_algo resync), after
 *    pins an aside build left behind are removed.
 *
 * Looking costs a scan of the mmapped records, one devmap lookup per
 * registered interface and the pin directory's entries; repairs take the
 * exclusive lock, even for a read-only command (what it would print is
 * otherwise wrong).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <bpf/bpf.h>
#include "recover.h"
#include "link/link.h"
#include "net/fib_algo.h"
#include "host/host.h"

/* A pin directory entry "v<ID>" for a vnet that is not registered. */
static bool stale_vnet_dir(const struct vnet_state *st, const char *name, __u32 *id)
{
	char *end;
	unsigned long v;

	if (name[0] != 'v' || !name[1])
		return false;
	v = strtoul(name + 1, &end, 10);
	if (*end || v == 0 || v >= VNET_MAX)
		return false;
	*id = v;
	return !(st->reg[v].flags & VNET_REG_USED);
}

/* What needs repair; nothing is changed here. */
static bool needs_recovery(struct vnet_state *st)
{
	struct dirent *e;
	bool found = false;
	DIR *d;

	for (__u32 i = 1; i < VNET_MAX_IFINDEX && !found; i++)
		found = (st->ifaces[i].flags & VNET_IF_F_REGISTERED) && iface_gone(st, i);
	for (__u32 id = 1; id < VNET_MAX && !found; id++)
		found = (st->reg[id].flags & (VNET_REG_USED | VNET_REG_RTDIRTY)) ==
			(VNET_REG_USED | VNET_REG_RTDIRTY);
	d = found ? NULL : opendir(st->pin);
	while (d && !found && (e = readdir(d))) {
		__u32 id;

		found = stale_vnet_dir(st, e->d_name, &id);
	}
	if (d)
		closedir(d);
	return found;
}

static void forget_gone_ifaces(struct vnet_state *st)
{
	for (__u32 i = 1; i < VNET_MAX_IFINDEX; i++) {
		struct vnet_iface rec = st->ifaces[i];

		if (!(rec.flags & VNET_IF_F_REGISTERED) || !iface_gone(st, i))
			continue;
		if (rec.flags & VNET_IF_F_HOSTSTACK)
			hoststack_lost(st, rec.vnet);
		iface_forget(st, i);
	}
}

/* Remove pins in dir whose name ends with suffix ("" for all). */
static void unlink_pins(const char *dir, const char *suffix)
{
	size_t sl = strlen(suffix);
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d))) {
		size_t nl = strlen(e->d_name);

		if (e->d_name[0] == '.' || nl < sl || strcmp(e->d_name + nl - sl, suffix))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
}

static void remove_stale_dirs(struct vnet_state *st)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(st->pin);

	while (d && (e = readdir(d))) {
		__u32 id;

		if (!stale_vnet_dir(st, e->d_name, &id))
			continue;
		alloc_unslot_all(st, id);
		snprintf(path, sizeof(path), "%s/%s", st->pin, e->d_name);
		unlink_pins(path, "");
		rmdir(path);
	}
	if (d)
		closedir(d);
}

static int resync_routes(struct vnet_state *st)
{
	char path[PATH_MAX];

	for (__u32 id = 1; id < VNET_MAX; id++) {
		int err;

		if ((st->reg[id].flags & (VNET_REG_USED | VNET_REG_RTDIRTY)) !=
		    (VNET_REG_USED | VNET_REG_RTDIRTY))
			continue;
		snprintf(path, sizeof(path), "%s/v%u", st->pin, id);
		unlink_pins(path, "_new");
		err = fib4_algo->resync(st, id);
		if (err)
			return err;
		st->reg[id].flags &= ~VNET_REG_RTDIRTY;
	}
	return 0;
}

int state_recover(struct vnet_state *st)
{
	bool shared = st->shared;
	int err;

	if (!needs_recovery(st))
		return 0;
	if (shared && flock(st->dirfd, LOCK_EX))
		return vnet_fail(st, errno, "cannot lock %s: %s", st->pin, strerror(errno));
	st->shared = false;	/* the repairs are changes */
	forget_gone_ifaces(st);
	remove_stale_dirs(st);
	err = resync_routes(st);
	st->shared = shared;
	if (shared && flock(st->dirfd, LOCK_SH) && !err)
		err = vnet_fail(st, errno, "cannot lock %s: %s", st->pin, strerror(errno));
	return err;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * adopt.c - a dataplane whose pins are gone, taken back.
 *
 * If the bpffs holding a pin directory is unmounted (or the directory
 * removed) while the program runs, traffic goes on: the program holds
 * every global map (state_bind_maps), and the outer maps hold the tables
 * of every vnet with an interface. But vnetctl would see an empty
 * directory, build a fresh state beside the running one and report
 * success for edits that change nothing. So:
 *
 *  - a fresh state is refused while an interface runs such an orphan
 *    (vnet_open, below): its program's interface table is pinned nowhere;
 *  - `vnetctl adopt IF` pins the orphan's maps again, by name: the global
 *    and outer maps from the program, each vnet's tables from the outer
 *    maps' slots. A vnet without an interface had no slots: its tables
 *    were freed with the pins, and it is made again, empty, with its ID,
 *    name, FIBs and limits (said on stderr).
 */
#include <errno.h>
#include <ftw.h>
#include <mntent.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include "adopt.h"
#include "link/link.h"

#define PROG_MAPS_MAX	128

/* The IDs of the maps a program holds (bound ones included). */
static __u32 prog_maps(int fd, __u32 *ids)
{
	struct bpf_prog_info pi = {};
	__u32 len = sizeof(pi), n;

	if (bpf_obj_get_info_by_fd(fd, &pi, &len))
		return 0;
	n = pi.nr_map_ids < PROG_MAPS_MAX ? pi.nr_map_ids : PROG_MAPS_MAX;
	memset(&pi, 0, sizeof(pi));
	pi.nr_map_ids = n;
	pi.map_ids = (__u64)(unsigned long)ids;
	len = sizeof(pi);
	return bpf_obj_get_info_by_fd(fd, &pi, &len) ? 0 : n;
}

/* Among ids, the map called name (a kernel name: at most 15 characters). */
static __u32 map_named(const __u32 *ids, __u32 n, const char *name)
{
	for (__u32 i = 0; i < n; i++) {
		struct bpf_map_info mi = {};
		__u32 len = sizeof(mi);
		int fd = bpf_map_get_fd_by_id(ids[i]);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &mi, &len) && !strcmp(mi.name, name)) {
			close(fd);
			return ids[i];
		}
		close(fd);
	}
	return 0;
}

/* ---- is a map pinned anywhere? every bpffs mount, walked ---- */

static __u32 walk_want;
static char walk_found[PATH_MAX];

/* A pinned object's map ID, from its fdinfo (0 for programs and links). */
static __u32 pin_map_id(const char *path)
{
	char fdinfo[64], line[128];
	__u32 id = 0;
	int fd = bpf_obj_get(path);
	FILE *f;

	if (fd < 0)
		return 0;
	snprintf(fdinfo, sizeof(fdinfo), "/proc/self/fdinfo/%d", fd);
	f = fopen(fdinfo, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "map_id: %u", &id) == 1)
			break;
	if (f)
		fclose(f);
	close(fd);
	return id;
}

static int walk_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	if (type != FTW_F || pin_map_id(path) != walk_want)
		return 0;
	snprintf(walk_found, sizeof(walk_found), "%s", path);
	return 1;
}

/* Where map id is pinned, on any bpffs; false if nowhere. */
static bool pinned_at(__u32 id, char *where, size_t len)
{
	struct mntent *m;
	bool found = false;
	FILE *f = setmntent("/proc/self/mounts", "r");

	walk_want = id;
	while (f && !found && (m = getmntent(f)))
		if (!strcmp(m->mnt_type, "bpf"))
			found = nftw(m->mnt_dir, walk_one, 16, FTW_PHYS | FTW_MOUNT) == 1;
	if (f)
		endmntent(f);
	if (found)
		snprintf(where, len, "%s", walk_found);
	return found;
}

/* The dataplane on ifindex whose interface table is pinned nowhere: its
 * program's fd, or -1. */
static int orphan_on(__u32 ifindex)
{
	int fds[4], n = xdp_vnet_progs(ifindex, fds, 4), orphan = -1;
	__u32 ids[PROG_MAPS_MAX];
	char where[PATH_MAX];

	for (int i = 0; i < n; i++) {
		__u32 ifaces = map_named(ids, prog_maps(fds[i], ids), "vnet_ifaces");

		if (orphan < 0 && ifaces && !pinned_at(ifaces, where, sizeof(where)))
			orphan = fds[i];
		else
			close(fds[i]);
	}
	return orphan;
}

int vnet_orphans(char *names, size_t len)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	size_t used = 0;
	int n = 0;

	names[0] = '\0';
	for (i = ifs; i && i->if_index; i++) {
		int fd = orphan_on(i->if_index);

		if (fd < 0)
			continue;
		close(fd);
		used += snprintf(names + used, used < len ? len - used : 0, "%s%s",
				 n++ ? ", " : "", i->if_name);
	}
	if (ifs)
		if_freenameindex(ifs);
	return n;
}

/* ---- adopt ---- */

/* Pin the program's global and outer maps in pin, by name. */
static int pin_globals(const char *pin, const __u32 *ids, __u32 n, char *err, size_t errlen)
{
	char path[PATH_MAX];

	for (__u32 i = 0; i < n; i++) {
		struct bpf_map_info mi = {};
		__u32 len = sizeof(mi);
		int fd = bpf_map_get_fd_by_id(ids[i]), rc = 0;

		if (fd < 0)
			continue;
		/* the object's own (.rodata, .bss) are not the state's */
		if (!bpf_obj_get_info_by_fd(fd, &mi, &len) && !strncmp(mi.name, "vnet_", 5) &&
		    !strchr(mi.name, '.')) {
			snprintf(path, sizeof(path), "%s/%s", pin, mi.name);
			rc = bpf_obj_pin(fd, path);
			if (rc)
				snprintf(err, errlen, "cannot pin %s: %s", path, strerror(errno));
		}
		close(fd);
		if (rc)
			return -errno;
	}
	return 0;
}

/* A live vnet's tables, from the outer maps' slots, pinned where the
 * loader keeps them. */
static int pin_vnet(struct vnet_state *st, __u32 id)
{
	char path[PATH_MAX];

	vnet_dir(st, id, path, sizeof(path));
	if (mkdir(path, 0700) && errno != EEXIST)
		return vnet_fail(st, errno, "cannot create %s: %s", path, strerror(errno));
	for (int k = 0; k < KIND_COUNT; k++)
		for (__u32 fib = 0; fib < VNET_MAX_FIBS; fib++) {
			__u32 slot = kind_slot(k, id, fib), inner = 0;
			int fd, rc;

			if (vnet_kinds[k].scope == SCOPE_VNET && fib)
				break;
			if (!(st->reg[id].fibs & (1u << fib)) ||
			    bpf_map_lookup_elem(st->outer_fd[k], &slot, &inner) || !inner)
				continue;
			fd = bpf_map_get_fd_by_id(inner);
			if (fd < 0)
				continue;
			inst_path(st, k, id, fib, path, sizeof(path));
			rc = bpf_obj_pin(fd, path);
			close(fd);
			if (rc)
				return vnet_fail(st, errno, "cannot pin %s: %s", path,
						 strerror(errno));
		}
	return 0;
}

/* A vnet that had no interface: made again, empty, as it was declared. */
static int remake_vnet(struct vnet_state *st, __u32 id)
{
	struct vnet_reg r = st->reg[id];
	struct vnet_fw fw = {};
	struct vnet_create_opts o = { .id = id, .name = r.name, .max_routes = r.max_routes,
				      .max_neigh = r.max_neigh };
	__u32 top = 0, got;
	int err;

	bpf_map_lookup_elem(st->fw_fd, &id, &fw);
	o.max_rules = fw.max_rules;
	o.max_states = fw.max_states;
	for (__u32 f = 0; f < VNET_MAX_FIBS; f++)
		if (r.fibs & (1u << f))
			top = f + 1;
	o.fibs = top;
	err = vnet_destroy(st, id);
	if (!err)
		err = vnet_create(st, &o, &got);
	for (__u32 f = 1; !err && f < top; f++)
		if (!(r.fibs & (1u << f)))
			err = vnet_fib_del(st, id, f);
	if (!err)
		fprintf(stderr, "vnetctl: vnet %u (%s) had no interface: its tables were "
			"freed with the pins; it is back, empty\n", id, r.name);
	return err;
}

struct vnet_state *vnet_adopt(const char *pin, const char *ifname, char *err, size_t errlen)
{
	__u32 ids[PROG_MAPS_MAX], n = 0, ifindex = if_nametoindex(ifname);
	__u32 remake[VNET_MAX], nremake = 0;
	char path[PATH_MAX], where[PATH_MAX];
	struct vnet_state *st;
	bool upgraded;
	int prog = -1, rc = 0;

	if (!pin || !*pin)
		pin = VNET_DEFAULT_PIN_DIR;
	snprintf(path, sizeof(path), "%s/vnet_reg", pin);
	if (!ifindex) {
		snprintf(err, errlen, "no interface named '%s'", ifname);
		return NULL;
	}
	if (!access(path, F_OK)) {
		snprintf(err, errlen, "%s holds a dataplane state already: adopt into an "
			 "empty pin directory (-p DIR)", pin);
		return NULL;
	}
	prog = orphan_on(ifindex);
	if (prog < 0) {
		int fds[4], k = xdp_vnet_progs(ifindex, fds, 4);
		__u32 ifaces = k ? map_named(ids, prog_maps(fds[0], ids), "vnet_ifaces") : 0;

		for (int i = 0; i < k; i++)
			close(fds[i]);
		if (ifaces && pinned_at(ifaces, where, sizeof(where)))
			snprintf(err, errlen, "%s runs a dataplane that is pinned (%s): "
				 "nothing to adopt", ifname, where);
		else
			snprintf(err, errlen, "%s runs no vnet dataplane", ifname);
		return NULL;
	}
	n = prog_maps(prog, ids);
	close(prog);
	if (!map_named(ids, n, "vnet_reg")) {
		snprintf(err, errlen, "the dataplane on %s does not hold its registry (loaded "
			 "by xdp-loader or an older vnetctl): it cannot be adopted; "
			 "`ip link set dev %s xdp off` removes it", ifname, ifname);
		return NULL;
	}
	rc = mkdir_p(pin);
	if (!rc)
		rc = pin_globals(pin, ids, n, err, errlen);
	else
		snprintf(err, errlen, "cannot create %s: %s", pin, strerror(-rc));
	if (rc)
		return NULL;
	/* the core's view first: no hook may run on tables not yet pinned */
	st = state_open(pin, 0, &upgraded, err, errlen);
	if (!st)
		return NULL;
	for (__u32 id = 1; id < VNET_MAX && !rc; id++) {
		if (!(st->reg[id].flags & VNET_REG_USED))
			continue;
		if (st->reg[id].flags & VNET_REG_LIVE)
			rc = pin_vnet(st, id);
		else
			remake[nremake++] = id;
	}
	if (rc)
		snprintf(err, errlen, "%s", vnet_errmsg(st));
	state_close(st);
	if (rc)
		return NULL;
	st = vnet_open(pin, 0, err, errlen);
	for (__u32 i = 0; st && i < nremake; i++)
		if (remake_vnet(st, remake[i])) {
			snprintf(err, errlen, "%s", vnet_errmsg(st));
			vnet_close(st);
			return NULL;
		}
	return st;
}

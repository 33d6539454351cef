/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * iface.c - interfaces: attaching the XDP program (through libxdp, so that
 * other XDP programs can share the NIC and `xdp-loader status` shows it),
 * registering them, and moving them between vnets (ifconfig IF vnet N).
 *
 * An interface that moves out of a vnet leaves its addresses, the routes
 * through it and its neighbors behind, and they are removed, as FreeBSD's
 * if_vmove detaches an interface's addresses.
 */
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <linux/if_link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include "link.h"
#include "vnet.skel.h"

#define VNET_PROG_NAME "vnet_xdp"

const char *ifname_of(__u32 ifindex, char *buf)
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", ifindex);
	return buf;
}

/* ifindex from a name; "if<N>" names an interface that is gone. */
static int ifindex_of(struct vnet_state *st, const char *ifname, __u32 *ifindex)
{
	unsigned idx = if_nametoindex(ifname);

	if (!idx && sscanf(ifname, "if%u", &idx) != 1)
		return vnet_fail(st, ENODEV, "no interface named '%s'", ifname);
	*ifindex = idx;
	return 0;
}

/* The record of a registered interface; -ENOENT otherwise. */
int iface_get(struct vnet_state *st, __u32 ifindex, struct vnet_iface *rec)
{
	if (ifindex >= VNET_MAX_IFINDEX ||
	    !(st->ifaces[ifindex].flags & VNET_IF_F_REGISTERED))
		return -ENOENT;
	*rec = st->ifaces[ifindex];
	return 0;
}

int iface_put(struct vnet_state *st, __u32 ifindex, const struct vnet_iface *rec)
{
	st->epoch++;
	return bpf_map_update_elem(st->ifaces_fd, &ifindex, rec, 0) ? -errno : 0;
}

/* Add flags to a registered interface's record; the record is returned. */
int iface_set_flags(struct vnet_state *st, const char *ifname, __u16 flags,
		    __u32 *ifindex, struct vnet_iface *rec)
{
	int err = iface_lookup(st, ifname, ifindex, rec);

	if (err)
		return err;
	rec->flags |= flags;
	err = iface_put(st, *ifindex, rec);
	return err ? vnet_fail(st, err, "cannot update %s: %s", ifname, strerror(-err)) : 0;
}

int iface_lookup(struct vnet_state *st, const char *ifname, __u32 *ifindex,
		 struct vnet_iface *rec)
{
	int err = ifindex_of(st, ifname, ifindex);

	if (err)
		return err;
	if (iface_get(st, *ifindex, rec))
		return vnet_fail(st, ENOENT, "%s is not attached to the dataplane "
				 "(vnetctl attach %s)", ifname, ifname);
	return 0;
}

int iface_in_vnet(struct vnet_state *st, const char *ifname, __u32 id,
		  __u32 *ifindex, struct vnet_iface *rec)
{
	int err = iface_lookup(st, ifname, ifindex, rec);

	if (err)
		return err;
	if (rec->vnet != id)
		return vnet_fail(st, EXDEV, "%s is in vnet %u, not in vnet %u",
				 ifname, rec->vnet, id);
	return 0;
}

int vnet_iface_get(struct vnet_state *st, const char *ifname, __u32 *ifindex,
		   struct vnet_iface *rec)
{
	return iface_lookup(st, ifname, ifindex, rec);
}

/* MAC and MTU as the kernel has them now. */
static int read_link(struct vnet_state *st, const char *ifname, struct vnet_iface *rec)
{
	struct ifreq ifr = {};
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (s < 0)
		return vnet_fail(st, errno, "socket: %s", strerror(errno));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(s, SIOCGIFHWADDR, &ifr))
		err = vnet_fail(st, errno, "%s: cannot read its MAC: %s", ifname,
				strerror(errno));
	else if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		err = vnet_fail(st, EINVAL, "%s is not an Ethernet interface", ifname);
	else
		memcpy(rec->mac, ifr.ifr_hwaddr.sa_data, 6);
	if (!err && ioctl(s, SIOCGIFMTU, &ifr))
		err = vnet_fail(st, errno, "%s: cannot read its MTU: %s", ifname,
				strerror(errno));
	else if (!err)
		rec->mtu = ifr.ifr_mtu;
	close(s);
	return err;
}

/* Does the program (fd) use this pin directory's maps? Another pin
 * directory's dataplane runs a program of the same name on its own maps. */
static bool prog_uses_our_maps(struct vnet_state *st, int fd)
{
	struct bpf_map_info mi = {};
	struct bpf_prog_info pi = {};
	__u32 len = sizeof(mi), ids[64];
	bool ours = false;

	if (bpf_obj_get_info_by_fd(st->ifaces_fd, &mi, &len))
		return false;
	len = sizeof(pi);
	if (bpf_obj_get_info_by_fd(fd, &pi, &len))
		return false;
	if (pi.nr_map_ids > sizeof(ids) / sizeof(ids[0]))
		pi.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	{
		struct bpf_prog_info q = { .nr_map_ids = pi.nr_map_ids,
					   .map_ids = (__u64)(unsigned long)ids };

		len = sizeof(q);
		if (bpf_obj_get_info_by_fd(fd, &q, &len))
			return false;
		for (__u32 i = 0; i < q.nr_map_ids && i < pi.nr_map_ids && !ours; i++)
			ours = ids[i] == mi.id;
	}
	return ours;
}

/*
 * The dataplane's program on the interface, if libxdp (or xdp-loader) put
 * it there: ours (on this pin directory's maps), or *foreign when one of
 * another pin directory's is there instead.
 */
static struct xdp_program *find_prog(struct vnet_state *st, struct xdp_multiprog *mp,
				     bool *foreign)
{
	struct xdp_program *p;

	*foreign = false;
	if (!mp || libxdp_get_error(mp))
		return NULL;
	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		if (!p || strcmp(xdp_program__name(p), VNET_PROG_NAME))
			return NULL;
		if (prog_uses_our_maps(st, xdp_program__fd(p)))
			return p;
		*foreign = true;
		return NULL;
	}
	for (p = xdp_multiprog__next_prog(NULL, mp); p;
	     p = xdp_multiprog__next_prog(p, mp)) {
		if (strcmp(xdp_program__name(p), VNET_PROG_NAME))
			continue;
		if (prog_uses_our_maps(st, xdp_program__fd(p)))
			return p;
		*foreign = true;
	}
	return NULL;
}

/* The dataplane's programs on an interface, whoever's maps they use:
 * their fds, duplicated (the caller closes them). */
int xdp_vnet_progs(__u32 ifindex, int *fds, int max)
{
	struct xdp_multiprog *mp;
	struct xdp_program *p;
	__u32 id = 0;
	int n = 0;

	/* one netlink query for the many interfaces without XDP */
	if (bpf_xdp_query_id(ifindex, 0, &id) || !id)
		return 0;
	mp = xdp_multiprog__get_from_ifindex(ifindex);
	if (!mp || libxdp_get_error(mp))
		return 0;
	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		if (p && !strcmp(xdp_program__name(p), VNET_PROG_NAME) && n < max)
			fds[n++] = dup(xdp_program__fd(p));
	} else {
		for (p = xdp_multiprog__next_prog(NULL, mp); p;
		     p = xdp_multiprog__next_prog(p, mp))
			if (!strcmp(xdp_program__name(p), VNET_PROG_NAME) && n < max)
				fds[n++] = dup(xdp_program__fd(p));
	}
	xdp_multiprog__close(mp);
	return n;
}

enum prog_on { PROG_NONE, PROG_OURS, PROG_FOREIGN };

static int foreign_prog(struct vnet_state *st, const char *ifname)
{
	return vnet_fail(st, EBUSY, "%s runs the dataplane of another pin directory (its "
			 "maps are not in %s): detach it there first", ifname, st->pin);
}

static enum prog_on prog_attached(struct vnet_state *st, __u32 ifindex)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	bool foreign;
	enum prog_on on = find_prog(st, mp, &foreign) ? PROG_OURS :
			  foreign ? PROG_FOREIGN : PROG_NONE;

	if (mp && !libxdp_get_error(mp))
		xdp_multiprog__close(mp);
	return on;
}

static int attach_prog(struct vnet_state *st, const char *ifname, __u32 ifindex,
		       enum vnet_xdp_mode mode)
{
	LIBBPF_OPTS(bpf_object_open_opts, oopts, .pin_root_path = st->pin);
	DECLARE_LIBXDP_OPTS(xdp_program_opts, popts, .prog_name = VNET_PROG_NAME);
	struct xdp_program *prog;
	struct vnet_bpf *skel;
	char msg[128];
	int err;

	skel = vnet_bpf__open_opts(&oopts);
	if (!skel)
		return vnet_fail(st, errno, "cannot open the BPF object: %s",
				 strerror(errno));
	popts.obj = skel->obj;
	prog = xdp_program__create(&popts);
	err = libxdp_get_error(prog);
	if (!err)
		err = xdp_program__attach(prog, ifindex, mode == VNET_MODE_SKB ?
					  XDP_MODE_SKB : XDP_MODE_NATIVE, 0);
	if (err) {
		libxdp_strerror(err, msg, sizeof(msg));
		err = vnet_fail(st, err, "couldn't attach XDP program on %s: %s",
				ifname, msg);
	} else if (state_bind_maps(st, xdp_program__fd(prog))) {
		/* attached and working: only `vnetctl adopt` after a lost
		 * bpffs would miss what could not be bound */
		fprintf(stderr, "vnetctl: warning: %s\n", vnet_errmsg(st));
	}
	if (!libxdp_get_error(prog))
		xdp_program__close(prog);
	vnet_bpf__destroy(skel);
	return err;
}

static int detach_prog(struct vnet_state *st, const char *ifname, __u32 ifindex)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	bool foreign;
	struct xdp_program *p = find_prog(st, mp, &foreign);
	char msg[128];
	int err = 0;

	if (p) {
		if (xdp_multiprog__is_legacy(mp))
			err = xdp_multiprog__detach(mp);
		else
			err = xdp_program__detach(p, ifindex,
						  xdp_multiprog__attach_mode(mp), 0);
		if (err) {
			libxdp_strerror(err, msg, sizeof(msg));
			err = vnet_fail(st, err, "couldn't detach XDP program from %s: %s",
					ifname, msg);
		}
	}
	if (mp && !libxdp_get_error(mp))
		xdp_multiprog__close(mp);
	return err;
}

/*
 * Upgrade in place: load this build's program (its maps are the pinned
 * ones, so every vnet keeps its state) and swap it in. Alone on the
 * interface, the swap is atomic (XDP_FLAGS_REPLACE against the old
 * program); under a libxdp dispatcher, the new program is added before
 * the old one is removed, so no frame meets an interface without it.
 */
static int reload_one(struct vnet_state *st, __u32 ifindex)
{
	LIBBPF_OPTS(bpf_object_open_opts, oopts, .pin_root_path = st->pin);
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	bool foreign;
	struct xdp_program *old = find_prog(st, mp, &foreign);
	enum xdp_attach_mode mode;
	struct vnet_bpf *skel = NULL;
	char name[IF_NAMESIZE];
	int err = 0;

	ifname_of(ifindex, name);
	if (!old && foreign) {
		err = foreign_prog(st, name);
		goto out;
	}
	if (!old) {	/* removed behind our back: this build's goes back on */
		struct vnet_iface rec;

		err = attach_prog(st, name, ifindex, VNET_MODE_NATIVE);
		if (!err && iface_get(st, ifindex, &rec) == 0) {
			rec.flags |= VNET_IF_F_XDP_OWNED;
			iface_put(st, ifindex, &rec);
		}
		goto out;
	}
	mode = xdp_multiprog__attach_mode(mp);
	if (xdp_multiprog__is_legacy(mp)) {
		LIBBPF_OPTS(bpf_xdp_attach_opts, ao, .old_prog_fd = xdp_program__fd(old));
		__u32 flags = XDP_FLAGS_REPLACE | (mode == XDP_MODE_SKB ? XDP_FLAGS_SKB_MODE
									 : XDP_FLAGS_DRV_MODE);

		skel = vnet_bpf__open_opts(&oopts);
		if (!skel || vnet_bpf__load(skel)) {
			err = vnet_fail(st, errno ? errno : EINVAL,
					"cannot load the new program: %s", strerror(errno));
			goto out;
		}
		err = state_bind_maps(st, bpf_program__fd(skel->progs.vnet_xdp));
		if (!err && bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.vnet_xdp),
					   flags, &ao))
			err = vnet_fail(st, errno, "couldn't replace XDP program on %s: %s",
					name, strerror(errno));
	} else {
		err = attach_prog(st, name, ifindex, mode == XDP_MODE_SKB ? VNET_MODE_SKB
									   : VNET_MODE_NATIVE);
		if (!err && xdp_program__detach(old, ifindex, mode, 0))
			err = vnet_fail(st, EINVAL, "%s: new program attached, old one "
					"not removed", name);
	}
out:
	if (skel)
		vnet_bpf__destroy(skel);
	if (mp && !libxdp_get_error(mp))
		xdp_multiprog__close(mp);
	return err;
}

int vnet_reload(struct vnet_state *st, const char *ifname, unsigned *n)
{
	struct vnet_iface rec;
	__u32 ifindex;
	int err;

	if (state_writable(st))
		return -EPERM;
	*n = 0;
	if (ifname) {
		err = iface_lookup(st, ifname, &ifindex, &rec);
		if (!err)
			err = reload_one(st, ifindex);
		*n = !err;
		return err;
	}
	for (ifindex = 1; ifindex < VNET_MAX_IFINDEX; ifindex++) {
		if (iface_get(st, ifindex, &rec))
			continue;
		err = reload_one(st, ifindex);
		if (err)
			return err;
		(*n)++;
	}
	return 0;
}

/*
 * attach of a registered interface: its program back where it was removed
 * behind our back (ip link set dev X xdp off, xdp-loader unload), its
 * record (vnet, FIB, addresses, routes) kept as it is.
 */
static int reattach(struct vnet_state *st, const char *ifname, __u32 ifindex,
		    struct vnet_iface *rec, enum vnet_xdp_mode mode)
{
	enum prog_on on = prog_attached(st, ifindex);
	int err;

	if (on == PROG_OURS)
		return vnet_fail(st, EEXIST, "%s is already attached (vnet %u)", ifname,
				 rec->vnet);
	if (on == PROG_FOREIGN)
		return foreign_prog(st, ifname);
	err = attach_prog(st, ifname, ifindex, mode);
	if (err)
		return err;
	rec->flags |= VNET_IF_F_XDP_OWNED;
	err = iface_put(st, ifindex, rec);
	return err ? vnet_fail(st, err, "cannot update %s: %s", ifname, strerror(-err)) : 0;
}

int vnet_attach(struct vnet_state *st, const char *ifname, enum vnet_xdp_mode mode)
{
	struct vnet_iface rec = {};
	__u32 ifindex;
	unsigned idx = if_nametoindex(ifname);
	enum prog_on on;
	int err;

	if (state_writable(st))
		return -EPERM;
	if (!idx)
		return vnet_fail(st, ENODEV, "no interface named '%s'", ifname);
	ifindex = idx;
	if (ifindex >= VNET_MAX_IFINDEX)
		return vnet_fail(st, ERANGE, "%s has ifindex %u, beyond the dataplane's "
				 "limit of %u", ifname, ifindex, VNET_MAX_IFINDEX - 1);
	if (iface_get(st, ifindex, &rec) == 0)
		return reattach(st, ifname, ifindex, &rec, mode);
	memset(&rec, 0, sizeof(rec));
	rec.flags = VNET_IF_F_REGISTERED;
	err = read_link(st, ifname, &rec);
	if (err)
		return err;
	/* Loaded by xdp-loader already: only register it. Another pin
	 * directory's: not ours to use (its maps are not these). */
	on = prog_attached(st, ifindex);
	if (on == PROG_FOREIGN)
		return foreign_prog(st, ifname);
	if (on == PROG_NONE) {
		err = attach_prog(st, ifname, ifindex, mode);
		if (err)
			return err;
		rec.flags |= VNET_IF_F_XDP_OWNED;
	}
	if (bpf_map_update_elem(st->devmap_fd, &ifindex, &ifindex, 0) ||
	    iface_put(st, ifindex, &rec)) {
		err = vnet_fail(st, errno, "cannot register %s: %s", ifname,
				strerror(errno));
		bpf_map_delete_elem(st->devmap_fd, &ifindex);
		if (rec.flags & VNET_IF_F_XDP_OWNED)
			detach_prog(st, ifname, ifindex);
	}
	return err;
}

int vnet_detach(struct vnet_state *st, const char *ifname)
{
	struct vnet_iface rec;
	__u32 ifindex;
	int err = iface_lookup(st, ifname, &ifindex, &rec);

	if (state_writable(st))
		return -EPERM;
	if (err)
		return err;
	if (if_nametoindex(ifname)) {
		err = detach_prog(st, ifname, ifindex);
		if (err)
			return err;
	}
	iface_put(st, ifindex, &(struct vnet_iface){});
	bpf_map_delete_elem(st->devmap_fd, &ifindex);
	if (rec.vnet)
		sys_iface_leave(st, rec.vnet, ifindex, false);
	return 0;
}

/* Where an interface may go: an existing FIB of a vnet, or the host. */
static int link_target_check(struct vnet_state *st, __u32 id, int fib)
{
	if (id != 0)
		return vnet_check_fib(st, id, fib);
	if (fib != 0)
		return vnet_fail(st, EINVAL, "vnet 0 is the host: it has no dataplane FIBs");
	return 0;
}

int vnet_link_set(struct vnet_state *st, const char *ifname, __u32 id, int fib)
{
	struct vnet_iface rec, now;
	__u32 ifindex, old;
	int err = iface_lookup(st, ifname, &ifindex, &rec);

	if (state_writable(st))
		return -EPERM;
	if (err)
		return err;
	if (fib < 0)
		fib = rec.vnet == id ? (int)rec.fib : 0;
	err = link_target_check(st, id, fib);
	if (err)
		return err;
	if (if_nametoindex(ifname)) {
		err = read_link(st, ifname, &rec);	/* refresh MAC, MTU */
		if (err)
			return err;
	}
	old = rec.vnet;
	if (id != 0) {
		err = vnet_make_live(st, id);
		if (err)
			return err;
	}
	now = rec;
	now.vnet = id;
	now.fib = fib;
	if (old != id)
		now.addr4 = 0;
	err = iface_put(st, ifindex, &now);
	if (err)
		return vnet_fail(st, err, "cannot update %s: %s", ifname, strerror(-err));
	if (old != id && old != 0)
		sys_iface_leave(st, old, ifindex, false);
	return 0;
}

int vnet_link_mtu(struct vnet_state *st, const char *ifname, __u32 mtu)
{
	struct ifreq ifr = {};
	struct vnet_iface rec;
	__u32 ifindex;
	int s, err = iface_lookup(st, ifname, &ifindex, &rec);

	if (state_writable(st))
		return -EPERM;
	if (err)
		return err;
	if (mtu < 68 || mtu > 65535)
		return vnet_fail(st, ERANGE, "mtu %u out of range (68-65535)", mtu);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_mtu = mtu;
	if (s < 0 || ioctl(s, SIOCSIFMTU, &ifr))
		err = vnet_fail(st, errno, "%s: cannot set mtu %u: %s", ifname, mtu,
				strerror(errno));
	if (s >= 0)
		close(s);
	if (err)
		return err;
	rec.mtu = mtu;
	iface_put(st, ifindex, &rec);
	return 0;
}

int vnet_link_change(struct vnet_state *st, const char *ifname,
		     const struct vnet_link_change *ch)
{
	struct vnet_iface rec;
	__u32 ifindex, id, old_mtu;
	int err = iface_lookup(st, ifname, &ifindex, &rec), fib;

	if (state_writable(st))
		return -EPERM;
	if (err)
		return err;
	id = ch->vnet_set ? ch->vnet : rec.vnet;
	fib = ch->fib >= 0 ? ch->fib : (id == rec.vnet ? (int)rec.fib : 0);
	/* everything that can be refused, before anything changes */
	err = link_target_check(st, id, fib);
	if (err)
		return err;
	if (ch->mtu && (ch->mtu < 68 || ch->mtu > 65535))
		return vnet_fail(st, ERANGE, "mtu %u out of range (68-65535)", ch->mtu);
	old_mtu = rec.mtu;
	if (ch->mtu) {
		err = vnet_link_mtu(st, ifname, ch->mtu);
		if (err)
			return err;
	}
	if (ch->vnet_set || ch->fib >= 0) {
		err = vnet_link_set(st, ifname, id, fib);
		if (err && ch->mtu) {
			char msg[sizeof(st->err)];

			snprintf(msg, sizeof(msg), "%s", st->err);
			vnet_link_mtu(st, ifname, old_mtu);	/* as it was */
			snprintf(st->err, sizeof(st->err), "%s", msg);
		}
	}
	return err;
}

int vnet_link_walk(struct vnet_state *st, vnet_link_cb cb, void *arg)
{
	struct vnet_link l;
	int err;

	for (__u32 key = 1; key < VNET_MAX_IFINDEX; key++) {
		memset(&l, 0, sizeof(l));
		if (iface_get(st, key, &l.rec))
			continue;
		l.ifindex = key;
		ifname_of(key, l.ifname);
		l.xdp_attached = prog_attached(st, key) == PROG_OURS;
		err = cb(&l, arg);
		if (err)
			return err;
	}
	return 0;
}

/* A registered interface whose device is gone: the kernel takes a device
 * out of the devmap when it unregisters, whatever ifindex a new one gets. */
bool iface_gone(struct vnet_state *st, __u32 ifindex)
{
	__u32 v;

	return bpf_map_lookup_elem(st->devmap_fd, &ifindex, &v) && errno == ENOENT;
}

void iface_forget(struct vnet_state *st, __u32 ifindex)
{
	struct vnet_iface rec = st->ifaces[ifindex];

	iface_put(st, ifindex, &(struct vnet_iface){});
	if (rec.vnet)
		sys_iface_leave(st, rec.vnet, ifindex, false);
}

/* ---- this file's part in a vnet's life (SI_IFACES) ---- */

/* A vnet that goes sends its interfaces home to vnet 0, taking nothing. */
static void ifaces_vnet_uninit(struct vnet_state *st, __u32 id)
{
	struct vnet_iface rec;

	for (__u32 key = 1; key < VNET_MAX_IFINDEX; key++) {
		if (iface_get(st, key, &rec) || rec.vnet != id)
			continue;
		rec.vnet = 0;
		rec.fib = 0;
		rec.addr4 = 0;
		iface_put(st, key, &rec);
		sys_iface_leave(st, id, key, true);
	}
}

/* A FIB an interface receives into cannot go. */
static int ifaces_fib_busy(struct vnet_state *st, __u32 id, __u32 fib)
{
	struct vnet_iface rec;
	char name[IF_NAMESIZE];

	for (__u32 key = 1; key < VNET_MAX_IFINDEX; key++)
		if (iface_get(st, key, &rec) == 0 && rec.vnet == id && rec.fib == fib)
			return vnet_fail(st, EBUSY, "fib %u of vnet %u is the fib of %s "
					 "(link set %s vnet %u fib 0 first)", fib, id,
					 ifname_of(key, name), name, id);
	return 0;
}

static const struct vnet_sysinit ifaces_sysinit = {
	.name = "interfaces",
	.order = SI_IFACES,
	.vnet_uninit = ifaces_vnet_uninit,
	.fib_busy = ifaces_fib_busy,
};
VNET_SYSINIT(ifaces_sysinit);

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
#include "internal.h"
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
	route_cache_invalidate(st);
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

/* Our program on the interface, if libxdp (or xdp-loader) put it there. */
static struct xdp_program *find_prog(struct xdp_multiprog *mp)
{
	struct xdp_program *p;

	if (!mp || libxdp_get_error(mp))
		return NULL;
	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		return p && !strcmp(xdp_program__name(p), VNET_PROG_NAME) ? p : NULL;
	}
	for (p = xdp_multiprog__next_prog(NULL, mp); p;
	     p = xdp_multiprog__next_prog(p, mp))
		if (!strcmp(xdp_program__name(p), VNET_PROG_NAME))
			return p;
	return NULL;
}

static bool prog_attached(__u32 ifindex)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	bool found = find_prog(mp) != NULL;

	if (mp && !libxdp_get_error(mp))
		xdp_multiprog__close(mp);
	return found;
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
	}
	if (!libxdp_get_error(prog))
		xdp_program__close(prog);
	vnet_bpf__destroy(skel);
	return err;
}

static int detach_prog(struct vnet_state *st, const char *ifname, __u32 ifindex)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *p = find_prog(mp);
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
	struct xdp_program *old = find_prog(mp);
	enum xdp_attach_mode mode;
	struct vnet_bpf *skel = NULL;
	char name[IF_NAMESIZE];
	int err = 0;

	ifname_of(ifindex, name);
	if (!old) {
		err = vnet_fail(st, ENOENT, "%s: the dataplane's program is not on it "
				"(vnetctl detach %s; vnetctl attach %s)", name, name, name);
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
		if (bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.vnet_xdp), flags, &ao))
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

int vnet_attach(struct vnet_state *st, const char *ifname, enum vnet_xdp_mode mode)
{
	struct vnet_iface rec = {};
	__u32 ifindex;
	unsigned idx = if_nametoindex(ifname);
	int err;

	if (!idx)
		return vnet_fail(st, ENODEV, "no interface named '%s'", ifname);
	ifindex = idx;
	if (ifindex >= VNET_MAX_IFINDEX)
		return vnet_fail(st, ERANGE, "%s has ifindex %u, beyond the dataplane's "
				 "limit of %u", ifname, ifindex, VNET_MAX_IFINDEX - 1);
	if (iface_get(st, ifindex, &rec) == 0)
		return vnet_fail(st, EEXIST, "%s is already attached (vnet %u)",
				 ifname, rec.vnet);
	memset(&rec, 0, sizeof(rec));
	rec.flags = VNET_IF_F_REGISTERED;
	err = read_link(st, ifname, &rec);
	if (err)
		return err;
	/* Loaded by xdp-loader already: only register it. */
	if (!prog_attached(ifindex)) {
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
		iface_leave(st, ifindex, rec.vnet, false);
	return 0;
}

/* What an interface leaves behind in the vnet it left. */
void iface_leave(struct vnet_state *st, __u32 ifindex, __u32 old, bool dying)
{
	bool batch = dxr_batch_begin(st);	/* one commit for all its routes */

	addr_purge_iface(st, old, ifindex);
	if (!dying) {	/* else its FIBs and neighbors go with it */
		route_purge_iface(st, old, ifindex);
		neigh_purge_iface(st, old, ifindex);
	}
	if (dying)
		dxr_forget(st, old, -1);
	dxr_batch_end(st, batch);
}

int vnet_link_set(struct vnet_state *st, const char *ifname, __u32 id, int fib)
{
	struct vnet_iface rec, now;
	__u32 ifindex, old;
	int err = iface_lookup(st, ifname, &ifindex, &rec);

	if (err)
		return err;
	if (fib < 0)
		fib = rec.vnet == id ? (int)rec.fib : 0;
	if (id != 0) {
		err = vnet_check_fib(st, id, fib);
		if (err)
			return err;
	} else if (fib != 0) {
		return vnet_fail(st, EINVAL, "vnet 0 is the host: it has no dataplane FIBs");
	}
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
		iface_leave(st, ifindex, old, false);
	return 0;
}

int vnet_link_mtu(struct vnet_state *st, const char *ifname, __u32 mtu)
{
	struct ifreq ifr = {};
	struct vnet_iface rec;
	__u32 ifindex;
	int s, err = iface_lookup(st, ifname, &ifindex, &rec);

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
		l.xdp_attached = prog_attached(key);
		err = cb(&l, arg);
		if (err)
			return err;
	}
	return 0;
}

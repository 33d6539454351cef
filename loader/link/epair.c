/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * epair.c - epair(4): a virtual cable between two vnets. A veth pair NAMEa /
 * NAMEb, the dataplane attached to both ends, one end in each vnet. A frame
 * one vnet forwards out of its end enters the other vnet through the other
 * end's XDP program, so two vnets reach each other only where an epair
 * joins them.
 *
 * Destroying a vnet destroys its epairs, both ends, as Linux destroys the
 * veths of a dying namespace; the other vnet loses its end and everything
 * configured on it.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "link.h"

static int check_name(struct vnet_state *st, const char *name)
{
	size_t len = strlen(name);

	if (!len || len > IF_NAMESIZE - 3)
		return vnet_fail(st, EINVAL, "epair name '%s' must be 1 to %d characters "
				 "(its ends add 'a' and 'b')", name, IF_NAMESIZE - 3);
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return vnet_fail(st, EINVAL, "epair name '%s' has '%c'", name, *p);
	return 0;
}

static void end_name(char *buf, const char *name, char end)
{
	snprintf(buf, IF_NAMESIZE, "%s%c", name, end);
}

/* The host must not talk IPv6 on an end whose frames belong to a vnet. */
static void quiet_ipv6(const char *ifname)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;	/* no IPv6 in this kernel: nothing to quiet */
	if (write(fd, "1", 1) != 1)
		fprintf(stderr, "vnetctl: warning: cannot disable IPv6 on %s\n", ifname);
	close(fd);
}

int vnet_epair_create(struct vnet_state *st, __u32 a, __u32 b, const char *name,
		      char out[16])
{
	char auto_name[IF_NAMESIZE], na[IF_NAMESIZE], nb[IF_NAMESIZE], err_msg[512];
	const __u32 vnets[2] = { a, b };
	struct vnet_iface rec;
	__u32 ifindex;
	int err;

	if (state_writable(st))
		return -EPERM;
	if (!vnet_get(st, a) || !vnet_get(st, b))
		return vnet_fail(st, ENOENT, "vnet %u does not exist", vnet_get(st, a) ? b : a);
	if (a == b)
		return vnet_fail(st, EINVAL, "an epair joins two different vnets "
				 "(both ends in vnet %u)", a);
	if (!name) {
		for (unsigned n = 0;; n++) {
			snprintf(auto_name, sizeof(auto_name), "epair%u", n);
			end_name(na, auto_name, 'a');
			end_name(nb, auto_name, 'b');
			if (!if_nametoindex(na) && !if_nametoindex(nb))
				break;
		}
		name = auto_name;
	}
	err = check_name(st, name);
	if (err)
		return err;
	end_name(na, name, 'a');
	end_name(nb, name, 'b');
	err = nl_veth_create(na, nb);
	if (err)
		return vnet_fail(st, err, err == -EEXIST ? "interface %s or %s already exists" :
				 "cannot create veth pair %s/%s: %s", na, nb, strerror(-err));
	for (int i = 0; i < 2 && !err; i++) {
		const char *end = i ? nb : na;

		if (vnets[i])
			quiet_ipv6(end);
		err = nl_link_up(end);
		if (err)
			err = vnet_fail(st, err, "cannot bring %s up: %s", end, strerror(-err));
		if (!err)
			err = vnet_attach(st, end, VNET_MODE_NATIVE);
		if (!err)
			err = iface_set_flags(st, end, VNET_IF_F_EPAIR, &ifindex, &rec);
		if (!err)
			err = vnet_link_set(st, end, vnets[i], 0);
	}
	if (err) {	/* undo: records first, then the cable */
		snprintf(err_msg, sizeof(err_msg), "%s", st->err);
		vnet_detach(st, na);
		vnet_detach(st, nb);
		nl_link_del(na);
		snprintf(st->err, sizeof(st->err), "%s", err_msg);
		return err;
	}
	snprintf(out, IF_NAMESIZE, "%s", name);
	return 0;
}

int vnet_epair_destroy(struct vnet_state *st, const char *name)
{
	char na[IF_NAMESIZE], nb[IF_NAMESIZE];
	struct vnet_iface ra, rb;
	__u32 ia, ib;

	if (state_writable(st))
		return -EPERM;
	end_name(na, name, 'a');
	end_name(nb, name, 'b');
	if (iface_lookup(st, na, &ia, &ra) || !(ra.flags & VNET_IF_F_EPAIR) ||
	    iface_lookup(st, nb, &ib, &rb) || !(rb.flags & VNET_IF_F_EPAIR))
		return vnet_fail(st, ENOENT, "no epair named '%s'", name);
	vnet_detach(st, na);
	vnet_detach(st, nb);
	nl_link_del(na);	/* takes the other end with it */
	return 0;
}

/* One end of an epair is in a dying vnet: the whole epair goes. */
static void epair_destroy_end(struct vnet_state *st, __u32 ifindex)
{
	char end[IF_NAMESIZE], name[IF_NAMESIZE];
	size_t len;

	if (!if_indextoname(ifindex, end))
		return;
	len = strlen(end);
	if (len < 2 || (end[len - 1] != 'a' && end[len - 1] != 'b'))
		return;
	snprintf(name, sizeof(name), "%.*s", (int)(len - 1), end);
	vnet_epair_destroy(st, name);
}

/* ---- this file's part in a vnet's life (SI_EPAIRS) ---- */

/* A vnet that goes takes its epairs, both ends, as Linux destroys the
 * veths of a dying namespace. */
static void epairs_vnet_uninit(struct vnet_state *st, __u32 id)
{
	struct vnet_iface rec;

	for (__u32 key = 1; key < VNET_MAX_IFINDEX; key++)
		if (iface_get(st, key, &rec) == 0 && rec.vnet == id &&
		    (rec.flags & VNET_IF_F_EPAIR))
			epair_destroy_end(st, key);
}

static const struct vnet_sysinit epairs_sysinit = {
	.name = "epairs",
	.order = SI_EPAIRS,
	.vnet_uninit = epairs_vnet_uninit,
};
VNET_SYSINIT(epairs_sysinit);

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * neigh.c - the vnet's neighbor tables (arp -s/-d/-a, ndp -s/-d/-a): one
 * for ARP, one for NDP, each shared by the vnet's FIBs. The datapath fills
 * them by itself; entries added here are static (permanent) and the
 * datapath never learns over them. Next hops still being resolved live in
 * the vnet's pending table (both families) and are listed as incomplete.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "net.h"

/* The family's table of vnet id, for an entry on ifname (in that vnet). */
static int nbr_target(struct vnet_state *st, __u32 id, const struct vnet_ip *addr,
		      const char *ifname, struct ikey *key)
{
	const struct vnet_fam *f = fam_of(st, addr->family);
	struct vnet_iface rec;
	int err = vnet_check(st, id);

	if (!err && !f)
		err = -EAFNOSUPPORT;
	memset(key, 0, sizeof(*key));
	if (!err)
		err = iface_in_vnet(st, ifname, id, &key->ifindex, &rec);
	if (err)
		return err;
	ip_put(addr, key->addr);
	if (addr->family == 6 && !inet6_used(st, id))
		return -ENOENT;
	return inst_fd(st, f->nbr, id, 0);
}

int vnet_neigh_add(struct vnet_state *st, __u32 id, const struct vnet_ip *addr,
		   const __u8 mac[6], const char *ifname)
{
	struct nbr_entry e = { .state = VNET_NUD_STATIC };
	char a[VNET_IP_STRLEN];
	struct ikey key;
	int fd = nbr_target(st, id, addr, ifname, &key);

	if (state_writable(st))
		return -EPERM;
	if (fd < 0 && fd != -ENOENT)
		return fd;
	if (mac[0] & 1)
		return vnet_fail(st, EINVAL, "lladdr must be a unicast MAC");
	if (ip_is_zero(addr) || (addr->family == 6 && addr->v6[0] == 0xff))
		return vnet_fail(st, EINVAL, "%s cannot be a neighbor", vnet_ip_str(addr, a));
	if (fd == -ENOENT) {	/* the vnet's first IPv6 use */
		fd = inet6_ensure(st, id);
		if (!fd)
			fd = nbr_target(st, id, addr, ifname, &key);
		if (fd < 0)
			return fd;
	}
	memcpy(e.mac, mac, 6);
	e.confirmed_ns = vnet_clock_ns();
	if (bpf_map_update_elem(fd, &key, &e, BPF_ANY)) {
		if (errno == E2BIG || errno == ENOSPC)
			return vnet_fail(st, ENOSPC, "neighbor table of vnet %u is full "
					 "(limit %u)", id, st->reg[id].max_neigh);
		return vnet_fail(st, errno, "cannot add neighbor %s to vnet %u: %s",
				 vnet_ip_str(addr, a), id, strerror(errno));
	}
	return 0;
}

int vnet_neigh_del(struct vnet_state *st, __u32 id, const struct vnet_ip *addr,
		   const char *ifname)
{
	char a[VNET_IP_STRLEN];
	struct ikey key;
	int fd = nbr_target(st, id, addr, ifname, &key);

	if (state_writable(st))
		return -EPERM;
	if (fd < 0 && fd != -ENOENT)
		return fd;
	if (fd < 0 || bpf_map_delete_elem(fd, &key))
		return vnet_fail(st, ENOENT, "no neighbor %s on %s in vnet %u",
				 vnet_ip_str(addr, a), ifname, id);
	return 0;
}

/*
 * Append one family's entries of vnet id to *v: from its neighbor table,
 * or (pending) its next hops being resolved, which share a table across
 * families and are listed as incomplete.
 */
static int nbr_collect(struct vnet_state *st, __u8 family, bool pending, __u32 id,
		       struct vnet_neigh **v, size_t *len, size_t *cap)
{
	enum vnet_kind kind = pending ? KIND_nbrpend : fam_of(st, family)->nbr;
	union { struct ikey n; struct nbr_pend_key p; } k = {}, next = {};
	int fd;

	if (pending && (st->outer_fd[kind] < 0 || !inst_exists(st, kind, id, 0)))
		return 0;	/* an older state: none kept apart */
	fd = inst_fd(st, kind, id, 0);
	if (fd < 0)
		return fd;
	for (int more = bpf_map_get_next_key(fd, NULL, &next) == 0; more;
	     more = bpf_map_get_next_key(fd, &k, &next) == 0) {
		struct vnet_neigh *e;

		k = next;
		if (pending && k.p.family != family)
			continue;
		if (*len == *cap) {
			struct vnet_neigh *nv;

			*cap = *cap ? *cap * 2 : 32;
			nv = realloc(*v, *cap * sizeof(**v));
			if (!nv)
				return vnet_fail(st, ENOMEM, "out of memory");
			*v = nv;
		}
		e = &(*v)[*len];
		if (bpf_map_lookup_elem(fd, &k, &e->e))
			continue;
		e->ifindex = k.n.ifindex;
		ip_get(&e->addr, family, pending ? k.p.addr : k.n.addr);
		e->pending = pending;
		(*len)++;
	}
	return 0;
}

/*
 * A pending entry outlives its resolution until its LRU reclaims it (the
 * datapath does not spend a deletion on it): list the next hop once, as
 * learned. v[first, learned) are learned entries, v[learned, *n) pending.
 */
static void hide_resolved(struct vnet_neigh *v, size_t first, size_t learned, size_t *n)
{
	size_t keep = learned;

	for (size_t i = learned; i < *n; i++) {
		bool shadowed = false;

		for (size_t j = first; j < learned && !shadowed; j++)
			shadowed = v[j].ifindex == v[i].ifindex && ip_eq(&v[j].addr, &v[i].addr);
		if (!shadowed)
			v[keep++] = v[i];
	}
	*n = keep;
}

int vnet_neigh_list(struct vnet_state *st, __u32 id, __u8 family,
		    struct vnet_neigh **out, size_t *n)
{
	size_t cap = 0;
	int err = vnet_check(st, id);

	*out = NULL;
	*n = 0;
	for (__u8 fam = 4; fam <= 6 && !err; fam += 2) {
		const struct vnet_fam *f = fam_of(st, fam);

		if ((family && family != fam) || st->outer_fd[f->nbr] < 0 ||
		    (fam == 6 && !inet6_used(st, id)))
			continue;
		size_t first = *n, learned;

		err = nbr_collect(st, fam, false, id, out, n, &cap);
		learned = *n;
		if (!err)
			err = nbr_collect(st, fam, true, id, out, n, &cap);
		if (!err)
			hide_resolved(*out, first, learned, n);
	}
	if (err) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return err;
}

static void nbr_delete_if(struct vnet_state *st, __u32 id, bool all_dynamic,
			  __u32 ifindex)
{
	struct vnet_neigh *v;
	size_t n;

	if (vnet_neigh_list(st, id, 0, &v, &n))
		return;
	for (size_t i = 0; i < n; i++) {
		bool hit = all_dynamic ? v[i].e.state != VNET_NUD_STATIC
				       : v[i].ifindex == ifindex;
		const struct vnet_fam *f = fam_of(st, v[i].addr.family);
		bool pending = v[i].pending;
		struct nbr_pend_key pk = { .ifindex = v[i].ifindex,
					   .family = v[i].addr.family };
		struct ikey key = { .ifindex = v[i].ifindex };
		int fd = -1;

		if (hit && f)
			fd = inst_fd(st, pending ? KIND_nbrpend : f->nbr, id, 0);
		ip_put(&v[i].addr, key.addr);
		ip_put(&v[i].addr, pk.addr);
		if (fd >= 0)
			bpf_map_delete_elem(fd, pending ? (void *)&pk : (void *)&key);
	}
	free(v);
}

int vnet_neigh_flush(struct vnet_state *st, __u32 id)
{
	int err = vnet_check(st, id);

	if (state_writable(st))
		return -EPERM;
	if (!err)
		nbr_delete_if(st, id, true, 0);
	return err;
}

/* ---- this file's part in a vnet's life (SI_NEIGH) ---- */

/* Neighbors learned or set on an interface that left (a dying vnet's
 * tables go whole). */
static void neigh_iface_leave(struct vnet_state *st, __u32 id, __u32 ifindex, bool dying)
{
	if (!dying)
		nbr_delete_if(st, id, false, ifindex);
}

static const struct vnet_sysinit neigh_sysinit = {
	.name = "neighbors",
	.order = SI_NEIGH,
	.iface_leave = neigh_iface_leave,
};
VNET_SYSINIT(neigh_sysinit);

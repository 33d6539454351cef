/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * neigh.c - the vnet's ARP table (arp -s, arp -d, arp -a). The datapath
 * fills it by itself; entries added here are static (permanent) and the
 * datapath never learns over them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "internal.h"

static int nbr_fd(struct vnet_state *st, __u32 id)
{
	return inst_fd(st, SUBSYS_NBR4, id, 0);
}

/* The ARP table of vnet id, for an entry on ifname (which must be in it). */
static int nbr_target(struct vnet_state *st, __u32 id, const char *ifname,
		      struct nbr4_key *key)
{
	struct vnet_iface rec;
	int err = vnet_check(st, id);

	if (!err)
		err = iface_in_vnet(st, ifname, id, &key->ifindex, &rec);
	return err ? err : nbr_fd(st, id);
}

int vnet_neigh_add(struct vnet_state *st, __u32 id, __u32 addr,
		   const __u8 mac[6], const char *ifname)
{
	struct nbr_entry e = { .state = VNET_NUD_STATIC };
	struct nbr4_key key = { .addr = addr };
	char a[INET_ADDRSTRLEN];
	int fd = nbr_target(st, id, ifname, &key);

	if (fd < 0)
		return fd;
	if (mac[0] & 1)
		return vnet_fail(st, EINVAL, "lladdr must be a unicast MAC");
	if (!addr)
		return vnet_fail(st, EINVAL, "0.0.0.0 cannot be a neighbor");
	memcpy(e.mac, mac, 6);
	e.confirmed_ns = vnet_clock_ns();
	if (bpf_map_update_elem(fd, &key, &e, BPF_ANY)) {
		if (errno == E2BIG || errno == ENOSPC)
			return vnet_fail(st, ENOSPC, "neighbor table of vnet %u is full "
					 "(limit %u)", id, st->reg[id].max_neigh);
		return vnet_fail(st, errno, "cannot add neighbor %s to vnet %u: %s",
				 ip4_str(addr, a), id, strerror(errno));
	}
	return 0;
}

int vnet_neigh_del(struct vnet_state *st, __u32 id, __u32 addr, const char *ifname)
{
	struct nbr4_key key = { .addr = addr };
	char a[INET_ADDRSTRLEN];
	int fd = nbr_target(st, id, ifname, &key);

	if (fd < 0)
		return fd;
	if (bpf_map_delete_elem(fd, &key))
		return vnet_fail(st, ENOENT, "no neighbor %s on %s in vnet %u",
				 ip4_str(addr, a), ifname, id);
	return 0;
}

static int nbr_collect(struct vnet_state *st, __u32 id, struct vnet_neigh **out,
		       size_t *n)
{
	struct nbr4_key k, next;
	struct vnet_neigh *v = NULL;
	size_t len = 0, cap = 0;
	int fd = nbr_fd(st, id);

	if (fd < 0)
		return fd;
	for (int more = bpf_map_get_next_key(fd, NULL, &next) == 0; more;
	     more = bpf_map_get_next_key(fd, &k, &next) == 0) {
		k = next;
		if (len == cap) {
			struct vnet_neigh *nv;

			cap = cap ? cap * 2 : 32;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				return vnet_fail(st, ENOMEM, "out of memory");
			}
			v = nv;
		}
		if (bpf_map_lookup_elem(fd, &k, &v[len].e))
			continue;
		v[len++].key = k;
	}
	*out = v;
	*n = len;
	return 0;
}

int vnet_neigh_list(struct vnet_state *st, __u32 id, struct vnet_neigh **out, size_t *n)
{
	int err = vnet_check(st, id);

	return err ? err : nbr_collect(st, id, out, n);
}

static void nbr_delete_if(struct vnet_state *st, __u32 id, bool all_dynamic,
			  __u32 ifindex)
{
	struct vnet_neigh *v;
	size_t n;
	int fd;

	if (nbr_collect(st, id, &v, &n))
		return;
	fd = nbr_fd(st, id);
	for (size_t i = 0; i < n; i++) {
		bool hit = all_dynamic ? v[i].e.state != VNET_NUD_STATIC
				       : v[i].key.ifindex == ifindex;
		if (hit && fd >= 0)
			bpf_map_delete_elem(fd, &v[i].key);
	}
	free(v);
}

int vnet_neigh_flush(struct vnet_state *st, __u32 id)
{
	int err = vnet_check(st, id);

	if (!err)
		nbr_delete_if(st, id, true, 0);
	return err;
}

void neigh_purge_iface(struct vnet_state *st, __u32 id, __u32 ifindex)
{
	nbr_delete_if(st, id, false, ifindex);
}

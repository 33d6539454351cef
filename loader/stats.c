/* SPDX-License-Identifier: BSD-2-Clause */
/* stats.c - per-vnet counters (netstat -s), summed over CPUs. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "internal.h"

#define CTR(f) { #f, offsetof(struct vnet_stats, f) }

static const struct vnet_counter table[] = {
	CTR(received), CTR(received_bytes), CTR(forwarded), CTR(forwarded_bytes),
	CTR(delivered), CTR(local_dropped), CTR(no_route), CTR(blackhole),
	CTR(unreachable), CTR(no_neighbor), CTR(ttl_exceeded), CTR(too_big),
	CTR(malformed), CTR(martian), CTR(bcast_mcast), CTR(not_forwarding),
	CTR(wrong_vnet), CTR(not_for_us), CTR(unknown_proto), CTR(arp_in),
	CTR(arp_replies), CTR(arp_requests), CTR(arp_learned), CTR(arp_ignored),
	CTR(neigh_full), CTR(icmp_out), CTR(icmp_no_source), CTR(icmp_ratelimited),
};

_Static_assert(sizeof(table) / sizeof(table[0]) ==
	       sizeof(struct vnet_stats) / sizeof(__u64),
	       "every counter in struct vnet_stats has a name");

const struct vnet_counter *vnet_counter_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

int vnet_stats_read(struct vnet_state *st, __u32 id, struct vnet_stats *sum)
{
	struct vnet_stats *per = calloc(st->ncpus, sizeof(*per));
	__u64 *out = (__u64 *)sum;

	if (!vnet_get(st, id))
		return free(per), vnet_fail(st, ENOENT, "vnet %u does not exist", id);
	if (!per)
		return vnet_fail(st, ENOMEM, "out of memory");
	if (bpf_map_lookup_elem(st->stats_fd, &id, per)) {
		free(per);
		return vnet_fail(st, errno, "cannot read counters: %s", strerror(errno));
	}
	memset(sum, 0, sizeof(*sum));
	for (int c = 0; c < st->ncpus; c++) {
		const __u64 *in = (const __u64 *)&per[c];

		for (size_t i = 0; i < sizeof(*sum) / sizeof(__u64); i++)
			out[i] += in[i];
	}
	free(per);
	return 0;
}

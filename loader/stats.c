/* SPDX-License-Identifier: BSD-2-Clause */
/* stats.c - per-vnet counters (netstat -s), summed over CPUs. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "core/core.h"

#define CTR(f) { #f, offsetof(struct vnet_stats, f), NULL }
#define DROP(f, text) { #f, offsetof(struct vnet_stats, drops.f), text },

/* Fates and events, in the record's order; the drops have their own table. */
static const struct vnet_counter table[] = {
	CTR(received), CTR(received_bytes), CTR(forwarded), CTR(forwarded_bytes),
	CTR(delivered), CTR(hoststack_out), CTR(arp_in), CTR(arp_replies),
	CTR(arp_requests), CTR(arp_learned), CTR(neigh_full), CTR(icmp_out),
	CTR(icmp_no_source), CTR(icmp_ratelimited), CTR(answer_unsent),
};

static const struct vnet_counter drop_table[] = {
	VNET_DROP_REASONS(DROP)
};

_Static_assert(sizeof(table) / sizeof(table[0]) + VNET_DROP_MAX ==
	       sizeof(struct vnet_stats) / sizeof(__u64),
	       "every counter in struct vnet_stats has a name");

const struct vnet_counter *vnet_drop_table(size_t *n)
{
	*n = VNET_DROP_MAX;
	return drop_table;
}

#define FWC(f) { #f, offsetof(struct vnet_fw_stats, f), NULL }

static const struct vnet_counter fw_table[] = {
	FWC(passed), FWC(denied), FWC(rejected), FWC(state_hits),
	FWC(states_created), FWC(states_expired), FWC(icmp_related),
	FWC(icmp_orphan), FWC(fragments),
};

_Static_assert(sizeof(fw_table) / sizeof(fw_table[0]) ==
	       sizeof(struct vnet_fw_stats) / sizeof(__u64),
	       "every counter in struct vnet_fw_stats has a name");

const struct vnet_counter *vnet_fw_counter_table(size_t *n)
{
	*n = sizeof(fw_table) / sizeof(fw_table[0]);
	return fw_table;
}

const struct vnet_counter *vnet_counter_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

/* Sum a per-CPU record of `words` counters over the CPUs. */
static int percpu_sum(struct vnet_state *st, int fd, __u32 id, __u64 *sum,
		      size_t words)
{
	__u64 *per = calloc(st->ncpus, words * sizeof(__u64));

	if (!vnet_get(st, id))
		return free(per), vnet_fail(st, ENOENT, "vnet %u does not exist", id);
	if (!per)
		return vnet_fail(st, ENOMEM, "out of memory");
	memset(sum, 0, words * sizeof(__u64));
	if (fd < 0) {		/* an older state without this map */
		free(per);
		return 0;
	}
	if (bpf_map_lookup_elem(fd, &id, per)) {
		free(per);
		return vnet_fail(st, errno, "cannot read counters: %s", strerror(errno));
	}
	for (int c = 0; c < st->ncpus; c++)
		for (size_t i = 0; i < words; i++)
			sum[i] += per[c * words + i];
	free(per);
	return 0;
}

int vnet_stats_read(struct vnet_state *st, __u32 id, struct vnet_stats *sum)
{
	return percpu_sum(st, st->stats_fd, id, (__u64 *)sum,
			  sizeof(*sum) / sizeof(__u64));
}

int vnet_stats6_read(struct vnet_state *st, __u32 id, struct vnet_stats *sum)
{
	return percpu_sum(st, st->stats6_fd, id, (__u64 *)sum,
			  sizeof(*sum) / sizeof(__u64));
}

int vnet_fw_stats_read(struct vnet_state *st, __u32 id, struct vnet_fw_stats *sum)
{
	return percpu_sum(st, st->fwstats_fd, id, (__u64 *)sum,
			  sizeof(*sum) / sizeof(__u64));
}

/* ---- this file's part in a vnet's life (SI_COUNTERS) ---- */

/* A new vnet's counters start at zero, and a gone one's go back to it. */
static int counters_zero(struct vnet_state *st, __u32 id)
{
	void *z = calloc(st->ncpus, sizeof(struct vnet_stats));
	int err = 0;

	if (!z)
		return vnet_fail(st, ENOMEM, "out of memory");
	if (bpf_map_update_elem(st->stats_fd, &id, z, 0) ||
	    (st->stats6_fd >= 0 && bpf_map_update_elem(st->stats6_fd, &id, z, 0)))
		err = vnet_fail(st, errno, "cannot reset counters: %s", strerror(errno));
	free(z);
	return err;
}

static void counters_uninit(struct vnet_state *st, __u32 id)
{
	counters_zero(st, id);
}

static const struct vnet_sysinit counters_sysinit = {
	.name = "counters",
	.order = SI_COUNTERS,
	.vnet_init = counters_zero,
	.vnet_uninit = counters_uninit,
};
VNET_SYSINIT(counters_sysinit);

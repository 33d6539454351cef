/* SPDX-License-Identifier: BSD-2-Clause */
/* fixture.h - the datapath unit tests' shared fixture (fixture.c). */
#ifndef TEST_FIXTURE_H
#define TEST_FIXTURE_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <net/if.h>
#include "libvnet.h"
#include "vnet.skel.h"
#include "pkt.h"
#include "ut.h"

/* a0, a1 in red (vnet 1), a2 in blue (vnet 2); a3 attached, left in vnet 0
 * for a test to move */
#define NIFS	4

extern struct vnet_state *st;
extern struct vnet_bpf *skel;
extern int prog_fd;
extern char pin[128], ifn[NIFS][16], peer[NIFS][16];
extern __u32 ifx[NIFS];
extern __u8 mac[NIFS][6];
extern const __u8 host_mac[6], nbr_mac[6], bcast[6], zero_mac[6];

struct out {
	int ret;
	__u8 d[2048];
	__u32 len;
};

bool expect_verdict(const struct out *o, int want);
const char *verdict(int r);
/* Run the XDP program on a frame received on ifindex. */
bool run(__u32 ifindex, const void *frame, size_t len, struct out *o);
__u64 counter(__u32 vnet, size_t off);		/* IPv4 counters */
__u64 counter6(__u32 vnet, size_t off);		/* IPv6 counters */
int nbr4_fd(__u32 vnet);			/* vnet's ARP table (close it) */
/* A filter rule as on the vnetctl command line (fw_text.c). */
bool fw_text(__u32 vnet, const char *text);
/* An IPv4 address for libvnet, by value or as a pointer argument. */
static inline struct vnet_ip in4(const char *s)
{
	struct vnet_ip a = { .family = 4 };

	a.v4 = ip(s);
	return a;
}
#define IN4(s) (&(struct vnet_ip){ .family = 4, .v4 = ip(s) })
static inline struct vnet_ip in6(const char *s)
{
	struct vnet_ip a;

	vnet_ip_parse(s, &a);
	return a;
}
/* IPv6 on red: 2001:db8:1::1/64 on a0, 2001:db8:2::1/64 on a1, static
 * neighbors 2001:db8:1::2 (host_mac) and 2001:db8:2::2 (nbr_mac). */
bool fixture_inet6(void);
/* A TCP SYN from 2001:db8:1::2 to 2001:db8:2::2 (dport) on a0, behind a
 * destination-options header of optlen bytes filled with fill. */
size_t tcp6_behind_dstopts(__u8 *f, __u16 optlen, __u8 fill, __u16 dport);
#define CTR(vnet, field) counter(vnet, offsetof(struct vnet_stats, field))
#define CTR6(vnet, field) counter6(vnet, offsetof(struct vnet_stats, field))
bool host_known(void);		/* red knows 10.0.1.2 on a0 (static) */
int nbr_lookup(__u32 vnet, __u32 ifindex, __u32 addr, struct nbr_entry *e);
/* The state vnet_neigh_list gives an IPv4 neighbor: 0 if not listed, -1
 * if listed more than once. */
int neigh_listed(__u32 vnet, __u32 addr);
/* An IPv4 next hop being resolved (the vnet's pending table). */
int pend_lookup(__u32 vnet, __u32 ifindex, __u32 addr, struct nbr_entry *e);
void sh(const char *fmt, ...);
bool setup(void);
void teardown(void);

/* Rebuild the fixture's vnets as setup() left them (every other vnet goes). */
bool fixture_reset(void);

#endif

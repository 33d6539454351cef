/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * parse.h - header parsing with a cursor (xdp-tools style). Each parser
 * bounds-checks against data_end, advances the cursor and returns the header
 * or NULL; nothing here touches maps or counters.
 */
#ifndef VNET_PARSE_H
#define VNET_PARSE_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include "proto.h"
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct hdr_cursor {
	void *pos;
	void *end;
};

/* ARP for IPv4 over Ethernet: the fixed header is in proto.h. */
struct arp_eth {
	struct arphdr hdr;
	__u8  sha[ETH_ALEN];
	__u8  spa[4];
	__u8  tha[ETH_ALEN];
	__u8  tpa[4];
} __attribute__((packed));

#define ARP_FRAME_LEN	(sizeof(struct ethhdr) + sizeof(struct arp_eth))

static __always_inline void cursor_init(struct hdr_cursor *c, struct xdp_md *ctx)
{
	c->pos = (void *)(long)ctx->data;
	c->end = (void *)(long)ctx->data_end;
}

static __always_inline struct ethhdr *parse_ethhdr(struct hdr_cursor *c)
{
	struct ethhdr *eth = c->pos;

	if ((void *)(eth + 1) > c->end)
		return NULL;
	c->pos = eth + 1;
	return eth;
}

/* Returns the header if it fits; validation is the caller's (ip_valid). */
static __always_inline struct iphdr *parse_iphdr(struct hdr_cursor *c)
{
	struct iphdr *iph = c->pos;
	__u32 hlen;

	if ((void *)(iph + 1) > c->end)
		return NULL;
	hlen = (iph->ihl * 4) & 0x3c;
	if (hlen < sizeof(*iph) || (void *)iph + hlen > c->end)
		return NULL;
	c->pos = (void *)iph + hlen;
	return iph;
}

static __always_inline struct arp_eth *parse_arp(struct hdr_cursor *c)
{
	struct arp_eth *arp = c->pos;

	if ((void *)(arp + 1) > c->end)
		return NULL;
	c->pos = arp + 1;
	return arp;
}

static __always_inline struct icmphdr *parse_icmphdr(struct hdr_cursor *c)
{
	struct icmphdr *icmp = c->pos;

	if ((void *)(icmp + 1) > c->end)
		return NULL;
	c->pos = icmp + 1;
	return icmp;
}

static __always_inline __u32 load_be32(const __u8 *p)
{
	__u32 v;

	__builtin_memcpy(&v, p, 4);
	return v;
}

static __always_inline void store_be32(__u8 *p, __u32 v)
{
	__builtin_memcpy(p, &v, 4);
}

static __always_inline bool mac_eq(const __u8 *a, const __u8 *b)
{
	return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) |
		(a[3] ^ b[3]) | (a[4] ^ b[4]) | (a[5] ^ b[5])) == 0;
}

static __always_inline bool mac_is_group(const __u8 *a)
{
	return a[0] & 1;	/* multicast or broadcast */
}

static __always_inline bool mac_is_zero(const __u8 *a)
{
	return (a[0] | a[1] | a[2] | a[3] | a[4] | a[5]) == 0;
}

static __always_inline bool mac_is_bcast(const __u8 *a)
{
	return (a[0] & a[1] & a[2] & a[3] & a[4] & a[5]) == 0xff;
}

#endif

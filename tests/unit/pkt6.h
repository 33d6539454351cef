/* SPDX-License-Identifier: BSD-2-Clause */
/* pkt6.h - IPv6 test frames: headers, ICMPv6 with correct checksums, UDP. */
#ifndef TEST_PKT6_H
#define TEST_PKT6_H

#include <linux/ipv6.h>
#include <linux/icmpv6.h>
#include "pkt.h"

struct in6 { uint8_t b[16]; };

static inline struct in6 ip6(const char *s)
{
	struct in6 a;

	inet_pton(AF_INET6, s, a.b);
	return a;
}

static inline size_t put_ip6(uint8_t *f, struct in6 src, struct in6 dst, uint8_t nh,
			     uint8_t hlim, uint16_t payload)
{
	struct ipv6hdr *h = (void *)f;

	memset(h, 0, sizeof(*h));
	h->version = 6;
	h->payload_len = htons(payload);
	h->nexthdr = nh;
	h->hop_limit = hlim;
	memcpy(&h->saddr, src.b, 16);
	memcpy(&h->daddr, dst.b, 16);
	return sizeof(*h);
}

/* Internet checksum of an upper-layer message with its IPv6 pseudo-header. */
static inline uint16_t csum6(const struct ipv6hdr *h, const void *msg, size_t len,
			     uint8_t proto)
{
	static uint8_t buf[40 + 2048];

	memcpy(buf, &h->saddr, 16);
	memcpy(buf + 16, &h->daddr, 16);
	buf[32] = len >> 24; buf[33] = len >> 16; buf[34] = len >> 8; buf[35] = len;
	buf[36] = buf[37] = buf[38] = 0;
	buf[39] = proto;
	memcpy(buf + 40, msg, len);
	return csum16(buf, 40 + len);
}

/* Ethernet + IPv6 + ICMPv6 (type, code, 4 bytes of body word, payload). */
static inline size_t icmp6_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac,
				 struct in6 src, struct in6 dst, uint8_t hlim, uint8_t type,
				 uint8_t code, uint32_t word, uint16_t payload)
{
	size_t n = put_eth(f, dmac, smac, ETH_P_IPV6);
	struct ipv6hdr *h = (void *)(f + n);
	struct icmp6hdr *c;

	n += put_ip6(f + n, src, dst, IPPROTO_ICMPV6, hlim, 8 + payload);
	c = (void *)(f + n);
	memset(c, 0, 8);
	c->icmp6_type = type;
	c->icmp6_code = code;
	c->icmp6_dataun.un_data32[0] = htonl(word);
	for (uint16_t i = 0; i < payload; i++)
		f[n + 8 + i] = (uint8_t)(0x60 + i);
	c->icmp6_cksum = csum6(h, c, 8 + payload, IPPROTO_ICMPV6);
	return n + 8 + payload;
}

/* A neighbor solicitation or advertisement with a link-layer option. */
static inline size_t nd_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac,
			      struct in6 src, struct in6 dst, uint8_t type, uint8_t flags,
			      struct in6 target, const uint8_t *lla, uint8_t hlim)
{
	size_t n = put_eth(f, dmac, smac, ETH_P_IPV6);
	struct ipv6hdr *h = (void *)(f + n);
	uint8_t *m;

	n += put_ip6(f + n, src, dst, IPPROTO_ICMPV6, hlim, 32);
	m = f + n;
	memset(m, 0, 32);
	m[0] = type;
	m[4] = flags;
	memcpy(m + 8, target.b, 16);
	m[24] = type == 135 ? 1 : 2;
	m[25] = 1;
	memcpy(m + 26, lla, 6);
	*(uint16_t *)(m + 2) = csum6(h, m, 32, IPPROTO_ICMPV6);
	return n + 32;
}

static inline size_t udp6_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac,
				struct in6 src, struct in6 dst, uint8_t hlim, uint16_t payload)
{
	size_t n = put_eth(f, dmac, smac, ETH_P_IPV6);
	struct ipv6hdr *h = (void *)(f + n);
	struct udphdr *u;

	n += put_ip6(f + n, src, dst, IPPROTO_UDP, hlim, 8 + payload);
	u = (void *)(f + n);
	u->source = htons(40000);
	u->dest = htons(33434);
	u->len = htons(8 + payload);
	u->check = 0;
	for (uint16_t i = 0; i < payload; i++)
		f[n + 8 + i] = (uint8_t)i;
	u->check = csum6(h, u, 8 + payload, IPPROTO_UDP);
	return n + 8 + payload;
}

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pkt.h - crafting frames for datapath tests and checking what comes out.
 */
#ifndef TEST_PKT_H
#define TEST_PKT_H

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/icmp.h>
#include <linux/udp.h>
#include <linux/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct arp_body {
	struct arphdr hdr;
	uint8_t sha[6], spa[4], tha[6], tpa[4];
} __attribute__((packed));

/* The 16-bit words of len bytes added up (an odd byte padded), host order. */
static inline uint32_t sum16(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (b[i] << 8) | b[i + 1];
	if (len & 1)
		sum += b[len - 1] << 8;
	return sum;
}

static inline uint16_t fold16(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* The Internet checksum of len bytes, as stored (network order). */
static inline uint16_t csum16(const void *p, size_t len)
{
	return htons(~fold16(sum16(p, len)) & 0xffff);
}

static inline bool csum_ok(const void *p, size_t len)
{
	return csum16(p, len) == 0;
}

static inline uint32_t ip(const char *s)
{
	uint32_t a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static inline size_t put_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src,
			     uint16_t proto)
{
	struct ethhdr *e = (void *)f;

	memcpy(e->h_dest, dst, 6);
	memcpy(e->h_source, src, 6);
	e->h_proto = htons(proto);
	return sizeof(*e);
}

/* IPv4 header (no options) with a correct checksum. */
static inline size_t put_ip(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto,
			    uint8_t ttl, uint16_t payload, bool df)
{
	struct iphdr *h = (void *)f;

	memset(h, 0, sizeof(*h));
	h->version = 4;
	h->ihl = 5;
	h->tot_len = htons(sizeof(*h) + payload);
	h->id = htons(0x1234);
	h->frag_off = df ? htons(0x4000) : 0;
	h->ttl = ttl;
	h->protocol = proto;
	h->saddr = src;
	h->daddr = dst;
	h->check = csum16(h, sizeof(*h));
	return sizeof(*h);
}

/* Ethernet + IPv4 + UDP with `payload` bytes of data. */
static inline size_t udp_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac,
			       uint32_t src, uint32_t dst, uint8_t ttl, uint16_t payload,
			       bool df)
{
	size_t n = put_eth(f, dmac, smac, ETH_P_IP);
	struct udphdr *u;

	n += put_ip(f + n, src, dst, IPPROTO_UDP, ttl, sizeof(*u) + payload, df);
	u = (void *)(f + n);
	u->source = htons(40000);
	u->dest = htons(33434);
	u->len = htons(sizeof(*u) + payload);
	u->check = 0;
	n += sizeof(*u);
	for (uint16_t i = 0; i < payload; i++)
		f[n++] = (uint8_t)i;
	return n;
}

/* Ethernet + IPv4 + TCP (no options) with `flags` (as in the header) and
 * `payload` bytes of data; checksums valid. */
static inline size_t tcp_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac,
			       uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
			       uint8_t flags, uint32_t seq, uint32_t ack, uint16_t payload)
{
	size_t n = put_eth(f, dmac, smac, ETH_P_IP);
	struct tcphdr *t;
	uint8_t pseudo[12 + 20 + 1500];

	n += put_ip(f + n, src, dst, IPPROTO_TCP, 64, sizeof(*t) + payload, true);
	t = (void *)(f + n);
	memset(t, 0, sizeof(*t));
	t->source = htons(sport);
	t->dest = htons(dport);
	t->seq = htonl(seq);
	t->ack_seq = htonl(ack);
	t->doff = 5;
	((uint8_t *)t)[13] = flags;
	t->window = htons(65535);
	for (uint16_t i = 0; i < payload; i++)
		f[n + sizeof(*t) + i] = (uint8_t)(0x30 + i);
	memcpy(pseudo, &src, 4);
	memcpy(pseudo + 4, &dst, 4);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_TCP;
	pseudo[10] = (sizeof(*t) + payload) >> 8;
	pseudo[11] = (sizeof(*t) + payload) & 0xff;
	memcpy(pseudo + 12, t, sizeof(*t) + payload);
	t->check = csum16(pseudo, 12 + sizeof(*t) + payload);
	return n + sizeof(*t) + payload;
}

static inline size_t icmp_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac,
				uint32_t src, uint32_t dst, uint8_t ttl, uint8_t type,
				uint8_t code, uint16_t payload)
{
	size_t n = put_eth(f, dmac, smac, ETH_P_IP);
	struct icmphdr *c;

	n += put_ip(f + n, src, dst, IPPROTO_ICMP, ttl, sizeof(*c) + payload, false);
	c = (void *)(f + n);
	memset(c, 0, sizeof(*c));
	c->type = type;
	c->code = code;
	c->un.echo.id = htons(0x4242);
	c->un.echo.sequence = htons(7);
	for (uint16_t i = 0; i < payload; i++)
		f[n + sizeof(*c) + i] = (uint8_t)(0xa0 + i);
	c->checksum = csum16(c, sizeof(*c) + payload);
	return n + sizeof(*c) + payload;
}

static inline size_t arp_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac,
			       uint16_t op, const uint8_t *sha, uint32_t spa,
			       const uint8_t *tha, uint32_t tpa)
{
	size_t n = put_eth(f, dmac, smac, ETH_P_ARP);
	struct arp_body *a = (void *)(f + n);

	a->hdr.ar_hrd = htons(ARPHRD_ETHER);
	a->hdr.ar_pro = htons(ETH_P_IP);
	a->hdr.ar_hln = 6;
	a->hdr.ar_pln = 4;
	a->hdr.ar_op = htons(op);
	memcpy(a->sha, sha, 6);
	memcpy(a->spa, &spa, 4);
	memcpy(a->tha, tha, 6);
	memcpy(a->tpa, &tpa, 4);
	return n + sizeof(*a);
}

#endif

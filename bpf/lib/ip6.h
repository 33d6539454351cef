/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ip6.h - IPv6 input checks (FreeBSD ip6_input): version, payload length
 * against the frame, the extension-header chain walked to a bounded depth
 * to find the upper-layer protocol, and impossible addresses. Nothing that
 * fails here is forwarded. Also the address predicates the other IPv6
 * steps share.
 */
#ifndef VNET_IP6_H
#define VNET_IP6_H

#include <linux/ipv6.h>
#include <linux/icmpv6.h>
#include "ip.h"

#define IP6_HDR_LEN	40
#define IP6_EXT_MAX	4	/* extension headers walked before giving up */
/*
 * Where the upper-layer header may start, at most (from the IPv6 header):
 * a chain that ends further in is dropped (ext_headers), never read. Every
 * reader checks the offset against this bound before using it, so that
 * it cannot point anywhere but where the walk found the header.
 */
#define IP6_L4_MAX	512
#define IP6_MIN_MTU	1280

#ifndef NEXTHDR_HOP
#define NEXTHDR_HOP		0
#define NEXTHDR_ROUTING		43
#define NEXTHDR_FRAGMENT	44
#define NEXTHDR_DEST		60
#define NEXTHDR_NONE		59
#endif

/* What the walk found: the upper-layer protocol and where it starts. */
struct ip6_info {
	__u8  proto;
	__u8  frag;		/* a fragment header was present */
	__u16 l4_off;		/* from the start of the IPv6 header */
	__u16 frag_off;		/* fragment offset field (host order), if frag */
};

static __always_inline bool in6_eq(const struct in6_addr *a, const struct in6_addr *b)
{
	return ((a->in6_u.u6_addr32[0] ^ b->in6_u.u6_addr32[0]) |
		(a->in6_u.u6_addr32[1] ^ b->in6_u.u6_addr32[1]) |
		(a->in6_u.u6_addr32[2] ^ b->in6_u.u6_addr32[2]) |
		(a->in6_u.u6_addr32[3] ^ b->in6_u.u6_addr32[3])) == 0;
}

static __always_inline bool in6_is_zero(const struct in6_addr *a)
{
	return (a->in6_u.u6_addr32[0] | a->in6_u.u6_addr32[1] |
		a->in6_u.u6_addr32[2] | a->in6_u.u6_addr32[3]) == 0;
}

static __always_inline bool in6_is_multicast(const struct in6_addr *a)
{
	return a->in6_u.u6_addr8[0] == 0xff;
}

static __always_inline bool in6_is_loopback(const struct in6_addr *a)
{
	return (a->in6_u.u6_addr32[0] | a->in6_u.u6_addr32[1] |
		a->in6_u.u6_addr32[2]) == 0 && a->in6_u.u6_addr32[3] == bpf_htonl(1);
}

static __always_inline bool in6_is_linklocal(const struct in6_addr *a)
{
	return a->in6_u.u6_addr8[0] == 0xfe && (a->in6_u.u6_addr8[1] & 0xc0) == 0x80;
}

/* fe80::/64 + the modified EUI-64 of mac (RFC 4291 appendix A). */
static __always_inline void in6_linklocal(struct in6_addr *a, const __u8 *mac)
{
	a->in6_u.u6_addr32[0] = bpf_htonl(0xfe800000);
	a->in6_u.u6_addr32[1] = 0;
	a->in6_u.u6_addr8[8] = mac[0] ^ 0x02;
	a->in6_u.u6_addr8[9] = mac[1];
	a->in6_u.u6_addr8[10] = mac[2];
	a->in6_u.u6_addr8[11] = 0xff;
	a->in6_u.u6_addr8[12] = 0xfe;
	a->in6_u.u6_addr8[13] = mac[3];
	a->in6_u.u6_addr8[14] = mac[4];
	a->in6_u.u6_addr8[15] = mac[5];
}

/* ff02::1:ffXX:XXXX for target t (RFC 4291 2.7.1). */
static __always_inline void in6_solicited_node(struct in6_addr *a, const struct in6_addr *t)
{
	a->in6_u.u6_addr32[0] = bpf_htonl(0xff020000);
	a->in6_u.u6_addr32[1] = 0;
	a->in6_u.u6_addr32[2] = bpf_htonl(1);
	a->in6_u.u6_addr32[3] = t->in6_u.u6_addr32[3] | bpf_htonl(0xff000000);
}

static __always_inline bool in6_is_solicited_node(const struct in6_addr *a)
{
	return a->in6_u.u6_addr32[0] == bpf_htonl(0xff020000) &&
	       a->in6_u.u6_addr32[1] == 0 && a->in6_u.u6_addr32[2] == bpf_htonl(1) &&
	       a->in6_u.u6_addr8[12] == 0xff;
}

/* 33:33 + the low 32 bits of a multicast address (RFC 2464 7). */
static __always_inline void mac_of_mcast6(__u8 *mac, const struct in6_addr *a)
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	__builtin_memcpy(mac + 2, &a->in6_u.u6_addr8[12], 4);
}

/* The sum of the pseudo-header of an upper-layer checksum (RFC 8200 8.1). */
static __always_inline __u64 ip6_pseudo_sum(const struct ipv6hdr *ip6, __u32 len,
					    __u8 proto)
{
	__u64 sum = bpf_htonl(len) + (__u64)bpf_htonl(proto);

	for (int i = 0; i < 4; i++)
		sum += (__u64)ip6->saddr.in6_u.u6_addr32[i] + ip6->daddr.in6_u.u6_addr32[i];
	return sum;
}

/*
 * Extension headers, at most IP6_EXT_MAX of them and IP6_L4_MAX bytes in
 * all, to the upper layer. 0, or the drop reason: malformed (truncated),
 * ext_headers (deeper or longer than walked).
 */
static __always_inline int ip6_walk(struct ipv6hdr *ip6, void *end, struct ip6_info *info)
{
	__u8 nh = ip6->nexthdr;
	__u32 off = IP6_HDR_LEN;

	info->frag = 0;
	info->frag_off = 0;
	for (int i = 0; i < IP6_EXT_MAX; i++) {
		__u8 *h;

		if (nh != NEXTHDR_HOP && nh != NEXTHDR_ROUTING &&
		    nh != NEXTHDR_DEST && nh != NEXTHDR_FRAGMENT)
			break;
		if (off > IP6_L4_MAX)
			return VNET_DROP_ext_headers;
		h = (void *)ip6 + off;
		if ((void *)(h + 8) > end)
			return VNET_DROP_malformed;
		if (nh == NEXTHDR_FRAGMENT) {
			info->frag = 1;
			info->frag_off = bpf_ntohs(*(__be16 *)(h + 2)) & 0xfff8;
			off += 8;
		} else {
			off += (h[1] + 1) * 8;
		}
		nh = h[0];
	}
	if (nh == NEXTHDR_HOP || nh == NEXTHDR_ROUTING || nh == NEXTHDR_DEST ||
	    nh == NEXTHDR_FRAGMENT || off > IP6_L4_MAX)
		return VNET_DROP_ext_headers;
	info->proto = nh;
	info->l4_off = off;
	return 0;
}

/*
 * The upper-layer header found by the walk, if size bytes of it are in
 * the frame; NULL otherwise. The offset is checked again here: it comes
 * from the stack (or a function argument), where the verifier no longer
 * knows its bound, and a masked offset would wrap to the wrong bytes.
 */
static __always_inline void *ip6_l4(struct ipv6hdr *ip6, const struct ip6_info *info,
				    void *end, __u32 size)
{
	__u32 off = info->l4_off;
	void *h;

	if (off > IP6_L4_MAX)
		return NULL;
	h = (void *)ip6 + off;
	if (h + size > end)
		return NULL;
	return h;
}

/* A valid header (counted and NULL otherwise), the frame cut to its length. */
static __always_inline struct ipv6hdr *ip6_validate(struct vnet_ctx *v,
						    struct hdr_cursor *c,
						    struct ip6_info *info)
{
	struct ipv6hdr *ip6 = c->pos;
	int why = VNET_DROP_malformed;
	bool cut;
	__u32 len;

	if ((void *)(ip6 + 1) > c->end || ip6->version != 6)
		goto bad;
	len = bpf_ntohs(ip6->payload_len);
	if ((void *)(ip6 + 1) + len > c->end)
		goto bad;
	why = ip6_walk(ip6, c->end, info);
	if (why)
		goto bad;
	why = VNET_DROP_malformed;
	if (info->l4_off > IP6_HDR_LEN + len)
		goto bad;
	if (!frame_trim(v->xdp, IP6_HDR_LEN + len, &cut))
		goto bad;
	if (cut) {
		cursor_init(c, v->xdp);
		if (!parse_ethhdr(c))
			goto bad;
		ip6 = c->pos;
		if ((void *)(ip6 + 1) > c->end)
			goto bad;
	}
	c->pos = ip6 + 1;
	return ip6;
bad:
	vnet_count_drop(v, why);
	return NULL;
}

/* The IPv6 header again, after a call that may have rewritten the frame. */
static __always_inline struct ipv6hdr *ip6_reload(struct vnet_ctx *v)
{
	struct ipv6hdr *ip6 = (void *)(long)v->xdp->data + sizeof(struct ethhdr);

	if ((void *)(ip6 + 1) > (void *)(long)v->xdp->data_end)
		return NULL;
	return ip6;
}

/*
 * Never valid from a wire: a multicast, loopback or unspecified source, a
 * loopback or unspecified destination. (An unspecified source is a
 * duplicate-address probe: only neighbor discovery, which runs before
 * this check, may see one.) Counted when true.
 */
static __always_inline bool ip6_martian(struct vnet_ctx *v, const struct ipv6hdr *ip6)
{
	if (in6_is_multicast(&ip6->saddr) || in6_is_loopback(&ip6->saddr) ||
	    in6_is_zero(&ip6->saddr) || in6_is_loopback(&ip6->daddr) ||
	    in6_is_zero(&ip6->daddr)) {
		vnet_count_drop(v, VNET_DROP_martian);
		return true;
	}
	return false;
}

#endif

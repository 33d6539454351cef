/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ip.h - IPv4 input checks (FreeBSD ip_input): a header that is not a
 * well-formed IPv4 header with a correct checksum is dropped and counted as
 * malformed; impossible addresses are dropped as martians. Nothing that
 * fails here is ever forwarded. Bytes past the IP total length (beyond
 * Ethernet's minimum frame) are cut off, as ip_input trims the mbuf, so
 * that what is forwarded is the packet and nothing else.
 */
#ifndef VNET_IP_H
#define VNET_IP_H

#include "csum.h"
#include "fate.h"

#define ETH_ZLEN_NOFCS	60	/* shorter frames carry padding: left as they are */

/*
 * Cut the frame to l3_len bytes after Ethernet when it carries more than
 * that and more than the padding of a minimum frame. false: the frame
 * could not be cut (the caller drops it); its pointers are stale after a
 * cut either way.
 */
static __always_inline bool frame_trim(struct xdp_md *ctx, __u32 l3_len, bool *cut)
{
	__u32 frame = ctx->data_end - ctx->data, want = sizeof(struct ethhdr) + l3_len;

	*cut = false;
	if (frame <= want || frame <= ETH_ZLEN_NOFCS)
		return true;
	*cut = true;
	return bpf_xdp_adjust_tail(ctx, -(int)(frame - want)) == 0;
}

/*
 * The IPv4 header again (and the cursor past it), after a call that may
 * have rewritten the frame: the verifier forgets packet pointers then.
 */
static __always_inline struct iphdr *ip_reload(struct vnet_ctx *v, struct hdr_cursor *c)
{
	cursor_init(c, v->xdp);
	if (!parse_ethhdr(c))
		return NULL;
	return parse_iphdr(c);
}

/* A valid header (counted and NULL otherwise), the frame cut to its length. */
static __always_inline struct iphdr *ip_validate(struct vnet_ctx *v,
						 struct hdr_cursor *c)
{
	struct iphdr *iph = parse_iphdr(c);
	bool cut;
	__u32 tot;

	if (!iph || iph->version != 4)
		goto bad;
	tot = bpf_ntohs(iph->tot_len);
	if (tot < iph->ihl * 4U || (void *)iph + tot > c->end)
		goto bad;
	if (!ip_csum_ok(iph, c->end))
		goto bad;
	if (!frame_trim(v->xdp, tot, &cut))
		goto bad;
	if (cut) {
		iph = ip_reload(v, c);
		if (!iph)
			goto bad;
	}
	return iph;
bad:
	vnet_count_drop(v, VNET_DROP_malformed);
	return NULL;
}

/* First octet of an address in network byte order. */
static __always_inline __u8 ip_net8(__u32 addr)
{
	return bpf_ntohl(addr) >> 24;
}

/*
 * Sources in 0/8, 127/8, multicast or class E, destinations in 0/8 or
 * 127/8: never valid on a wire (RFC 1812 5.3.7). Broadcast and multicast
 * destinations are not routed. Counted when true.
 */
static __always_inline bool ip_martian(struct vnet_ctx *v, const struct iphdr *iph)
{
	__u8 s = ip_net8(iph->saddr), d = ip_net8(iph->daddr);

	if (s == 0 || s == 127 || s >= 224 || d == 0 || d == 127) {
		vnet_count_drop(v, VNET_DROP_martian);
		return true;
	}
	if (d >= 224) {
		vnet_count_drop(v, VNET_DROP_bcast_mcast);
		return true;
	}
	return false;
}

#endif

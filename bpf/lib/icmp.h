/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * icmp.h - ICMP the datapath originates: echo replies for the vnet's own
 * addresses and errors about packets it cannot forward (RFC 792, RFC 1812
 * 4.3.2.7). Both rewrite the received frame in place; the caller then routes
 * the result as a locally originated packet.
 */
#ifndef VNET_ICMP_H
#define VNET_ICMP_H

#include "csum.h"
#include "curvnet.h"
#include "fate.h"

/* Words (4 bytes) of the largest ICMP error body: header + 60 + 8. */
#define ICMP_ERR_MAX_WORDS	((8 + 60 + 8) / 4)

static __always_inline bool icmp_is_error(__u8 type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_REDIRECT || type == ICMP_TIME_EXCEEDED ||
	       type == ICMP_PARAMETERPROB;
}

/*
 * RFC 1812 4.3.2.7: no error about an ICMP error, a non-initial fragment,
 * or a packet to a broadcast/multicast address.
 */
static __always_inline bool icmp_error_allowed(struct iphdr *iph, void *end)
{
	struct icmphdr *icmp;

	if (iph->frag_off & bpf_htons(0x1fff))
		return false;
	if (iph->protocol != IPPROTO_ICMP)
		return true;
	icmp = (void *)iph + ((iph->ihl * 4) & 0x3c);
	if ((void *)(icmp + 1) > end || bpf_ntohs(iph->tot_len) < iph->ihl * 4 + sizeof(*icmp))
		return false;
	return !icmp_is_error(icmp->type);
}

/* Echo request -> echo reply, in place (addresses swapped, TTL reset). */
static __always_inline void icmp_echo_reply(struct vnet_ctx *v, struct iphdr *iph,
					    struct icmphdr *icmp)
{
	__u16 *ttl_proto = (__u16 *)&iph->ttl;
	__u16 old_tp = *ttl_proto;
	__u16 *type_code = (__u16 *)icmp;
	__u16 old_tc = *type_code;
	__u32 a = iph->saddr;

	iph->saddr = iph->daddr;
	iph->daddr = a;
	iph->ttl = v->conf->ip_ttl;
	iph->check = csum_replace2(iph->check, old_tp, *ttl_proto);
	icmp->type = ICMP_ECHOREPLY;
	icmp->checksum = csum_replace2(icmp->checksum, old_tc, *type_code);
	v->st->icmp_out++;
}

/*
 * Rebuild the frame as ICMP (type, code) about the IPv4 packet it carries,
 * from the ingress interface's address to the packet's source, quoting its
 * header and first 8 payload bytes. `mtu` fills the next-hop MTU of
 * "fragmentation needed". Returns 0 when the error is ready to be routed.
 */
static __always_inline int icmp_error(struct vnet_ctx *v, __u8 type, __u8 code,
				      __u16 mtu)
{
	struct xdp_md *ctx = v->xdp;
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	const int grow = sizeof(struct iphdr) + sizeof(struct icmphdr);
	struct iphdr *iph = data + sizeof(struct ethhdr);
	struct icmphdr *icmp;
	__u32 hlen, tot, quote, src, dst;

	if ((void *)(iph + 1) > end)
		return -1;
	src = v->in->addr4;
	if (!src) {
		v->st->icmp_no_source++;
		return -1;
	}
	dst = iph->saddr;
	hlen = (iph->ihl * 4) & 0x3c;
	tot = bpf_ntohs(iph->tot_len);
	quote = hlen + 8;
	if (quote > tot)
		quote = tot & ~3U;

	/* Keep exactly Ethernet + quote, then make room for IP + ICMP. */
	if (bpf_xdp_adjust_tail(ctx, (int)(sizeof(struct ethhdr) + quote) -
				     (int)(end - data)))
		return -1;
	if (bpf_xdp_adjust_head(ctx, -grow))
		return -1;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	iph = data + sizeof(struct ethhdr);
	icmp = (void *)(iph + 1);
	if ((void *)(icmp + 1) > end)
		return -1;

	((struct ethhdr *)data)->h_proto = bpf_htons(ETH_P_IP);
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = 0xc0;	/* internetwork control, as Linux and FreeBSD */
	iph->tot_len = bpf_htons(grow + quote);
	iph->id = 0;
	iph->frag_off = 0;
	iph->ttl = v->conf->ip_ttl;
	iph->protocol = IPPROTO_ICMP;
	iph->saddr = src;
	iph->daddr = dst;
	ip_csum_set(iph);

	icmp->type = type;
	icmp->code = code;
	icmp->checksum = 0;
	icmp->un.gateway = 0;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		icmp->un.frag.mtu = bpf_htons(mtu);
	icmp->checksum = ~csum_fold(csum_words((__u32 *)icmp, 2 + quote / 4,
						   ICMP_ERR_MAX_WORDS, end));
	v->st->icmp_out++;
	return 0;
}

/*
 * At most net.inet.icmp.icmplim errors per second per vnet, as FreeBSD's
 * badport_bandlim: a scan of unrouted space must not turn the router into
 * an ICMP source. The window is shared by the vnet's CPUs; a reset racing
 * with a send only miscounts by a few. (Add, then read back: the fetch form
 * needs -mcpu=v3 from clang 14.)
 */
static __always_inline bool icmp_ratelimit_ok(struct vnet_ctx *v)
{
	__u32 lim = v->conf->icmplim, id = v->id;
	struct vnet_ratelimit *rl;
	__u64 now;

	if (!lim)
		return true;
	rl = bpf_map_lookup_elem(&vnet_icmplim, &id);
	if (!rl)
		return false;
	now = vnet_now();
	if (now - rl->window_ns >= 1000000000ULL) {
		rl->window_ns = now;
		rl->sent = 0;
	}
	__sync_fetch_and_add(&rl->sent, 1);
	if (rl->sent > lim) {
		v->st->icmp_ratelimited++;
		return false;
	}
	return true;
}

static __always_inline int icmp_error_or_drop(struct vnet_ctx *v, struct iphdr *iph,
					      bool enabled, __u8 type, __u8 code,
					      __u16 mtu)
{
	void *end = (void *)(long)v->xdp->data_end;

	if (!enabled || !icmp_error_allowed(iph, end) || !icmp_ratelimit_ok(v))
		return V_DROP;
	return icmp_error(v, type, code, mtu) ? V_DROP : V_ORIGINATE;
}

#endif

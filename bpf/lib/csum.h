/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * csum.h - Internet checksums (RFC 1071, RFC 1624) for headers we verify,
 * rewrite or build in the datapath.
 */
#ifndef VNET_CSUM_H
#define VNET_CSUM_H

#include "parse.h"

static __always_inline __u16 csum_fold(__u64 sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/* Sum of up to `max` 32-bit words, each bounds-checked for the verifier. */
static __always_inline __u64 csum_words(const __u32 *w, __u32 words, __u32 max,
					void *end)
{
	__u64 sum = 0;

	for (__u32 i = 0; i < max; i++) {
		if (i >= words || (void *)(w + i + 1) > end)
			break;
		sum += w[i];
	}
	return sum;
}

#define CSUM_BLOCK	512	/* the most bpf_csum_diff sums in one call */
#define CSUM_MAX_LEN	(8 * CSUM_BLOCK)

struct csum_block {
	__u64 w[CSUM_BLOCK / 8];	/* aligned: zeroed a word at a time */
};

/* Room to copy a block of the frame into, one per CPU; program-private. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct csum_block);
} vnet_csumbuf SEC(".maps");

/*
 * Add to *sum the one's-complement sum of len bytes of the frame from
 * offset off (RFC 1071); false when they are not all in the frame or len
 * exceeds CSUM_MAX_LEN. Each block is copied out (bpf_xdp_load_bytes)
 * and summed at a constant size (bpf_csum_diff), the last one zero-padded,
 * which is how RFC 1071 pads an odd length: the verifier then checks one
 * path per block, where walking the frame in place at a variable offset
 * would branch on every size. For messages the dataplane answers (echo),
 * never for transit.
 */
static __always_inline bool csum_frame(struct xdp_md *ctx, __u32 off, __u32 len,
				       __u64 *sum)
{
	__u32 zero = 0;
	struct csum_block *buf = bpf_map_lookup_elem(&vnet_csumbuf, &zero);
	__u64 s = *sum, rem = len;	/* 64-bit: the verifier bounds it so */

	if (!buf || rem > CSUM_MAX_LEN)
		return false;
	/* the helper takes a 32-bit seed: fold the caller's sum into one */
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	for (int i = 0; i < CSUM_MAX_LEN / CSUM_BLOCK; i++) {
		__u64 n = rem;

		if (n == 0)
			break;
		if (n > CSUM_BLOCK)
			n = CSUM_BLOCK;
		if (n < CSUM_BLOCK)
			__builtin_memset(buf->w, 0, CSUM_BLOCK);
		if (bpf_xdp_load_bytes(ctx, off, buf->w, n))
			return false;
		s = bpf_csum_diff(NULL, 0, (__be32 *)buf->w, CSUM_BLOCK, s);
		off += n;
		rem -= n;
	}
	*sum = s;
	return true;
}

/*
 * An ICMP or ICMPv6 message of len bytes at msg (in the frame) that may be
 * answered: a whole header, and a checksum that sums right with seed (the
 * pseudo-header's sum for ICMPv6, 0 for ICMP).
 */
static __always_inline bool icmp_msg_ok(struct xdp_md *ctx, void *msg, __u32 len, __u64 seed)
{
	return len >= 8 &&
	       csum_frame(ctx, msg - (void *)(long)ctx->data, len, &seed) &&
	       csum_fold(seed) == 0xffff;
}

/* True when the header (options included) sums to 0xffff. */
static __always_inline bool ip_csum_ok(struct iphdr *iph, void *end)
{
	__u32 words = iph->ihl;
	__u32 *w = (__u32 *)iph;
	__u64 sum;

	if (words == 5)
		sum = (__u64)w[0] + w[1] + w[2] + w[3] + w[4];
	else
		sum = csum_words(w, words, 15, end);
	return csum_fold(sum) == 0xffff;
}

/* Checksum of a fresh 20-byte header we just wrote. */
static __always_inline void ip_csum_set(struct iphdr *iph)
{
	__u32 *w = (__u32 *)iph;

	iph->check = 0;
	iph->check = ~csum_fold((__u64)w[0] + w[1] + w[2] + w[3] + w[4]);
}

/* TTL - 1 with the RFC 1624 incremental update, as Linux does it. */
static __always_inline void ip_decrease_ttl(struct iphdr *iph)
{
	__u32 check = iph->check;

	check += bpf_htons(0x0100);
	iph->check = (__u16)(check + (check >= 0xffff));
	iph->ttl--;
}

/*
 * RFC 1624 eqn. 3 for one 16-bit word changing from `old` to `new`. When
 * every other word is zero (an all-zero echo becoming a reply), the
 * equation yields +0 (0x0000), which a receiver summing the message gets
 * as 0, not 0xffff: -0 (0xffff) is valid wherever +0 would be, and is
 * what a full computation gives.
 */
static __always_inline __u16 csum_replace2(__u16 check, __u16 old, __u16 new)
{
	__u64 sum = (__u16)~check + (__u64)(__u16)~old + new;
	__u16 c = ~csum_fold(sum);

	return c ? c : 0xffff;
}

#endif

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

/* RFC 1624 eqn. 3 for one 16-bit word changing from `old` to `new`. */
static __always_inline __u16 csum_replace2(__u16 check, __u16 old, __u16 new)
{
	__u64 sum = (__u16)~check + (__u64)(__u16)~old + new;

	return ~csum_fold(sum);
}

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * proto.h - the ICMP (RFC 792) and ARP (RFC 826) wire headers.
 *
 * The kernel's UAPI headers for these, linux/icmp.h and linux/if_arp.h,
 * include linux/if.h, which includes glibc's sys/socket.h; under clang's
 * BPF target that asks for gnu/stubs-32.h, which only a multilib package
 * provides. BPF objects here include no C library header at all (the
 * build checks it: tests/bpf_headers.sh), so these two come from the
 * RFCs, with the kernel's field and constant names.
 */
#ifndef VNET_PROTO_H
#define VNET_PROTO_H

#include <linux/types.h>

struct icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	union {
		struct {
			__be16 id;
			__be16 sequence;
		} echo;
		__be32 gateway;
		struct {
			__be16 __unused;
			__be16 mtu;
		} frag;
	} un;
};

#define ICMP_ECHOREPLY		0
#define ICMP_DEST_UNREACH	3
#define ICMP_SOURCE_QUENCH	4
#define ICMP_REDIRECT		5
#define ICMP_ECHO		8
#define ICMP_TIME_EXCEEDED	11
#define ICMP_PARAMETERPROB	12

/* Destination unreachable codes (RFC 792, RFC 1812 5.2.7.1). */
#define ICMP_NET_UNREACH	0
#define ICMP_HOST_UNREACH	1
#define ICMP_FRAG_NEEDED	4
#define ICMP_PKT_FILTERED	13
/* Time exceeded codes. */
#define ICMP_EXC_TTL		0

struct arphdr {
	__be16 ar_hrd;		/* hardware type */
	__be16 ar_pro;		/* protocol type */
	__u8   ar_hln;		/* hardware address length */
	__u8   ar_pln;		/* protocol address length */
	__be16 ar_op;
};

#define ARPHRD_ETHER	1
#define ARPOP_REQUEST	1
#define ARPOP_REPLY	2

_Static_assert(sizeof(struct icmphdr) == 8, "ICMP header is 8 bytes");
_Static_assert(sizeof(struct arphdr) == 8, "ARP fixed header is 8 bytes");

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/* util.c - small conversions shared by the library and its callers. */
#include <arpa/inet.h>
#include <stdio.h>
#include <time.h>
#include "internal.h"

const char *ip4_str(__u32 addr, char *buf)
{
	return inet_ntop(AF_INET, &addr, buf, INET_ADDRSTRLEN);
}

__u32 plen_mask(__u32 plen)
{
	return plen ? htonl(~0u << (32 - plen)) : 0;
}

const char *vnet_rt_type_name(__u8 type)
{
	switch (type) {
	case VNET_RT_UNICAST: return "unicast";
	case VNET_RT_LOCAL: return "local";
	case VNET_RT_BLACKHOLE: return "blackhole";
	case VNET_RT_UNREACHABLE: return "unreachable";
	default: return "?";
	}
}

const char *vnet_nud_name(__u8 state)
{
	switch (state) {
	case VNET_NUD_INCOMPLETE: return "incomplete";
	case VNET_NUD_REACHABLE: return "reachable";
	case VNET_NUD_STATIC: return "permanent";
	default: return "?";
	}
}

/* The clock of bpf_ktime_get_coarse_ns(), to age neighbor entries. */
__u64 vnet_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

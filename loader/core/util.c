/* SPDX-License-Identifier: BSD-2-Clause */
/* util.c - small conversions shared by the library and its callers. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "core.h"

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

/* ---- addresses of either family ---- */

static const struct vnet_fam fams[] = {
	{ 4, 4, 32, KIND_fib4, KIND_nbr4 },
	{ 6, 16, 128, KIND_fib6, KIND_nbr6 },
};

const struct vnet_fam *fam_of(struct vnet_state *st, __u8 family)
{
	for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++)
		if (fams[i].family == family)
			return &fams[i];
	vnet_fail(st, EAFNOSUPPORT, "address family %u: not IPv4 or IPv6", family);
	return NULL;
}

int ifaddrs_fd_of(const struct vnet_state *st, __u8 family)
{
	return family == 6 ? st->ifaddrs6_fd : st->ifaddrs_fd;
}

int vnet_ip_parse(const char *s, struct vnet_ip *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->v4) == 1)
		a->family = 4;
	else if (inet_pton(AF_INET6, s, a->v6) == 1)
		a->family = 6;
	else
		return -1;
	return 0;
}

const char *vnet_ip_str(const struct vnet_ip *a, char buf[VNET_IP_STRLEN])
{
	if (a->family == 6)
		return inet_ntop(AF_INET6, a->v6, buf, VNET_IP_STRLEN);
	return inet_ntop(AF_INET, &a->v4, buf, VNET_IP_STRLEN);
}

int vnet_ip_cmp(const struct vnet_ip *a, const struct vnet_ip *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->v6, b->v6, a->family == 6 ? 16 : 4);
}

void ip_mask(struct vnet_ip *a, __u32 plen)
{
	int bytes = a->family == 6 ? 16 : 4;

	for (int i = 0; i < bytes; i++) {
		int keep = (int)plen - i * 8;

		a->v6[i] &= keep >= 8 ? 0xff : keep <= 0 ? 0 : (__u8)(0xff << (8 - keep));
	}
}

bool ip_eq(const struct vnet_ip *a, const struct vnet_ip *b)
{
	return vnet_ip_cmp(a, b) == 0;
}

bool ip_is_zero(const struct vnet_ip *a)
{
	static const __u8 zero[16];

	return !memcmp(a->v6, zero, a->family == 6 ? 16 : 4);
}

void ip_put(const struct vnet_ip *a, __u8 *bytes)
{
	memcpy(bytes, a->v6, a->family == 6 ? 16 : 4);
}

void ip_get(struct vnet_ip *a, __u8 family, const __u8 *bytes)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	memcpy(a->v6, bytes, family == 6 ? 16 : 4);
}

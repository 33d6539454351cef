/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vnet.bpf.c - the XDP forwarding plane of every vnet at once.
 *
 * A frame's walk: interface -> vnet (curvnet) -> Ethernet -> ARP or IPv4
 * checks -> filter (inbound) -> route -> local delivery, or forwarding
 * decision -> filter (outbound) -> neighbor -> rewrite -> transmit. Frames of interfaces in vnet 0 (the host) or not
 * registered pass to the Linux stack untouched; every other frame is
 * forwarded, answered or dropped and counted, never handed to the host.
 */
#include "lib/arp.h"
#include "lib/filter.h"
#include "lib/ip.h"
#include "lib/local.h"
#include "lib/forward.h"
#include "lib/output.h"
#include <xdp/xdp_helpers.h>

/* libxdp: run early; let frames we pass reach programs after us. */
struct {
	__uint(priority, 10);
	__uint(XDP_PASS, 1);
} XDP_RUN_CONFIG(vnet_xdp);

/* From the vnet's own host stack: originated here, filtered outbound only. */
static __always_inline int hoststack_input(struct vnet_ctx *v, struct iphdr *iph)
{
	const struct fib4_route *rt = fib4_lookup(v, iph->daddr);
	struct fw_pkt p = {};

	if (rt && rt->type == VNET_RT_UNICAST) {
		switch (fw_outbound(v, &p, iph, rt->ifindex, true)) {
		case FW_DROP:
			return XDP_DROP;
		case FW_ANSWER:
			return ip_originate(v);
		}
	}
	return ip_originate_via(v, rt);
}

static __always_inline int ip_input(struct vnet_ctx *v, struct hdr_cursor *c)
{
	const struct vnet_iface *out = NULL;
	const struct fib4_route *rt;
	struct fw_pkt p = {};
	struct iphdr *iph;
	int verdict;

	iph = ip_validate(v, c);
	if (!iph || ip_martian(v, iph))
		return XDP_DROP;
	if (v->in->flags & VNET_IF_F_HOSTSTACK)
		return hoststack_input(v, iph);

	switch (fw_inbound(v, &p, iph)) {
	case FW_DROP:
		return XDP_DROP;
	case FW_ANSWER:
		return ip_originate(v);
	}

	rt = fib4_lookup(v, iph->daddr);
	if (rt && rt->type == VNET_RT_LOCAL)
		verdict = local_input(v, c, iph);
	else
		verdict = ip_forward(v, iph, rt, &out);

	if (verdict == V_FORWARD && rt && out) {
		switch (fw_outbound(v, &p, iph, rt->ifindex, false)) {
		case FW_DROP:
			return XDP_DROP;
		case FW_ANSWER:
			return ip_originate(v);
		}
		return ip_output(v, rt, out, true);
	}
	if (verdict == V_ORIGINATE)
		return ip_originate(v);
	if (verdict == V_HOSTSTACK)
		return hoststack_deliver(v);
	return XDP_DROP;
}

SEC("xdp")
int vnet_xdp(struct xdp_md *ctx)
{
	struct vnet_ctx v;
	struct hdr_cursor c;
	struct ethhdr *eth;

	if (!curvnet_set(&v, ctx))
		return XDP_PASS;
	cursor_init(&c, ctx);
	v.st->received++;
	v.st->received_bytes += c.end - c.pos;

	eth = parse_ethhdr(&c);
	if (!eth) {
		v.st->malformed++;
		return XDP_DROP;
	}
	if (eth->h_proto == bpf_htons(ETH_P_ARP))
		return arp_input(&v, &c, eth);
	if (eth->h_proto != bpf_htons(ETH_P_IP)) {
		v.st->unknown_proto++;
		return XDP_DROP;
	}
	if (!mac_eq(eth->h_dest, v.in->mac)) {
		if (mac_is_group(eth->h_dest))
			v.st->bcast_mcast++;
		else
			v.st->not_for_us++;
		return XDP_DROP;
	}
	return ip_input(&v, &c);
}

/*
 * On the namespace end of a vnet's host-stack veth: frames the dataplane
 * redirects into a veth are dropped unless the receiving end runs XDP.
 */
SEC("xdp")
int vnet_hs_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";

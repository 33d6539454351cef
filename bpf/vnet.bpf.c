/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vnet.bpf.c - the XDP forwarding plane of every vnet at once.
 *
 * A frame's walk: interface -> vnet (curvnet) -> Ethernet -> ARP, or IPv4
 * checks (IPv6: checks, then NDP) -> filter (inbound) -> route -> local
 * delivery, or forwarding decision -> filter (outbound) -> neighbor ->
 * rewrite -> transmit. Frames of interfaces in vnet 0 (the host) or not
 * registered pass to the Linux stack untouched; every other frame is
 * forwarded, answered or dropped and counted, never handed to the host.
 */
#include "lib/arp.h"
#include "lib/filter.h"
#include "lib/ip.h"
#include "lib/local.h"
#include "lib/forward.h"
#include "lib/output.h"
#include "lib/forward6.h"
#include "lib/output6.h"
#include <xdp/xdp_helpers.h>

/* libxdp: run early; let frames we pass reach programs after us. */
struct {
	__uint(priority, 10);
	__uint(XDP_PASS, 1);
} XDP_RUN_CONFIG(vnet_xdp);

/*
 * A verdict of the filter other than pass, either family (inet6 is a
 * constant at every call, so the verifier walks one side): the frame's
 * fate (malformed, or filtered), then the answer to send, if any.
 */
static __always_inline int fw_answer(struct vnet_ctx *v, bool inet6,
				     const struct ip6_info *info, int fw)
{
	bool send = fw == FW_ANSWER;

	if (fw == FW_MALFORMED)
		return vnet_drop(v, VNET_DROP_malformed);
	vnet_count_drop(v, VNET_DROP_filtered);
	if (fw == FW_UNREACH && inet6) {
		struct ipv6hdr *ip6 = ip6_reload(v);

		send = ip6 && icmp6_error_or_drop(v, ip6, info, ICMPV6_DEST_UNREACH,
						  ICMPV6_ADM_PROHIBITED, 0) == V_ORIGINATE;
	} else if (fw == FW_UNREACH) {
		struct hdr_cursor c;
		struct iphdr *iph = ip_reload(v, &c);

		send = iph && icmp_error_or_drop(v, iph, true, ICMP_DEST_UNREACH,
						 ICMP_PKT_FILTERED, 0) == V_ORIGINATE;
	}
	if (!send)
		return XDP_DROP;
	return inet6 ? ip6_originate(v) : ip_originate(v);
}

/* From the vnet's own host stack: originated here, filtered outbound only. */
static __always_inline int hoststack_input(struct vnet_ctx *v, struct iphdr *iph,
					   struct fw_pkt *p)
{
	const struct fib4_route *rt = fib4_lookup(v, iph->daddr);

	if (rt && rt->type == VNET_RT_UNICAST) {
		int fw = fw_outbound(v, p, iph, NULL, rt->ifindex, true);

		if (fw != FW_PASS)
			return fw_answer(v, false, NULL, fw);
	}
	return ip_originate_via(v, rt);
}

/* What an input step decided, as the frame's XDP action. */
static __always_inline int ip_finish(struct vnet_ctx *v, int verdict)
{
	if (verdict == V_ORIGINATE)
		return ip_originate(v);
	if (verdict == V_HOSTSTACK)
		return hoststack_deliver(v);
	return XDP_DROP;	/* V_DROP: counted by the step */
}

/* p: zeroed room for the filter's facts (fw_pkt_scratch). */
static __always_inline int ip_input(struct vnet_ctx *v, struct hdr_cursor *c,
				    struct fw_pkt *p)
{
	const struct vnet_iface *out = NULL;
	const struct fib4_route *rt;
	struct iphdr *iph;
	int verdict, fw;

	iph = ip_validate(v, c);
	if (!iph || ip_martian(v, iph))
		return XDP_DROP;
	if (v->in->flags & VNET_IF_F_HOSTSTACK)
		return hoststack_input(v, iph, p);

	fw = fw_inbound(v, p, iph, NULL);
	if (fw != FW_PASS)
		return fw_answer(v, false, NULL, fw);
	/* The verifier forgets packet pointers across the filter's function
	 * (it may rewrite the frame); it cannot tell whether it ran. */
	iph = ip_reload(v, c);
	if (!iph)
		return vnet_drop(v, VNET_DROP_malformed);

	rt = fib4_lookup_inline(v, iph->daddr);
	if (rt && rt->type == VNET_RT_LOCAL)
		verdict = local_input(v, c, iph);
	else
		verdict = ip_forward(v, iph, rt, &out);

	if (verdict == V_FORWARD && rt && out) {
		fw = fw_outbound(v, p, iph, NULL, rt->ifindex, false);
		if (fw != FW_PASS)
			return fw_answer(v, false, NULL, fw);
		return ip_output(v, rt, out, true);
	}
	return ip_finish(v, verdict);
}

/* IPv6 from the vnet's host stack: originated here, filtered outbound only. */
static __always_inline int hoststack_input6(struct vnet_ctx *v, struct ipv6hdr *ip6,
					    const struct ip6_info *info, struct fw_pkt *p)
{
	const struct fib6_route *rt = fib6_lookup(v, &ip6->daddr);

	if (rt && rt->type == VNET_RT_UNICAST) {
		int fw = fw_outbound(v, p, ip6, info, rt->ifindex, true);

		if (fw != FW_PASS)
			return fw_answer(v, true, info, fw);
	}
	return ip6_originate_via(v, rt);
}

/* Neighbor and router discovery: the ND function, or the host stack. */
static __always_inline int nd_dispatch(struct vnet_ctx *v, struct ipv6hdr *ip6,
				       const struct ip6_info *info, bool *is_nd)
{
	void *end = (void *)(long)v->xdp->data_end;
	struct icmp6hdr *h = ip6_l4(ip6, info, end, sizeof(*h));

	*is_nd = info->proto == IPPROTO_ICMPV6 && !info->frag && h &&
		 nd_is_nd(h->icmp6_type);
	if (!*is_nd)
		return 0;
	/* router discovery is the host stack's business, not XDP's */
	if ((h->icmp6_type == ND_ROUTER_SOLICIT || h->icmp6_type == ND_ROUTER_ADVERT) &&
	    v->conf->hs_ifindex && !(v->in->flags & VNET_IF_F_HOSTSTACK))
		return hoststack_deliver(v);
	/* counted there, in its own context: this one's fate is its */
	v->fated = 1;
	return vnet_nd_input(v->xdp, v->id, info->l4_off);
}

static __always_inline int ip6_input(struct vnet_ctx *v, struct hdr_cursor *c,
				     struct ethhdr *eth, __u64 len)
{
	const struct vnet_iface *out = NULL;
	const struct fib6_route *rt;
	struct ip6_info info;
	struct ipv6hdr *ip6;
	struct fw_pkt *p;
	int verdict, fw;
	bool is_nd;

	if (!curvnet_inet6(v)) {	/* counted with IPv4, which has its record */
		v->st->received++;
		return vnet_drop(v, VNET_DROP_internal);
	}
	v->st->received++;
	v->st->received_bytes += len;
	if (mac_is_group(eth->h_source) || mac_is_zero(eth->h_source))	/* no station */
		return vnet_drop(v, VNET_DROP_malformed);
	p = fw_pkt_scratch();
	if (!p)
		return vnet_drop(v, VNET_DROP_internal);
	ip6 = ip6_validate(v, c, &info);
	if (!ip6)
		return XDP_DROP;
	verdict = nd_dispatch(v, ip6, &info, &is_nd);
	if (is_nd)
		return verdict;
	eth = (void *)(long)v->xdp->data;
	if ((void *)(eth + 1) > (void *)(long)v->xdp->data_end)
		return vnet_drop(v, VNET_DROP_malformed);
	if (!mac_eq(eth->h_dest, v->in->mac))
		return vnet_drop(v, mac_is_group(eth->h_dest) ? VNET_DROP_bcast_mcast
							      : VNET_DROP_not_for_us);
	if (ip6_martian(v, ip6))
		return XDP_DROP;
	if (v->in->flags & VNET_IF_F_HOSTSTACK)
		return hoststack_input6(v, ip6, &info, p);
	fw = fw_inbound(v, p, ip6, &info);
	if (fw != FW_PASS)
		return fw_answer(v, true, &info, fw);
	ip6 = ip6_reload(v);
	if (!ip6)
		return vnet_drop(v, VNET_DROP_malformed);

	rt = fib6_lookup(v, &ip6->daddr);
	if (rt && rt->type == VNET_RT_LOCAL)
		verdict = local6_input(v, ip6, &info);
	else
		verdict = ip6_forward(v, ip6, &info, rt, &out);

	if (verdict == V_FORWARD && rt && out) {
		fw = fw_outbound(v, p, ip6, &info, rt->ifindex, false);
		if (fw != FW_PASS)
			return fw_answer(v, true, &info, fw);
		return ip6_output(v, rt, out, true);
	}
	if (verdict == V_ORIGINATE)
		return ip6_originate(v);
	if (verdict == V_HOSTSTACK)
		return hoststack_deliver(v);
	return XDP_DROP;	/* V_DROP: counted by the step */
}

SEC("xdp")
int vnet_xdp(struct xdp_md *ctx)
{
	struct vnet_ctx v;
	struct hdr_cursor c;
	struct ethhdr *eth;
	struct fw_pkt *p;
	__u64 len;

	if (!curvnet_set(&v, ctx))
		return XDP_PASS;
	len = ctx->data_end - ctx->data;
	cursor_init(&c, ctx);
	eth = parse_ethhdr(&c);
	/* From here the frame is the vnet's: counted in its family's
	 * counters, and in exactly one fate (fate.h). */
	if (eth && eth->h_proto == bpf_htons(ETH_P_IPV6))
		return ip6_input(&v, &c, eth, len);
	v.st->received++;
	v.st->received_bytes += len;
	/* IEEE 802: no station has a group or an all-zero address */
	if (!eth || mac_is_group(eth->h_source) || mac_is_zero(eth->h_source))
		return vnet_drop(&v, VNET_DROP_malformed);
	p = fw_pkt_scratch();
	if (!p)
		return vnet_drop(&v, VNET_DROP_internal);
	if (eth->h_proto == bpf_htons(ETH_P_ARP))
		return arp_input(&v, &c, eth);
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return vnet_drop(&v, VNET_DROP_unknown_proto);
	if (!mac_eq(eth->h_dest, v.in->mac))
		return vnet_drop(&v, mac_is_group(eth->h_dest) ? VNET_DROP_bcast_mcast
							       : VNET_DROP_not_for_us);
	return ip_input(&v, &c, p);
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

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fw_print.c - a rule as text, in the form fw_parse.c reads back (ipfw's
 * `ipfw list` order: action, protocol, from, to, options).
 */
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <string.h>
#include "ctl.h"

struct out {
	char *buf;
	size_t len, at;
};

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->at >= o->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->at, o->len - o->at, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->at += (size_t)n;
}

const char *fw_action_name(__u8 action)
{
	switch (action) {
	case FW_ALLOW: return "allow";
	case FW_DENY: return "deny";
	case FW_REJECT: return "reject";
	case FW_COUNT: return "count";
	case FW_SETFIB: return "setfib";
	case FW_SKIPTO: return "skipto";
	default: return "?";
	}
}

const char *fw_proto_name(__u8 proto, char buf[8])
{
	switch (proto) {
	case 0: return "ip";
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_ICMP: return "icmp";
	case IPPROTO_ICMPV6: return "ipv6-icmp";
	default: snprintf(buf, 8, "%u", proto); return buf;
	}
}

const char *fw_tcp_phase(__u8 tcp)
{
	if (tcp & FW_TCP_RST)
		return "reset";
	if ((tcp & (FW_TCP_FIN_A | FW_TCP_FIN_B)) == (FW_TCP_FIN_A | FW_TCP_FIN_B))
		return "closed";
	if (tcp & (FW_TCP_FIN_A | FW_TCP_FIN_B))
		return "closing";
	if ((tcp & (FW_TCP_SYN_A | FW_TCP_SYN_B)) == (FW_TCP_SYN_A | FW_TCP_SYN_B))
		return "established";
	return "opening";
}

static void put_addr(struct out *o, __u8 family, const __u32 *addr, const __u32 *mask)
{
	struct vnet_ip a = { .family = family == 6 ? 6 : 4 };
	char ip[VNET_IP_STRLEN];
	int plen = 0;

	for (int w = 0; w < 4; w++)
		plen += __builtin_popcount(mask[w]);
	if (!plen) {
		put(o, " any");
		return;
	}
	memcpy(a.w, addr, sizeof(a.w));
	put(o, " %s", vnet_ip_str(&a, ip));
	if (plen != (a.family == 6 ? 128 : 32))
		put(o, "/%d", plen);
}

static void put_ports(struct out *o, const char *kw, const __u16 *range)
{
	if (range[0] == range[1])
		put(o, " %s %u", kw, range[0]);
	else
		put(o, " %s %u-%u", kw, range[0], range[1]);
}

static void put_tcp(struct out *o, const struct fw_rule *r)
{
	static const char *const names[8] = {
		"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr"
	};
	const char *sep = " tcpflags ";

	if (r->tcp_set == 0x02 && r->tcp_clr == 0x10) {
		put(o, " setup");
		return;
	}
	for (int i = 0; i < 8; i++) {
		if (r->tcp_set & (1u << i))
			put(o, "%s%s", sep, names[i]), sep = ",";
		if (r->tcp_clr & (1u << i))
			put(o, "%s!%s", sep, names[i]), sep = ",";
	}
}

static void put_icmptypes(struct out *o, const struct fw_rule *r)
{
	const char *sep = " icmptypes ";

	for (int t = 0; t < 256; t++)
		if (r->icmp_types[t >> 6] & (1ULL << (t & 63)))
			put(o, "%s%d", sep, t), sep = ",";
}

static void put_iface(struct out *o, const struct fw_rule *r)
{
	static const char *const kw[] = { "", "recv", "xmit", "via" };
	char name[IF_NAMESIZE];

	if (r->if_match == FW_IF_ANY || r->if_match > FW_IF_VIA)
		return;
	if (!if_indextoname(r->ifindex, name))
		snprintf(name, sizeof(name), "if%u", r->ifindex);
	put(o, " %s %s", kw[r->if_match], name);
}

void fw_rule_format(const struct fw_rule *r, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };
	char pn[8];

	buf[0] = '\0';
	put(&o, "%s", fw_action_name(r->action));
	if (r->action == FW_SETFIB || r->action == FW_SKIPTO)
		put(&o, " %u", r->arg);
	put(&o, " %s from", fw_proto_name(r->proto, pn));
	put_addr(&o, r->family, r->src, r->smask);
	if (r->flags & FW_F_SPORT)
		put_ports(&o, "src-port", r->sport);
	put(&o, " to");
	put_addr(&o, r->family, r->dst, r->dmask);
	if (r->flags & FW_F_DPORT)
		put_ports(&o, "dst-port", r->dport);
	if (r->flags & FW_F_IN)
		put(&o, " in");
	if (r->flags & FW_F_OUT)
		put(&o, " out");
	put_iface(&o, r);
	if (r->flags & FW_F_FIB)
		put(&o, " fib %u", r->fib);
	if (r->flags & FW_F_TCPFLAGS)
		put_tcp(&o, r);
	if (r->flags & FW_F_ESTAB)
		put(&o, " established");
	if (r->flags & FW_F_ICMPTYPES)
		put_icmptypes(&o, r);
	if (r->flags & FW_F_KEEP_STATE)
		put(&o, " keep-state");
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fw_parse.c - an ipfw rule from the command line:
 *
 *   [NUM] ACTION [[proto] PROTO] [from ADDR [[port] PORTS]]
 *         [to ADDR [[port] PORTS]] [OPTION ...]
 *
 * ACTION  allow|accept|pass|permit, deny|drop, reject|reset|unreach, count,
 *         setfib N, skipto N
 * PROTO   ip|all, tcp, udp, icmp, ipv6-icmp (icmp6), or a protocol number
 * ADDR    any, or an IPv4 or IPv6 address with an optional /LEN
 * PORTS   N or N-M
 * OPTION  in, out, via|recv|xmit IFNAME, keep-state, setup, established,
 *         tcpflags [!]F[,[!]F...] (fin syn rst psh ack urg ece cwr),
 *         icmptypes T[,T...], fib N, proto PROTO, src-port PORTS,
 *         dst-port PORTS
 *
 * Every error names the token at fault.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

struct parser {
	const struct ctl *c;
	char **argv;
	int argc, i;
	struct fw_rule *r;
	const char **ifname;
};

static const char *peek(const struct parser *p)
{
	return p->i < p->argc ? p->argv[p->i] : NULL;
}

static int bad(const struct parser *p, const char *tok, const char *why)
{
	return ctl_err(p->c, "filter: '%s': %s", tok ? tok : "(end of rule)", why);
}

/* The value after keyword argv[i-1]. */
static const char *value(struct parser *p, const char *what)
{
	const char *kw = p->argv[p->i - 1], *v = peek(p);

	if (!v) {
		ctl_err(p->c, "filter: '%s' needs %s", kw, what);
		return NULL;
	}
	p->i++;
	return v;
}

static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static int number(const struct parser *p, const char *tok, unsigned long max,
		  unsigned long *v)
{
	if (!is_number(tok) || strlen(tok) > 10 || (*v = strtoul(tok, NULL, 10)) > max) {
		char why[64];

		snprintf(why, sizeof(why), "expected a number from 0 to %lu", max);
		return bad(p, tok, why);
	}
	return 0;
}

static const struct { const char *name; __u8 action; } actions[] = {
	{ "allow", FW_ALLOW }, { "accept", FW_ALLOW }, { "pass", FW_ALLOW },
	{ "permit", FW_ALLOW }, { "deny", FW_DENY }, { "drop", FW_DENY },
	{ "reject", FW_REJECT }, { "reset", FW_REJECT }, { "unreach", FW_REJECT },
	{ "count", FW_COUNT }, { "setfib", FW_SETFIB }, { "skipto", FW_SKIPTO },
};

static int parse_action(struct parser *p)
{
	const char *tok = peek(p), *v;
	unsigned long n;

	for (size_t i = 0; tok && i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (strcmp(tok, actions[i].name))
			continue;
		p->i++;
		p->r->action = actions[i].action;
		if (p->r->action == FW_SETFIB || p->r->action == FW_SKIPTO) {
			if (!(v = value(p, "a number")))
				return 1;
			if (number(p, v, p->r->action == FW_SETFIB ? VNET_MAX_FIBS - 1 :
				   FW_RULE_DEFAULT, &n))
				return 1;
			p->r->arg = n;
		}
		return 0;
	}
	return bad(p, tok, "expected an action (allow, deny, reject, count, "
		   "setfib N, skipto N)");
}

static bool proto_of(const char *s, __u8 *proto)
{
	unsigned long n;

	if (!strcmp(s, "ip") || !strcmp(s, "all"))
		*proto = 0;
	else if (!strcmp(s, "tcp"))
		*proto = IPPROTO_TCP;
	else if (!strcmp(s, "udp"))
		*proto = IPPROTO_UDP;
	else if (!strcmp(s, "icmp"))
		*proto = IPPROTO_ICMP;
	else if (!strcmp(s, "ipv6-icmp") || !strcmp(s, "icmp6"))
		*proto = IPPROTO_ICMPV6;
	else if (is_number(s) && strlen(s) <= 3 && (n = strtoul(s, NULL, 10)) <= 255)
		*proto = n;
	else
		return false;
	return true;
}

static int parse_addr(struct parser *p, __u32 *addr, __u32 *mask)
{
	const char *tok = peek(p);
	char buf[64], *slash;
	unsigned long plen, max;
	struct vnet_ip a;

	if (!tok)
		return bad(p, NULL, "expected an address (any, ADDR[/LEN])");
	p->i++;
	if (!strcmp(tok, "any")) {
		memset(addr, 0, 16);
		memset(mask, 0, 16);
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", tok);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (vnet_ip_parse(buf, &a))
		return bad(p, tok, "expected an address (any, A.B.C.D[/LEN], X:X::X[/LEN])");
	max = a.family == 6 ? 128 : 32;
	plen = max;
	if (slash && (!is_number(slash) || (plen = strtoul(slash, NULL, 10)) > max))
		return bad(p, tok, a.family == 6 ? "prefix length must be 0 to 128"
						 : "prefix length must be 0 to 32");
	if (p->r->family && p->r->family != a.family)
		return bad(p, tok, "from and to are of two address families");
	for (int w = 0; w < 4; w++) {
		long bits = (long)plen - 32 * w;

		mask[w] = w >= (int)(max / 32) || bits <= 0 ? 0 :
			  htonl(bits >= 32 ? ~0u : ~0u << (32 - bits));
		addr[w] = a.w[w] & mask[w];
	}
	p->r->family = a.family;
	return 0;
}

static bool is_ports(const char *s)
{
	const char *dash = strchr(s, '-');

	if (!dash)
		return is_number(s);
	return dash != s && strspn(s, "0123456789") == (size_t)(dash - s) &&
	       is_number(dash + 1);
}

static int parse_ports(struct parser *p, const char *tok, __u16 range[2])
{
	unsigned long lo, hi;
	char *end;

	if (!is_ports(tok))
		return bad(p, tok, "expected a port or a range (N or N-M)");
	lo = strtoul(tok, &end, 10);
	hi = *end == '-' ? strtoul(end + 1, NULL, 10) : lo;
	if (lo > 65535 || hi > 65535)
		return bad(p, tok, "ports run from 0 to 65535");
	if (lo > hi)
		return bad(p, tok, "the range runs backwards");
	range[0] = lo;
	range[1] = hi;
	return 0;
}

/* from|to ADDR [[port|src-port|dst-port] PORTS] (what fw_print.c writes) */
static int parse_endpoint(struct parser *p, bool src)
{
	struct fw_rule *r = p->r;
	const char *tok;

	if (parse_addr(p, src ? r->src : r->dst, src ? r->smask : r->dmask))
		return 1;
	tok = peek(p);
	if (tok && (!strcmp(tok, "port") ||
		    !strcmp(tok, src ? "src-port" : "dst-port"))) {
		p->i++;
		if (!(tok = value(p, "a port or a range")))
			return 1;
	} else if (!tok || !is_ports(tok)) {
		return 0;
	} else {
		p->i++;
	}
	r->flags |= src ? FW_F_SPORT : FW_F_DPORT;
	return parse_ports(p, tok, src ? r->sport : r->dport);
}

static const char *const tcp_flag_names[8] = {
	"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr"
};

static int parse_tcpflags(struct parser *p, const char *list)
{
	char buf[128], *save, *f;

	snprintf(buf, sizeof(buf), "%s", list);
	for (f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		bool neg = *f == '!';
		int bit = -1;

		for (int i = 0; i < 8; i++)
			if (!strcmp(f + neg, tcp_flag_names[i]))
				bit = i;
		if (bit < 0)
			return bad(p, list, "tcpflags takes fin, syn, rst, psh, ack, "
				   "urg, ece, cwr, each optionally with !");
		if (neg)
			p->r->tcp_clr |= 1u << bit;
		else
			p->r->tcp_set |= 1u << bit;
	}
	if (p->r->tcp_set & p->r->tcp_clr)
		return bad(p, list, "a flag cannot be both set and clear");
	p->r->flags |= FW_F_TCPFLAGS;
	return 0;
}

static int parse_icmptypes(struct parser *p, const char *list)
{
	char buf[256], *save, *t;

	snprintf(buf, sizeof(buf), "%s", list);
	for (t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		unsigned long n;

		if (!is_number(t) || strlen(t) > 3 || (n = strtoul(t, NULL, 10)) > 255)
			return bad(p, list, "icmptypes takes numbers 0 to 255, "
				   "separated by commas");
		p->r->icmp_types[n >> 6] |= 1ULL << (n & 63);
	}
	p->r->flags |= FW_F_ICMPTYPES;
	return 0;
}

static int parse_iface(struct parser *p, __u8 how)
{
	const char *v = value(p, "an interface name");

	if (!v)
		return 1;
	if (p->r->if_match != FW_IF_ANY)
		return bad(p, v, "one of via, recv, xmit per rule");
	p->r->if_match = how;
	*p->ifname = v;
	return 0;
}

static int parse_option(struct parser *p)
{
	struct fw_rule *r = p->r;
	const char *tok = p->argv[p->i++], *v;
	unsigned long n;

	if (!strcmp(tok, "in") || !strcmp(tok, "out")) {
		if (r->flags & (FW_F_IN | FW_F_OUT))
			return bad(p, tok, "in and out exclude each other");
		r->flags |= tok[0] == 'i' ? FW_F_IN : FW_F_OUT;
	} else if (!strcmp(tok, "via")) {
		return parse_iface(p, FW_IF_VIA);
	} else if (!strcmp(tok, "recv")) {
		return parse_iface(p, FW_IF_RECV);
	} else if (!strcmp(tok, "xmit")) {
		return parse_iface(p, FW_IF_XMIT);
	} else if (!strcmp(tok, "keep-state")) {
		r->flags |= FW_F_KEEP_STATE;
	} else if (!strcmp(tok, "setup")) {
		r->flags |= FW_F_TCPFLAGS;
		r->tcp_set |= 0x02;	/* syn */
		r->tcp_clr |= 0x10;	/* !ack */
	} else if (!strcmp(tok, "established")) {
		r->flags |= FW_F_ESTAB;
	} else if (!strcmp(tok, "tcpflags")) {
		return !(v = value(p, "a flag list")) || parse_tcpflags(p, v);
	} else if (!strcmp(tok, "icmptypes") || !strcmp(tok, "icmptype")) {
		return !(v = value(p, "a type list")) || parse_icmptypes(p, v);
	} else if (!strcmp(tok, "fib")) {
		if (!(v = value(p, "a FIB number")) || number(p, v, VNET_MAX_FIBS - 1, &n))
			return 1;
		r->flags |= FW_F_FIB;
		r->fib = n;
	} else if (!strcmp(tok, "proto")) {
		if (!(v = value(p, "a protocol")))
			return 1;
		if (!proto_of(v, &r->proto))
			return bad(p, v, "expected a protocol (ip, tcp, udp, icmp, "
				   "ipv6-icmp, or a number)");
	} else if (!strcmp(tok, "src-port") || !strcmp(tok, "dst-port")) {
		bool src = tok[0] == 's';

		if (!(v = value(p, "a port or a range")))
			return 1;
		r->flags |= src ? FW_F_SPORT : FW_F_DPORT;
		return parse_ports(p, v, src ? r->sport : r->dport);
	} else {
		return bad(p, tok, "unknown word (options: in, out, via, recv, xmit, "
			   "keep-state, setup, established, tcpflags, icmptypes, "
			   "fib, proto, src-port, dst-port)");
	}
	return 0;
}

/* Conditions the packet's protocol can never meet. */
static int check_consistency(const struct parser *p)
{
	const struct fw_rule *r = p->r;
	bool ports = r->flags & (FW_F_SPORT | FW_F_DPORT);

	if (ports && r->proto && r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP)
		return bad(p, "port", "ports need proto tcp or udp");
	if ((r->flags & (FW_F_TCPFLAGS | FW_F_ESTAB)) && r->proto != IPPROTO_TCP)
		return bad(p, r->flags & FW_F_ESTAB ? "established" : "setup/tcpflags",
			   "TCP flags need proto tcp");
	if ((r->flags & FW_F_ICMPTYPES) && r->proto != IPPROTO_ICMP &&
	    r->proto != IPPROTO_ICMPV6)
		return bad(p, "icmptypes", "ICMP types need proto icmp or ipv6-icmp");
	if ((r->flags & FW_F_KEEP_STATE) && r->action != FW_ALLOW)
		return bad(p, "keep-state", "keep-state goes with allow rules only");
	return 0;
}

int fw_rule_parse(const struct ctl *c, int argc, char **argv, struct fw_rule *r,
		  const char **ifname)
{
	struct parser p = { .c = c, .argv = argv, .argc = argc, .r = r,
			    .ifname = ifname };
	unsigned long n;
	const char *tok;

	memset(r, 0, sizeof(*r));
	*ifname = NULL;
	if (peek(&p) && is_number(peek(&p))) {
		if (number(&p, peek(&p), FW_RULE_DEFAULT - 1, &n))
			return 1;
		if (!n)
			return bad(&p, peek(&p), "rule numbers run from 1 to 65534");
		r->num = n;
		p.i++;
	}
	if (parse_action(&p))
		return 1;
	tok = peek(&p);
	if (tok && !strcmp(tok, "proto")) {	/* the and pf's form */
		p.i++;
		if (!(tok = value(&p, "a protocol")))
			return 1;
		if (!proto_of(tok, &r->proto))
			return bad(&p, tok, "expected a protocol (ip, tcp, udp, icmp, "
				   "ipv6-icmp, or a number)");
	} else if (tok && proto_of(tok, &r->proto)) {
		p.i++;
	}
	if (peek(&p) && !strcmp(peek(&p), "from")) {
		p.i++;
		if (parse_endpoint(&p, true))
			return 1;
	}
	if (peek(&p) && !strcmp(peek(&p), "to")) {
		p.i++;
		if (parse_endpoint(&p, false))
			return 1;
	}
	while (peek(&p))
		if (parse_option(&p))
			return 1;
	return check_consistency(&p);
}

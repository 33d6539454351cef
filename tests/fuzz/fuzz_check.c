/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_check.c - what must hold for every frame the program is given,
 * judged from outside it: one fate counted; nothing aborted or handed to
 * the host; anything sent is a well-formed frame from an interface of the
 * ingress vnet, within the egress MTU, from and to no martian, with valid
 * checksums when the dataplane built it; and nothing forwarded that the
 * filter's rules (modelled here with a parser that walks every extension
 * header) deny, unless a state the rules allowed covers it.
 */
#include "fuzz.h"

const char *const defect_names[D_COUNT] = {
	[D_ABORTED] = "aborted", [D_PASSED] = "passed_to_host", [D_FATES] = "fates_not_one",
	[D_FOREIGN_MAC] = "foreign_src_mac", [D_DST_MAC] = "bad_dst_mac",
	[D_ETHERTYPE] = "bad_ethertype_out", [D_IP4_HEADER] = "bad_ipv4_out",
	[D_IP6_HEADER] = "bad_ipv6_out", [D_ARP] = "bad_arp_out", [D_TTL] = "ttl_out",
	[D_MTU] = "over_mtu", [D_MARTIAN_OUT] = "martian_out", [D_CHECKSUM] = "bad_l4_checksum",
	[D_FILTER_BYPASS] = "filter_bypass", [D_STATE_FROM_DENIED] = "state_from_denied",
	[D_OTHER_VNET] = "other_vnet_counted",
};

static struct vnet_iface ifrec[NIFS];

void check_setup(void)
{
	__u32 idx;

	for (int i = 0; i < NIFS; i++)
		vnet_iface_get(st, ifn[i], &idx, &ifrec[i]);
}

/* ---- sums (pkt.h: sum16, fold16) ---- */

/* L4 sum with a pseudo-header: 0xffff when the checksum is right. */
static __u16 l4_sum(int family, const __u8 *src, const __u8 *dst, __u8 proto,
		    const __u8 *l4, size_t len)
{
	int alen = family == 6 ? 16 : 4;
	__u32 s = sum16(src, alen) + sum16(dst, alen) + proto + (len & 0xffff) +
		  (len >> 16);

	return fold16(s + sum16(l4, len));
}

static void set_l4_sum(int family, const __u8 *src, const __u8 *dst, __u8 proto, __u8 *l4,
		       size_t len, size_t csum_off)
{
	if (csum_off + 2 > len)
		return;
	l4[csum_off] = l4[csum_off + 1] = 0;
	__u16 c = ~(proto == IPPROTO_ICMP ? fold16(sum16(l4, len))
					  : l4_sum(family, src, dst, proto, l4, len));
	l4[csum_off] = c >> 8;
	l4[csum_off + 1] = c;
}

/* ---- a full parse, for the model and for checksums ---- */

struct parsed {
	int family;		/* 0: not IP */
	const __u8 *src, *dst;
	__u8 proto;
	const __u8 *l4;		/* NULL: later fragment, or cut short */
	size_t l4_len;
	bool later_frag;
	bool ok;		/* headers all there */
};

static bool is_ext(__u8 nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51;
}

static struct parsed parse(const __u8 *f, size_t len)
{
	struct parsed p = {};
	__u16 type;

	if (len < 14)
		return p;
	type = (f[12] << 8) | f[13];
	if (type == ETH_P_IP && len >= 34 && f[14] >> 4 == 4) {
		size_t hl = (f[14] & 15) * 4, tot = (f[16] << 8) | f[17];
		__u16 frag = (f[20] << 8) | f[21];

		p.family = 4;
		p.src = f + 26;
		p.dst = f + 30;
		p.proto = f[23];
		if (hl < 20 || tot < hl || 14 + tot > len)
			return p;
		p.ok = true;
		p.later_frag = frag & 0x1fff;
		if (!p.later_frag) {
			p.l4 = f + 14 + hl;
			p.l4_len = tot - hl;
		}
	} else if (type == ETH_P_IPV6 && len >= 54 && f[14] >> 4 == 6) {
		size_t end = 54 + ((f[18] << 8) | f[19]), off = 54;
		__u8 nh = f[20];

		p.family = 6;
		p.src = f + 22;
		p.dst = f + 38;
		if (end > len)
			return p;
		while (is_ext(nh)) {
			__u8 next;

			if (off + 8 > end)
				return p;
			next = f[off];
			if (nh == 44) {
				p.later_frag = ((f[off + 2] << 8) | f[off + 3]) & 0xfff8;
				off += 8;
			} else if (nh == 51) {
				off += (f[off + 1] + 2) * 4;
			} else {
				off += (f[off + 1] + 1) * 8;
			}
			nh = next;
		}
		if (off > end)
			return p;
		p.proto = nh;
		p.ok = true;
		if (!p.later_frag) {
			p.l4 = f + off;
			p.l4_len = end - off;
		}
	}
	return p;
}

void fix_checksums(__u8 *f, size_t len)
{
	struct parsed p;

	if (len >= 34 && f[12] == 0x08 && f[13] == 0x00 && (f[14] & 15) >= 5 &&
	    14 + (f[14] & 15) * 4u <= len) {
		size_t hl = (f[14] & 15) * 4;

		f[24] = f[25] = 0;
		__u16 c = ~fold16(sum16(f + 14, hl));
		f[24] = c >> 8;
		f[25] = c;
	}
	p = parse(f, len);
	if (!p.ok || !p.l4)
		return;
	if (p.proto == IPPROTO_TCP)
		set_l4_sum(p.family, p.src, p.dst, p.proto, (__u8 *)p.l4, p.l4_len, 16);
	else if (p.proto == IPPROTO_UDP)
		set_l4_sum(p.family, p.src, p.dst, p.proto, (__u8 *)p.l4, p.l4_len, 6);
	else if (p.proto == IPPROTO_ICMP || p.proto == IPPROTO_ICMPV6)
		set_l4_sum(p.family, p.src, p.dst, p.proto, (__u8 *)p.l4, p.l4_len, 2);
}

/* ---- the filter's rules, as fuzz.c installs them in both tenants ---- */

/*
 * 100 allow tcp from any to any dst-port 80 keep-state
 * 200 reject tcp from any to any dst-port 22
 * 300 allow udp from 10.0.1.0/24 to any keep-state
 * 310 allow udp from 2001:db8:1::/64 to any keep-state
 * 400 allow icmp from any to any
 * 500 allow ipv6-icmp from any to any
 * 65535 deny
 * Returns the rule that allows, 0 when denied. Ports are read only from a
 * header that is all there: a rule that asks for them never matches
 * without (ipfw).
 */
static int model_rule(const struct parsed *p)
{
	bool ports = p->l4 && p->l4_len >= 8;
	__u16 dport = ports ? (p->l4[2] << 8) | p->l4[3] : 0;

	if (!p->ok)
		return 0;
	if (p->proto == IPPROTO_TCP && ports && dport == 80)
		return 100;
	if (p->proto == IPPROTO_TCP && ports && dport == 22)
		return 0;
	if (p->proto == IPPROTO_UDP && p->family == 4 && p->src[0] == 10 && p->src[1] == 0 &&
	    p->src[2] == 1)
		return 300;
	if (p->proto == IPPROTO_UDP && p->family == 6 && !memcmp(p->src, ip6("2001:db8:1::").b, 8))
		return 310;
	/* a protocol number matches in either family, as ipfw's `proto` does */
	if (p->proto == IPPROTO_ICMP)
		return 400;
	if (p->proto == IPPROTO_ICMPV6)
		return 500;
	return 0;
}

/* Is there a state for p's flow in the vnet's table (fw_key_set's key)? */
static bool state_exists(__u32 vnet, const struct parsed *p)
{
	struct fw_state_key k = {};
	struct fw_state s;
	__u32 src[4] = {}, dst[4] = {};
	int words = p->family == 6 ? 4 : 1, cmp = 0, fd;
	__u16 sport = 0, dport = 0;
	char path[256];
	bool from_a, found;

	if (!p->l4 || p->l4_len < 8)
		return false;
	memcpy(src, p->src, words * 4);
	memcpy(dst, p->dst, words * 4);
	if (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP) {
		sport = (p->l4[0] << 8) | p->l4[1];
		dport = (p->l4[2] << 8) | p->l4[3];
	} else if ((p->proto == IPPROTO_ICMP && (p->l4[0] == 0 || p->l4[0] == 8)) ||
		   (p->proto == IPPROTO_ICMPV6 && (p->l4[0] == 128 || p->l4[0] == 129))) {
		sport = dport = (p->l4[4] << 8) | p->l4[5];
	}
	for (int i = 0; i < words && !cmp; i++)
		if (src[i] != dst[i])
			cmp = src[i] < dst[i] ? -1 : 1;
	if (!cmp)
		cmp = sport < dport ? -1 : sport > dport;
	from_a = cmp <= 0;
	for (int i = 0; i < words; i++) {
		k.a[i] = from_a ? src[i] : dst[i];
		k.b[i] = from_a ? dst[i] : src[i];
	}
	k.pa = from_a ? sport : dport;
	k.pb = from_a ? dport : sport;
	k.proto = p->proto;
	k.family = p->family;
	snprintf(path, sizeof(path), "%s/v%u/fwstate", pin, vnet);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return false;
	found = bpf_map_lookup_elem(fd, &k, &s) == 0;
	close(fd);
	return found;
}

/* ---- output frames ---- */

static bool mac_group(const __u8 *m) { return m[0] & 1; }
static bool mac_zero(const __u8 *m) { return !(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]); }

static bool ip4_martian_src(const __u8 *a)
{
	return a[0] == 0 || a[0] == 127 || a[0] >= 224;
}

static bool ip4_martian_dst(const __u8 *a)
{
	return a[0] == 0 || a[0] == 127 || a[0] >= 224;
}

static bool ip6_zero(const __u8 *a)
{
	static const __u8 z[16];

	return !memcmp(a, z, 16);
}

static bool ip6_loopback(const __u8 *a)
{
	static const __u8 lo[16] = { [15] = 1 };

	return !memcmp(a, lo, 16);
}

/* The defects found in one result, and the first in words. */
struct judgement {
	__u32 defects;
	char *why;
	size_t len;
};

static void __attribute__((format(printf, 3, 4)))
defect(struct judgement *j, enum defect d, const char *fmt, ...)
{
	va_list ap;

	if (!j->defects) {
		va_start(ap, fmt);
		vsnprintf(j->why, j->len, fmt, ap);
		va_end(ap);
	}
	j->defects |= 1u << d;
}

static void check_ip4(struct judgement *j, const __u8 *o, size_t olen,
		      const struct vnet_iface *eg, bool built, const __u8 *in)
{
	const __u8 *h = o + 14;
	size_t l3 = olen - 14, hl, tot;

	if (olen < 34 || h[0] >> 4 != 4 || (hl = (h[0] & 15) * 4) < 20) {
		defect(j, D_IP4_HEADER, "IPv4 header cut or wrong version/IHL");
		return;
	}
	tot = (h[2] << 8) | h[3];
	if (tot < hl || tot > l3 || (tot < l3 && olen > 60) || 14 + hl > olen ||
	    fold16(sum16(h, hl)) != 0xffff)
		defect(j, D_IP4_HEADER, "IPv4 length %zu in %zu bytes, or checksum", tot, l3);
	if (h[8] == 0)
		defect(j, D_TTL, "TTL 0 sent");
	if (!built && in[14 + 8] != h[8] + 1)
		defect(j, D_TTL, "transit TTL %u from %u", h[8], in[14 + 8]);
	if (tot > eg->mtu)
		defect(j, D_MTU, "%zu bytes out of an MTU of %u", tot, eg->mtu);
	if (ip4_martian_src(h + 12) || ip4_martian_dst(h + 16))
		defect(j, D_MARTIAN_OUT, "IPv4 %u.%u.%u.%u -> %u.%u.%u.%u", h[12], h[13], h[14],
		       h[15], h[16], h[17], h[18], h[19]);
	if (built && !j->defects) {
		struct parsed p = parse(o, olen);

		if (p.l4 && ((p.proto == IPPROTO_ICMP && fold16(sum16(p.l4, p.l4_len)) != 0xffff) ||
			     (p.proto == IPPROTO_TCP &&
			      l4_sum(4, p.src, p.dst, p.proto, p.l4, p.l4_len) != 0xffff)))
			defect(j, D_CHECKSUM, "built IPv4 proto %u with a bad checksum", p.proto);
	}
	return;
}

static void check_ip6(struct judgement *j, const __u8 *o, size_t olen,
		      const struct vnet_iface *eg, bool built, const __u8 *in)
{
	const __u8 *h = o + 14;
	size_t l3 = olen - 14, plen;

	if (olen < 54 || h[0] >> 4 != 6) {
		defect(j, D_IP6_HEADER, "IPv6 header cut or wrong version");
		return;
	}
	plen = (h[4] << 8) | h[5];
	if (40 + plen > l3 || (40 + plen < l3 && olen > 60))
		defect(j, D_IP6_HEADER, "IPv6 length %zu in %zu bytes", 40 + plen, l3);
	if (h[7] == 0)
		defect(j, D_TTL, "hop limit 0 sent");
	if (!built && in[14 + 7] != h[7] + 1)
		defect(j, D_TTL, "transit hop limit %u from %u", h[7], in[14 + 7]);
	if (40 + plen > eg->mtu)
		defect(j, D_MTU, "%zu bytes out of an MTU of %u", 40 + plen, eg->mtu);
	if (h[8] == 0xff || ip6_zero(h + 8) || ip6_loopback(h + 8) || ip6_zero(h + 24) ||
	    ip6_loopback(h + 24))
		defect(j, D_MARTIAN_OUT, "IPv6 source or destination impossible");
	if (h[24] == 0xff && !(built && h[6] == IPPROTO_ICMPV6 && olen >= 55 && o[54] == 135))
		defect(j, D_MARTIAN_OUT, "IPv6 to a group, not a solicitation");
	if (built && !j->defects) {
		struct parsed p = parse(o, olen);

		if (p.l4 && (p.proto == IPPROTO_ICMPV6 || p.proto == IPPROTO_TCP) &&
		    l4_sum(6, p.src, p.dst, p.proto, p.l4, p.l4_len) != 0xffff)
			defect(j, D_CHECKSUM, "built IPv6 proto %u with a bad checksum", p.proto);
	}
	return;
}

static void check_arp(struct judgement *j, const __u8 *o, size_t olen)
{
	const __u8 *a = o + 14;
	__u16 op;

	if (olen < 42 || a[0] || a[1] != 1 || a[2] != 8 || a[3] || a[4] != 6 || a[5] != 4) {
		defect(j, D_ARP, "ARP header");
		return;
	}
	op = (a[6] << 8) | a[7];
	if ((op != 1 && op != 2) || memcmp(a + 8, o + 6, 6))
		defect(j, D_ARP, "ARP op %u or sender MAC", op);
	if (op == 2 && (mac_zero(a + 18) || mac_group(a + 18) || memcmp(o, a + 18, 6)))
		defect(j, D_ARP, "ARP reply to a zero or group MAC");
	return;
}

/* A frame the program sent: from the ingress vnet, well formed. */
static void check_output(struct judgement *j, const struct frame *in,
			 const struct result *r, bool built)
{
	const __u8 *o = r->out;
	const struct vnet_iface *eg = NULL;
	__u16 type;

	if (r->out_len < 14) {
		defect(j, D_ETHERTYPE, "%zu-byte frame sent", r->out_len);
		return;
	}
	for (int i = 0; i < NIFS; i++)
		if (!memcmp(o + 6, mac[i], 6) && ifrec[i].vnet == r->vnet &&
		    (r->verdict != XDP_TX || i == in->in))
			eg = &ifrec[i];
	if (!eg) {
		defect(j, D_FOREIGN_MAC, "source MAC of no interface of vnet %u", r->vnet);
		return;
	}
	type = (o[12] << 8) | o[13];
	if (mac_zero(o) || (mac_group(o) &&
			    !(type == ETH_P_ARP && o[0] == 0xff && o[5] == 0xff) &&
			    !(type == ETH_P_IPV6 && o[0] == 0x33 && o[1] == 0x33 && o[2] == 0xff)))
		defect(j, D_DST_MAC, "sent to %02x:%02x:%02x:%02x:%02x:%02x", o[0], o[1], o[2],
		       o[3], o[4], o[5]);
	if (type == ETH_P_IP)
		check_ip4(j, o, r->out_len, eg, built, in->b);
	else if (type == ETH_P_IPV6)
		check_ip6(j, o, r->out_len, eg, built, in->b);
	else if (type == ETH_P_ARP)
		check_arp(j, o, r->out_len);
	else
		defect(j, D_ETHERTYPE, "ethertype %04x sent", type);
	return;
}

/* fate index 0 is `forwarded` (fuzz.c's fate_names). */
__u32 check_result(const struct frame *in, const struct result *r, char *why, size_t len)
{
	struct judgement jd = { .why = why, .len = len }, *j = &jd;
	bool forwarded = r->fates == 1 && r->fate == 0;

	if (r->verdict == XDP_PASS) {
		defect(j, D_PASSED, "handed to the host stack of vnet 0");
	} else if (r->verdict != XDP_DROP && r->verdict != XDP_TX &&
		   r->verdict != XDP_REDIRECT) {
		defect(j, D_ABORTED, "verdict %d", r->verdict);
	}
	if (r->fates != 1)
		defect(j, D_FATES, "%d fates counted", r->fates);
	if (r->verdict == XDP_TX || r->verdict == XDP_REDIRECT)
		check_output(j, in, r, !forwarded);
	if (forwarded || r->state_created) {
		struct parsed p = parse(in->b, in->len);
		int rule = model_rule(&p);

		if (forwarded && !rule && !state_exists(r->vnet, &p))
			defect(j, D_FILTER_BYPASS, "forwarded %s (proto %u) that the rules deny",
			       in->kind, p.proto);
		if (r->state_created && rule != 100 && rule != 300 && rule != 310)
			defect(j, D_STATE_FROM_DENIED, "state made for %s that no keep-state rule allows",
			       in->kind);
	}
	return j->defects;
}

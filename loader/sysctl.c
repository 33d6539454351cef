/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sysctl.c - the vnet's settings (SYSCTL_VNET): one table gives each
 * setting's name, place in struct vnet_conf (or struct vnet_fw for the
 * filter's), range and default. FreeBSD's names are used where FreeBSD has
 * the knob; the rest say "(vnet)" in their description.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include "core/core.h"
#include "net/fib_algo.h"
#include "filter/filter.h"

#define CONF(field) offsetof(struct vnet_conf, field), \
		    sizeof(((struct vnet_conf *)0)->field)
#define FW(field) offsetof(struct vnet_fw, field), \
		  sizeof(((struct vnet_fw *)0)->field)
#define RT(field) offsetof(struct vnet_rtconf, field), \
		  sizeof(((struct vnet_rtconf *)0)->field)
#define CONF6(field) offsetof(struct vnet_conf6, field), \
		     sizeof(((struct vnet_conf6 *)0)->field)

static const struct vnet_sysctl table[] = {
	{ "net.inet.ip.forwarding", "forward IPv4 packets not addressed to us",
	  CONF(ip_forwarding), 0, 1, 1 },
	{ "net.inet.ip.ttl", "TTL of packets the vnet originates",
	  CONF(ip_ttl), 1, 255, 64 },
	{ "net.inet.icmp.echo_reply", "(vnet) answer ICMP echo to own addresses",
	  CONF(icmp_echo), 0, 1, 1 },
	{ "net.inet.icmp.time_exceeded", "(vnet) send ICMP time exceeded",
	  CONF(icmp_timxceed), 0, 1, 1 },
	{ "net.inet.icmp.unreach", "(vnet) send ICMP unreachable for no route "
	  "and unreachable routes", CONF(icmp_unreach), 0, 1, 1 },
	{ "net.inet.icmp.needfrag", "(vnet) send ICMP fragmentation needed",
	  CONF(icmp_needfrag), 0, 1, 1 },
	{ "net.inet.icmp.icmplim", "ICMP errors the vnet sends per second, 0 = no "
	  "limit (echo replies are not limited)", CONF(icmplim), 0, 1000000, 200 },
	{ "net.link.ether.inet.max_age", "lifetime of a learned ARP entry, seconds",
	  CONF(arp_max_age), 1, 86400, 1200 },
	{ "net.link.ether.inet.maxtries", "ARP requests for one next hop before "
	  "holding off", CONF(arp_maxtries), 1, 100, 5 },
	{ "net.link.ether.inet.wait", "hold-off after maxtries unanswered requests, "
	  "seconds", CONF(arp_wait), 1, 3600, 20 },
	{ "net.link.ether.inet.rexmit_ms", "(vnet) minimum interval between ARP "
	  "requests for one next hop, ms", CONF(arp_rexmit_ms), 10, 60000, 1000 },
	{ "net.link.ether.inet.glean", "(vnet) learn the sender of ARP requests "
	  "for our addresses", CONF(arp_glean), 0, 1, 1 },
	{ "net.inet6.ip6.forwarding", "forward IPv6 packets not addressed to us",
	  CONF6(forwarding), 0, 1, 1, VNET_SYSCTL_CONF6 },
	{ "net.inet6.ip6.hlim", "hop limit of IPv6 packets the vnet originates",
	  CONF6(hlim), 1, 255, 64, VNET_SYSCTL_CONF6 },
	{ "net.inet6.icmp6.errors", "(vnet) send ICMPv6 errors (time exceeded, "
	  "unreachable, packet too big)", CONF6(icmp6_errors), 0, 1, 1, VNET_SYSCTL_CONF6 },
	{ "net.route.algo.inet.algo", "IPv4 lookup of the vnet's FIBs: 0 auto (by "
	  "size), 1 trie (radix4), 2 dxr (compiled)", RT(algo4), 0, 2, VNET_ALGO_AUTO,
	  VNET_SYSCTL_RT },
	{ "net.route.algo.inet.dxr_min", "(vnet) auto: compile an IPv4 FIB of this "
	  "many routes (back to the trie under half)", RT(dxr_min), 1, VNET_MAX_ROUTES,
	  4096, VNET_SYSCTL_RT },
	{ "net.inet.ip.fw.enable", "filter packets (the vnet's first rule turns "
	  "it on)", FW(enable), 0, 1, 0, VNET_SYSCTL_FW },
	{ "net.inet.ip.fw.default_to_accept", "rule 65535 allows (1) or denies "
	  "(0)", FW(default_accept), 0, 1, 0, VNET_SYSCTL_FW },
	{ "net.inet.ip.fw.dyn_syn_lifetime", "state lifetime of a TCP flow not "
	  "yet open both ways, seconds", FW(syn_lifetime), 1, 86400, 20, VNET_SYSCTL_FW },
	{ "net.inet.ip.fw.dyn_ack_lifetime", "state lifetime of an open TCP "
	  "flow, seconds", FW(ack_lifetime), 1, 864000, 300, VNET_SYSCTL_FW },
	{ "net.inet.ip.fw.dyn_fin_lifetime", "state lifetime of a TCP flow "
	  "closed both ways, seconds", FW(fin_lifetime), 1, 86400, 2, VNET_SYSCTL_FW },
	{ "net.inet.ip.fw.dyn_rst_lifetime", "state lifetime of a reset TCP "
	  "flow, seconds", FW(rst_lifetime), 1, 86400, 1, VNET_SYSCTL_FW },
	{ "net.inet.ip.fw.dyn_udp_lifetime", "state lifetime of a UDP flow, "
	  "seconds", FW(udp_lifetime), 1, 86400, 10, VNET_SYSCTL_FW },
	{ "net.inet.ip.fw.dyn_short_lifetime", "state lifetime of other flows "
	  "(ICMP), seconds", FW(short_lifetime), 1, 86400, 5, VNET_SYSCTL_FW },
};

const struct vnet_sysctl *vnet_sysctl_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

static void field_set(void *base, const struct vnet_sysctl *s, __u32 v)
{
	char *p = (char *)base + s->off;

	if (s->size == 1)
		*(__u8 *)p = v;
	else if (s->size == 2)
		*(__u16 *)p = v;
	else
		*(__u32 *)p = v;
}

static __u32 field_get(const void *base, const struct vnet_sysctl *s)
{
	const char *p = (const char *)base + s->off;

	return s->size == 1 ? *(const __u8 *)p :
	       s->size == 2 ? *(const __u16 *)p : *(const __u32 *)p;
}

void vnet_conf_defaults(struct vnet_conf *c, struct vnet_conf6 *c6)
{
	memset(c, 0, sizeof(*c));
	memset(c6, 0, sizeof(*c6));
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].rec == VNET_SYSCTL_CONF)
			field_set(c, &table[i], table[i].def);
		else if (table[i].rec == VNET_SYSCTL_CONF6)
			field_set(c6, &table[i], table[i].def);
}

void vnet_fw_defaults(struct vnet_fw *fw)
{
	memset(fw, 0, sizeof(*fw));
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].rec == VNET_SYSCTL_FW)
			field_set(fw, &table[i], table[i].def);
	fw->max_rules = VNET_DEF_RULES;
	fw->max_states = VNET_DEF_STATES;
}

static const struct vnet_sysctl *find(struct vnet_state *st, const char *name)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	vnet_fail(st, ENOENT, "unknown sysctl '%s' (vnetctl sysctl VNET lists them)",
		  name);
	return NULL;
}

/* A vnet's settings: both records, as one buffer. */
struct settings {
	struct vnet_conf conf;
	struct vnet_fw fw;
	struct vnet_conf6 conf6;
	struct vnet_rtconf rt;
};

static void *settings_base(struct settings *c, const struct vnet_sysctl *s)
{
	return s->rec == VNET_SYSCTL_FW ? (void *)&c->fw :
	       s->rec == VNET_SYSCTL_CONF6 ? (void *)&c->conf6 :
	       s->rec == VNET_SYSCTL_RT ? (void *)&c->rt : (void *)&c->conf;
}

static int fd_of(const struct vnet_state *st, const struct vnet_sysctl *s)
{
	return s->rec == VNET_SYSCTL_FW ? st->fw_fd :
	       s->rec == VNET_SYSCTL_CONF6 ? st->conf6_fd :
	       s->rec == VNET_SYSCTL_RT ? st->rtconf_fd : st->conf_fd;
}

/* The setting called name, and vnet id's current settings. */
static const struct vnet_sysctl *conf_read(struct vnet_state *st, __u32 id,
					   const char *name, struct settings *c)
{
	const struct vnet_sysctl *s;

	if (vnet_check(st, id))
		return NULL;
	s = find(st, name);
	memset(&c->conf6, 0, sizeof(c->conf6));
	fib4_algo->defaults(&c->rt);
	if (s && (bpf_map_lookup_elem(st->conf_fd, &id, &c->conf) ||
		  fw_conf_get(st, id, &c->fw) ||
		  (st->conf6_fd >= 0 && bpf_map_lookup_elem(st->conf6_fd, &id, &c->conf6)) ||
		  (st->rtconf_fd >= 0 && bpf_map_lookup_elem(st->rtconf_fd, &id, &c->rt)))) {
		vnet_fail(st, errno, "cannot read settings: %s", strerror(errno));
		return NULL;
	}
	return s;
}

int vnet_sysctl_get(struct vnet_state *st, __u32 id, const char *name, __u32 *val)
{
	struct settings c;
	const struct vnet_sysctl *s = conf_read(st, id, name, &c);

	if (!s)
		return -EINVAL;
	*val = field_get(settings_base(&c, s), s);
	return 0;
}

int vnet_sysctl_set(struct vnet_state *st, __u32 id, const char *name, __u32 val)
{
	struct settings c;
	const struct vnet_sysctl *s = conf_read(st, id, name, &c);
	__u32 was;
	int err = state_writable(st);

	if (err)
		return err;
	if (!s)
		return -EINVAL;
	if (val < s->min || val > s->max)
		return vnet_fail(st, ERANGE, "%s=%u out of range (%u-%u)", name, val,
				 s->min, s->max);
	was = field_get(settings_base(&c, s), s);
	field_set(settings_base(&c, s), s, val);
	if (bpf_map_update_elem(fd_of(st, s), &id, settings_base(&c, s), BPF_EXIST))
		return vnet_fail(st, errno, "cannot write settings: %s", strerror(errno));
	if (s->rec != VNET_SYSCTL_RT)
		return 0;
	/* the FIBs follow at once; forcing dxr where it cannot be undoes the set */
	err = fib4_algo->apply(st, id);
	if (err && s->off == offsetof(struct vnet_rtconf, algo4) && val == VNET_ALGO_DXR) {
		char msg[sizeof(st->err)];

		snprintf(msg, sizeof(msg), "%s", st->err);
		field_set(settings_base(&c, s), s, was);
		bpf_map_update_elem(fd_of(st, s), &id, settings_base(&c, s), BPF_EXIST);
		fib4_algo->apply(st, id);
		return vnet_fail(st, -err, "%s", msg);
	}
	return err;
}

/* ---- this file's part in a vnet's life (SI_SETTINGS: first made) ---- */

static int settings_vnet_init(struct vnet_state *st, __u32 id)
{
	struct vnet_ratelimit rl = {};
	struct vnet_conf c;
	struct vnet_conf6 c6;

	vnet_conf_defaults(&c, &c6);
	if (bpf_map_update_elem(st->conf_fd, &id, &c, 0) ||
	    (st->conf6_fd >= 0 && bpf_map_update_elem(st->conf6_fd, &id, &c6, 0)) ||
	    (st->icmplim_fd >= 0 && bpf_map_update_elem(st->icmplim_fd, &id, &rl, 0)))
		return vnet_fail(st, errno, "cannot write settings: %s", strerror(errno));
	return 0;
}

static void settings_vnet_uninit(struct vnet_state *st, __u32 id)
{
	struct vnet_conf c = {};
	struct vnet_conf6 c6 = {};

	if (st->conf6_fd >= 0)
		bpf_map_update_elem(st->conf6_fd, &id, &c6, 0);
	bpf_map_update_elem(st->conf_fd, &id, &c, 0);
}

/* A vnet an older build made, before IPv6 settings: their defaults (never
 * over settings it has: a set record has a hop limit). */
static int settings_upgrade(struct vnet_state *st, __u32 id)
{
	struct vnet_conf c;
	struct vnet_conf6 c6 = {};

	if (st->conf6_fd < 0 || (bpf_map_lookup_elem(st->conf6_fd, &id, &c6) == 0 && c6.hlim))
		return 0;
	vnet_conf_defaults(&c, &c6);
	if (bpf_map_update_elem(st->conf6_fd, &id, &c6, BPF_ANY))
		return vnet_fail(st, errno, "cannot write settings: %s", strerror(errno));
	return 0;
}

static const struct vnet_sysinit settings_sysinit = {
	.name = "settings",
	.order = SI_SETTINGS,
	.vnet_init = settings_vnet_init,
	.vnet_uninit = settings_vnet_uninit,
	.upgrade = settings_upgrade,
};
VNET_SYSINIT(settings_sysinit);

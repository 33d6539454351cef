/* SPDX-License-Identifier: BSD-2-Clause */
/* cmd_filter.c - filter add|del|show|flush and state show|flush (ipfw). */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

static int filter_show(struct ctl *c, __u32 id)
{
	struct vnet_fw_rule_info *v;
	struct vnet_fw_rule_info dflt = { .r = { .num = FW_RULE_DEFAULT,
						 .action = FW_DEFAULT } };
	__u32 enable = 0, accept = 0;
	char text[512];
	size_t n;

	if (vnet_sysctl_get(c->st, id, "net.inet.ip.fw.enable", &enable) ||
	    vnet_sysctl_get(c->st, id, "net.inet.ip.fw.default_to_accept", &accept) ||
	    vnet_filter_list(c->st, id, &v, &n))
		return ctl_lib_err(c);
	if (c->json) {
		json_begin_obj(NULL);
		json_bool("enable", enable);
		json_str("default", accept ? "allow" : "deny");
		json_begin_arr("rules");
	} else if (!enable) {
		printf("# net.inet.ip.fw.enable=0: rules are not applied\n");
	}
	/* A vnet that never had a rule still has rule 65535. */
	for (size_t i = 0; i < (n ? n : 1); i++) {
		const struct vnet_fw_rule_info *e = n ? &v[i] : &dflt;

		if (e->r.action == FW_DEFAULT)
			snprintf(text, sizeof(text), "%s ip from any to any",
				 accept ? "allow" : "deny");
		else
			fw_rule_format(&e->r, text, sizeof(text));
		if (c->json) {
			json_begin_obj(NULL);
			json_u64("rule", e->r.num);
			json_u64("packets", e->packets);
			json_u64("bytes", e->bytes);
			json_str("text", text);
			json_end_obj();
		} else {
			printf("%05u %10llu %12llu %s\n", e->r.num,
			       (unsigned long long)e->packets,
			       (unsigned long long)e->bytes, text);
		}
	}
	if (c->json) {
		json_end_arr();
		json_end_obj();
		json_done();
	}
	free(v);
	return 0;
}

static int filter_add(struct ctl *c, __u32 id, int argc, char **argv)
{
	struct fw_rule r;
	const char *ifname;
	char text[512];

	if (fw_rule_parse(c, argc, argv, &r, &ifname))
		return 1;
	if (vnet_filter_add(c->st, id, &r, ifname))
		return ctl_lib_err(c);
	if (c->json) {
		json_begin_obj(NULL);
		json_u64("rule", r.num);
		json_end_obj();
		json_done();
	} else if (!c->where) {	/* batch mode stays quiet, as ip -batch */
		fw_rule_format(&r, text, sizeof(text));
		printf("%05u %s\n", r.num, text);
	}
	return 0;
}

int do_filter(struct ctl *c, int argc, char **argv)
{
	const char *verb = argc ? argv[0] : "";
	__u32 id, num;

	if (argc < 2)
		return ctl_err(c, "usage: filter add VNET [NUM] ACTION ... | "
			       "filter del VNET NUM | filter show|flush VNET");
	if (arg_vnet(c, argv[1], &id))
		return 1;
	if (id == 0)
		return ctl_err(c, "vnet 0 is the host: filter it with nftables");
	if (arg_is(verb, "add"))
		return filter_add(c, id, argc - 2, argv + 2);
	if (arg_is(verb, "del")) {
		if (argc != 3)
			return ctl_err(c, "usage: filter del VNET NUM");
		if (arg_u32(c, "rule number", argv[2], FW_RULE_DEFAULT - 1, &num))
			return 1;
		return vnet_filter_del(c->st, id, num) ? ctl_lib_err(c) : 0;
	}
	if (argc != 2)
		return ctl_err(c, "filter %s: unexpected '%s'", verb, argv[2]);
	if (arg_is(verb, "show"))
		return filter_show(c, id);
	if (arg_is(verb, "flush"))
		return vnet_filter_flush(c->st, id) ? ctl_lib_err(c) : 0;
	return ctl_err(c, "filter: unknown verb '%s' (add, del, show, flush)", verb);
}

static void endpoint(char *buf, size_t len, const __u32 *addr, __u16 port,
		     const struct fw_state_key *k)
{
	struct vnet_ip a = { .family = k->family == 6 ? 6 : 4 };
	char ip[VNET_IP_STRLEN];

	memcpy(a.w, addr, sizeof(a.w));
	vnet_ip_str(&a, ip);
	if (k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP)
		snprintf(buf, len, a.family == 6 ? "[%s]:%u" : "%s:%u", ip, port);
	else
		snprintf(buf, len, "%s", ip);
}

static int state_show(struct ctl *c, __u32 id)
{
	struct vnet_fw_state_info *v;
	__u64 now = vnet_clock_ns();
	char from[64], to[64], pn[12];
	size_t n;

	if (vnet_state_list(c->st, id, &v, &n))
		return ctl_lib_err(c);
	if (c->json)
		json_begin_arr(NULL);
	for (size_t i = 0; i < n; i++) {
		const struct fw_state_key *k = &v[i].k;
		const struct fw_state *s = &v[i].s;
		bool a = s->init_a;
		__u64 left = (s->expire_ns - now) / 1000000000ULL;
		const char *phase = k->proto == IPPROTO_TCP ? fw_tcp_phase(s->tcp) : "";

		endpoint(from, sizeof(from), a ? k->a : k->b, a ? k->pa : k->pb, k);
		endpoint(to, sizeof(to), a ? k->b : k->a, a ? k->pb : k->pa, k);
		if (c->json) {
			json_begin_obj(NULL);
			json_str("proto", fw_proto_name(k->proto, pn));
			json_str("from", from);
			json_str("to", to);
			if (*phase)
				json_str("tcp", phase);
			json_u64("rule", s->rule);
			if (s->fib_set)
				json_u64("fib", s->fib);
			json_u64("expires", left);
			json_u64("packets", s->packets);
			json_u64("bytes", s->bytes);
			json_end_obj();
			continue;
		}
		printf("%05u %s %s -> %s", s->rule, fw_proto_name(k->proto, pn), from, to);
		if (*phase)
			printf(" %s", phase);
		if (s->fib_set)
			printf(" fib %u", s->fib);
		printf(" expires %llus packets %llu bytes %llu\n",
		       (unsigned long long)left, (unsigned long long)s->packets,
		       (unsigned long long)s->bytes);
	}
	if (c->json) {
		json_end_arr();
		json_done();
	}
	free(v);
	return 0;
}

int do_state(struct ctl *c, int argc, char **argv)
{
	const char *verb = argc ? argv[0] : "";
	size_t removed;
	__u32 id;

	if (argc != 2)
		return ctl_err(c, "usage: state show|flush VNET");
	if (arg_vnet(c, argv[1], &id))
		return 1;
	if (arg_is(verb, "show"))
		return state_show(c, id);
	if (!arg_is(verb, "flush"))
		return ctl_err(c, "state: unknown verb '%s' (show, flush)", verb);
	if (vnet_state_flush(c->st, id, &removed))
		return ctl_lib_err(c);
	if (c->json) {
		json_begin_obj(NULL);
		json_u64("removed", removed);
		json_end_obj();
		json_done();
	}
	return 0;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvnet.h - the control plane: one function per operation on the pinned
 * dataplane state. Everything a vnet is lives in maps under one bpffs
 * directory; this library holds no state between calls beyond an open
 * handle, so any number of vnetctl runs (serialised by a lock on the
 * directory) see one consistent dataplane.
 *
 * Every function returns 0 or a negative errno and, on failure, leaves a
 * one-line explanation in vnet_errmsg(). A failed call changes nothing.
 */
#ifndef LIBVNET_H
#define LIBVNET_H

#include <stdbool.h>
#include <stddef.h>
#include "../bpf/vnet_abi.h"

#define VNET_DEFAULT_PIN_DIR	"/sys/fs/bpf/vnet"

struct vnet_state;

enum vnet_open_flags {
	VNET_OPEN_CREATE = 0x1,		/* create the pinned state if missing */
	VNET_OPEN_SHARED = 0x2,		/* read-only use: shared lock */
};

/* On failure returns NULL and writes the reason into err. */
struct vnet_state *vnet_open(const char *pin_dir, unsigned flags,
			     char *err, size_t errlen);
void vnet_close(struct vnet_state *st);
/* A running dataplane whose pins are gone (its bpffs unmounted), found on
 * ifname, pinned again in pin_dir (which must hold no state) and opened. */
struct vnet_state *vnet_adopt(const char *pin_dir, const char *ifname, char *err,
			      size_t errlen);
const char *vnet_errmsg(const struct vnet_state *st);
const char *vnet_pin_dir(const struct vnet_state *st);

/*
 * A batch: changes made between begin and end wait for its end to reach
 * what they must (compiled FIBs, a vnet's rule set swapped once); end
 * applies them and returns the first error. Batches nest; vnet_close
 * ends an open one (route changes applied, uncommitted rule edits dropped).
 */
void vnet_batch_begin(struct vnet_state *st);
int vnet_batch_end(struct vnet_state *st);

/* vnets */
struct vnet_create_opts {
	__u32 id;		/* 0: lowest free */
	const char *name;	/* NULL: "vnet<ID>" */
	__u32 fibs;		/* 0: 1 */
	__u32 max_routes;	/* per FIB; 0: default */
	__u32 max_neigh;	/* 0: default */
	__u32 max_rules;	/* filter rules; 0: default */
	__u32 max_states;	/* filter states; 0: default */
};

int vnet_create(struct vnet_state *st, const struct vnet_create_opts *o, __u32 *id);
int vnet_destroy(struct vnet_state *st, __u32 id);
int vnet_resolve(struct vnet_state *st, const char *arg, __u32 *id);
const struct vnet_reg *vnet_get(struct vnet_state *st, __u32 id);
int vnet_fib_add(struct vnet_state *st, __u32 id, __u32 *fib);
int vnet_fib_del(struct vnet_state *st, __u32 id, __u32 fib);
/* Install the slots of idle vnets now, one RCU wait per outer map in all
 * (link set does it for one vnet when it gets its first interface). */
int vnet_make_live_many(struct vnet_state *st, const __u32 *ids, size_t n);

/* interfaces */
enum vnet_xdp_mode { VNET_MODE_NATIVE, VNET_MODE_SKB };

int vnet_attach(struct vnet_state *st, const char *ifname, enum vnet_xdp_mode mode);
int vnet_detach(struct vnet_state *st, const char *ifname);
int vnet_link_set(struct vnet_state *st, const char *ifname, __u32 id, int fib);
/* Replace the program on one attached interface (or all, ifname NULL) with
 * this build's, keeping every map; *n counts the interfaces done. */
int vnet_reload(struct vnet_state *st, const char *ifname, unsigned *n);
int vnet_link_mtu(struct vnet_state *st, const char *ifname, __u32 mtu);

/* link set: any of the three, checked together first; all or nothing. */
struct vnet_link_change {
	bool vnet_set;		/* move to vnet (with fib, or its own FIB if fib < 0) */
	__u32 vnet;
	int fib;		/* -1: unchanged (0 when the vnet changes) */
	__u32 mtu;		/* 0: unchanged */
};
int vnet_link_change(struct vnet_state *st, const char *ifname,
		     const struct vnet_link_change *ch);

struct vnet_link {
	__u32 ifindex;
	char ifname[16];
	struct vnet_iface rec;
	bool xdp_attached;	/* our program is on the interface now */
};
typedef int (*vnet_link_cb)(const struct vnet_link *l, void *arg);
int vnet_link_walk(struct vnet_state *st, vnet_link_cb cb, void *arg);
int vnet_iface_get(struct vnet_state *st, const char *ifname, __u32 *ifindex,
		   struct vnet_iface *rec);

/* epairs: a veth pair whose ends sit in two vnets (epair(4)) */
int vnet_epair_create(struct vnet_state *st, __u32 a, __u32 b, const char *name,
		      char out[16]);
int vnet_epair_destroy(struct vnet_state *st, const char *name);

/* host stack: a network namespace bound to the vnet (the jail side) */
int vnet_hoststack_on(struct vnet_state *st, __u32 id);
int vnet_hoststack_off(struct vnet_state *st, __u32 id);
int vnet_hoststack_path(struct vnet_state *st, __u32 id, char *buf, size_t len);

/*
 * An IPv4 or IPv6 address, network order. Every address-taking call below
 * takes either family; list calls take a family to keep (0: both).
 */
struct vnet_ip {
	__u8 family;		/* 4 or 6 */
	__u8 pad[3];
	union {
		__u32 v4;
		__u8  v6[16];
		__u32 w[4];
	};
};
#define VNET_IP_STRLEN	46
/* 0, or -1 if s is neither an IPv4 nor an IPv6 address. */
int vnet_ip_parse(const char *s, struct vnet_ip *a);
const char *vnet_ip_str(const struct vnet_ip *a, char buf[VNET_IP_STRLEN]);
int vnet_ip_cmp(const struct vnet_ip *a, const struct vnet_ip *b);	/* sort order */

/* addresses */
struct vnet_addr_info {
	__u32 ifindex;
	struct vnet_ip addr;
	__u32 vnet, plen;
	__u64 seq;		/* creation order: the oldest is the primary */
};
int vnet_addr_add(struct vnet_state *st, __u32 id, const char *ifname,
		  const struct vnet_ip *addr, __u32 plen);
int vnet_addr_del(struct vnet_state *st, __u32 id, const char *ifname,
		  const struct vnet_ip *addr, __u32 plen);
typedef int (*vnet_addr_cb)(const struct vnet_addr_info *a, void *arg);
int vnet_addr_walk(struct vnet_state *st, vnet_addr_cb cb, void *arg);

/* routes */
struct vnet_route {
	struct vnet_ip dst;	/* the prefix */
	__u32 plen;
	__u8  type;		/* enum vnet_rt_type */
	__u8  flags;		/* VNET_RTF_* */
	__u32 ifindex;		/* egress; 0 for blackhole/unreachable */
	struct vnet_ip gw;	/* family 0: on-link */
};

struct vnet_route_spec {
	struct vnet_ip dst;
	__u32 plen;
	__u8  type;		/* enum vnet_rt_type, not LOCAL */
	struct vnet_ip gw;	/* family 0: none */
	const char *dev;	/* NULL = resolve from gw */
};

int vnet_route_add(struct vnet_state *st, __u32 id, __u32 fib,
		   const struct vnet_route_spec *r);
int vnet_route_del(struct vnet_state *st, __u32 id, __u32 fib,
		   const struct vnet_ip *dst, __u32 plen);
int vnet_route_get(struct vnet_state *st, __u32 id, __u32 fib,
		   const struct vnet_ip *addr, struct vnet_route *out);
/* Routes sorted by family then prefix; caller frees *routes. */
int vnet_route_list(struct vnet_state *st, __u32 id, __u32 fib, __u8 family,
		    struct vnet_route **routes, size_t *n);

/* Which lookup an IPv4 FIB uses, and what it costs. */
struct vnet_fib_info {
	struct vnet_fibinfo fi;
	__u32 setting;		/* enum vnet_fib_algo of the vnet */
	bool compiled;		/* packets use the compiled table */
	long long trie_bytes, dxr_bytes;	/* the kernel's memlock figures */
};
int vnet_fib_info(struct vnet_state *st, __u32 id, __u32 fib, struct vnet_fib_info *out);
const char *vnet_fib_algo_name(__u32 algo);

/* neighbors (ARP and NDP) */
struct vnet_neigh {
	__u32 ifindex;
	struct vnet_ip addr;
	struct nbr_entry e;
	bool pending;		/* being resolved (the vnet's pending table) */
};
int vnet_neigh_add(struct vnet_state *st, __u32 id, const struct vnet_ip *addr,
		   const __u8 mac[6], const char *ifname);
int vnet_neigh_del(struct vnet_state *st, __u32 id, const struct vnet_ip *addr,
		   const char *ifname);
int vnet_neigh_flush(struct vnet_state *st, __u32 id);
int vnet_neigh_list(struct vnet_state *st, __u32 id, __u8 family,
		    struct vnet_neigh **out, size_t *n);
__u64 vnet_clock_ns(void);	/* the datapath's clock, for ages */

/*
 * filter (ipfw per vnet). Rules are struct fw_rule (vnet_abi.h); num 0 in
 * add takes the last rule's number + 100 and is written back. Each edit
 * takes effect at once, unless in a batch (vnet_batch_begin), whose end
 * applies all of a vnet's edits with one swap.
 */
struct vnet_fw_rule_info {
	struct fw_rule r;
	__u64 packets, bytes;
};
struct vnet_fw_state_info {
	struct fw_state_key k;
	struct fw_state s;
};
int vnet_filter_add(struct vnet_state *st, __u32 id, struct fw_rule *r,
		    const char *ifname);
int vnet_filter_del(struct vnet_state *st, __u32 id, __u16 num);
int vnet_filter_flush(struct vnet_state *st, __u32 id);
/* Rules in order, rule 65535 last; none if the vnet never had a rule. */
int vnet_filter_list(struct vnet_state *st, __u32 id, struct vnet_fw_rule_info **out,
		     size_t *n);
int vnet_filter_limits(struct vnet_state *st, __u32 id, __u32 max_rules,
		       __u32 max_states);
int vnet_state_list(struct vnet_state *st, __u32 id, struct vnet_fw_state_info **out,
		    size_t *n);
int vnet_state_flush(struct vnet_state *st, __u32 id, size_t *removed);
int vnet_fw_stats_read(struct vnet_state *st, __u32 id, struct vnet_fw_stats *sum);
const struct vnet_counter *vnet_fw_counter_table(size_t *n);

/* settings (sysctl) */
struct vnet_sysctl {
	const char *name;
	const char *descr;
	size_t off, size;
	__u32 min, max, def;
	__u8 rec;		/* VNET_SYSCTL_*: the record it is a field of */
};
enum { VNET_SYSCTL_CONF, VNET_SYSCTL_FW, VNET_SYSCTL_CONF6, VNET_SYSCTL_RT };
const struct vnet_sysctl *vnet_sysctl_table(size_t *n);
int vnet_sysctl_get(struct vnet_state *st, __u32 id, const char *name, __u32 *val);
int vnet_sysctl_set(struct vnet_state *st, __u32 id, const char *name, __u32 val);
void vnet_conf_defaults(struct vnet_conf *c, struct vnet_conf6 *c6);
void vnet_fw_defaults(struct vnet_fw *fw);

/* counters */
struct vnet_counter {
	const char *name;
	size_t off;
	const char *descr;	/* drop reasons: why */
};
/* received, the fates other than drops, then events */
const struct vnet_counter *vnet_counter_table(size_t *n);
/* the drop reasons (VNET_DROP_REASONS), in their order */
const struct vnet_counter *vnet_drop_table(size_t *n);
int vnet_stats_read(struct vnet_state *st, __u32 id, struct vnet_stats *sum);
int vnet_stats6_read(struct vnet_state *st, __u32 id, struct vnet_stats *sum);

/* housekeeping */
const char *vnet_rt_type_name(__u8 type);
const char *vnet_nud_name(__u8 state);

#endif

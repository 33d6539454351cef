/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * internal.h - what the library's files share: the open handle, the error
 * helper, and the allocator's interface to per-vnet map instances.
 */
#ifndef VNET_INTERNAL_H
#define VNET_INTERNAL_H

#include <limits.h>
#include <stdarg.h>
#include <netinet/in.h>
#include "libvnet.h"

struct rval;

/* One per-vnet map kind: its template and where its copies go. */
enum vnet_scope { SCOPE_VNET, SCOPE_FIB };
enum vnet_limit { LIMIT_NEIGH, LIMIT_ROUTES, LIMIT_RULES, LIMIT_STATES, LIMIT_TEMPLATE };

struct vnet_subsys {
	const char *outer;	/* outer map in the BPF object */
	enum vnet_scope scope;
	enum vnet_limit limit;
	const char *pin_fmt;	/* in PIN/v<ID>/, "%u" = FIB */
	const char *name_fmt;	/* kernel map name, "%u"s = vnet[, FIB] */
	bool lazy;		/* made on first use (filter.c), not at create */
};

enum vnet_subsys_id {
	SUBSYS_NBR4, SUBSYS_FIB4, SUBSYS_NBR6, SUBSYS_FIB6,
	SUBSYS_FWCNT, SUBSYS_FWSTATE, SUBSYS_FWRULES, SUBSYS_NBRPEND,
	SUBSYS_DXR4,	/* + size class (DXR_CLASSES of them) */
	SUBSYS_COUNT = SUBSYS_DXR4 + DXR_CLASSES
};

extern const struct vnet_subsys vnet_subsys[SUBSYS_COUNT];
_Static_assert(SUBSYS_COUNT <= VNET_TMPL_MAX, "vnet_tmpl holds every map kind's template");

struct inst_cache {
	__u32 id, fib;
	int fd;
};

struct vnet_state {
	char pin[PATH_MAX];
	int dirfd;
	int ifaces_fd, ifaddrs_fd, devmap_fd, conf_fd, stats_fd, reg_fd, tmpl_fd;
	int icmplim_fd, fw_fd, fwstats_fd;
	int ifaces6_fd, ifaddrs6_fd, conf6_fd, stats6_fd;
	int rtconf_fd, fibinfo_fd, dxr4cls_fd;
	int outer_fd[SUBSYS_COUNT];
	struct vnet_reg *reg;		/* vnet_reg, mmapped */
	const struct vnet_iface *ifaces;	/* vnet_ifaces, mmapped for reads */
	struct vnet_tmpl tmpl[SUBSYS_COUNT];
	int btf_fd;
	int ncpus;
	bool rofs;			/* the bpffs refuses writes: pins opened read-only */
	struct inst_cache cache[SUBSYS_COUNT];
	/* A rule set being edited (filter.c); batch mode commits it once. */
	struct fw_pending *fw_pending;
	bool fw_defer;
	/* IPv4 route changes not yet applied to compiled FIBs (dxr.c). */
	struct rt_op *rt_ops;
	size_t rt_nops, rt_cap;
	bool rt_defer;
	/* Last gateway resolution of route add; see route.c. */
	struct { __u32 id, fib, ifindex; struct vnet_ip gw; bool valid; } gw_cache;
	char err[512];
};

int vnet_fail(struct vnet_state *st, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* state.c */
int pin_open(const struct vnet_state *st, const char *path);	/* bpf_obj_get */
int state_init_maps(struct vnet_state *st);
int state_record_templates(struct vnet_state *st);

/* alloc.c: per-vnet map instances */
__u32 subsys_slot(enum vnet_subsys_id s, __u32 id, __u32 fib);
int inst_create(struct vnet_state *st, enum vnet_subsys_id s, __u32 id, __u32 fib);
int inst_create_sized(struct vnet_state *st, enum vnet_subsys_id s, __u32 id,
		      __u32 fib, __u32 max, const char *suffix);
void inst_path(const struct vnet_state *st, enum vnet_subsys_id s, __u32 id,
	       __u32 fib, char *buf, size_t len);
bool inst_exists(const struct vnet_state *st, enum vnet_subsys_id s, __u32 id,
		 __u32 fib);
int alloc_upgrade(struct vnet_state *st);
int inet6_ensure(struct vnet_state *st, __u32 id);	/* first IPv6 use */
bool inet6_used(const struct vnet_state *st, __u32 id);
void inst_destroy(struct vnet_state *st, enum vnet_subsys_id s, __u32 id, __u32 fib);
int inst_fd(struct vnet_state *st, enum vnet_subsys_id s, __u32 id, __u32 fib);
void inst_cache_drop(struct vnet_state *st, enum vnet_subsys_id s);
int inst_install(struct vnet_state *st, enum vnet_subsys_id s, __u32 id, __u32 fib);
int vnet_make_live(struct vnet_state *st, __u32 id);
void alloc_unslot_all(struct vnet_state *st, __u32 id);
int vnet_sysinit(struct vnet_state *st, __u32 id);
void vnet_sysuninit(struct vnet_state *st, __u32 id);
int vnet_fib_sysinit(struct vnet_state *st, __u32 id, __u32 fib);
void vnet_fib_sysuninit(struct vnet_state *st, __u32 id, __u32 fib);

/* vnet.c */
int vnet_check(struct vnet_state *st, __u32 id);		/* exists, not 0 */
int vnet_check_fib(struct vnet_state *st, __u32 id, __u32 fib);

/* iface.c */
int iface_get(struct vnet_state *st, __u32 ifindex, struct vnet_iface *rec);
int iface_put(struct vnet_state *st, __u32 ifindex, const struct vnet_iface *rec);
int iface_set_flags(struct vnet_state *st, const char *ifname, __u16 flags,
		    __u32 *ifindex, struct vnet_iface *rec);
int iface_lookup(struct vnet_state *st, const char *ifname, __u32 *ifindex,
		 struct vnet_iface *rec);
int iface_in_vnet(struct vnet_state *st, const char *ifname, __u32 id,
		  __u32 *ifindex, struct vnet_iface *rec);
void iface_leave(struct vnet_state *st, __u32 ifindex, __u32 old_vnet, bool dying);
const char *ifname_of(__u32 ifindex, char *buf);

/* addr.c / route.c / neigh.c: purge what an interface leaves behind */
void addr_purge_iface(struct vnet_state *st, __u32 id, __u32 ifindex);
int addr_copy_to_fib(struct vnet_state *st, __u32 id, __u32 fib);
int route_put(struct vnet_state *st, __u32 id, __u32 fib, const struct vnet_ip *dst,
	      __u32 plen, const struct rval *rt);	/* a new route only */
int route_remove(struct vnet_state *st, __u32 id, __u32 fib, const struct vnet_ip *dst,
		 __u32 plen);
void route_purge_iface(struct vnet_state *st, __u32 id, __u32 ifindex);
void neigh_purge_iface(struct vnet_state *st, __u32 id, __u32 ifindex);

void route_cache_invalidate(struct vnet_state *st);

/*
 * Address families. The control plane keeps one code path for both: its
 * buffers are laid out as the IPv6 maps' keys and values, and an IPv4 map
 * reads their beginning, which is the IPv4 layout (see vnet_abi.h).
 */
struct vnet_fam {
	__u8 family;		/* 4 or 6 */
	__u8 alen;		/* address bytes */
	__u8 maxplen;
	enum vnet_subsys_id fib, nbr;
};
/* The family of a; fails (message set) if it is neither. */
const struct vnet_fam *fam_of(struct vnet_state *st, __u8 family);
int ifaddrs_fd_of(const struct vnet_state *st, __u8 family);

struct rkey { __u32 prefixlen; __u8 addr[16]; };	/* fib4_key, fib6_key */
struct rval {						/* fib4_route, fib6_route */
	__u8  type, flags, prefixlen, pad;
	__u32 ifindex;
	__u8  gw[16];
};
struct ikey { __u32 ifindex; __u8 addr[16]; };	/* neighbors, interface addresses */

void ip_mask(struct vnet_ip *a, __u32 plen);
bool ip_eq(const struct vnet_ip *a, const struct vnet_ip *b);
bool ip_is_zero(const struct vnet_ip *a);
void ip_put(const struct vnet_ip *a, __u8 *bytes);	/* alen bytes */
void ip_get(struct vnet_ip *a, __u8 family, const __u8 *bytes);

/* filter.c */
int fw_conf_init(struct vnet_state *st, __u32 id);
int fw_conf_get(struct vnet_state *st, __u32 id, struct vnet_fw *fw);
void fw_pending_drop(struct vnet_state *st);
void fw_pending_forget(struct vnet_state *st, __u32 id);	/* vnet destroyed */
bool fw_uses_fib(struct vnet_state *st, __u32 id, __u32 fib, __u16 *rule);

/* dxr.c: compiled IPv4 FIBs */
void dxr_rtconf_defaults(struct vnet_rtconf *c);
void dxr_fib_reset(struct vnet_state *st, __u32 id, __u32 fib);
int dxr_route_changed(struct vnet_state *st, __u32 id, __u32 fib, __u32 addr,
		      __u32 plen, const struct rval *v);	/* v NULL: deleted */
void dxr_forget(struct vnet_state *st, __u32 id, int fib);	/* fib -1: all */
int dxr_apply(struct vnet_state *st, __u32 id);
/* Many route changes from one operation reach compiled FIBs at its end. */
bool dxr_batch_begin(struct vnet_state *st);
int dxr_batch_end(struct vnet_state *st, bool was);
int dxr_upgrade(struct vnet_state *st, __u32 id);
int dxr_resync(struct vnet_state *st, __u32 id);	/* after a crash */

/* recover.c: repair what a crash or a vanished interface left */
int state_recover(struct vnet_state *st, bool shared);

/* hoststack.c */
void hoststack_lost(struct vnet_state *st, __u32 id);	/* its veth is gone */
void hoststack_teardown(struct vnet_state *st, __u32 id);	/* whatever is left */
void hoststack_names(const struct vnet_state *st, __u32 id, char ns[64], char outer[16]);
int hoststack_addr(struct vnet_state *st, __u32 id, const struct vnet_ip *addr, bool add);

/* epair.c */
void epair_destroy_end(struct vnet_state *st, __u32 ifindex);

/* nl.c */
int nl_veth_create(const char *a, const char *b);
int nl_link_del(const char *name);
int nl_link_up(const char *name);

/* helpers */
const char *ip4_str(__u32 addr, char *buf);
__u32 plen_mask(__u32 plen);	/* network order */

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * core.h - the bottom layer of libvnet, which includes nothing above it:
 * the open pinned state (state.c), the per-vnet map kinds and their copies
 * (alloc.c: FreeBSD's VNET_DEFINE and its allocator), the registry of
 * vnets (registry.c), the hooks through which subsystems take part in a
 * vnet's life (sysinit.c: VNET_SYSINIT), and what every layer needs
 * (util.c: errors, addresses, families; nl.c: netlink).
 *
 * Layers, lowest first: core/, link/ (interfaces and epairs), net/
 * (addresses, routes, compiled FIBs, neighbors) and filter/, host/ (host
 * stacks), then the files directly in loader/, which orchestrate
 * (vnet.c), open and close (open.c), repair (recover.c) and present
 * (sysctl.c, stats.c). A file
 * includes only headers of its own layer or below (tests/build checks it);
 * what a lower layer must have done above it is a hook.
 */
#ifndef VNET_CORE_H
#define VNET_CORE_H

#include <limits.h>
#include <stdarg.h>
#include <netinet/in.h>
#include "libvnet.h"

/* ---- the per-vnet map kinds (VNET_MAP_KINDS in vnet_abi.h) ---- */

enum vnet_scope { SCOPE_VNET, SCOPE_FIB };
enum vnet_limit { LIMIT_NEIGH, LIMIT_ROUTES, LIMIT_RULES, LIMIT_STATES, LIMIT_TEMPLATE };
enum vnet_made { MADE_EAGER, MADE_INET6, MADE_ON_DEMAND };

#define VNET_KIND_ENUM(name, ...)	KIND_##name,
enum vnet_kind {
	VNET_MAP_KINDS(VNET_KIND_ENUM)
	KIND_COUNT
};

struct vnet_kind_info {
	const char *outer;	/* outer map, vnet_<name> */
	const char *name;
	enum vnet_scope scope;
	enum vnet_limit limit;
	enum vnet_made made;
	const char *leaf;	/* pin in PIN/v<ID>/ (per FIB: fib<N>_<leaf>) */
	const char *kname;	/* kernel name v<ID>_[fib<N>_]<kname> */
};

extern const struct vnet_kind_info vnet_kinds[KIND_COUNT];
_Static_assert(KIND_COUNT == VNET_MAP_KIND_COUNT, "one row per kind");

/* ---- the open state ---- */

struct inst_cache {
	__u32 id, fib;
	int fd;
};

/* Subsystems' own state, behind pointers the core only carries. */
struct fw_pending;
struct dxr_queue;
struct gw_cache;

struct vnet_state {
	char pin[PATH_MAX];
	int dirfd;
	bool shared;			/* opened to read: changes are refused */
	bool rofs;			/* the bpffs refuses writes: pins opened read-only */
	/* global maps (state.c: global_maps[]) */
	int ifaces_fd, ifaddrs_fd, devmap_fd, conf_fd, stats_fd, reg_fd, tmpl_fd;
	int icmplim_fd, fw_fd, fwstats_fd;
	int ifaces6_fd, ifaddrs6_fd, conf6_fd, stats6_fd;
	int rtconf_fd, fibinfo_fd, dxr4cls_fd;
	int outer_fd[KIND_COUNT];
	struct vnet_reg *reg;		/* vnet_reg, mmapped */
	const struct vnet_iface *ifaces;	/* vnet_ifaces, mmapped for reads */
	struct vnet_tmpl tmpl[KIND_COUNT];
	int btf_fd;
	int ncpus;
	struct inst_cache cache[KIND_COUNT];
	unsigned batch;			/* depth of vnet_batch_begin: commits wait for the end */
	__u64 epoch;			/* bumped by any change a cache may depend on */
	struct fw_pending *fw_pending;	/* filter/filter.c */
	struct dxr_queue *dxrq;		/* net/dxr.c */
	struct gw_cache *gw;		/* net/route.c */
	char err[512];
};

int vnet_fail(struct vnet_state *st, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A change through a state opened to read: refused (one line). */
int state_writable(struct vnet_state *st);

/* state.c */
int pin_open(const struct vnet_state *st, const char *path);	/* bpf_obj_get */
struct vnet_state *state_open(const char *pin_dir, unsigned flags, bool *upgraded,
			      char *err, size_t errlen);
void state_close(struct vnet_state *st);
int state_bind_maps(struct vnet_state *st, int prog_fd);	/* maps outlive their pins */
int mkdir_p(const char *path);

/* registry.c */
int vnet_check(struct vnet_state *st, __u32 id);		/* exists, not 0 */
int vnet_check_fib(struct vnet_state *st, __u32 id, __u32 fib);
void vnet_dir(const struct vnet_state *st, __u32 id, char *buf, size_t len);
bool all_digits(const char *s);		/* a vnet name must not look like an ID */

/* alloc.c: copies of the per-vnet map kinds */
__u32 kind_slot(enum vnet_kind k, __u32 id, __u32 fib);
int inst_create(struct vnet_state *st, enum vnet_kind k, __u32 id, __u32 fib);
int inst_create_sized(struct vnet_state *st, enum vnet_kind k, __u32 id,
		      __u32 fib, __u32 max, const char *suffix);
void inst_path(const struct vnet_state *st, enum vnet_kind k, __u32 id,
	       __u32 fib, char *buf, size_t len);
bool inst_exists(const struct vnet_state *st, enum vnet_kind k, __u32 id, __u32 fib);
void inst_destroy(struct vnet_state *st, enum vnet_kind k, __u32 id, __u32 fib);
int inst_fd(struct vnet_state *st, enum vnet_kind k, __u32 id, __u32 fib);
void inst_cache_drop(struct vnet_state *st, enum vnet_kind k);
int inst_install(struct vnet_state *st, enum vnet_kind k, __u32 id, __u32 fib);
int inet6_ensure(struct vnet_state *st, __u32 id);	/* first IPv6 use */
bool inet6_used(const struct vnet_state *st, __u32 id);
int vnet_make_live(struct vnet_state *st, __u32 id);
void alloc_unslot_all(struct vnet_state *st, __u32 id);

/*
 * sysinit.c: a subsystem's part in a vnet's life (FreeBSD's VNET_SYSINIT
 * and VNET_SYSUNINIT), registered beside its code with VNET_SYSINIT(). A
 * new vnet's init hooks run in `order`; teardown runs uninit hooks in the
 * reverse order (and undoes a setup that failed halfway the same way).
 * Every hook is optional.
 */
enum vnet_sysinit_order {
	SI_SETTINGS = 10,	/* sysctl.c: settings of a new vnet */
	SI_COUNTERS = 20,	/* stats.c */
	SI_MAPS = 30,		/* core/alloc.c: copies of the eager kinds */
	SI_ROUTES = 40,		/* net/dxr.c, net/route.c */
	SI_FILTER = 50,		/* filter/filter.c */
	SI_NEIGH = 60,		/* net/neigh.c */
	SI_ADDR = 70,		/* net/addr.c */
	SI_IFACES = 80,		/* link/iface.c: interfaces go home at teardown */
	SI_EPAIRS = 90,		/* link/epair.c: both ends go */
	SI_HOSTSTACK = 100,	/* host/hoststack.c: first to go */
};

struct vnet_sysinit {
	const char *name;
	enum vnet_sysinit_order order;
	int  (*vnet_init)(struct vnet_state *st, __u32 id);
	void (*vnet_uninit)(struct vnet_state *st, __u32 id);
	int  (*fib_init)(struct vnet_state *st, __u32 id, __u32 fib);
	void (*fib_uninit)(struct vnet_state *st, __u32 id, __u32 fib);
	/* may FIB fib go? 0, or why not (message set) */
	int  (*fib_busy)(struct vnet_state *st, __u32 id, __u32 fib);
	/* ifindex left vnet id (dying: the vnet goes with it) */
	void (*iface_leave)(struct vnet_state *st, __u32 id, __u32 ifindex, bool dying);
	/* an address of vnet id was added (add) or removed */
	int  (*addr_changed)(struct vnet_state *st, __u32 id, const struct vnet_ip *addr,
			     bool add);
	/* a vnet an older build made: what this build adds */
	int  (*upgrade)(struct vnet_state *st, __u32 id);
	/* the end of a batch (or of a change outside one): apply what waited */
	int  (*commit)(struct vnet_state *st);
	/* the state closes: free the subsystem's own */
	void (*close)(struct vnet_state *st);
};

#define VNET_SYSINIT(si)						\
	static const struct vnet_sysinit *const vnet_sysinit_ptr_##si	\
	__attribute__((used, section("vnet_sysinit"))) = &si

int sys_vnet_init(struct vnet_state *st, __u32 id);
void sys_vnet_uninit(struct vnet_state *st, __u32 id);
int sys_fib_init(struct vnet_state *st, __u32 id, __u32 fib);
void sys_fib_uninit(struct vnet_state *st, __u32 id, __u32 fib);
int sys_fib_busy(struct vnet_state *st, __u32 id, __u32 fib);
void sys_iface_leave(struct vnet_state *st, __u32 id, __u32 ifindex, bool dying);
int sys_addr_changed(struct vnet_state *st, __u32 id, const struct vnet_ip *addr, bool add);
int sys_upgrade(struct vnet_state *st, __u32 id);
int sys_commit(struct vnet_state *st);
void sys_close(struct vnet_state *st);

/* ---- util.c: families, addresses, names ---- */

/*
 * Address families. The control plane keeps one code path for both: its
 * buffers are laid out as the IPv6 maps' keys and values, and an IPv4 map
 * reads their beginning, which is the IPv4 layout (see vnet_abi.h).
 */
struct vnet_fam {
	__u8 family;		/* 4 or 6 */
	__u8 alen;		/* address bytes */
	__u8 maxplen;
	enum vnet_kind fib, nbr;
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
const char *ip4_str(__u32 addr, char *buf);
__u32 plen_mask(__u32 plen);	/* network order */
const char *ifname_of(__u32 ifindex, char *buf);

/* ---- nl.c ---- */
int nl_veth_create(const char *a, const char *b);
int nl_link_del(const char *name);
int nl_link_up(const char *name);

#endif

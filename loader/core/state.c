/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * state.c - opening the pinned dataplane state, creating it the first time.
 *
 * The state is the set of maps pinned under one bpffs directory. The first
 * mutating command creates it by loading the BPF object's maps (not its
 * program: that is loaded per interface at attach) and recording the
 * inner-map templates; later commands only open pins. A flock on the
 * directory serialises concurrent runs. What is opened here is only the
 * state; vnet_open (open.c) upgrades and repairs it around this.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/statvfs.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include "core.h"
#include "vnet.skel.h"

int vnet_fail(struct vnet_state *st, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	return err > 0 ? -err : (err ? err : -EINVAL);
}

const char *vnet_errmsg(const struct vnet_state *st)
{
	return st->err;
}

const char *vnet_pin_dir(const struct vnet_state *st)
{
	return st->pin;
}

static bool is_bpffs(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && sfs.f_type == BPF_FS_MAGIC;
}

/*
 * The pin directory must be on a bpffs: itself, or (not made yet) its
 * deepest existing ancestor. The default location is mounted on demand,
 * as libxdp and bpftool expect.
 */
static int ensure_bpffs(struct vnet_state *st, const char *pin)
{
	char path[PATH_MAX], *slash;

	snprintf(path, sizeof(path), "%s", pin);
	while (access(path, F_OK) && (slash = strrchr(path, '/')) && slash != path)
		*slash = '\0';
	if (is_bpffs(path))
		return 0;
	if (!strncmp(pin, "/sys/fs/bpf/", 12) && !is_bpffs("/sys/fs/bpf") &&
	    mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700") == 0)
		return 0;
	return vnet_fail(st, ENOTSUP, "%s is not on a bpf filesystem "
			 "(mount -t bpf bpf %s)", pin, path);
}

int mkdir_p(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * A change may need to pin or unpin maps (a vnet, a compiled FIB, a rule
 * set): on a bpffs that refuses writes it would stop halfway, maps
 * changed and pins not. Refused before it starts.
 */
static int check_writable(struct vnet_state *st)
{
	char probe[64];

	snprintf(probe, sizeof(probe), "vnetctl_probe_%d", (int)getpid());
	if (mkdirat(st->dirfd, probe, 0700) && errno != EEXIST)
		return vnet_fail(st, errno, "%s refuses writes (%s): nothing can change "
				 "until it is writable (mount -o remount,rw)", st->pin,
				 strerror(errno));
	unlinkat(st->dirfd, probe, AT_REMOVEDIR);
	return 0;
}

/* A pinned map: read-only where the bpffs is (only reading commands get
 * that far on one; changes are refused by check_writable). */
int pin_open(const struct vnet_state *st, const char *path)
{
	LIBBPF_OPTS(bpf_obj_get_opts, o, .file_flags = st->rofs ? BPF_F_RDONLY : 0);

	return bpf_obj_get_opts(path, &o);
}

static int pin_get(struct vnet_state *st, const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", st->pin, name);
	fd = pin_open(st, path);
	if (fd < 0)
		return vnet_fail(st, errno, "cannot open pinned map %s: %s",
				 path, strerror(errno));
	return fd;
}

static int silent_print(enum libbpf_print_level l, const char *f, va_list ap)
{
	(void)l; (void)f; (void)ap;
	return 0;
}

static int verbose_print(enum libbpf_print_level l, const char *f, va_list ap)
{
	if (l == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, f, ap);
}

static int silent_xdp(enum libxdp_print_level l, const char *f, va_list ap)
{
	(void)l; (void)f; (void)ap;
	return 0;
}

static int verbose_xdp(enum libxdp_print_level l, const char *f, va_list ap)
{
	if (l == LIBXDP_DEBUG)
		return 0;
	return vfprintf(stderr, f, ap);
}

/*
 * Devmaps: the kernel adds BPF_F_RDONLY_PROG itself but refuses it at
 * creation, so libbpf cannot create a map declared with the flag; create
 * and pin such maps here, and libbpf's reuse check then matches.
 */
static int precreate_devmaps(struct vnet_state *st, struct bpf_object *obj)
{
	struct bpf_map *m;
	char path[PATH_MAX];
	int fd, err;

	bpf_object__for_each_map(m, obj) {
		enum bpf_map_type t = bpf_map__type(m);
		LIBBPF_OPTS(bpf_map_create_opts, o,
			    .map_flags = bpf_map__map_flags(m) & ~BPF_F_RDONLY_PROG);

		if (t != BPF_MAP_TYPE_DEVMAP && t != BPF_MAP_TYPE_DEVMAP_HASH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", st->pin, bpf_map__name(m));
		if (access(path, F_OK) == 0)
			continue;
		fd = bpf_map_create(t, bpf_map__name(m), bpf_map__key_size(m),
				    bpf_map__value_size(m), bpf_map__max_entries(m), &o);
		if (fd < 0)
			return vnet_fail(st, errno, "cannot create %s: %s",
					 bpf_map__name(m), strerror(errno));
		err = bpf_obj_pin(fd, path) ? -errno : 0;
		close(fd);
		if (err)
			return vnet_fail(st, err, "cannot pin %s: %s", path, strerror(-err));
	}
	return 0;
}

/*
 * A newer build may change a global map's layout (the counters did, when
 * they became fates and drop reasons): libbpf cannot reuse such a pin.
 * Maps that hold only counters or scratch space restart: the pin goes (the
 * program still attached keeps its map until `vnetctl reload` swaps in
 * this build's) and a fresh map takes its place, said once on stderr.
 * A map that holds configuration is never thrown away behind the
 * operator's back: the open fails and says so.
 */
static const char *const restartable[] = {
	"vnet_stats", "vnet_stats6", "vnet_fwstats", "vnet_icmplim",
	"vnet_csumbuf", "vnet_scratch",
};

static bool map_restartable(const char *name)
{
	for (size_t i = 0; i < sizeof(restartable) / sizeof(restartable[0]); i++)
		if (!strcmp(name, restartable[i]))
			return true;
	return false;
}

static bool layout_differs(int fd, const struct bpf_map *m)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) == 0 &&
	       (info.type != bpf_map__type(m) || info.key_size != bpf_map__key_size(m) ||
		info.value_size != bpf_map__value_size(m) ||
		info.max_entries != bpf_map__max_entries(m));
}

/* Two passes, so that a refusal leaves every pin where it was. */
static int unpin_incompatible(struct vnet_state *st, struct bpf_object *obj)
{
	char path[PATH_MAX];
	struct bpf_map *m;

	for (int apply = 0; apply < 2; apply++) {
		bpf_object__for_each_map(m, obj) {
			const char *name = bpf_map__name(m);
			bool differs;
			int fd;

			snprintf(path, sizeof(path), "%s/%s", st->pin, name);
			fd = bpf_obj_get(path);
			if (fd < 0)
				continue;
			differs = layout_differs(fd, m);
			close(fd);
			if (!differs)
				continue;
			if (!map_restartable(name))
				return vnet_fail(st, EINVAL, "%s holds %s in a layout this "
						 "build does not know (another vnetctl made it); "
						 "nothing was changed", st->pin, name);
			if (!apply)
				continue;
			if (unlink(path))
				return vnet_fail(st, errno, "cannot remove %s: %s", path,
						 strerror(errno));
			fprintf(stderr, "vnetctl: %s changed its layout in this build: its "
				"counters start afresh (vnetctl reload moves the program "
				"onto the new map)\n", name);
		}
	}
	return 0;
}

/* Create every map of the object, pinned by name, without the program. */
static int state_init_maps(struct vnet_state *st)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = st->pin);
	struct vnet_bpf *skel;
	int err;

	skel = vnet_bpf__open_opts(&opts);
	if (!skel)
		return vnet_fail(st, errno, "cannot open the BPF object: %s",
				 strerror(errno));
	bpf_program__set_autoload(skel->progs.vnet_xdp, false);
	bpf_program__set_autoload(skel->progs.vnet_hs_pass, false);
	err = unpin_incompatible(st, skel->obj);
	if (!err)
		err = precreate_devmaps(st, skel->obj);
	if (err) {
		vnet_bpf__destroy(skel);
		return err;
	}
	err = vnet_bpf__load(skel);
	vnet_bpf__destroy(skel);
	if (err)
		return vnet_fail(st, err, "cannot create the dataplane maps in %s: %s",
				 st->pin, strerror(-err));
	return 0;
}

/* Every global map, one row each: the state's fds follow from here. */
static const struct {
	const char *name;
	size_t fd;		/* offsetof its fd in struct vnet_state */
	bool required;		/* a state without it is no state (read-only too) */
	__u32 vsize;		/* this build's value size: another means another layout */
} global_maps[] = {
#define GLOBAL(n, f, r, v)	{ n, offsetof(struct vnet_state, f), r, sizeof(v) }
	GLOBAL("vnet_ifaces", ifaces_fd, true, struct vnet_iface),
	GLOBAL("vnet_ifaddrs", ifaddrs_fd, true, struct vnet_ifaddr),
	GLOBAL("vnet_devmap", devmap_fd, true, __u32),
	GLOBAL("vnet_conf", conf_fd, true, struct vnet_conf),
	GLOBAL("vnet_stats", stats_fd, true, struct vnet_stats),
	GLOBAL("vnet_reg", reg_fd, true, struct vnet_reg),
	GLOBAL("vnet_tmpl", tmpl_fd, true, struct vnet_tmpl),
	GLOBAL("vnet_icmplim", icmplim_fd, false, struct vnet_ratelimit),
	GLOBAL("vnet_fw", fw_fd, false, struct vnet_fw),
	GLOBAL("vnet_fwstats", fwstats_fd, false, struct vnet_fw_stats),
	GLOBAL("vnet_ifaces6", ifaces6_fd, false, struct vnet_iface6),
	GLOBAL("vnet_ifaddrs6", ifaddrs6_fd, false, struct vnet_ifaddr),
	GLOBAL("vnet_conf6", conf6_fd, false, struct vnet_conf6),
	GLOBAL("vnet_stats6", stats6_fd, false, struct vnet_stats),
	GLOBAL("vnet_rtconf", rtconf_fd, false, struct vnet_rtconf),
	GLOBAL("vnet_fibinfo", fibinfo_fd, false, struct vnet_fibinfo),
	GLOBAL("vnet_dxr4cls", dxr4cls_fd, false, __u32),
#undef GLOBAL
};
#define NGLOBAL (sizeof(global_maps) / sizeof(global_maps[0]))

static int *global_fd(struct vnet_state *st, size_t i)
{
	return (int *)((char *)st + global_maps[i].fd);
}

/*
 * Record each kind's inner template (type, sizes, flags, BTF type IDs)
 * into vnet_tmpl, under the kind's name: the reference copy the allocator
 * instantiates from. The type IDs are those of the object's BTF, which
 * vnet_tmpl itself references.
 */
static int record_templates(struct vnet_state *st)
{
	struct vnet_bpf *skel = vnet_bpf__open();
	int err = 0;

	if (!skel)
		return vnet_fail(st, errno, "cannot open the BPF object: %s",
				 strerror(errno));
	for (__u32 i = 0; i < KIND_COUNT; i++) {
		struct vnet_tmpl_key key = {};
		struct bpf_map *outer, *in;
		struct vnet_tmpl t = {};

		outer = bpf_object__find_map_by_name(skel->obj, vnet_kinds[i].outer);
		in = outer ? bpf_map__inner_map(outer) : NULL;
		if (!in) {
			err = vnet_fail(st, ENOENT, "BPF object has no template for %s",
					vnet_kinds[i].outer);
			break;
		}
		t.map_type = bpf_map__type(in);
		t.key_size = bpf_map__key_size(in);
		t.value_size = bpf_map__value_size(in);
		t.map_flags = bpf_map__map_flags(in);
		t.btf_key_type_id = bpf_map__btf_key_type_id(in);
		t.btf_value_type_id = bpf_map__btf_value_type_id(in);
		t.max_entries = bpf_map__max_entries(in);
		t.valid = 1;
		snprintf(key.name, sizeof(key.name), "%s", vnet_kinds[i].name);
		if (bpf_map_update_elem(st->tmpl_fd, &key, &t, 0)) {
			err = vnet_fail(st, errno, "cannot record template %s: %s",
					vnet_kinds[i].name, strerror(errno));
			break;
		}
		st->tmpl[i] = t;
	}
	vnet_bpf__destroy(skel);
	return err;
}

/* Read-only runs of an old state leave missing templates invalid: they
 * only read copies, never make them. */
static int load_templates(struct vnet_state *st, bool readonly)
{
	for (__u32 i = 0; i < KIND_COUNT; i++) {
		struct vnet_tmpl_key key = {};

		snprintf(key.name, sizeof(key.name), "%s", vnet_kinds[i].name);
		if (bpf_map_lookup_elem(st->tmpl_fd, &key, &st->tmpl[i])) {
			if (errno != ENOENT && !readonly)
				return vnet_fail(st, errno, "cannot read templates: %s",
						 strerror(errno));
			memset(&st->tmpl[i], 0, sizeof(st->tmpl[i]));
		}
		if (!st->tmpl[i].valid && !readonly)
			return record_templates(st);
	}
	return 0;
}

/* The BTF object the templates' type IDs refer to. */
static int open_btf(struct vnet_state *st)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(st->tmpl_fd, &info, &len) || !info.btf_id)
		return vnet_fail(st, errno ? errno : ENOENT,
				 "vnet_tmpl carries no BTF");
	st->btf_fd = bpf_btf_get_fd_by_id(info.btf_id);
	if (st->btf_fd < 0)
		return vnet_fail(st, errno, "cannot open the dataplane's BTF: %s",
				 strerror(errno));
	return 0;
}

static bool pinned(const struct vnet_state *st, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", st->pin, name);
	return access(path, F_OK) == 0;
}

/*
 * A newer build adds maps (a global array, a kind) and may change how an
 * older one is laid out (vnet_tmpl was an array by position before it was
 * keyed by name): any of these makes the state outdated.
 */
static __u32 fd_value_size(int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.value_size;
}

static __u32 pin_value_size(const struct vnet_state *st, const char *name)
{
	char path[PATH_MAX];
	__u32 size;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", st->pin, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0;
	size = fd_value_size(fd);
	close(fd);
	return size;
}

static bool state_outdated(const struct vnet_state *st)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	char path[PATH_MAX];
	bool old = false;
	int fd;

	for (size_t i = 0; i < NGLOBAL && !old; i++)
		old = !pinned(st, global_maps[i].name) ||
		      pin_value_size(st, global_maps[i].name) != global_maps[i].vsize;
	for (int i = 0; i < KIND_COUNT && !old; i++)
		old = !pinned(st, vnet_kinds[i].outer);
	if (old)
		return true;
	snprintf(path, sizeof(path), "%s/vnet_tmpl", st->pin);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return true;
	old = bpf_obj_get_info_by_fd(fd, &info, &len) || info.type != BPF_MAP_TYPE_HASH;
	close(fd);
	return old;
}

/*
 * Every map of the state held by the program too (BPF_PROG_BIND_MAP), the
 * control plane's own included (registry, addresses, templates), which
 * the datapath never reads: if the pins go (the bpffs unmounted, the
 * directory removed) while the program runs, none of it is freed, and
 * `vnetctl adopt` can pin it all again.
 */
int state_bind_maps(struct vnet_state *st, int prog_fd)
{
	for (size_t i = 0; i < NGLOBAL; i++)
		if (*global_fd(st, i) >= 0 && bpf_prog_bind_map(prog_fd, *global_fd(st, i), NULL))
			return vnet_fail(st, errno, "cannot bind %s to the program: %s",
					 global_maps[i].name, strerror(errno));
	return 0;
}

/* A map an old state lacks, opened read-only: its fd stays -1 (its
 * feature reads as empty); changing commands create it first. */
static int open_pin(struct vnet_state *st, const char *name, bool required,
		    bool readonly, int *fd)
{
	if (readonly && !required && !pinned(st, name))
		return 0;
	*fd = pin_get(st, name);
	return *fd < 0 ? *fd : 0;
}

/*
 * An array map's values in memory: mmapped (shared, writable if asked),
 * or on a read-only bpffs, where the pins open read-only and cannot be
 * mmapped, copied once (nothing is written there).
 */
static void *map_array(struct vnet_state *st, int fd, size_t vsize, __u32 n, bool writable)
{
	size_t len = vsize * n;
	void *m;

	if (!st->rofs) {
		m = mmap(NULL, len, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, fd, 0);
		return m == MAP_FAILED ? NULL : m;
	}
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	for (__u32 k = 0; k < n; k++)
		if (bpf_map_lookup_elem(fd, &k, (char *)m + k * vsize) && errno != ENOENT) {
			munmap(m, len);
			return NULL;
		}
	return m;
}

static int open_maps(struct vnet_state *st, bool readonly)
{
	int err;

	for (size_t i = 0; i < NGLOBAL; i++) {
		err = open_pin(st, global_maps[i].name, global_maps[i].required, readonly,
			       global_fd(st, i));
		if (err)
			return err;
		/* only a reader meets an old layout (a writer upgraded it):
		 * values of another size would overrun this build's buffers */
		if (*global_fd(st, i) >= 0 &&
		    fd_value_size(*global_fd(st, i)) != global_maps[i].vsize)
			return vnet_fail(st, EPROTO, "%s holds %s in another layout than "
					 "this vnetctl's: a changing command upgrades it",
					 st->pin, global_maps[i].name);
	}
	for (int i = 0; i < KIND_COUNT; i++) {
		err = open_pin(st, vnet_kinds[i].outer, false, readonly, &st->outer_fd[i]);
		if (err)
			return err;
	}
	st->ifaces = map_array(st, st->ifaces_fd, sizeof(struct vnet_iface),
			       VNET_MAX_IFINDEX, false);
	if (!st->ifaces)
		return vnet_fail(st, errno, "cannot map vnet_ifaces: %s", strerror(errno));
	st->reg = map_array(st, st->reg_fd, sizeof(struct vnet_reg), VNET_MAX, true);
	if (!st->reg)
		return vnet_fail(st, errno, "cannot map vnet_reg: %s", strerror(errno));
	return 0;
}

/* vnet 0 always exists: the host, owner of every interface not moved. */
static void register_host(struct vnet_state *st)
{
	struct vnet_reg *r = &st->reg[0];

	if (r->flags & VNET_REG_USED)
		return;
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "host");
	r->fibs = 1;
	r->flags = VNET_REG_USED;
}

static struct vnet_state *state_new(void)
{
	struct vnet_state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->dirfd = st->btf_fd = -1;
	for (size_t i = 0; i < NGLOBAL; i++)
		*global_fd(st, i) = -1;
	for (int i = 0; i < KIND_COUNT; i++) {
		st->outer_fd[i] = -1;
		st->cache[i].fd = -1;
	}
	return st;
}

int state_writable(struct vnet_state *st)
{
	if (st->shared)
		return vnet_fail(st, EPERM, "a change through a state opened to read "
				 "(a read-only command)");
	return 0;
}

struct vnet_state *state_open(const char *pin_dir, unsigned flags, bool *upgraded,
			      char *err, size_t errlen)
{
	struct vnet_state *st = state_new();
	char probe[PATH_MAX];
	int rc;

	*upgraded = false;
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	libbpf_set_print(getenv("VNET_VERBOSE") ? verbose_print : silent_print);
	libxdp_set_print(getenv("VNET_VERBOSE") ? verbose_xdp : silent_xdp);
	if (!pin_dir)
		pin_dir = VNET_DEFAULT_PIN_DIR;
	if (strlen(pin_dir) > PATH_MAX - 64 || pin_dir[0] != '/') {
		snprintf(err, errlen, "pin directory must be an absolute path shorter "
			 "than %d characters", PATH_MAX - 64);
		free(st);
		return NULL;
	}
	snprintf(st->pin, sizeof(st->pin), "%s", pin_dir);
	st->shared = flags & VNET_OPEN_SHARED;
	st->ncpus = libbpf_num_possible_cpus();
	rc = ensure_bpffs(st, st->pin);
	if (rc)
		goto fail;
	if (flags & VNET_OPEN_CREATE) {
		rc = mkdir_p(st->pin);
		if (rc) {
			vnet_fail(st, rc, "cannot create %s: %s", st->pin, strerror(-rc));
			goto fail;
		}
	}
	st->dirfd = open(st->pin, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st->dirfd < 0) {
		rc = vnet_fail(st, errno, errno == ENOENT ?
			       "no dataplane state in %s (nothing attached or created yet)" :
			       "cannot open %s: %s", st->pin, strerror(errno));
		goto fail;
	}
	if (flock(st->dirfd, st->shared ? LOCK_SH : LOCK_EX)) {
		rc = vnet_fail(st, errno, "cannot lock %s: %s", st->pin, strerror(errno));
		goto fail;
	}
	if (!st->shared) {
		rc = check_writable(st);
		if (rc)
			goto fail;
	} else {
		struct statvfs sv;

		st->rofs = fstatvfs(st->dirfd, &sv) == 0 && (sv.f_flag & ST_RDONLY);
	}
	snprintf(probe, sizeof(probe), "%s/vnet_reg", st->pin);
	if (access(probe, F_OK)) {
		if (!(flags & VNET_OPEN_CREATE)) {
			rc = vnet_fail(st, ENOENT, "no dataplane state in %s "
				       "(nothing attached or created yet)", st->pin);
			goto fail;
		}
		rc = state_init_maps(st);
		if (rc)
			goto fail;
	}
	/* A newer build may add maps: create those beside the old pins
	 * (libbpf reuses what is pinned and makes only what is missing). */
	*upgraded = !st->shared && state_outdated(st);
	if (*upgraded) {
		/* The templates are recorded anew from this build, with type
		 * IDs of its BTF; vnet_tmpl is remade so that the BTF it
		 * carries is that one. Existing copies keep their own BTF. */
		snprintf(probe, sizeof(probe), "%s/vnet_tmpl", st->pin);
		unlink(probe);
		rc = state_init_maps(st);
		if (rc)
			goto fail;
	}
	rc = open_maps(st, st->shared);
	if (!rc)
		rc = load_templates(st, st->shared);
	if (!rc)
		rc = open_btf(st);
	if (rc)
		goto fail;
	if (!st->rofs)
		register_host(st);
	return st;
fail:
	snprintf(err, errlen, "%s", st->err);
	state_close(st);
	return NULL;
}

void state_close(struct vnet_state *st)
{
	if (!st)
		return;
	if (st->reg)
		munmap(st->reg, sizeof(struct vnet_reg) * VNET_MAX);
	if (st->ifaces)
		munmap((void *)st->ifaces, sizeof(struct vnet_iface) * VNET_MAX_IFINDEX);
	for (size_t i = 0; i < NGLOBAL; i++)
		if (*global_fd(st, i) >= 0)
			close(*global_fd(st, i));
	if (st->btf_fd >= 0)
		close(st->btf_fd);
	for (int i = 0; i < KIND_COUNT; i++) {
		if (st->outer_fd[i] >= 0)
			close(st->outer_fd[i]);
		if (st->cache[i].fd >= 0)
			close(st->cache[i].fd);
	}
	if (st->dirfd >= 0)
		close(st->dirfd);	/* drops the lock */
	free(st);
}

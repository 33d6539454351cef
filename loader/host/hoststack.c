/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hoststack.c - a vnet's host stack, the jail side of FreeBSD's VIMAGE: a
 * Linux network namespace bound to the vnet, where sockets, daemons and
 * tools run (`vnetctl exec`, like jexec).
 *
 * The namespace ("<pin dir name>-<ID>") is joined to the vnet by a veth
 * pair: the outer end is an ordinary dataplane interface of the vnet,
 * flagged HOSTSTACK; the inner end is "vnet0" in the namespace. vnet0
 * carries every address of the vnet as a /32 or /128 (the vnet's links
 * stay the dataplane's) and default routes via 169.254.0.1 and fe80::1,
 * permanent neighbors whose MAC is the outer end's: everything the
 * namespace sends enters the vnet's forwarding path. The datapath answers
 * ARP, NDP and echo itself and hands the rest of the traffic for the
 * vnet's addresses (and router discovery) to the namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <net/if.h>
#include <dirent.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "host.h"
#include "net/net.h"
#include "vnet.skel.h"

#define HS_INNER	"vnet0"
#define HS_GATEWAY	"169.254.0.1"
#define HS_GATEWAY6	"fe80::1"

extern char **environ;

static void hoststack_teardown(struct vnet_state *st, __u32 id);

/*
 * The namespace "<pin dir name>-<ID>" and the outer veth of vnet id. A pin
 * directory directly under /sys/fs/bpf has a name no sibling has; one
 * elsewhere gets a hash of its path in the namespace's name too, so that
 * two pin directories with one name never share a namespace.
 */
static void hoststack_names(const struct vnet_state *st, __u32 id, char ns[64], char outer[16])
{
	char pin[PATH_MAX], parent[PATH_MAX];
	unsigned h = 2166136261u;

	snprintf(pin, sizeof(pin), "%s", st->pin);
	snprintf(parent, sizeof(parent), "%s", st->pin);
	for (const char *p = st->pin; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	if (!strcmp(dirname(parent), "/sys/fs/bpf"))
		snprintf(ns, 64, "%.40s-%u", basename(pin), id);
	else
		snprintf(ns, 64, "%.34s-%04x-%u", basename(pin), h & 0xffff, id);
	snprintf(outer, 16, "vh%04x%u", h & 0xffff, id);
}

int vnet_hoststack_path(struct vnet_state *st, __u32 id, char *buf, size_t len)
{
	struct vnet_conf c;
	char ns[64], outer[16];
	int err = vnet_check(st, id);

	if (err)
		return err;
	if (bpf_map_lookup_elem(st->conf_fd, &id, &c) || !c.hs_ifindex)
		return vnet_fail(st, ENOENT, "vnet %u has no host stack (vnetctl netns %u on)",
				 id, id);
	hoststack_names(st, id, ns, outer);
	snprintf(buf, len, "/run/netns/%s", ns);
	return 0;
}

/* Run ip(8) with these arguments, quietly; 0 when it succeeded. */
static int run_ip(const char *const *args)
{
	const char *argv[16] = { "ip" };
	posix_spawn_file_actions_t fa;
	int n = 1, status;
	pid_t pid;

	for (; *args && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, "ip", &fa, NULL, (char **)argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		return -ENOENT;
	}
	posix_spawn_file_actions_destroy(&fa);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -EIO;
	return 0;
}

#define IP(st, what, ...) ip_or_fail(st, what, (const char *const[]){ __VA_ARGS__, NULL })

static int ip_or_fail(struct vnet_state *st, const char *what, const char *const *args)
{
	int err = run_ip(args);

	if (err == -ENOENT)
		return vnet_fail(st, ENOENT, "ip(8) not found: install iproute2");
	if (err)
		return vnet_fail(st, EIO, "host stack: cannot %s", what);
	return 0;
}

/* Write a sysctl file; 0 or -1. */
static int put_sysctl(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * Inside the namespace: IPv6 without duplicate-address probes or router
 * solicitations (the vnet owns its addresses and routes), real checksums
 * on what it sends (XDP forwards frames as they are; a veth would leave
 * TCP/UDP checksums to offload), and the pass-through program the veth
 * needs to receive redirected frames. Done by a child that joins the
 * namespace.
 */
static int ns_setup_inner(const char *nspath, int pass_fd)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		struct ethtool_value ev = { .cmd = ETHTOOL_STXCSUM, .data = 0 };
		struct ifreq ifr = {};
		int nsfd = open(nspath, O_RDONLY | O_CLOEXEC), s;

		if (nsfd < 0 || setns(nsfd, CLONE_NEWNET))
			_exit(1);
		if (put_sysctl("/proc/sys/net/ipv6/conf/" HS_INNER "/accept_dad", "0") ||
		    put_sysctl("/proc/sys/net/ipv6/conf/" HS_INNER "/accept_ra", "0") ||
		    put_sysctl("/proc/sys/net/ipv6/conf/" HS_INNER "/router_solicitations", "0"))
			_exit(2);
		s = socket(AF_INET, SOCK_DGRAM, 0);
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", HS_INNER);
		ifr.ifr_data = (void *)&ev;
		if (s < 0 || ioctl(s, SIOCETHTOOL, &ifr))
			_exit(3);
		if (bpf_xdp_attach(if_nametoindex(HS_INNER), pass_fd, XDP_FLAGS_DRV_MODE, NULL))
			_exit(4);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -EIO;
	return 0;
}

static int conf_hs(struct vnet_state *st, __u32 id, __u32 ifindex, const __u8 *mac)
{
	struct vnet_conf c;

	if (bpf_map_lookup_elem(st->conf_fd, &id, &c))
		return -errno;
	c.hs_ifindex = ifindex;
	if (mac)
		memcpy(c.hs_mac, mac, 6);
	return bpf_map_update_elem(st->conf_fd, &id, &c, BPF_EXIST) ? -errno : 0;
}

static int ns_addr(struct vnet_state *st, __u32 id, const struct vnet_ip *addr, bool add);

struct addr_ctx {
	struct vnet_state *st;
	__u32 id;
	const char *ns;
	int err;
};

static int ns_addr_one(const struct vnet_addr_info *a, void *arg)
{
	struct addr_ctx *c = arg;

	if (a->vnet != c->id)
		return 0;
	c->err = ns_addr(c->st, c->id, &a->addr, true);
	return c->err;
}

int vnet_hoststack_on(struct vnet_state *st, __u32 id)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .pin_root_path = st->pin);
	char ns[64], outer[16], tmp[16], nspath[128], mac[18], errbuf[512];
	struct addr_ctx ac = { .st = st, .id = id };
	struct vnet_iface rec;
	struct vnet_bpf *skel = NULL;
	struct vnet_conf c;
	__u32 ifindex;
	__u8 inner_mac[6];
	int err = vnet_check(st, id);

	if (state_writable(st))
		return -EPERM;
	if (err)
		return err;
	if (bpf_map_lookup_elem(st->conf_fd, &id, &c) == 0 && c.hs_ifindex)
		return vnet_fail(st, EEXIST, "vnet %u already has a host stack", id);
	hoststack_names(st, id, ns, outer);
	snprintf(nspath, sizeof(nspath), "/run/netns/%s", ns);
	snprintf(tmp, sizeof(tmp), "%si", outer);
	/* named after this pin directory and vnet: left by a teardown cut short */
	if (access(nspath, F_OK) == 0)
		hoststack_teardown(st, id);
	err = IP(st, "create the namespace", "netns", "add", ns);
	if (err)
		return err;
	err = nl_veth_create(outer, tmp);
	if (err) {
		err = vnet_fail(st, err, "cannot create veth %s: %s", outer, strerror(-err));
		goto fail_ns;
	}
	/* Locally administered MAC for the inner end, so the datapath knows it. */
	inner_mac[0] = 0x02; inner_mac[1] = 0x76; inner_mac[2] = 0x6e;
	inner_mac[3] = id >> 8; inner_mac[4] = id; inner_mac[5] = 0x01;
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", inner_mac[0],
		 inner_mac[1], inner_mac[2], inner_mac[3], inner_mac[4], inner_mac[5]);
	err = IP(st, "set the inner MAC", "link", "set", tmp, "address", mac);
	if (!err)
		err = IP(st, "move vnet0 into the namespace", "link", "set", tmp, "netns", ns,
			 "name", HS_INNER);
	if (!err)
		err = IP(st, "bring lo up", "-n", ns, "link", "set", "lo", "up");
	if (!err)
		err = IP(st, "bring vnet0 up", "-n", ns, "link", "set", HS_INNER, "up");
	if (!err) {
		skel = vnet_bpf__open_opts(&oo);
		if (!skel || vnet_bpf__load(skel))
			err = vnet_fail(st, EINVAL, "cannot load the dataplane's programs");
		else if (ns_setup_inner(nspath, bpf_program__fd(skel->progs.vnet_hs_pass)))
			err = vnet_fail(st, EIO, "cannot prepare vnet0 in %s (XDP, checksums)", ns);
	}
	if (skel)
		vnet_bpf__destroy(skel);
	if (err)
		goto fail_link;
	nl_link_up(outer);
	err = vnet_attach(st, outer, VNET_MODE_NATIVE);
	if (err)
		goto fail_link;
	err = iface_set_flags(st, outer, VNET_IF_F_HOSTSTACK, &ifindex, &rec);
	if (!err)
		err = vnet_link_set(st, outer, id, 0);
	if (!err) {
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", rec.mac[0],
			 rec.mac[1], rec.mac[2], rec.mac[3], rec.mac[4], rec.mac[5]);
		err = IP(st, "add the gateway neighbor", "-n", ns, "neigh", "add", HS_GATEWAY,
			 "lladdr", mac, "dev", HS_INNER, "nud", "permanent");
	}
	if (!err)
		err = IP(st, "add the default route", "-n", ns, "route", "add", "default",
			 "via", HS_GATEWAY, "dev", HS_INNER, "onlink");
	if (!err)
		err = IP(st, "add the IPv6 gateway neighbor", "-n", ns, "-6", "neigh", "add",
			 HS_GATEWAY6, "lladdr", mac, "dev", HS_INNER, "nud", "permanent");
	if (!err)
		err = IP(st, "add the IPv6 default route", "-n", ns, "-6", "route", "add",
			 "default", "via", HS_GATEWAY6, "dev", HS_INNER);
	if (!err)
		err = vnet_addr_walk(st, ns_addr_one, &ac) ? ac.err : 0;
	if (!err && conf_hs(st, id, ifindex, inner_mac))
		err = vnet_fail(st, errno, "cannot record the host stack: %s", strerror(errno));
	if (!err)
		return 0;
	snprintf(errbuf, sizeof(errbuf), "%s", st->err);
	vnet_detach(st, outer);
	snprintf(st->err, sizeof(st->err), "%s", errbuf);
fail_link:
	nl_link_del(outer);
fail_ns:
	run_ip((const char *const[]){ "netns", "del", ns, NULL });
	return err;
}

/* Signal every process whose network namespace is ns; how many there were. */
static int ns_signal(const struct stat *ns, int sig)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[64];
	struct stat s;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		pid_t pid = atoi(e->d_name);

		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
		if (stat(path, &s) || s.st_ino != ns->st_ino || s.st_dev != ns->st_dev)
			continue;
		kill(pid, sig);
		n++;
	}
	closedir(d);
	return n;
}

/*
 * The processes of a host stack end with it, as a jail's do at `jail -r`:
 * TERM, up to a second to exit, then KILL. A daemon left running there
 * would keep the namespace's stack, sockets and all, alive after the vnet.
 */
static void ns_kill_procs(const char *nspath)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	struct stat ns;

	if (stat(nspath, &ns) || !ns_signal(&ns, SIGTERM))
		return;
	for (int i = 0; i < 50 && ns_signal(&ns, 0); i++)
		nanosleep(&tick, NULL);
	for (int i = 0; i < 50 && ns_signal(&ns, SIGKILL); i++)
		nanosleep(&tick, NULL);
}

/* The host stack's veth was deleted behind our back: stop delivering to
 * it. Its namespace stays until `netns VNET on` or destroy reclaims it. */
void hoststack_lost(struct vnet_state *st, __u32 id)
{
	if (id && vnet_get(st, id))
		conf_hs(st, id, 0, NULL);
}

/*
 * Whatever of vnet id's host stack exists, gone: by name, so that a
 * teardown cut short (kill -9) is finished by the next one, and one that
 * never started does nothing.
 */
static void hoststack_teardown(struct vnet_state *st, __u32 id)
{
	char ns[64], outer[16], nspath[128];
	struct vnet_iface rec;
	__u32 ifindex;

	hoststack_names(st, id, ns, outer);
	snprintf(nspath, sizeof(nspath), "/run/netns/%s", ns);
	if (vnet_get(st, id))
		conf_hs(st, id, 0, NULL);	/* stop delivering first */
	if (iface_lookup(st, outer, &ifindex, &rec) == 0)
		vnet_detach(st, outer);
	nl_link_del(outer);
	ns_kill_procs(nspath);
	if (access(nspath, F_OK) == 0)
		run_ip((const char *const[]){ "netns", "del", ns, NULL });
}

int vnet_hoststack_off(struct vnet_state *st, __u32 id)
{
	struct vnet_conf c;
	int err = vnet_check(st, id);

	if (state_writable(st))
		return -EPERM;
	if (err)
		return err;
	if (bpf_map_lookup_elem(st->conf_fd, &id, &c) || !c.hs_ifindex)
		return vnet_fail(st, ENOENT, "vnet %u has no host stack", id);
	hoststack_teardown(st, id);
	return 0;
}

static int ns_addr(struct vnet_state *st, __u32 id, const struct vnet_ip *addr, bool add)
{
	char ns[64], outer[16], a[VNET_IP_STRLEN + 5];

	hoststack_names(st, id, ns, outer);
	vnet_ip_str(addr, a);
	strcat(a, addr->family == 6 ? "/128" : "/32");
	if (addr->family == 6 && add)
		return IP(st, "add the address in the namespace", "-n", ns, "addr", "add",
			  a, "dev", HS_INNER, "nodad");
	return IP(st, add ? "add the address in the namespace" :
			    "remove the address from the namespace",
		  "-n", ns, "addr", add ? "add" : "del", a, "dev", HS_INNER);
}

/* Keep the namespace's addresses those of the vnet, when it has one. */
static int hoststack_addr(struct vnet_state *st, __u32 id, const struct vnet_ip *addr, bool add)
{
	struct vnet_conf c;

	if (bpf_map_lookup_elem(st->conf_fd, &id, &c) || !c.hs_ifindex)
		return 0;
	return ns_addr(st, id, addr, add);
}

/* ---- this file's part in a vnet's life (SI_HOSTSTACK: first to go) ---- */

static const struct vnet_sysinit hoststack_sysinit = {
	.name = "hoststack",
	.order = SI_HOSTSTACK,
	.vnet_uninit = hoststack_teardown,	/* by name: also what a cut-short one left */
	.addr_changed = hoststack_addr,
};
VNET_SYSINIT(hoststack_sysinit);

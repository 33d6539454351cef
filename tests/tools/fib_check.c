/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fib_check PIN_DIR VNET FIB - is what packets get from an IPv4 FIB what
 * `route show` and `route get` say? The trie is what the control plane
 * shows; a compiled table (DXR), when there is one, is what packets read.
 * Every route's first and last address, and the addresses just outside,
 * are looked up in both with the dataplane's own code (dxr_diff.bpf.o,
 * beside this program), and the FIB's route count is held against the
 * trie. For the fault and stress tests: after a vnetctl killed in the
 * middle of a batch, the next command must leave these equal.
 *
 * Prints one line; exits 0 when consistent, 1 when not, 2 on error.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "../unit/dxr_diff.h"

static int quiet(enum libbpf_print_level l, const char *f, va_list ap)
{
	(void)l; (void)f; (void)ap;
	return 0;
}

static int pinned(const char *pin, const char *name)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", pin, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		fprintf(stderr, "fib_check: cannot open %s: %s\n", path, strerror(errno));
	return fd;
}

/* The trie's addresses worth asking about, into vals[1..]; its route count. */
static __u32 trie_addrs(int fd, __u32 *vals, __u32 max, __u32 *routes)
{
	struct fib4_key k, next;
	__u32 n = 0;

	*routes = 0;
	for (int more = !bpf_map_get_next_key(fd, NULL, &next); more;
	     more = !bpf_map_get_next_key(fd, &k, &next)) {
		__u32 first, last, m;

		k = next;
		(*routes)++;
		m = k.prefixlen ? ~0u << (32 - k.prefixlen) : 0;
		first = ntohl(k.addr) & m;
		last = first | ~m;
		__u32 cand[4] = { first, last, first - 1, last + 1 };
		for (int i = 0; i < 4 && n + 1 < max; i++)
			vals[++n] = htonl(cand[i]);
	}
	return n;
}

int main(int argc, char **argv)
{
	static __u32 keys[DIFF_MAX], vals[DIFF_MAX];
	struct diff_res r = {};
	struct vnet_fibinfo fi = {};
	char obj_path[512], *self;
	struct bpf_object *obj;
	__u32 vnet, fib, slot, routes, n, cnt;
	int trie_fd, info_fd, addrs_fd, out_fd, prog;

	if (argc != 4) {
		fprintf(stderr, "usage: fib_check PIN_DIR VNET FIB\n");
		return 2;
	}
	libbpf_set_print(quiet);
	vnet = strtoul(argv[2], NULL, 10);
	fib = strtoul(argv[3], NULL, 10);
	slot = VNET_FIB_SLOT(vnet, fib);
	snprintf(obj_path, sizeof(obj_path), "v%u/fib%u_in4", vnet, fib);
	trie_fd = pinned(argv[1], obj_path);
	info_fd = pinned(argv[1], "vnet_fibinfo");
	if (trie_fd < 0 || info_fd < 0 || bpf_map_lookup_elem(info_fd, &slot, &fi))
		return 2;
	n = trie_addrs(trie_fd, vals, DIFF_MAX, &routes);
	if (!fi.cls) {
		printf("fib_check: vnet %u fib %u: %u routes in the trie, counted %u; "
		       "not compiled (packets read the trie)\n", vnet, fib, routes, fi.routes4);
		return routes == fi.routes4 ? 0 : 1;
	}
	self = strdup(argv[0]);
	snprintf(obj_path, sizeof(obj_path), "%s/dxr_diff.bpf.o", dirname(self));
	{
		LIBBPF_OPTS(bpf_object_open_opts, o, .pin_root_path = argv[1]);

		obj = bpf_object__open_file(obj_path, &o);
	}
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "fib_check: cannot load %s\n", obj_path);
		return 2;
	}
	prog = bpf_program__fd(bpf_object__find_program_by_name(obj, "dxr_diff"));
	addrs_fd = bpf_object__find_map_fd_by_name(obj, "diff_addrs");
	out_fd = bpf_object__find_map_fd_by_name(obj, "diff_out");
	vals[0] = n;
	for (__u32 i = 0; i <= n; i++)
		keys[i] = i;
	cnt = n + 1;
	r.slot = slot;
	if (bpf_map_update_batch(addrs_fd, keys, vals, &cnt, NULL) ||
	    bpf_map_update_elem(out_fd, &(__u32){ 0 }, &r, 0)) {
		fprintf(stderr, "fib_check: cannot fill the addresses: %s\n", strerror(errno));
		return 2;
	}
	{
		struct xdp_md ctx = { .data_end = 64 };
		__u8 frame[64] = {};
		LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = frame, .data_size_in = 64,
			    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx));

		if (bpf_prog_test_run_opts(prog, &t) ||
		    bpf_map_lookup_elem(out_fd, &(__u32){ 0 }, &r)) {
			fprintf(stderr, "fib_check: the check did not run: %s\n", strerror(errno));
			return 2;
		}
	}
	if (r.no_table && !r.checked) {
		fprintf(stderr, "fib_check: vnet %u fib %u is not in its slots (a vnet with no "
			"interface yet: packets cannot reach it)\n", vnet, fib);
		return 2;
	}
	printf("fib_check: vnet %u fib %u: %u routes in the trie, counted %u; compiled: "
	       "%llu addresses looked up in both, %llu differ%s\n", vnet, fib, routes,
	       fi.routes4, (unsigned long long)r.checked, (unsigned long long)r.mismatches,
	       r.no_table ? " (no compiled table in the slot)" : "");
	bpf_object__close(obj);
	return routes == fi.routes4 && !r.mismatches && !r.no_table && r.checked == n ? 0 : 1;
}

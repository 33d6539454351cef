/* SPDX-License-Identifier: BSD-2-Clause */
/* cmd_vnet.c - create, destroy, list, add-fib, del-fib. */
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

int do_create(struct ctl *c, int argc, char **argv)
{
	struct vnet_create_opts o = {};
	bool netns = false;
	__u32 id;
	int i = 0;

	if (i < argc && argv[i][0] >= '0' && argv[i][0] <= '9') {
		if (arg_u32(c, "vnet ID", argv[i++], VNET_MAX - 1, &o.id))
			return 1;
		if (!o.id)
			return ctl_err(c, "vnet 0 is the host and always exists");
	}
	for (; i < argc; i += 2) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (arg_is(argv[i], "netns")) {
			netns = true;
			i--;
			continue;
		}
		if (!val)
			return ctl_err(c, "'%s' needs a value", argv[i]);
		if (arg_is(argv[i], "name"))
			o.name = val;
		else if (arg_is(argv[i], "fibs")) {
			if (arg_u32(c, "fibs", val, VNET_MAX_FIBS, &o.fibs))
				return 1;
			if (!o.fibs)
				return ctl_err(c, "fibs must be at least 1");
		} else if (arg_is(argv[i], "routes")) {
			if (arg_u32(c, "routes", val, VNET_MAX_ROUTES, &o.max_routes))
				return 1;
		} else if (arg_is(argv[i], "neighbors")) {
			if (arg_u32(c, "neighbors", val, VNET_MAX_NEIGH, &o.max_neigh))
				return 1;
		} else if (arg_is(argv[i], "rules")) {
			if (arg_u32(c, "rules", val, VNET_MAX_RULES, &o.max_rules))
				return 1;
		} else if (arg_is(argv[i], "states")) {
			if (arg_u32(c, "states", val, VNET_MAX_STATES, &o.max_states))
				return 1;
		} else
			return ctl_err(c, "create: unknown option '%s' (name, fibs, "
				       "routes, neighbors, rules, states, netns)", argv[i]);
	}
	if (vnet_create(c->st, &o, &id))
		return ctl_lib_err(c);
	if (netns && vnet_hoststack_on(c->st, id)) {
		int rc = ctl_lib_err(c);

		vnet_destroy(c->st, id);	/* all or nothing */
		return rc;
	}
	if (c->json) {
		json_begin_obj(NULL);
		json_u64("id", id);
		json_str("name", vnet_get(c->st, id)->name);
		json_end_obj();
		json_done();
	} else {
		printf("%u\n", id);
	}
	return 0;
}

int do_destroy(struct ctl *c, int argc, char **argv)
{
	__u32 id;

	if (argc != 1)
		return ctl_err(c, "usage: destroy VNET");
	if (arg_vnet(c, argv[0], &id))
		return 1;
	return vnet_destroy(c->st, id) ? ctl_lib_err(c) : 0;
}

struct iface_count {
	unsigned n[VNET_MAX];
};

static int count_iface(const struct vnet_link *l, void *arg)
{
	((struct iface_count *)arg)->n[l->rec.vnet]++;
	return 0;
}

int do_list(struct ctl *c, int argc, char **argv)
{
	struct iface_count *cnt = calloc(1, sizeof(*cnt));

	if (argc)
		return free(cnt), ctl_err(c, "usage: list");
	if (!cnt)
		return ctl_err(c, "out of memory");
	vnet_link_walk(c->st, count_iface, cnt);
	if (c->json)
		json_begin_arr(NULL);
	else
		printf("%-5s %-20s %-5s %-7s %-9s %-9s %s\n", "ID", "NAME", "FIBS",
		       "IFACES", "ROUTES", "NEIGHBORS", "STATE");
	for (__u32 id = 0; id < VNET_MAX; id++) {
		const struct vnet_reg *r = vnet_get(c->st, id);
		const char *state = id == 0 ? "host" :
				    (r && (r->flags & VNET_REG_LIVE)) ? "live" : "idle";

		if (!r)
			continue;
		if (c->json) {
			json_begin_obj(NULL);
			json_u64("id", id);
			json_str("name", r->name);
			json_begin_arr("fibs");
			for (__u32 f = 0; id && f < VNET_MAX_FIBS; f++)
				if (r->fibs & (1u << f))
					json_u64(NULL, f);
			json_end_arr();
			json_u64("interfaces", cnt->n[id]);
			json_u64("max_routes", r->max_routes);
			json_u64("max_neighbors", r->max_neigh);
			json_str("state", state);
			json_end_obj();
		} else if (id == 0) {
			printf("%-5u %-20s %-5s %-7u %-9s %-9s %s\n", id, r->name, "-",
			       cnt->n[id], "-", "-", state);
		} else {
			printf("%-5u %-20s %-5d %-7u %-9u %-9u %s\n", id, r->name,
			       __builtin_popcount(r->fibs), cnt->n[id], r->max_routes,
			       r->max_neigh, state);
		}
	}
	if (c->json) {
		json_end_arr();
		json_done();
	}
	free(cnt);
	return 0;
}

int do_add_fib(struct ctl *c, int argc, char **argv)
{
	__u32 id, fib;

	if (argc != 1)
		return ctl_err(c, "usage: add-fib VNET");
	if (arg_vnet(c, argv[0], &id))
		return 1;
	if (vnet_fib_add(c->st, id, &fib))
		return ctl_lib_err(c);
	if (c->json) {
		json_begin_obj(NULL);
		json_u64("fib", fib);
		json_end_obj();
		json_done();
	} else {
		printf("%u\n", fib);
	}
	return 0;
}

int do_del_fib(struct ctl *c, int argc, char **argv)
{
	__u32 id, fib;

	if (argc != 2)
		return ctl_err(c, "usage: del-fib VNET FIB");
	if (arg_vnet(c, argv[0], &id) ||
	    arg_u32(c, "fib", argv[1], VNET_MAX_FIBS - 1, &fib))
		return 1;
	return vnet_fib_del(c->st, id, fib) ? ctl_lib_err(c) : 0;
}

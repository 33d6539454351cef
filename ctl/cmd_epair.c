/* SPDX-License-Identifier: BSD-2-Clause */
/* cmd_epair.c - epair create|destroy|show. */
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

static bool is_epair(const struct vnet_link *l, const void *arg)
{
	return l->rec.flags & VNET_IF_F_EPAIR;
}

static int epair_show(struct ctl *c)
{
	struct vnet_link *v;
	char name[IF_NAMESIZE];
	size_t n;

	if (links_collect(c, is_epair, NULL, &v, &n))
		return 1;
	if (c->json)
		json_begin_arr(NULL);
	else
		printf("%-14s %-16s %-6s %-16s %s\n", "EPAIR", "END A", "VNET", "END B", "VNET");
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(v[i].ifname);

		if (!len || v[i].ifname[len - 1] != 'a')
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 1), v[i].ifname);
		for (size_t j = 0; j < n; j++) {
			if (strncmp(v[j].ifname, name, len - 1) || v[j].ifname[len - 1] != 'b' ||
			    v[j].ifname[len])
				continue;
			if (c->json) {
				json_begin_obj(NULL);
				json_str("name", name);
				json_str("a", v[i].ifname);
				json_u64("vnet_a", v[i].rec.vnet);
				json_str("b", v[j].ifname);
				json_u64("vnet_b", v[j].rec.vnet);
				json_end_obj();
			} else {
				printf("%-14s %-16s %-6u %-16s %u\n", name, v[i].ifname,
				       v[i].rec.vnet, v[j].ifname, v[j].rec.vnet);
			}
		}
	}
	if (c->json) {
		json_end_arr();
		json_done();
	}
	free(v);
	return 0;
}

int do_epair(struct ctl *c, int argc, char **argv)
{
	char out[IF_NAMESIZE];
	const char *name = NULL;
	__u32 a, b;

	if (argc == 1 && arg_is(argv[0], "show"))
		return epair_show(c);
	if (argc == 2 && arg_is(argv[0], "destroy"))
		return vnet_epair_destroy(c->st, argv[1]) ? ctl_lib_err(c) : 0;
	if (!arg_is(argv[0], "create") || (argc != 3 && !(argc == 5 && arg_is(argv[3], "name"))))
		return ctl_err(c, "usage: epair create VNET_A VNET_B [name NAME] | "
			       "epair destroy NAME | epair show");
	if (arg_vnet(c, argv[1], &a) || arg_vnet(c, argv[2], &b))
		return 1;
	if (argc == 5)
		name = argv[4];
	if (vnet_epair_create(c->st, a, b, name, out))
		return ctl_lib_err(c);
	if (c->json) {
		json_begin_obj(NULL);
		json_str("name", out);
		json_end_obj();
		json_done();
	} else {
		printf("%s\n", out);
	}
	return 0;
}

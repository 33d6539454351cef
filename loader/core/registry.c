/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * registry.c - which vnets exist: the registry (vnet_reg) is an mmapped
 * array, so existence, name and FIB checks are plain memory reads.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

const struct vnet_reg *vnet_get(struct vnet_state *st, __u32 id)
{
	if (id >= VNET_MAX || !(st->reg[id].flags & VNET_REG_USED))
		return NULL;
	return &st->reg[id];
}

int vnet_check(struct vnet_state *st, __u32 id)
{
	if (id == 0)
		return vnet_fail(st, EINVAL, "vnet 0 is the host: its interfaces "
				 "and routes belong to the Linux stack (use ip(8))");
	if (!vnet_get(st, id))
		return vnet_fail(st, ENOENT, "vnet %u does not exist", id);
	return 0;
}

int vnet_check_fib(struct vnet_state *st, __u32 id, __u32 fib)
{
	int err = vnet_check(st, id);

	if (err)
		return err;
	if (fib >= VNET_MAX_FIBS || !(st->reg[id].fibs & (1u << fib)))
		return vnet_fail(st, ENOENT, "vnet %u has no fib %u", id, fib);
	return 0;
}

bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int vnet_resolve(struct vnet_state *st, const char *arg, __u32 *id)
{
	if (all_digits(arg)) {
		unsigned long v = strtoul(arg, NULL, 10);

		if (v >= VNET_MAX || !vnet_get(st, v))
			return vnet_fail(st, ENOENT, "vnet %s does not exist", arg);
		*id = v;
		return 0;
	}
	for (__u32 i = 0; i < VNET_MAX; i++)
		if ((st->reg[i].flags & VNET_REG_USED) &&
		    strncmp(st->reg[i].name, arg, VNET_NAME_LEN) == 0) {
			*id = i;
			return 0;
		}
	return vnet_fail(st, ENOENT, "no vnet named '%s'", arg);
}

void vnet_dir(const struct vnet_state *st, __u32 id, char *buf, size_t len)
{
	snprintf(buf, len, "%s/v%u", st->pin, id);
}


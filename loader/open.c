/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * open.c - vnet_open and vnet_close: the pinned state (core/state.c),
 * brought up to this build (each subsystem's upgrade hook, for the vnets
 * an older build made) and repaired (recover.c) before a command acts on
 * it; at close, every subsystem's waiting work is done or dropped (its
 * close hook).
 */
#include <errno.h>
#include <stdio.h>
#include "core/core.h"
#include "recover.h"

struct vnet_state *vnet_open(const char *pin_dir, unsigned flags, char *err, size_t errlen)
{
	bool upgraded;
	struct vnet_state *st = state_open(pin_dir, flags, &upgraded, err, errlen);
	int rc = 0;

	if (!st)
		return NULL;
	for (__u32 id = 1; upgraded && id < VNET_MAX && !rc; id++)
		if (st->reg[id].flags & VNET_REG_USED)
			rc = sys_upgrade(st, id);
	if (!rc && !st->rofs)	/* nothing can be repaired on a read-only bpffs */
		rc = state_recover(st);
	if (rc) {
		snprintf(err, errlen, "%s", vnet_errmsg(st));
		state_close(st);
		return NULL;
	}
	return st;
}

void vnet_close(struct vnet_state *st)
{
	if (!st)
		return;
	sys_close(st);
	state_close(st);
}

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
#include "adopt.h"
#include <unistd.h>

/* A fresh state beside a running dataplane whose pins are gone would take
 * edits that change nothing: refused, saying what to do instead. */
static bool orphans_refused(const char *pin_dir, unsigned flags, char *err, size_t errlen)
{
	char path[PATH_MAX], names[256];
	int n;

	if (!pin_dir || !*pin_dir)
		pin_dir = VNET_DEFAULT_PIN_DIR;
	snprintf(path, sizeof(path), "%s/vnet_reg", pin_dir);
	if (!(flags & VNET_OPEN_CREATE) || !access(path, F_OK))
		return false;
	n = vnet_orphans(names, sizeof(names));
	if (!n)
		return false;
	snprintf(err, errlen, "%s %s a dataplane whose pins are gone (was the bpffs "
		 "unmounted?): `vnetctl adopt IFNAME` takes its state back into %s; "
		 "`ip link set dev IFNAME xdp off` removes it", names, n > 1 ? "run" : "runs",
		 pin_dir);
	return true;
}

struct vnet_state *vnet_open(const char *pin_dir, unsigned flags, char *err, size_t errlen)
{
	bool upgraded;
	struct vnet_state *st;
	int rc = 0;

	if (orphans_refused(pin_dir, flags, err, errlen))
		return NULL;
	st = state_open(pin_dir, flags, &upgraded, err, errlen);
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

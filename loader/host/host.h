/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host.h - a vnet's host stack (hoststack.c): the network namespace bound
 * to it, the jail side of VIMAGE. Below it: core/, link/ and net/.
 */
#ifndef VNET_HOST_H
#define VNET_HOST_H

#include "link/link.h"

/* Its veth was deleted behind our back: stop delivering to it. */
void hoststack_lost(struct vnet_state *st, __u32 id);

#endif

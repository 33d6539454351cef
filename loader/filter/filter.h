/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * filter.h - the filter (ipfw per vnet) in libvnet: rules, rule counters,
 * states and settings (filter.c). Below it: core/ and link/.
 */
#ifndef VNET_FILTER_H
#define VNET_FILTER_H

#include "link/link.h"

/* The vnet's filter settings and limits (its vnet_fw record). */
int fw_conf_get(struct vnet_state *st, __u32 id, struct vnet_fw *fw);

#endif

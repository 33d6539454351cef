/* SPDX-License-Identifier: BSD-2-Clause */
/* adopt.h - dataplanes whose pins are gone (adopt.c). */
#ifndef VNET_ADOPT_H
#define VNET_ADOPT_H

#include "core/core.h"

/* Interfaces running a dataplane pinned nowhere: their number, and their
 * names in names (comma separated). */
int vnet_orphans(char *names, size_t len);

#endif

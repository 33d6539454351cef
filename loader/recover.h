/* SPDX-License-Identifier: BSD-2-Clause */
/* recover.h - repairs at open (recover.c). */
#ifndef VNET_RECOVER_H
#define VNET_RECOVER_H

#include "core/core.h"

/* What a crash or a vanished interface left, made whole (exclusive lock
 * taken for it if the state was opened to read). */
int state_recover(struct vnet_state *st);

#endif

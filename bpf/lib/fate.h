/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fate.h - every frame a vnet takes ends in exactly one counted fate:
 * forwarded, delivered, sent from its host stack, or dropped for one named
 * reason (VNET_DROP_REASONS in vnet_abi.h). Drops go through vnet_drop,
 * the one exit that counts them.
 *
 * Some fates are decided before the frame leaves: a packet whose TTL
 * expired is dropped (ttl_exceeded) and its buffer becomes the ICMP error;
 * an echo request is delivered and becomes the reply. If that answer then
 * cannot be sent (no route back, neighbor unresolved), the frame already
 * has its fate, and the failure is only an event (answer_unsent).
 */
#ifndef VNET_FATE_H
#define VNET_FATE_H

#include "curvnet.h"

/* Internal verdicts of the walk's steps: negative, never an XDP action. */
enum vnet_verdict {
	V_DROP = -1,		/* counted already */
	V_FORWARD = -2,		/* transit: route and egress known, TTL to decrement */
	V_ORIGINATE = -3,	/* the frame now holds a packet we originate: route it */
	V_HOSTSTACK = -4,	/* for the vnet's host stack: out of its veth */
	V_UNREACH = -5,		/* refused by a filter rule: answer "administratively prohibited" */
};

/* Count the drop (the frame's fate) without ending the walk yet. */
static __always_inline void vnet_count_drop(struct vnet_ctx *v, enum vnet_drop why)
{
	if (v->fated) {
		v->st->answer_unsent++;
		return;
	}
	((__u64 *)&v->st->drops)[why]++;
	v->fated = 1;
}

/* The one exit for a dropped frame. */
static __always_inline int vnet_drop(struct vnet_ctx *v, enum vnet_drop why)
{
	vnet_count_drop(v, why);
	return XDP_DROP;
}

/* The frame was for the vnet itself (answered here, learned from, or
 * handed to its host stack). */
static __always_inline void vnet_delivered(struct vnet_ctx *v)
{
	if (!v->fated)
		v->st->delivered++;
	v->fated = 1;
}

#endif

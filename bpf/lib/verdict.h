/* SPDX-License-Identifier: BSD-2-Clause */
/* verdict.h - what an input step decided the output step must do. */
#ifndef VNET_VERDICT_H
#define VNET_VERDICT_H

enum vnet_verdict {
	V_DROP,		/* counted already */
	V_FORWARD,	/* transit: route and egress known, TTL to decrement */
	V_ORIGINATE,	/* the frame now holds a packet we originate: route it */
	V_HOSTSTACK,	/* for the vnet's host stack: out of its veth */
	V_UNREACH,	/* refused by a filter rule: answer "administratively prohibited" */
};

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz.h - `make fuzz`: mutated frames through the real XDP program
 * (BPF_PROG_TEST_RUN) on state made through libvnet, two tenants with the
 * same addressing; every output frame and every counter checked.
 * fuzz.c drives and mutates, fuzz_seeds.c builds the valid frames the
 * mutations start from, fuzz_check.c judges what came out.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include "fixture.h"
#include "pkt6.h"

#define FRAME_MAX	1600	/* single-buffer XDP here holds ~3.5 KiB */

struct frame {
	__u8 b[FRAME_MAX];
	size_t len;
	int in;			/* ingress: index in the fixture's interfaces */
	const char *kind;	/* seed it came from */
};

/* What one run of the program did. */
struct result {
	int verdict;
	__u8 out[2048];
	size_t out_len;
	__u32 vnet;		/* of the ingress */
	int fates;		/* fate counters that moved (must be 1) */
	int fate;		/* which one, when one: index in fate_names */
	bool state_created;	/* the filter made a state for this frame */
};

/* Defects: classes of what must never happen. */
enum defect {
	D_ABORTED, D_PASSED, D_FATES, D_FOREIGN_MAC, D_DST_MAC, D_ETHERTYPE,
	D_IP4_HEADER, D_IP6_HEADER, D_ARP, D_TTL, D_MTU, D_MARTIAN_OUT,
	D_CHECKSUM, D_FILTER_BYPASS, D_STATE_FROM_DENIED, D_OTHER_VNET,
	D_COUNT
};
extern const char *const defect_names[D_COUNT];

/* fuzz_seeds.c: the valid frames, for both tenants. */
size_t seeds_build(struct frame *v, size_t max);

/* fuzz_check.c */
void check_setup(void);			/* the tenants' interfaces, addresses */
/* The defects of one run (bit per enum defect); why: the first, in words. */
__u32 check_result(const struct frame *in, const struct result *r, char *why,
		   size_t len);
/* Fix the IPv4 header checksum and the L4 checksum of a mutated frame, so
 * that it gets past validation and reaches the deeper steps. */
void fix_checksums(__u8 *f, size_t len);

#endif

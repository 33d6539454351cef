/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fw_rules.h - walking a vnet's rules in order, first match wins (ipfw).
 *
 * The walk is a bpf_loop over the rule array, so its cost to the verifier
 * does not grow with the number of rules; skipto moves the cursor forward
 * (the control plane resolved its target to an index). Non-terminal
 * actions (count, setfib, skipto) go on with the next rule; the last rule
 * is always 65535, the default policy.
 */
#ifndef VNET_FW_RULES_H
#define VNET_FW_RULES_H

#include "fw_match.h"

struct fw_walk {
	const struct fw_pkt *pkt;
	struct fw_pass ps;
	void *rules;
	void *cnt;
	__u32 pos;		/* index of the next rule */
	__u8  action;		/* the terminal action found */
	__u8  fib_set;		/* a setfib rule matched */
	__u16 rule;		/* its rule number */
	__u16 flags;		/* its flags (keep-state) */
};

static __always_inline void fw_count(struct fw_walk *w, const struct fw_rule *r)
{
	struct fw_counter *k = bpf_map_lookup_elem(w->cnt, &r->counter);

	if (k) {
		__sync_fetch_and_add(&k->packets, 1);
		__sync_fetch_and_add(&k->bytes, w->pkt->len);
	}
}

static long fw_step(__u32 i, void *ctx)
{
	struct fw_walk *w = ctx;
	__u32 idx = w->pos;
	const struct fw_rule *r = bpf_map_lookup_elem(w->rules, &idx);

	if (!r) {		/* no rule 65535: a set being built; default */
		w->action = FW_DEFAULT;
		w->rule = FW_RULE_DEFAULT;
		return 1;
	}
	w->pos = idx + 1;
	if (!fw_rule_match(r, w->pkt, &w->ps))
		return 0;
	fw_count(w, r);
	switch (r->action) {
	case FW_COUNT:
		return 0;
	case FW_SETFIB:
		w->ps.fib = r->arg;
		w->fib_set = 1;
		return 0;
	case FW_SKIPTO:
		if (r->jump > idx)
			w->pos = r->jump;
		return 0;
	default:
		w->action = r->action;
		w->rule = r->num;
		w->flags = r->flags;
		return 1;
	}
}

/*
 * Walk the rules for this pass. Returns the terminal action, FW_DEFAULT
 * resolved to allow or deny; w->ps.fib carries any setfib.
 */
static __always_inline __u8 fw_rules_walk(const struct vnet_ctx *v,
					  const struct vnet_fw *fw,
					  struct fw_walk *w)
{
	__u32 id = v->id;

	w->rules = bpf_map_lookup_elem(&vnet_fwrules, &id);
	w->cnt = bpf_map_lookup_elem(&vnet_fwcnt, &id);
	w->action = FW_DEFAULT;
	w->rule = FW_RULE_DEFAULT;
	if (w->rules && w->cnt)
		bpf_loop(VNET_MAX_RULES + 1, fw_step, w, 0);
	if (w->action == FW_DEFAULT)
		return fw->default_accept ? FW_ALLOW : FW_DENY;
	return w->action;
}

#endif

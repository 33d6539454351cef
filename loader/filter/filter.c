/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * filter.c - a vnet's rule set (ipfw add/delete/flush/show) and its state
 * table (ipfw -d show, ipfw flush states).
 *
 * The datapath walks a rule array whose last entry is rule 65535 (the
 * default policy). Editing never writes into the array packets walk: an
 * edit changes a copy held here, and a commit builds a new array beside
 * the live one, fills it, and swaps it into the vnet's slot with one
 * update (whose RCU grace period guarantees no packet still walks the old
 * one), then renames its pin into place. Batch mode (vnetctl -b) commits
 * once at the end, so a thousand rules cost one swap.
 *
 * Counters live in a separate array, indexed by a slot each rule keeps for
 * its life, so they survive swaps. The first rule of a vnet makes its
 * counter array and turns the filter on (as loading ipfw does); the first
 * keep-state rule makes its state table. Deleting a rule removes the
 * states it made, as ipfw removes a rule's dynamic rules.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include "filter.h"

struct fw_pending {
	__u32 id;
	struct fw_rule *r;	/* by number; rule 65535 not included */
	size_t n;
	__u16 *gone;		/* numbers of deleted rules: their states go */
	size_t ngone;
	bool dirty;
};

/* ---- settings ---- */

static int fw_conf_init(struct vnet_state *st, __u32 id)
{
	struct vnet_fw fw;

	vnet_fw_defaults(&fw);
	if (bpf_map_update_elem(st->fw_fd, &id, &fw, 0))
		return vnet_fail(st, errno, "cannot write filter settings: %s",
				 strerror(errno));
	return 0;
}

/* A vnet made before the filter existed has a zeroed record: defaults. */
int fw_conf_get(struct vnet_state *st, __u32 id, struct vnet_fw *fw)
{
	if (st->fw_fd < 0 || bpf_map_lookup_elem(st->fw_fd, &id, fw) ||
	    !fw->max_rules) {
		vnet_fw_defaults(fw);
		return 0;
	}
	return 0;
}

static int fw_conf_put(struct vnet_state *st, __u32 id, const struct vnet_fw *fw)
{
	if (bpf_map_update_elem(st->fw_fd, &id, fw, 0))
		return vnet_fail(st, errno, "cannot write filter settings: %s",
				 strerror(errno));
	return 0;
}

int vnet_filter_limits(struct vnet_state *st, __u32 id, __u32 max_rules,
		       __u32 max_states)
{
	struct vnet_fw fw;

	if (state_writable(st))
		return -EPERM;
	if (max_rules > VNET_MAX_RULES || max_states > VNET_MAX_STATES)
		return vnet_fail(st, ERANGE, "limit out of range (rules <= %d, "
				 "states <= %d)", VNET_MAX_RULES, VNET_MAX_STATES);
	fw_conf_get(st, id, &fw);
	if (max_rules)
		fw.max_rules = max_rules;
	if (max_states)
		fw.max_states = max_states;
	return fw_conf_put(st, id, &fw);
}

/* ---- reading the live set ---- */

static int map_open_pinned(struct vnet_state *st, enum vnet_kind s, __u32 id)
{
	char path[PATH_MAX];
	int fd;

	inst_path(st, s, id, 0, path, sizeof(path));
	fd = pin_open(st, path);
	if (fd < 0 && errno != ENOENT)
		return vnet_fail(st, errno, "cannot open %s: %s", path, strerror(errno));
	return fd < 0 ? -ENOENT : fd;
}

static __u32 map_size(int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.max_entries;
}

/* The live rules of vnet id, rule 65535 included; *n = 0 without a set. */
static int rules_read(struct vnet_state *st, __u32 id, struct fw_rule **out, size_t *n)
{
	int fd = map_open_pinned(st, KIND_fwrules, id);
	__u32 size;

	*out = NULL;
	*n = 0;
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	size = map_size(fd);
	*out = calloc(size ? size : 1, sizeof(**out));
	if (!*out) {
		close(fd);
		return vnet_fail(st, ENOMEM, "out of memory");
	}
	for (__u32 i = 0; i < size; i++)
		if (bpf_map_lookup_elem(fd, &i, &(*out)[i])) {
			close(fd);
			free(*out);
			*out = NULL;
			return vnet_fail(st, errno, "cannot read rules: %s", strerror(errno));
		}
	close(fd);
	*n = size;
	return 0;
}

/* ---- the set being edited ---- */

static void fw_pending_drop(struct vnet_state *st)
{
	if (!st->fw_pending)
		return;
	free(st->fw_pending->r);
	free(st->fw_pending->gone);
	free(st->fw_pending);
	st->fw_pending = NULL;
}

static void fw_pending_forget(struct vnet_state *st, __u32 id)
{
	if (st->fw_pending && st->fw_pending->id == id)
		fw_pending_drop(st);
}

static int commit(struct vnet_state *st);
static int fw_commit(struct vnet_state *st);

/* The editable copy of vnet id's rules (any other vnet's is committed first). */
static struct fw_pending *pending(struct vnet_state *st, __u32 id)
{
	struct fw_pending *p = st->fw_pending;
	size_t n;

	if (p && p->id == id)
		return p;
	if (p && fw_commit(st))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p) {
		vnet_fail(st, ENOMEM, "out of memory");
		return NULL;
	}
	p->id = id;
	if (rules_read(st, id, &p->r, &n)) {
		free(p);
		return NULL;
	}
	p->n = n ? n - 1 : 0;	/* drop rule 65535: commit appends it */
	st->fw_pending = p;
	return p;
}

/* ---- commit ---- */

static int counters_ensure(struct vnet_state *st, __u32 id, const struct vnet_fw *fw,
			   bool *made)
{
	*made = false;
	if (inst_exists(st, KIND_fwcnt, id, 0))
		return 0;
	if (inst_create_sized(st, KIND_fwcnt, id, 0, fw->max_rules + 1, NULL))
		return -EIO;
	*made = true;
	if ((st->reg[id].flags & VNET_REG_LIVE) && inst_install(st, KIND_fwcnt, id, 0)) {
		inst_destroy(st, KIND_fwcnt, id, 0);
		*made = false;
		return -EIO;
	}
	return 0;
}

static int states_ensure(struct vnet_state *st, __u32 id, const struct vnet_fw *fw,
			 bool *made)
{
	*made = false;
	if (inst_exists(st, KIND_fwstate, id, 0))
		return 0;
	if (inst_create_sized(st, KIND_fwstate, id, 0, fw->max_states, NULL))
		return -EIO;
	*made = true;
	if ((st->reg[id].flags & VNET_REG_LIVE) && inst_install(st, KIND_fwstate, id, 0)) {
		inst_destroy(st, KIND_fwstate, id, 0);
		*made = false;
		return -EIO;
	}
	return 0;
}

/* Give new rules (counter 0) a free counter slot, zeroed; 0 is rule 65535's. */
static int counters_assign(struct vnet_state *st, struct fw_pending *p, __u32 slots)
{
	unsigned char *used = calloc(slots, 1);
	struct fw_counter zero = {};
	__u32 next = 1;
	int fd = -1, err = 0;

	if (!used)
		return vnet_fail(st, ENOMEM, "out of memory");
	for (size_t i = 0; i < p->n; i++)
		if (p->r[i].counter && p->r[i].counter < slots)
			used[p->r[i].counter] = 1;
	for (size_t i = 0; i < p->n && !err; i++) {
		if (p->r[i].counter)
			continue;
		while (next < slots && used[next])
			next++;
		if (next >= slots) {
			err = vnet_fail(st, ENOSPC, "no free rule counter");
			break;
		}
		if (fd < 0)
			fd = inst_fd(st, KIND_fwcnt, p->id, 0);
		if (fd < 0 || bpf_map_update_elem(fd, &next, &zero, 0))
			err = fd < 0 ? fd : vnet_fail(st, errno, "cannot reset a rule "
						      "counter: %s", strerror(errno));
		p->r[i].counter = next;
		used[next] = 1;
	}
	free(used);
	return err;
}

/* skipto N: the index of the first rule numbered N or more. */
static void jumps_resolve(struct fw_rule *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (r[i].action != FW_SKIPTO)
			continue;
		r[i].jump = n;
		for (size_t j = i + 1; j < n; j++)
			if (r[j].num >= r[i].arg) {
				r[i].jump = j;
				break;
			}
	}
}

/* Remove the states made by rules numbered in gone[] (all, if flush).
 * Keys are collected first: deleting while walking restarts the walk. */
static void states_purge(struct vnet_state *st, __u32 id, const __u16 *gone,
			 size_t ngone, bool all, size_t *removed)
{
	int fd = map_open_pinned(st, KIND_fwstate, id);
	struct fw_state_key cur, *keys = NULL, *grown;
	size_t n = 0, cap = 0;
	struct fw_state s;
	bool have = false;

	if (removed)
		*removed = 0;
	if (fd < 0)
		return;
	while (bpf_map_get_next_key(fd, have ? &cur : NULL, &cur) == 0) {
		bool hit = all;

		have = true;
		if (!hit && bpf_map_lookup_elem(fd, &cur, &s) == 0)
			for (size_t i = 0; i < ngone && !hit; i++)
				hit = s.rule == gone[i];
		if (!hit)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			grown = realloc(keys, cap * sizeof(*keys));
			if (!grown)
				break;
			keys = grown;
		}
		keys[n++] = cur;
	}
	for (size_t i = 0; i < n; i++)
		if (bpf_map_delete_elem(fd, &keys[i]) == 0 && removed)
			(*removed)++;
	free(keys);
	close(fd);
}

static bool set_is_stateful(const struct fw_pending *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->r[i].flags & FW_F_KEEP_STATE)
			return true;
	return false;
}

/*
 * Build the new array beside the live one, swap it in, rename its pin.
 * On failure nothing a packet sees has changed, and maps this commit made
 * are removed.
 */
static int commit(struct vnet_state *st)
{
	struct fw_pending *p = st->fw_pending;
	char path[PATH_MAX], aside[PATH_MAX];
	bool made_cnt = false, made_states = false, first, stateful;
	struct fw_rule *arr = NULL;
	struct vnet_fw fw;
	__u32 id, n;
	int fd = -1, err;

	if (!p || !p->dirty)
		return 0;
	id = p->id;
	fw_conf_get(st, id, &fw);
	first = !inst_exists(st, KIND_fwrules, id, 0);
	stateful = set_is_stateful(p);
	err = counters_ensure(st, id, &fw, &made_cnt);
	if (!err && stateful)
		err = states_ensure(st, id, &fw, &made_states);
	if (!err)
		err = counters_assign(st, p, fw.max_rules + 1);
	if (err)
		goto undo;

	n = p->n + 1;
	arr = calloc(n, sizeof(*arr));
	if (!arr) {
		err = vnet_fail(st, ENOMEM, "out of memory");
		goto undo;
	}
	memcpy(arr, p->r, p->n * sizeof(*arr));
	arr[p->n] = (struct fw_rule){ .num = FW_RULE_DEFAULT, .action = FW_DEFAULT };
	jumps_resolve(arr, n);

	err = inst_create_sized(st, KIND_fwrules, id, 0, n, "_new");
	if (err)
		goto undo;
	inst_path(st, KIND_fwrules, id, 0, path, sizeof(path));
	snprintf(aside, sizeof(aside), "%s_new", path);
	fd = bpf_obj_get(aside);
	if (fd < 0) {
		err = vnet_fail(st, errno, "cannot open %s: %s", aside, strerror(errno));
		goto undo_aside;
	}
	for (__u32 i = 0; i < n; i++)
		if (bpf_map_update_elem(fd, &i, &arr[i], 0)) {
			err = vnet_fail(st, errno, "cannot write rules: %s", strerror(errno));
			goto undo_aside;
		}
	if ((st->reg[id].flags & VNET_REG_LIVE) &&
	    bpf_map_update_elem(st->outer_fd[KIND_fwrules], &id, &fd, 0)) {
		err = vnet_fail(st, errno, "cannot install the rule set: %s",
				strerror(errno));
		goto undo_aside;
	}
	if (rename(aside, path))	/* the slot holds it already: keep going */
		unlink(aside);

	if (first)
		fw.enable = 1;
	fw.stateful = stateful;
	err = fw_conf_put(st, id, &fw);
	if (p->ngone)
		states_purge(st, id, p->gone, p->ngone, false, NULL);
	p->ngone = 0;
	p->dirty = false;
	close(fd);
	free(arr);
	return err;

undo_aside:
	if (fd >= 0)
		close(fd);
	unlink(aside);
undo:
	free(arr);
	if (made_states)
		inst_destroy(st, KIND_fwstate, id, 0);
	if (made_cnt)
		inst_destroy(st, KIND_fwcnt, id, 0);
	fw_pending_drop(st);	/* the copy may hold counters just assigned */
	return err;
}

/* The end of a batch: the rule set edited in it, swapped in once. */
static int fw_commit(struct vnet_state *st)
{
	int err = commit(st);

	fw_pending_drop(st);
	return err;
}

/* After an edit: commit now unless batching; a failed edit is forgotten. */
static int edited(struct vnet_state *st, int err)
{
	if (err) {
		if (st->fw_pending && !st->fw_pending->dirty)
			fw_pending_drop(st);
		return err;
	}
	st->fw_pending->dirty = true;
	return st->batch ? 0 : fw_commit(st);
}

/* ---- operations ---- */

static int rule_check(struct vnet_state *st, __u32 id, struct fw_rule *r,
		      const char *ifname)
{
	const struct vnet_reg *reg = &st->reg[id];

	if (r->num >= FW_RULE_DEFAULT)
		return vnet_fail(st, ERANGE, "rule number %u out of range (1-%u)",
				 r->num, FW_RULE_DEFAULT - 1);
	if (r->action < FW_ALLOW || r->action > FW_SKIPTO)
		return vnet_fail(st, EINVAL, "unknown rule action %u", r->action);
	if (r->action == FW_SETFIB &&
	    (r->arg >= VNET_MAX_FIBS || !(reg->fibs & (1u << r->arg))))
		return vnet_fail(st, ENOENT, "setfib %u: vnet %u has no fib %u",
				 r->arg, id, r->arg);
	if ((r->flags & FW_F_FIB) && r->fib >= VNET_MAX_FIBS)
		return vnet_fail(st, ERANGE, "fib %u out of range (0-%d)", r->fib,
				 VNET_MAX_FIBS - 1);
	if (r->action == FW_SKIPTO && r->num && r->arg <= r->num)
		return vnet_fail(st, EINVAL, "skipto %u from rule %u: skipto only "
				 "jumps forward", r->arg, r->num);
	if ((r->flags & FW_F_SPORT && r->sport[0] > r->sport[1]) ||
	    (r->flags & FW_F_DPORT && r->dport[0] > r->dport[1]))
		return vnet_fail(st, EINVAL, "port range runs backwards");
	if ((r->flags & FW_F_KEEP_STATE) && r->action != FW_ALLOW)
		return vnet_fail(st, EINVAL, "keep-state goes with allow rules only");
	if (r->if_match != FW_IF_ANY) {
		r->ifindex = ifname ? if_nametoindex(ifname) : 0;
		if (!r->ifindex)
			return vnet_fail(st, ENODEV, "no interface '%s'",
					 ifname ? ifname : "");
	}
	r->counter = 0;
	r->jump = 0;
	return 0;
}

int vnet_filter_add(struct vnet_state *st, __u32 id, struct fw_rule *r,
		    const char *ifname)
{
	struct fw_pending *p;
	struct fw_rule *grown;
	struct vnet_fw fw;
	size_t at;
	int err = vnet_check(st, id);

	if (state_writable(st))
		return -EPERM;
	if (!err)
		err = rule_check(st, id, r, ifname);
	if (err)
		return err;
	p = pending(st, id);
	if (!p)
		return -EIO;
	fw_conf_get(st, id, &fw);
	if (p->n >= fw.max_rules)
		return edited(st, vnet_fail(st, ENOSPC, "vnet %u is at its limit of "
					    "%u rules (create ... rules N)", id,
					    fw.max_rules));
	if (!r->num) {	/* ipfw: 100 past the last rule */
		__u32 num = p->n ? p->r[p->n - 1].num + 100u : 100u;

		if (num >= FW_RULE_DEFAULT)
			return edited(st, vnet_fail(st, ERANGE, "no rule number left "
						    "after %u: give one", num - 100));
		r->num = num;
		if (r->action == FW_SKIPTO && r->arg <= r->num)
			return edited(st, vnet_fail(st, EINVAL, "skipto %u from rule "
						    "%u: skipto only jumps forward",
						    r->arg, r->num));
	}
	grown = realloc(p->r, (p->n + 1) * sizeof(*grown));
	if (!grown)
		return edited(st, vnet_fail(st, ENOMEM, "out of memory"));
	p->r = grown;
	/* After every rule with the same number, as ipfw does. */
	for (at = p->n; at && p->r[at - 1].num > r->num; at--)
		;
	memmove(&p->r[at + 1], &p->r[at], (p->n - at) * sizeof(*p->r));
	p->r[at] = *r;
	p->n++;
	return edited(st, 0);
}

static int forget_rules(struct vnet_state *st, struct fw_pending *p, __u16 num,
			bool all)
{
	size_t kept = 0, gone = 0;
	__u16 *g;

	for (size_t i = 0; i < p->n; i++)
		gone += all || p->r[i].num == num;
	if (!gone)
		return all ? 0 : vnet_fail(st, ENOENT, "vnet %u has no rule %u",
					   p->id, num);
	g = realloc(p->gone, (p->ngone + gone) * sizeof(*g));
	if (!g)
		return vnet_fail(st, ENOMEM, "out of memory");
	p->gone = g;
	for (size_t i = 0; i < p->n; i++) {
		if (all || p->r[i].num == num)
			p->gone[p->ngone++] = p->r[i].num;
		else
			p->r[kept++] = p->r[i];
	}
	p->n = kept;
	return 0;
}

/* del (rules numbered num) and flush (all) alike. */
static int filter_forget(struct vnet_state *st, __u32 id, __u16 num, bool all)
{
	struct fw_pending *p;
	int err = vnet_check(st, id);

	if (err)
		return err;
	p = pending(st, id);
	if (!p)
		return -EIO;
	return edited(st, forget_rules(st, p, num, all));
}

int vnet_filter_del(struct vnet_state *st, __u32 id, __u16 num)
{
	if (state_writable(st))
		return -EPERM;
	return filter_forget(st, id, num, false);
}

int vnet_filter_flush(struct vnet_state *st, __u32 id)
{
	if (state_writable(st))
		return -EPERM;
	return filter_forget(st, id, 0, true);
}

int vnet_filter_list(struct vnet_state *st, __u32 id, struct vnet_fw_rule_info **out,
		     size_t *n)
{
	struct fw_rule *r;
	struct fw_counter c;
	size_t nr;
	int fd, err = vnet_check(st, id);

	*out = NULL;
	*n = 0;
	if (err)
		return err;
	err = rules_read(st, id, &r, &nr);
	if (err || !nr)
		return err;
	*out = calloc(nr, sizeof(**out));
	if (!*out) {
		free(r);
		return vnet_fail(st, ENOMEM, "out of memory");
	}
	fd = map_open_pinned(st, KIND_fwcnt, id);
	for (size_t i = 0; i < nr; i++) {
		(*out)[i].r = r[i];
		if (fd >= 0 && bpf_map_lookup_elem(fd, &r[i].counter, &c) == 0) {
			(*out)[i].packets = c.packets;
			(*out)[i].bytes = c.bytes;
		}
	}
	if (fd >= 0)
		close(fd);
	free(r);
	*n = nr;
	return 0;
}

/* A rule that sets or matches fib (del-fib refuses to leave it dangling). */
static bool fw_uses_fib(struct vnet_state *st, __u32 id, __u32 fib, __u16 *num)
{
	struct fw_rule *r;
	size_t n;
	bool used = false;

	if (st->fw_pending && st->fw_pending->id == id && commit(st))
		return true;
	if (rules_read(st, id, &r, &n))
		return false;
	for (size_t i = 0; i < n && !used; i++)
		if ((r[i].action == FW_SETFIB && r[i].arg == fib) ||
		    ((r[i].flags & FW_F_FIB) && r[i].fib == fib)) {
			used = true;
			*num = r[i].num;
		}
	free(r);
	return used;
}

/* ---- states ---- */

int vnet_state_list(struct vnet_state *st, __u32 id, struct vnet_fw_state_info **out,
		    size_t *n)
{
	struct vnet_fw_state_info *v = NULL, *grown;
	struct fw_state_key cur;
	__u64 now = vnet_clock_ns();
	size_t cap = 0;
	bool have = false;
	int fd, err = vnet_check(st, id);

	*out = NULL;
	*n = 0;
	if (err)
		return err;
	fd = map_open_pinned(st, KIND_fwstate, id);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	while (bpf_map_get_next_key(fd, have ? &cur : NULL, &cur) == 0) {
		struct fw_state s;

		have = true;
		if (bpf_map_lookup_elem(fd, &cur, &s) || s.expire_ns < now)
			continue;	/* expired: dead, removed when next met */
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown) {
				free(v);
				close(fd);
				return vnet_fail(st, ENOMEM, "out of memory");
			}
			v = grown;
		}
		v[*n].k = cur;
		v[(*n)++].s = s;
	}
	close(fd);
	*out = v;
	return 0;
}

int vnet_state_flush(struct vnet_state *st, __u32 id, size_t *removed)
{
	int err = vnet_check(st, id);

	if (state_writable(st))
		return -EPERM;
	*removed = 0;
	if (err)
		return err;
	states_purge(st, id, NULL, 0, true, removed);
	return 0;
}

/* ---- this file's part in a vnet's life (SI_FILTER) ---- */

static int fw_stats_zero(struct vnet_state *st, __u32 id)
{
	void *z = calloc(st->ncpus, sizeof(struct vnet_fw_stats));
	int err = 0;

	if (!z)
		return vnet_fail(st, ENOMEM, "out of memory");
	if (st->fwstats_fd >= 0 && bpf_map_update_elem(st->fwstats_fd, &id, z, 0))
		err = vnet_fail(st, errno, "cannot reset counters: %s", strerror(errno));
	free(z);
	return err;
}

static int fw_vnet_init(struct vnet_state *st, __u32 id)
{
	int err = fw_stats_zero(st, id);

	return err ? err : fw_conf_init(st, id);
}

/* Its maps go with the other kinds' copies (core/alloc.c). */
static void fw_vnet_uninit(struct vnet_state *st, __u32 id)
{
	struct vnet_fw fw = {};

	fw_pending_forget(st, id);
	bpf_map_update_elem(st->fw_fd, &id, &fw, 0);
	fw_stats_zero(st, id);
}

/* A FIB a rule chooses (setfib, fib N) cannot go. */
static int fw_fib_busy(struct vnet_state *st, __u32 id, __u32 fib)
{
	__u16 rule = 0;

	if (fw_uses_fib(st, id, fib, &rule))
		return vnet_fail(st, EBUSY, "fib %u of vnet %u is used by filter rule %u",
				 fib, id, rule);
	return 0;
}

static const struct vnet_sysinit fw_sysinit = {
	.name = "filter",
	.order = SI_FILTER,
	.vnet_init = fw_vnet_init,
	.vnet_uninit = fw_vnet_uninit,
	.fib_busy = fw_fib_busy,
	.commit = fw_commit,
	.close = fw_pending_drop,	/* edits not committed are not applied */
};
VNET_SYSINIT(fw_sysinit);

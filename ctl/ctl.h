/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ctl.h - what vnetctl's files share: the command context, argument
 * parsers and the output helpers (plain text or -j JSON).
 */
#ifndef VNETCTL_H
#define VNETCTL_H

#include <stdbool.h>
#include <stdio.h>
#include "libvnet.h"

struct ctl {
	struct vnet_state *st;
	bool json;
	bool verbose;		/* -v: also what is zero or routine */
	__u8 family;		/* -4 / -6: show only that family; 0: both */
	const char *where;	/* "FILE:LINE: " in batch mode */
	const char *pin;	/* -p or $VNET_PIN_DIR; NULL: the default */
};

/* Print "vnetctl: <where><msg>" on stderr; returns 1 (the exit code). */
int ctl_err(const struct ctl *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ctl_lib_err(const struct ctl *c);	/* the library's message */

/* Parsers: 0 on success; on failure they print the error and return 1. */
int arg_u32(const struct ctl *c, const char *what, const char *s, __u32 max, __u32 *v);
int arg_ip(const struct ctl *c, const char *s, struct vnet_ip *addr);
int arg_prefix(const struct ctl *c, const char *s, struct vnet_ip *addr, __u32 *plen);
int arg_mac(const struct ctl *c, const char *s, __u8 mac[6]);
int arg_vnet(const struct ctl *c, const char *s, __u32 *id);
bool arg_is(const char *s, const char *word);

const char *fmt_ip4(__u32 addr, char *buf);
bool family_shown(const struct ctl *c, __u8 family);	/* -4/-6 */
const char *fmt_mac(const __u8 *mac, char *buf);

/* JSON writer: handles commas and nesting. */
void json_begin_obj(const char *key);
void json_end_obj(void);
void json_begin_arr(const char *key);
void json_end_arr(void);
void json_str(const char *key, const char *v);
void json_u64(const char *key, unsigned long long v);
void json_bool(const char *key, bool v);
void json_done(void);	/* final newline */

/* Registered interfaces for which keep() holds; *v is the caller's to free. */
typedef bool (*link_keep_fn)(const struct vnet_link *l, const void *arg);
int links_collect(struct ctl *c, link_keep_fn keep, const void *arg,
		  struct vnet_link **v, size_t *n);

/* Filter rules: argv -> rule (fw_parse.c), rule -> text (fw_print.c). */
int fw_rule_parse(const struct ctl *c, int argc, char **argv, struct fw_rule *r,
		  const char **ifname);
void fw_rule_format(const struct fw_rule *r, char *buf, size_t len);
const char *fw_action_name(__u8 action);
const char *fw_proto_name(__u8 proto, char buf[8]);
const char *fw_tcp_phase(__u8 tcp);

typedef int (*ctl_cmd_fn)(struct ctl *c, int argc, char **argv);

/* Commands (one function each). */
int do_attach(struct ctl *c, int argc, char **argv);
int do_detach(struct ctl *c, int argc, char **argv);
int do_adopt(struct ctl *c, int argc, char **argv);	/* opens its own state */
int do_reload(struct ctl *c, int argc, char **argv);
int do_epair(struct ctl *c, int argc, char **argv);
int do_netns(struct ctl *c, int argc, char **argv);
int do_exec(struct ctl *c, int argc, char **argv);
int do_create(struct ctl *c, int argc, char **argv);
int do_destroy(struct ctl *c, int argc, char **argv);
int do_list(struct ctl *c, int argc, char **argv);
int do_add_fib(struct ctl *c, int argc, char **argv);
int do_del_fib(struct ctl *c, int argc, char **argv);
int do_link(struct ctl *c, int argc, char **argv);
int do_addr(struct ctl *c, int argc, char **argv);
int do_route(struct ctl *c, int argc, char **argv);
int do_neigh(struct ctl *c, int argc, char **argv);
int do_sysctl(struct ctl *c, int argc, char **argv);
int do_stats(struct ctl *c, int argc, char **argv);
int do_filter(struct ctl *c, int argc, char **argv);
int do_state(struct ctl *c, int argc, char **argv);
int do_help(struct ctl *c, int argc, char **argv);

#endif

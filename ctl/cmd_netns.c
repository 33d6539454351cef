/* SPDX-License-Identifier: BSD-2-Clause */
/* cmd_netns.c - netns on|off (a vnet's host stack) and exec (jexec). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include "ctl.h"

int do_netns(struct ctl *c, int argc, char **argv)
{
	__u32 id;

	if (argc != 2 || (!arg_is(argv[1], "on") && !arg_is(argv[1], "off")))
		return ctl_err(c, "usage: netns VNET on|off");
	if (arg_vnet(c, argv[0], &id))
		return 1;
	if (arg_is(argv[1], "on") ? vnet_hoststack_on(c->st, id) : vnet_hoststack_off(c->st, id))
		return ctl_lib_err(c);
	return 0;
}

/* Run a command in the vnet's host stack; does not return on success. */
int do_exec(struct ctl *c, int argc, char **argv)
{
	char path[256];
	__u32 id;
	int fd;

	if (argc < 2)
		return ctl_err(c, "usage: exec VNET COMMAND [ARGS...]");
	if (arg_vnet(c, argv[0], &id))
		return 1;
	if (vnet_hoststack_path(c->st, id, path, sizeof(path)))
		return ctl_lib_err(c);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		return ctl_err(c, "cannot enter %s: %s", path, strerror(errno));
	close(fd);
	fflush(stdout);
	execvp(argv[1], argv + 1);	/* the state's lock fd is close-on-exec */
	return ctl_err(c, "cannot run %s: %s", argv[1], strerror(errno));
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vnetctl - manage the vnets of the XDP dataplane. Parses arguments,
 * calls libvnet, prints; holds no state of its own. `-b FILE` runs one
 * command per line under a single lock, like `ip -batch`.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

static const char usage[] =
"usage: vnetctl [-j] [-v] [-4|-6] [-p PIN_DIR] COMMAND ...\n"
"       vnetctl [-j] [-v] [-4|-6] [-p PIN_DIR] -b FILE\n"
"\n"
"  attach IFNAME [mode native|skb]      put the dataplane on an interface (vnet 0)\n"
"  detach IFNAME\n"
"  reload [IFNAME]                      swap in this build's program, keeping all state\n"
"  create [ID] [name NAME] [fibs N] [routes N] [neighbors N] [rules N] [states N] [netns]\n"
"  destroy VNET                         interfaces return to vnet 0\n"
"  list\n"
"  epair create VNET_A VNET_B [name NAME]   a veth pair, one end in each vnet; prints NAME\n"
"  netns VNET on|off                    the vnet's host stack (a network namespace)\n"
"  exec VNET COMMAND [ARGS...]          run a command in it (like jexec)\n"
"  epair destroy NAME | epair show\n"
"  add-fib VNET                         prints the new FIB number\n"
"  del-fib VNET FIB\n"
"  link set IFNAME [vnet VNET] [fib N] [mtu N]\n"
"  link show [VNET]\n"
"  addr add|del VNET IFNAME ADDR/LEN\n"
"  addr show [VNET]\n"
"  route add VNET [fib N] PREFIX (via GW [dev IFNAME] | dev IFNAME | blackhole | unreachable)\n"
"  route del VNET [fib N] PREFIX\n"
"  route show VNET [fib N]\n"
"  route get VNET [fib N] ADDR\n"
"  neigh add VNET ADDR lladdr MAC dev IFNAME\n"
"  neigh del VNET ADDR dev IFNAME\n"
"  neigh show|flush VNET\n"
"  filter add VNET [NUM] ACTION [PROTO] [from ADDR [port P]] [to ADDR [port P]] [OPTION...]\n"
"                                       ACTION: allow deny reject count setfib N skipto N\n"
"                                       OPTION: in out via|recv|xmit IF keep-state setup\n"
"                                       established tcpflags L icmptypes L fib N\n"
"  filter del VNET NUM | filter show|flush VNET\n"
"  state show|flush VNET                the filter's states (keep-state)\n"
"  sysctl VNET [NAME[=VALUE]]\n"
"  stats [VNET]\n"
"\n"
"Addresses and prefixes are IPv4 or IPv6; -4/-6 shows one family only (and\n"
"makes `default` IPv6's ::/0 with -6).\n"
"VNET is an ID or a name. PIN_DIR defaults to $VNET_PIN_DIR or " VNET_DEFAULT_PIN_DIR ".\n";

static const struct {
	const char *name;
	ctl_cmd_fn fn;
} commands[] = {
	{ "attach", do_attach }, { "detach", do_detach }, { "reload", do_reload },
	{ "create", do_create }, { "epair", do_epair }, { "netns", do_netns },
	{ "exec", do_exec },
	{ "destroy", do_destroy }, { "list", do_list }, { "add-fib", do_add_fib },
	{ "del-fib", do_del_fib }, { "link", do_link }, { "addr", do_addr },
	{ "route", do_route }, { "neigh", do_neigh }, { "sysctl", do_sysctl },
	{ "stats", do_stats }, { "filter", do_filter }, { "state", do_state },
};

/* Commands that only read take a shared lock and never create state. */
static bool readonly(int argc, char **argv)
{
	const char *cmd = argv[0], *verb = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "list") || !strcmp(cmd, "stats"))
		return true;
	if (!strcmp(cmd, "epair"))
		return !strcmp(verb, "show");
	if (!strcmp(cmd, "exec"))
		return true;
	if (!strcmp(cmd, "sysctl"))
		return argc < 3 || !strchr(argv[2], '=');
	if (!strcmp(cmd, "link") || !strcmp(cmd, "addr") || !strcmp(cmd, "route") ||
	    !strcmp(cmd, "neigh") || !strcmp(cmd, "filter") || !strcmp(cmd, "state"))
		return !strcmp(verb, "show") || !strcmp(verb, "get");
	return false;
}

static ctl_cmd_fn find_cmd(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return commands[i].fn;
	return NULL;
}

static int dispatch(struct ctl *c, int argc, char **argv)
{
	ctl_cmd_fn fn = find_cmd(argv[0]);

	if (!fn)
		return ctl_err(c, "unknown command '%s' (vnetctl -h lists them)", argv[0]);
	return fn(c, argc - 1, argv + 1);
}

#define BATCH_MAX_ARGS 64

static int run_batch(struct ctl *c, const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char *line = NULL, *argv[BATCH_MAX_ARGS], where[512];
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = 0;

	if (!f)
		return ctl_err(c, "cannot open %s: %s", file, strerror(errno));
	/* Filter edits are applied together at the end: one swap per vnet;
	 * route changes reach compiled FIBs together too. */
	vnet_filter_defer(c->st, true);
	vnet_route_defer(c->st, true);
	while (getline(&line, &cap, f) > 0) {
		int argc = 0;
		char *save, *tok;

		lineno++;
		for (tok = strtok_r(line, " \t\r\n", &save); tok && *tok != '#';
		     tok = strtok_r(NULL, " \t\r\n", &save)) {
			if (argc == BATCH_MAX_ARGS - 1)
				break;
			argv[argc++] = tok;
		}
		if (!argc)
			continue;
		argv[argc] = NULL;
		snprintf(where, sizeof(where), "%s:%u: ", file, lineno);
		c->where = where;
		rc = dispatch(c, argc, argv);
		if (rc)
			break;
	}
	c->where = NULL;
	vnet_route_defer(c->st, false);
	if (vnet_route_commit(c->st) && !rc)
		rc = ctl_lib_err(c);
	if (vnet_filter_commit(c->st) && !rc)
		rc = ctl_lib_err(c);
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	const char *pin = getenv("VNET_PIN_DIR"), *batch = NULL;
	struct ctl c = {};
	char err[512];
	unsigned flags;
	int opt, rc;

	while ((opt = getopt(argc, argv, "+jv46p:b:h")) != -1) {
		switch (opt) {
		case 'j': c.json = true; break;
		case '4': c.family = 4; break;
		case '6': c.family = 6; break;
		case 'v': setenv("VNET_VERBOSE", "1", 1); c.verbose = true; break;
		case 'p': pin = optarg; break;
		case 'b': batch = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (!batch && argc == 0) {
		fputs(usage, stderr);
		return 2;
	}
	if (batch && argc)
		return ctl_err(&c, "-b FILE takes no command on the command line");
	if (!batch && !find_cmd(argv[0]))
		return ctl_err(&c, "unknown command '%s' (vnetctl -h lists them)", argv[0]);

	flags = (!batch && readonly(argc, argv)) ? VNET_OPEN_SHARED : VNET_OPEN_CREATE;
	c.st = vnet_open(pin, flags, err, sizeof(err));
	if (!c.st)
		return ctl_err(&c, "%s", err);
	rc = batch ? run_batch(&c, batch) : dispatch(&c, argc, argv);
	vnet_close(c.st);
	return rc;
}

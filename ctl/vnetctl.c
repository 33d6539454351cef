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

#ifndef VNET_VERSION
#define VNET_VERSION "unknown"
#endif

/*
 * Every command, once: its handler, its usage, and which of its verbs only
 * read (those open the state with a shared lock and never create it; the
 * library refuses any change through such an open). reads: "*" every
 * form; NULL none; otherwise verbs separated by spaces; sysctl reads
 * unless a NAME=VALUE is given.
 */
static bool sysctl_reads(int argc, char **argv);

static const struct command {
	const char *name;
	ctl_cmd_fn fn;
	const char *usage;
	const char *reads;
	bool (*reads_fn)(int argc, char **argv);
} commands[] = {
	{ "attach", do_attach, "attach IFNAME [mode native|skb]\n"
	  "    put the dataplane on an interface (it stays in vnet 0); on an interface\n"
	  "    whose program was removed behind vnetctl's back, put it back", NULL },
	{ "detach", do_detach, "detach IFNAME", NULL },
	{ "adopt", do_adopt, "adopt IFNAME\n"
	  "    take back a running dataplane whose pins are gone (its bpffs unmounted)\n"
	  "    into an empty pin directory; lists its vnets", NULL },
	{ "reload", do_reload, "reload [IFNAME]\n"
	  "    swap in this build's program, keeping all state", NULL },
	{ "create", do_create, "create [ID] [name NAME] [fibs N] [routes N] [neighbors N] [rules N] "
	  "[states N] [netns]\n    prints the ID", NULL },
	{ "destroy", do_destroy, "destroy VNET\n    interfaces return to vnet 0", NULL },
	{ "list", do_list, "list", "*" },
	{ "epair", do_epair, "epair create VNET_A VNET_B [name NAME]\n"
	  "    a veth pair, one end in each vnet; prints NAME\n"
	  "epair destroy NAME | epair show", "show" },
	{ "netns", do_netns, "netns VNET on|off\n"
	  "    the vnet's host stack (a network namespace)", NULL },
	{ "exec", do_exec, "exec VNET COMMAND [ARGS...]\n"
	  "    run a command in the vnet's host stack (like jexec)", "*" },
	{ "add-fib", do_add_fib, "add-fib VNET\n    prints the new FIB number", NULL },
	{ "del-fib", do_del_fib, "del-fib VNET FIB", NULL },
	{ "link", do_link, "link set IFNAME [vnet VNET] [fib N] [mtu N]\n"
	  "link show [VNET]", "show" },
	{ "addr", do_addr, "addr add|del VNET IFNAME ADDR/LEN\naddr show [VNET]", "show" },
	{ "route", do_route, "route add VNET [fib N] PREFIX (via GW [dev IFNAME] | dev IFNAME | "
	  "blackhole | unreachable)\nroute del VNET [fib N] PREFIX\n"
	  "route show VNET [fib N]\nroute get VNET [fib N] ADDR", "show get" },
	{ "neigh", do_neigh, "neigh add VNET ADDR lladdr MAC dev IFNAME\n"
	  "neigh del VNET ADDR dev IFNAME\nneigh show|flush VNET", "show" },
	{ "filter", do_filter, "filter add VNET [NUM] ACTION [PROTO] [from ADDR [port P]] "
	  "[to ADDR [port P]] [OPTION...]\n"
	  "    ACTION: allow deny reject count setfib N skipto N\n"
	  "    OPTION: in out via|recv|xmit IF keep-state setup established\n"
	  "            tcpflags L icmptypes L fib N\n"
	  "filter del VNET NUM | filter show|flush VNET", "show" },
	{ "state", do_state, "state show|flush VNET\n    the filter's states (keep-state)", "show" },
	{ "sysctl", do_sysctl, "sysctl VNET [NAME[=VALUE]]", NULL, sysctl_reads },
	{ "stats", do_stats, "stats [VNET]", "*" },
	{ "help", do_help, "help [COMMAND]", "*" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static bool sysctl_reads(int argc, char **argv)
{
	return argc < 3 || !strchr(argv[2], '=');
}

static const struct command *find_cmd(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* Does this command line only read? (argv[0]: the command) */
static bool reads_only(const struct command *cmd, int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "", *w;
	size_t n = strlen(verb);

	if (cmd->reads_fn)
		return cmd->reads_fn(argc, argv);
	if (!cmd->reads)
		return false;
	if (!strcmp(cmd->reads, "*"))
		return true;
	for (w = cmd->reads; n && (w = strstr(w, verb)); w += n)
		if ((w == cmd->reads || w[-1] == ' ') && (w[n] == ' ' || !w[n]))
			return true;
	return false;
}

static void print_usage(FILE *f, const struct command *cmd)
{
	const char *p = cmd->usage;

	/* each line of the usage: a form (prefixed) or an explanation */
	while (*p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		fprintf(f, "%s%.*s\n", *p == ' ' ? "  " : "  vnetctl ", len, p);
		p += len + !!nl;
	}
}

static void usage(FILE *f)
{
	fputs("usage: vnetctl [-j] [-v] [-4|-6] [-p PIN_DIR] COMMAND ...\n"
	      "       vnetctl [-j] [-v] [-4|-6] [-p PIN_DIR] -b FILE\n"
	      "       vnetctl --help | --version\n\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		print_usage(f, &commands[i]);
	fputs("\nAddresses and prefixes are IPv4 or IPv6; -4/-6 shows one family only (and\n"
	      "makes `default` IPv6's ::/0 with -6). VNET is an ID or a name. -v: libbpf's and\n"
	      "libxdp's messages, and every counter. PIN_DIR defaults to $VNET_PIN_DIR or "
	      VNET_DEFAULT_PIN_DIR ".\n", f);
}

int do_help(struct ctl *c, int argc, char **argv)
{
	const struct command *cmd;

	if (argc > 1)
		return ctl_err(c, "usage: help [COMMAND]");
	if (!argc) {
		usage(stdout);
		return 0;
	}
	cmd = find_cmd(argv[0]);
	if (!cmd)
		return ctl_err(c, "unknown command '%s' (vnetctl help lists them)", argv[0]);
	print_usage(stdout, cmd);
	return 0;
}

static int dispatch(struct ctl *c, int argc, char **argv)
{
	const struct command *cmd = find_cmd(argv[0]);

	if (!cmd)
		return ctl_err(c, "unknown command '%s' (vnetctl help lists them)", argv[0]);
	return cmd->fn(c, argc - 1, argv + 1);
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
	/* Changes are applied together at the end: one rule-set swap per
	 * vnet, one update of each compiled FIB. */
	vnet_batch_begin(c->st);
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
	if (vnet_batch_end(c->st) && !rc)
		rc = ctl_lib_err(c);
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pin = getenv("VNET_PIN_DIR"), *batch = NULL;
	const struct command *cmd = NULL;
	struct ctl c = {};
	char err[512];
	unsigned flags;
	int opt, rc;

	opterr = 0;	/* one line of ours, not getopt's */
	while ((opt = getopt_long(argc, argv, "+jv46p:b:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j': c.json = true; break;
		case '4': c.family = 4; break;
		case '6': c.family = 6; break;
		case 'v': setenv("VNET_VERBOSE", "1", 1); c.verbose = true; break;
		case 'p': pin = optarg; break;
		case 'b': batch = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("vnetctl %s\n", VNET_VERSION); return 0;
		default:
			if (optopt && strchr("pb", optopt))
				fprintf(stderr, "vnetctl: -%c needs a value (vnetctl --help)\n",
					optopt);
			else if (optopt)
				fprintf(stderr, "vnetctl: unknown option -%c (vnetctl --help)\n",
					optopt);
			else
				fprintf(stderr, "vnetctl: unknown option %s (vnetctl --help)\n",
					argv[optind - 1]);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (!batch && argc == 0) {
		usage(stderr);
		return 2;
	}
	if (batch && argc)
		return ctl_err(&c, "-b FILE takes no command on the command line");
	if (!batch) {
		cmd = find_cmd(argv[0]);
		if (!cmd)
			return ctl_err(&c, "unknown command '%s' (vnetctl help lists them)",
				       argv[0]);
		if (cmd->fn == do_help)		/* needs no state */
			return do_help(&c, argc - 1, argv + 1);
		if (cmd->fn == do_adopt) {	/* makes its own */
			c.pin = pin;
			rc = do_adopt(&c, argc - 1, argv + 1);
			vnet_close(c.st);
			return rc;
		}
	}
	flags = (cmd && reads_only(cmd, argc, argv)) ? VNET_OPEN_SHARED : VNET_OPEN_CREATE;
	c.st = vnet_open(pin, flags, err, sizeof(err));
	if (!c.st)
		return ctl_err(&c, "%s", err);
	rc = batch ? run_batch(&c, batch) : dispatch(&c, argc, argv);
	vnet_close(c.st);
	return rc;
}

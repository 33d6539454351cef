/* SPDX-License-Identifier: BSD-2-Clause */
/* fw_text.c - a filter rule added as written on the vnetctl command line,
 * through vnetctl's own parser (tests that use it link ctl/fw_parse.o). */
#include "fixture.h"
#include "ctl.h"

bool fw_text(__u32 vnet, const char *text)
{
	char buf[512], *argv[64], *save, *tok;
	struct ctl c = { .st = st };
	const char *ifname;
	struct fw_rule r;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", text);
	for (tok = strtok_r(buf, " ", &save); tok && argc < 63;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	if (fw_rule_parse(&c, argc, argv, &r, &ifname))
		return expect(false, text);
	if (vnet_filter_add(st, vnet, &r, ifname)) {
		printf("  %s: %s\n", text, vnet_errmsg(st));
		return expect(false, "vnet_filter_add failed");
	}
	return true;
}

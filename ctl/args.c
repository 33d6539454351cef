/* SPDX-License-Identifier: BSD-2-Clause */
/* args.c - argument parsers; each failure names the token at fault. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

int ctl_err(const struct ctl *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vnetctl: %s", c->where ? c->where : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int ctl_lib_err(const struct ctl *c)
{
	return ctl_err(c, "%s", vnet_errmsg(c->st));
}

bool arg_is(const char *s, const char *word)
{
	return s && strcmp(s, word) == 0;
}

int arg_u32(const struct ctl *c, const char *what, const char *s, __u32 max, __u32 *v)
{
	char *end;
	unsigned long long x;

	if (!s || !*s || *s == '-')
		return ctl_err(c, "%s: expected a number, got '%s'", what, s ? s : "");
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end)
		return ctl_err(c, "%s: '%s' is not a number", what, s);
	if (x > max)
		return ctl_err(c, "%s %s out of range (0-%u)", what, s, max);
	*v = x;
	return 0;
}

int arg_ip(const struct ctl *c, const char *s, struct vnet_ip *addr)
{
	if (!s || vnet_ip_parse(s, addr))
		return ctl_err(c, "'%s' is not an IPv4 or IPv6 address", s ? s : "");
	return 0;
}

/* ADDR/LEN, ADDR (a host prefix) or "default" (IPv4's, IPv6's with -6). */
int arg_prefix(const struct ctl *c, const char *s, struct vnet_ip *addr, __u32 *plen)
{
	char buf[64], *slash;

	if (!s)
		return ctl_err(c, "missing prefix");
	if (!strcmp(s, "default")) {
		memset(addr, 0, sizeof(*addr));
		addr->family = c->family == 6 ? 6 : 4;
		*plen = 0;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (vnet_ip_parse(buf, addr))
		return ctl_err(c, "'%s' is not an IPv4 or IPv6 prefix", s);
	if (!slash) {
		*plen = addr->family == 6 ? 128 : 32;
		return 0;
	}
	return arg_u32(c, "prefix length", slash, addr->family == 6 ? 128 : 32, plen);
}

int arg_mac(const struct ctl *c, const char *s, __u8 mac[6])
{
	unsigned int b[6];
	char tail;

	if (!s || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
			 &b[4], &b[5], &tail) != 6)
		return ctl_err(c, "'%s' is not a MAC address (aa:bb:cc:dd:ee:ff)",
			       s ? s : "");
	for (int i = 0; i < 6; i++)
		mac[i] = b[i];
	return 0;
}

int arg_vnet(const struct ctl *c, const char *s, __u32 *id)
{
	if (!s)
		return ctl_err(c, "missing VNET (an ID or a name)");
	if (vnet_resolve(c->st, s, id))
		return ctl_lib_err(c);
	return 0;
}

const char *fmt_ip4(__u32 addr, char *buf)
{
	return inet_ntop(AF_INET, &addr, buf, INET_ADDRSTRLEN);
}

bool family_shown(const struct ctl *c, __u8 family)
{
	return !c->family || c->family == family;
}

const char *fmt_mac(const __u8 *m, char *buf)
{
	sprintf(buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nl.c - the few rtnetlink requests the control plane makes itself:
 * create a veth pair, delete a link, bring a link up. Each waits for the
 * kernel's acknowledgement and returns 0 or a negative errno.
 */
#include <errno.h>
#include <stdio.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/veth.h>
#include "core.h"

/* A request: header, ifinfomsg, attributes, in one aligned buffer. */
static struct nlmsghdr *nl_new(char *buf, size_t len, int type, int flags)
{
	struct nlmsghdr *h = (void *)buf;

	memset(buf, 0, len);
	h->nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	return h;
}

static struct rtattr *nla_put(struct nlmsghdr *h, int type, const void *data, int len)
{
	char *base = (char *)h;
	struct rtattr *a = (void *)(base + NLMSG_ALIGN(h->nlmsg_len));

	a->rta_type = type;
	a->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void nla_end(struct nlmsghdr *h, struct rtattr *nest)
{
	nest->rta_len = (char *)h + h->nlmsg_len - (char *)nest;
}

static int nl_talk(struct nlmsghdr *h)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char reply[1024];
	struct nlmsghdr *r = (void *)reply;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), err;
	ssize_t n;

	if (fd < 0)
		return -errno;
	h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (sendto(fd, h, h->nlmsg_len, 0, (void *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	n = recv(fd, reply, sizeof(reply), 0);
	err = n < 0 ? -errno : 0;
	if (!err && NLMSG_OK(r, (unsigned)n) && r->nlmsg_type == NLMSG_ERROR)
		err = ((struct nlmsgerr *)NLMSG_DATA(r))->error;
	close(fd);
	return err;
}

int nl_veth_create(const char *a, const char *b)
{
	static char buf[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *h = nl_new(buf, sizeof(buf), RTM_NEWLINK,
				    NLM_F_CREATE | NLM_F_EXCL);
	struct rtattr *info, *data, *peer;
	struct ifinfomsg pi = {};

	nla_put(h, IFLA_IFNAME, a, strlen(a) + 1);
	info = nla_put(h, IFLA_LINKINFO, NULL, 0);
	nla_put(h, IFLA_INFO_KIND, "veth", 4);
	data = nla_put(h, IFLA_INFO_DATA, NULL, 0);
	peer = nla_put(h, VETH_INFO_PEER, &pi, sizeof(pi));
	nla_put(h, IFLA_IFNAME, b, strlen(b) + 1);
	nla_end(h, peer);
	nla_end(h, data);
	nla_end(h, info);
	return nl_talk(h);
}

int nl_link_del(const char *name)
{
	static char buf[256] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *h = nl_new(buf, sizeof(buf), RTM_DELLINK, 0);

	nla_put(h, IFLA_IFNAME, name, strlen(name) + 1);
	return nl_talk(h);
}

int nl_link_up(const char *name)
{
	struct ifreq ifr = {};
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (s < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr))
			err = -errno;
	} else {
		err = -errno;
	}
	close(s);
	return err;
}

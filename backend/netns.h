/* Running inside a named network namespace, as `ip -n NAME` does. */
#ifndef ROSH_NETNS_H
#define ROSH_NETNS_H

#include "backend.h"

/*
 * Join the namespace bound at /run/netns/NAME (ip netns add). Everything
 * after this — netlink sockets, /proc/sys/net — is that namespace's.
 * Sockets opened before the switch stay in the old one, so call this first.
 */
int netns_enter(const char *name, struct bk_err *e);

#endif

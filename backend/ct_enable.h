/*
 * /ip firewall connection tracking enabled= and active-ipv4/-ipv6, kept
 * in the kernel as rosh's own table `inet rosh_ct` (see ct_enable.c).
 */
#ifndef ROSH_CT_ENABLE_H
#define ROSH_CT_ENABLE_H
#include <stdbool.h>

#include "backend.h"

#define CT_ENABLE_TABLE "rosh_ct"

/* "yes", "no" or "auto", read back from the chains of the table. */
int ct_enable_get(const char **mode, struct bk_err *e);
/* Replace the table's contents for mode in one atomic nft batch. */
int ct_enable_set(const char *mode, struct bk_err *e);
/* Does conntrack see IPv4 / IPv6 packets of this namespace? */
int ct_active_get(bool *v4, bool *v6, struct bk_err *e);

#endif

/* Backend registry: which ops serve a menu, and process-wide setup. */
#include "backend.h"

#include <stdarg.h>
#include <stdio.h>

#include "ct_nl.h"
#include "netns.h"
#include "nft.h"

int bk_fail(struct bk_err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

const struct bk_ops *bk_ops_for(enum gr_menu_id id)
{
	switch (id) {
	case GMI_CONNECTION: case GMI_CONNECTION6:
		return &bk_conntrack_ops;
	case GMI_CONN_TRACKING: case GMI_IP_SETTINGS:
		return &bk_sysctl_ops;
	case GMI_FILTER: case GMI_NAT: case GMI_MANGLE: case GMI_RAW:
	case GMI_ADDRESS_LIST: case GMI_IFLIST: case GMI_IFLIST_MEMBER:
		return &bk_nft_ops;
	default:
		return NULL;
	}
}

/* Sockets are opened lazily by each backend, after the namespace switch. */
int bk_init(const char *netns, struct bk_err *e)
{
	return netns ? netns_enter(netns, e) : 0;
}

void bk_fini(void)
{
	ct_nl_close();
	nfm_free();
}

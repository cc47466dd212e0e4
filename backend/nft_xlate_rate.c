/* Per-address meters: dst-limit and connection-limit. */
#include "nft_xlate.h"
#include "nft_sets.h"

int xe_dstlimit(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	return x_fail(x, "dst-limit is not supported yet");
}

int xd_dstlimit(struct nfd *d, unsigned prop)
{
	return 0;
}

int xe_connlimit(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	return x_fail(x, "connection-limit is not supported yet");
}

int xd_connlimit(struct nfd *d, unsigned prop)
{
	return 0;
}

void nfs_meters_gc(struct nftb *b)
{
}

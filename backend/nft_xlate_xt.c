/*
 * Matchers through the kernel's xtables compatibility expression, where nft
 * has no native equivalent: content= is the xt "string" match (Boyer-Moore
 * over the whole packet, case-sensitive, '!' inverts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/xt_string.h>
#include <libnftnl/expr.h>

#include "nft_xlate.h"

int xe_content(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	struct xt_string_info info;
	size_t n = strlen(val);

	if (!n || n > XT_STRING_MAX_PATTERN_SIZE)
		return x_fail(x, "content must be 1 to %d bytes on Linux",
			      XT_STRING_MAX_PATTERN_SIZE);
	memset(&info, 0, sizeof(info));
	info.from_offset = 0;
	info.to_offset = UINT16_MAX;
	strcpy(info.algo, "bm");
	memcpy(info.pattern, val, n);
	info.patlen = (uint8_t)n;
	info.u.v1.flags = neg ? XT_STRING_FLAG_INVERT : 0;
	struct nftnl_expr *ex = nftnl_expr_alloc("match");
	nftnl_expr_set_str(ex, NFTNL_EXPR_MT_NAME, "string");
	nftnl_expr_set_u32(ex, NFTNL_EXPR_MT_REV, 1);
	/* libnftnl keeps (and frees) the info pointer itself */
	void *copy = xmalloc(sizeof(info));
	memcpy(copy, &info, sizeof(info));
	nftnl_expr_set(ex, NFTNL_EXPR_MT_INFO, copy, sizeof(info));
	x_add(x, ex);
	return 0;
}

int xd_content(struct nfd *d, unsigned prop)
{
	const struct nftnl_expr *ex = d_at(d, 0);
	struct xt_string_info info;
	uint32_t len;

	if (!d_is(ex, "match") ||
	    strcmp(nftnl_expr_get_str(ex, NFTNL_EXPR_MT_NAME), "string") ||
	    d_u32(ex, NFTNL_EXPR_MT_REV) != 1)
		return 0;
	const void *p = d_data(ex, NFTNL_EXPR_MT_INFO, &len);
	if (!p || len < offsetof(struct xt_string_info, config))
		return 0;
	memset(&info, 0, sizeof(info));
	memcpy(&info, p, len < sizeof(info) ? len : sizeof(info));
	if (info.from_offset || info.to_offset != UINT16_MAX ||
	    strcmp(info.algo, "bm") || !info.patlen ||
	    info.patlen > XT_STRING_MAX_PATTERN_SIZE ||
	    (info.u.v1.flags & ~XT_STRING_FLAG_INVERT))
		return 0;
	sb_reset(&d->sb);
	if (info.u.v1.flags & XT_STRING_FLAG_INVERT)
		sb_addc(&d->sb, '!');
	sb_addn(&d->sb, info.pattern, info.patlen);
	if (memchr(info.pattern, '\0', info.patlen))
		return 0;
	d_put(d, prop, sb_str(&d->sb));
	d->pos++;
	return 1;
}

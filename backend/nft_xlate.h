/* Translator rows of nfr_table: one encoder + one decoder per family. */
#ifndef ROSH_NFT_XLATE_H
#define ROSH_NFT_XLATE_H
#include "nft_expr.h"

#define XL(name) \
	int xe_##name(struct nfx *x, unsigned prop, const char *val, bool neg); \
	int xd_##name(struct nfd *d, unsigned prop)

/* nft_xlate_ip.c */
XL(addr);		/* src-address, dst-address */
XL(addrlist);		/* src-address-list, dst-address-list */
XL(addrtype);		/* src-address-type, dst-address-type */
XL(proto);		/* protocol */
XL(fragment);
XL(dscp);
XL(ttl);
XL(psize);		/* packet-size */
XL(mac);		/* src-mac-address */
void xc_addrtype(const char *val, struct strbuf *out);

/* nft_xlate_l4.c */
XL(port);		/* src-port, dst-port */
XL(anyport);		/* port */
XL(tcpflags);
XL(icmp);		/* icmp-options */
XL(mss);		/* tcp-mss */
void xc_ports(const char *val, struct strbuf *out);

/* nft_xlate_ct.c */
XL(cstate);		/* connection-state */
XL(natstate);		/* connection-nat-state */
XL(mark);		/* connection-mark, packet-mark */
XL(ctype);		/* connection-type */
XL(cbytes);		/* connection-bytes */
XL(ipsec);		/* ipsec-policy */
void xc_cstate(const char *val, struct strbuf *out);
void xc_natstate(const char *val, struct strbuf *out);

/* nft_xlate_meta.c */
XL(iface);		/* in-interface, out-interface */
XL(iflist);		/* in-interface-list, out-interface-list */
XL(random);
XL(nth);
XL(limit);
XL(time);

/* limit values, shared with dst-limit */
struct lim {
	uint64_t rate, unit, burst;	/* unit in seconds */
	bool bits;
};
bool xl_limit_parse(const char *val, struct lim *l);
void xl_limit_text(const struct lim *l, struct strbuf *out);
struct nftnl_expr *xl_limit_expr(const struct lim *l, bool inv);
bool xl_limit_of(const struct nftnl_expr *ex, struct lim *l, bool *inv);

/* nft_xlate_xt.c */
XL(content);

/* nft_xlate_rate.c */
XL(dstlimit);		/* dst-limit */
XL(connlimit);		/* connection-limit */

/* nft_xlate_act.c: the action and its arguments, after the counter */
int nfa_encode(struct nfx *x);
bool nfa_decode(struct nfd *d);
/* Properties that only make sense with some actions. */
int nfa_check(enum nfm_menu menu, const struct rprops *p, struct bk_err *e);
/* Clear the arguments the (new) action does not take. */
void nfa_prune(struct rprops *p);

/* Helpers shared by the families. */
bool xl_is_l4port_proto(const struct rprops *p);
const char *xl_proto_of(const struct rprops *p);

#endif

/*
 * Actions: the expressions after the counter (and the log=yes log).
 *   accept/drop/return      verdict
 *   passthrough             verdict continue (so it never looks like log)
 *   jump                    verdict jump <menu>_<jump-target>
 *   log                     log prefix "<log-prefix>" (last expression)
 *   reject                  reject icmp/tcp-reset
 *   fasttrack-connection    ct label set ROSH_FT_LABEL_BIT
 *   add-src/dst-to-address-list   [addr][imm 1][dynset update @alh_X]
 *   masquerade/redirect     [imm ports][masq|redir]
 *   src-nat/dst-nat/netmap  [imm addrs][imm ports][nat (netmap flag)]
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

#include "nft_xlate.h"
#include "nft_sets.h"
#include "../grammar/types.h"

enum act {
	A_ACCEPT, A_DROP, A_REJECT, A_JUMP, A_RETURN, A_LOG, A_PASS,
	A_FASTTRACK, A_ADD_SRC, A_ADD_DST, A_TARPIT, A_MASQ, A_SRCNAT,
	A_DSTNAT, A_REDIRECT, A_NETMAP, A__N
};
static const char *const act_names[] = {
	"accept", "drop", "reject", "jump", "return", "log", "passthrough",
	"fasttrack-connection", "add-src-to-address-list",
	"add-dst-to-address-list", "tarpit", "masquerade", "src-nat",
	"dst-nat", "redirect", "netmap", NULL
};

/* Which action arguments an action takes. */
enum { ARG_JUMP = 1, ARG_REJ = 2, ARG_ADDR = 4, ARG_PORTS = 8, ARG_AL = 16,
       ARG_HW = 32 };
static const unsigned act_args[A__N] = {
	[A_REJECT] = ARG_REJ, [A_JUMP] = ARG_JUMP, [A_FASTTRACK] = ARG_HW,
	[A_ADD_SRC] = ARG_AL, [A_ADD_DST] = ARG_AL, [A_MASQ] = ARG_PORTS,
	[A_SRCNAT] = ARG_ADDR | ARG_PORTS, [A_DSTNAT] = ARG_ADDR | ARG_PORTS,
	[A_REDIRECT] = ARG_PORTS, [A_NETMAP] = ARG_ADDR | ARG_PORTS,
};
static const struct { unsigned prop, arg; } arg_props[] = {
	{ FWP_JUMP_TARGET, ARG_JUMP }, { FWP_REJECT_WITH, ARG_REJ },
	{ FWP_TO_ADDRESSES, ARG_ADDR }, { FWP_TO_PORTS, ARG_PORTS },
	{ FWP_ADDRESS_LIST, ARG_AL }, { FWP_ADDRESS_LIST_TIMEOUT, ARG_AL },
	{ FWP_HW_OFFLOAD, ARG_HW },
};
#define N_ARGP (sizeof(arg_props) / sizeof(arg_props[0]))

static int act_of(const struct rprops *p)
{
	const char *a = p->v[FWP_ACTION] ? p->v[FWP_ACTION] : "accept";
	int i = v_word(a, strlen(a), act_names);

	return i;
}

static const char *prop_name(unsigned prop)
{
	return gr_menu_by_id(GMI_FILTER)->props[prop].name ?
	       gr_menu_by_id(GMI_FILTER)->props[prop].name :
	       gr_menu_by_id(GMI_NAT)->props[prop].name;
}

int nfa_check(enum nfm_menu menu, const struct rprops *p, struct bk_err *e)
{
	int a = act_of(p);

	if (a < 0)
		return bk_fail(e, "action %s is not supported on Linux",
			       p->v[FWP_ACTION]);
	for (size_t i = 0; i < N_ARGP; i++)
		if (p->v[arg_props[i].prop] && !(act_args[a] & arg_props[i].arg))
			return bk_fail(e, "%s can be used only with an action "
				       "that takes it, not with action=%s",
				       prop_name(arg_props[i].prop), act_names[a]);
	if (a == A_JUMP && !p->v[FWP_JUMP_TARGET])
		return bk_fail(e, "action=jump needs jump-target");
	if ((a == A_ADD_SRC || a == A_ADD_DST) && !p->v[FWP_ADDRESS_LIST])
		return bk_fail(e, "action=%s needs address-list", act_names[a]);
	if ((a == A_SRCNAT || a == A_DSTNAT || a == A_NETMAP) &&
	    !p->v[FWP_TO_ADDRESSES] && (a == A_NETMAP || !p->v[FWP_TO_PORTS]))
		return bk_fail(e, "action=%s needs to-addresses", act_names[a]);
	/* The kernel's tcp reset silently drops what is not TCP (iptables
	 * and nft refuse the rule): say so instead. */
	const char *rw = p->v[FWP_REJECT_WITH], *pr = p->v[FWP_PROTOCOL];
	if (a == A_REJECT && rw && !strcmp(rw, "tcp-reset") &&
	    !(pr && !strcmp(pr, "tcp")))
		return bk_fail(e, "reject-with=tcp-reset can be used only with "
			       "protocol=tcp");
	const char *c = p->v[FWP_CHAIN];
	if (c && !strcmp(c, "srcnat") && (a == A_DSTNAT || a == A_REDIRECT))
		return bk_fail(e, "action=%s is not valid in chain srcnat",
			       act_names[a]);
	if (c && !strcmp(c, "dstnat") && (a == A_SRCNAT || a == A_MASQ))
		return bk_fail(e, "action=%s is not valid in chain dstnat",
			       act_names[a]);
	return 0;
}

void nfa_prune(struct rprops *p)
{
	int a = act_of(p);

	for (size_t i = 0; a >= 0 && i < N_ARGP; i++)
		if (!(act_args[a] & arg_props[i].arg))
			rp_set(p, arg_props[i].prop, NULL);
}

/* ---- encoding ------------------------------------------------------------ */

static const struct { const char *name; uint32_t type, code; } rejects[] = {
	{ "icmp-network-unreachable", NFT_REJECT_ICMP_UNREACH, 0 },
	{ "icmp-host-unreachable", NFT_REJECT_ICMP_UNREACH, 1 },
	{ "icmp-protocol-unreachable", NFT_REJECT_ICMP_UNREACH, 2 },
	{ "icmp-port-unreachable", NFT_REJECT_ICMP_UNREACH, 3 },
	{ "icmp-net-prohibited", NFT_REJECT_ICMP_UNREACH, 9 },
	{ "icmp-host-prohibited", NFT_REJECT_ICMP_UNREACH, 10 },
	{ "icmp-admin-prohibited", NFT_REJECT_ICMP_UNREACH, 13 },
	{ "tcp-reset", NFT_REJECT_TCP_RST, 0 },
};
#define N_REJ (sizeof(rejects) / sizeof(rejects[0]))

/* reject-with unset (RouterOS's default) sends what
 * icmp-network-unreachable sends; a userdata flag keeps it unset. */
static int enc_reject(struct nfx *x)
{
	const char *w = x->p->v[FWP_REJECT_WITH];
	size_t i = 0;

	if (w)
		for (i = 0; i < N_REJ && strcmp(rejects[i].name, w); i++)
			;
	else
		x->udf |= XF_REJ_DEFAULT;
	if (i == N_REJ)
		return x_fail(x, "invalid reject-with %s", w);
	struct nftnl_expr *ex = nftnl_expr_alloc("reject");
	nftnl_expr_set_u32(ex, NFTNL_EXPR_REJECT_TYPE, rejects[i].type);
	nftnl_expr_set_u8(ex, NFTNL_EXPR_REJECT_CODE, (uint8_t)rejects[i].code);
	x_add(x, ex);
	return 0;
}

static int enc_jump(struct nfx *x)
{
	struct strbuf name = STRBUF_INIT;

	/* the commit has made sure the chain exists */
	nfm_chain_name(x->menu, x->p->v[FWP_JUMP_TARGET], &name);
	x_verdict(x, NFT_JUMP, sb_str(&name));
	sb_free(&name);
	return 0;
}

static void enc_fasttrack(struct nfx *x)
{
	uint32_t bits[4] = { 0 };

	bits[ROSH_FT_LABEL_BIT / 32] = 1u << (ROSH_FT_LABEL_BIT % 32);
	x_imm(x, RK, bits, 16);
	struct nftnl_expr *ex = nftnl_expr_alloc("ct");
	nftnl_expr_set_u32(ex, NFTNL_EXPR_CT_KEY, NFT_CT_LABELS);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_CT_SREG, RK);
	x_add(x, ex);
}

static int enc_addlist(struct nfx *x, bool src)
{
	const char *list = x->p->v[FWP_ADDRESS_LIST];
	const char *to = x->p->v[FWP_ADDRESS_LIST_TIMEOUT];
	struct strbuf r = STRBUF_INIT, h = STRBUF_INIT;
	uint64_t ms = 0;
	uint32_t one = MAP_ON;

	if (to && !strcmp(to, "none-dynamic"))
		x->udf |= XF_ALT_DYN;
	else if (to && !strcmp(to, "none-static"))
		x->udf |= XF_ALT_STATIC;
	else if (to && (!gr_duration_parse(to, &ms) || !ms))
		return x_fail(x, "invalid address-list-timeout %s", to);
	/* the packet path can not attach userdata: the element's data says
	 * the entry is static (nft_addrlist.c reads it back) */
	if (x->udf & XF_ALT_STATIC)
		one = AL_MAP_STATIC;
	if (x->b && nfs_al_ensure(list, x->e) < 0)
		return -1;
	nfs_al_names(list, &r, &h);
	x_payload(x, NFT_PAYLOAD_NETWORK_HEADER, src ? 12 : 16, 4, RK);
	x_imm(x, RA, &one, 4);
	struct nftnl_expr *ex = nftnl_expr_alloc("dynset");
	nftnl_expr_set_u32(ex, NFTNL_EXPR_DYNSET_SREG_KEY, RK);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_DYNSET_SREG_DATA, RA);
	/* update refreshes the timeout of an entry already there; without a
	 * timeout it would make such an entry expire at once, so add */
	nftnl_expr_set_u32(ex, NFTNL_EXPR_DYNSET_OP,
			   ms ? NFT_DYNSET_OP_UPDATE : NFT_DYNSET_OP_ADD);
	nftnl_expr_set_str(ex, NFTNL_EXPR_DYNSET_SET_NAME, sb_str(&h));
	if (ms)
		nftnl_expr_set_u64(ex, NFTNL_EXPR_DYNSET_TIMEOUT, ms);
	x_add(x, ex);
	sb_free(&r);
	sb_free(&h);
	return 0;
}

/* to-addresses into regs 1(,2); to-ports into regs 3(,4) */
static int nat_regs(struct nfx *x, bool addrs, uint32_t *amin, uint32_t *amax,
		    uint32_t *pmin, uint32_t *pmax)
{
	const char *ta = x->p->v[FWP_TO_ADDRESSES], *tp = x->p->v[FWP_TO_PORTS];
	uint32_t lo, hi, a, b;
	unsigned plen;
	bool range;

	*amin = *amax = *pmin = *pmax = 0;
	if (addrs && ta) {
		if (!v_ip4_net(ta, &lo, &hi, &plen, &range))
			return x_fail(x, "invalid to-addresses %s", ta);
		uint32_t nlo = htonl(lo), nhi = htonl(hi);
		x_imm(x, 1, &nlo, 4);
		*amin = 1;
		if (lo != hi) {
			x_imm(x, 2, &nhi, 4);
			*amax = 2;
		}
	}
	if (tp) {
		if (!v_range(tp, 65535, &a, &b))
			return x_fail(x, "invalid to-ports %s", tp);
		uint16_t pa = htons((uint16_t)a), pb = htons((uint16_t)b);
		x_imm(x, 3, &pa, 2);
		*pmin = 3;
		if (a != b) {
			x_imm(x, 4, &pb, 2);
			*pmax = 4;
		}
	}
	return 0;
}

static int enc_nat(struct nfx *x, int a)
{
	uint32_t amin, amax, pmin, pmax;

	if (nat_regs(x, a == A_SRCNAT || a == A_DSTNAT || a == A_NETMAP, &amin,
		     &amax, &pmin, &pmax) < 0)
		return -1;
	const char *chain = x->p->v[FWP_CHAIN];
	struct nftnl_expr *ex;
	if (a == A_MASQ || a == A_REDIRECT) {
		bool m = a == A_MASQ;
		ex = nftnl_expr_alloc(m ? "masq" : "redir");
		if (pmin)
			nftnl_expr_set_u32(ex, m ? NFTNL_EXPR_MASQ_REG_PROTO_MIN :
					   NFTNL_EXPR_REDIR_REG_PROTO_MIN, pmin);
		if (pmax)
			nftnl_expr_set_u32(ex, m ? NFTNL_EXPR_MASQ_REG_PROTO_MAX :
					   NFTNL_EXPR_REDIR_REG_PROTO_MAX, pmax);
		x_add(x, ex);
		return 0;
	}
	bool snat = a == A_SRCNAT ||
		    (a == A_NETMAP && chain && strcmp(chain, "dstnat") != 0);
	uint32_t flags = a == A_NETMAP ? NF_NAT_RANGE_NETMAP | NF_NAT_RANGE_MAP_IPS : 0;
	ex = nftnl_expr_alloc("nat");
	nftnl_expr_set_u32(ex, NFTNL_EXPR_NAT_TYPE, snat ? NFT_NAT_SNAT : NFT_NAT_DNAT);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_NAT_FAMILY, NFPROTO_IPV4);
	if (amin)
		nftnl_expr_set_u32(ex, NFTNL_EXPR_NAT_REG_ADDR_MIN, amin);
	if (amax)
		nftnl_expr_set_u32(ex, NFTNL_EXPR_NAT_REG_ADDR_MAX, amax);
	if (pmin)
		nftnl_expr_set_u32(ex, NFTNL_EXPR_NAT_REG_PROTO_MIN, pmin);
	if (pmax)
		nftnl_expr_set_u32(ex, NFTNL_EXPR_NAT_REG_PROTO_MAX, pmax);
	if (flags)
		nftnl_expr_set_u32(ex, NFTNL_EXPR_NAT_FLAGS, flags);
	x_add(x, ex);
	return 0;
}

int nfa_encode(struct nfx *x)
{
	int a = act_of(x->p);

	if (nfa_check(x->menu, x->p, x->e) < 0)
		return -1;
	switch (a) {
	case A_ACCEPT: x_verdict(x, NF_ACCEPT, NULL); return 0;
	case A_DROP: x_verdict(x, NF_DROP, NULL); return 0;
	case A_RETURN: x_verdict(x, NFT_RETURN, NULL); return 0;
	case A_PASS: x_verdict(x, NFT_CONTINUE, NULL); return 0;
	case A_REJECT: return enc_reject(x);
	case A_JUMP: return enc_jump(x);
	case A_LOG:
		x_log(x, x->p->v[FWP_LOG_PREFIX]);
		x->log_done = true;
		return 0;
	case A_FASTTRACK: enc_fasttrack(x); return 0;
	case A_ADD_SRC: case A_ADD_DST: return enc_addlist(x, a == A_ADD_SRC);
	case A_MASQ: case A_SRCNAT: case A_DSTNAT: case A_REDIRECT: case A_NETMAP:
		return enc_nat(x, a);
	default:
		return x_fail(x, "action=%s is not supported on Linux",
			      act_names[a]);
	}
}

/* ---- decoding ------------------------------------------------------------ */

static void put_act(struct nfd *d, int a)
{
	d_put(d, FWP_ACTION, act_names[a]);
}

static bool dec_verdict(struct nfd *d)
{
	const struct nftnl_expr *ex = d_at(d, 0);

	if (!d_is(ex, "immediate") ||
	    d_u32(ex, NFTNL_EXPR_IMM_DREG) != NFT_REG_VERDICT || d_at(d, 1))
		return false;
	int v = (int)d_u32(ex, NFTNL_EXPR_IMM_VERDICT);
	switch (v) {
	case NF_ACCEPT: put_act(d, A_ACCEPT); break;
	case NF_DROP: put_act(d, A_DROP); break;
	case NFT_RETURN: put_act(d, A_RETURN); break;
	case NFT_CONTINUE: put_act(d, A_PASS); break;
	case NFT_JUMP: {
		const char *c = nftnl_expr_get_str(ex, NFTNL_EXPR_IMM_CHAIN);
		int i = c ? nfm_chain_find(c) : -1;
		if (i < 0 || nfm.chains[i].menu != d->menu)
			return false;
		put_act(d, A_JUMP);
		d_put(d, FWP_JUMP_TARGET, nfm_ros_chain(&nfm.chains[i]));
		break;
	}
	default:
		return false;
	}
	d->pos++;
	return true;
}

static bool dec_reject(struct nfd *d)
{
	const struct nftnl_expr *ex = d_at(d, 0);

	if (!d_is(ex, "reject") || d_at(d, 1))
		return false;
	uint32_t type = d_u32(ex, NFTNL_EXPR_REJECT_TYPE);
	uint8_t code = nftnl_expr_get_u8(ex, NFTNL_EXPR_REJECT_CODE);
	for (size_t i = 0; i < N_REJ; i++) {
		if (rejects[i].type != type ||
		    (type != NFT_REJECT_TCP_RST && rejects[i].code != code))
			continue;
		if ((d->udf & XF_REJ_DEFAULT) && i != 0)
			return false;
		put_act(d, A_REJECT);
		if (!(d->udf & XF_REJ_DEFAULT))
			d_put(d, FWP_REJECT_WITH, rejects[i].name);
		d->pos++;
		return true;
	}
	return false;
}

static bool dec_log(struct nfd *d)
{
	const struct nftnl_expr *ex = d_at(d, 0);

	if (!d_is(ex, "log") || d_at(d, 1))
		return false;
	put_act(d, A_LOG);
	if (d_has(ex, NFTNL_EXPR_LOG_PREFIX) && !d->p->v[FWP_LOG_PREFIX])
		d_put(d, FWP_LOG_PREFIX, nftnl_expr_get_str(ex, NFTNL_EXPR_LOG_PREFIX));
	d->pos++;
	return true;
}

static bool dec_fasttrack(struct nfd *d)
{
	const struct nftnl_expr *imm = d_at(d, 0), *ct = d_at(d, 1);
	uint32_t bits[4] = { 0 }, len;

	if (!d_is(imm, "immediate") || d_reg(imm, NFTNL_EXPR_IMM_DREG) != reg32(RK) ||
	    !d_is(ct, "ct") || !d_has(ct, NFTNL_EXPR_CT_SREG) ||
	    d_u32(ct, NFTNL_EXPR_CT_KEY) != NFT_CT_LABELS || d_at(d, 2))
		return false;
	bits[ROSH_FT_LABEL_BIT / 32] = 1u << (ROSH_FT_LABEL_BIT % 32);
	const void *p = d_data(imm, NFTNL_EXPR_IMM_DATA, &len);
	if (len != 16 || memcmp(p, bits, 16) != 0)
		return false;
	put_act(d, A_FASTTRACK);
	d->pos += 2;
	return true;
}

static bool dec_addlist(struct nfd *d)
{
	const struct nftnl_expr *ld = d_at(d, 0), *imm = d_at(d, 1),
				*ds = d_at(d, 2);
	uint32_t len, one;
	bool src = d_payload(ld, NFT_PAYLOAD_NETWORK_HEADER, 12, 4);

	if ((!src && !d_payload(ld, NFT_PAYLOAD_NETWORK_HEADER, 16, 4)) ||
	    !d_is(imm, "immediate") || d_reg(imm, NFTNL_EXPR_IMM_DREG) != reg32(RA) ||
	    !d_is(ds, "dynset") || d_at(d, 3) ||
	    d_u32(ds, NFTNL_EXPR_DYNSET_OP) != (d_u64(ds, NFTNL_EXPR_DYNSET_TIMEOUT) ?
						 NFT_DYNSET_OP_UPDATE :
						 NFT_DYNSET_OP_ADD) ||
	    d_reg(ds, NFTNL_EXPR_DYNSET_SREG_KEY) != reg32(RK) ||
	    d_reg(ds, NFTNL_EXPR_DYNSET_SREG_DATA) != reg32(RA))
		return false;
	const void *p = d_data(imm, NFTNL_EXPR_IMM_DATA, &len);
	if (len != 4 || (memcpy(&one, p, 4), one != MAP_ON &&
					     one != AL_MAP_STATIC))
		return false;
	const char *set = nftnl_expr_get_str(ds, NFTNL_EXPR_DYNSET_SET_NAME);
	const char *list = set ? nfs_al_list_of(NULL, set) : NULL;
	if (!list)
		return false;
	put_act(d, src ? A_ADD_SRC : A_ADD_DST);
	d_put(d, FWP_ADDRESS_LIST, list);
	uint64_t ms = d_u64(ds, NFTNL_EXPR_DYNSET_TIMEOUT);
	if (ms) {
		sb_reset(&d->sb);
		gr_duration_format(ms, &d->sb);
		d_put(d, FWP_ADDRESS_LIST_TIMEOUT, sb_str(&d->sb));
	} else if (one == AL_MAP_STATIC) {
		d_put(d, FWP_ADDRESS_LIST_TIMEOUT, "none-static");
	} else if (d->udf & XF_ALT_DYN) {
		d_put(d, FWP_ADDRESS_LIST_TIMEOUT, "none-dynamic");
	}
	d->pos += 3;
	return true;
}

/* immediates loading NAT arguments into regs 1..4 */
struct natregs {
	bool have[5];
	unsigned char v[5][4];
};

static size_t dec_natregs(const struct nfd *d, struct natregs *nr)
{
	size_t k = 0;
	const struct nftnl_expr *ex;
	uint32_t len;

	memset(nr, 0, sizeof(*nr));
	while ((ex = d_at(d, k)) && d_is(ex, "immediate")) {
		uint32_t reg = d_u32(ex, NFTNL_EXPR_IMM_DREG);
		const void *p = d_data(ex, NFTNL_EXPR_IMM_DATA, &len);
		if (reg < 1 || reg > 4 || !p || len != (reg <= 2 ? 4u : 2u) ||
		    nr->have[reg])
			return 0;
		nr->have[reg] = true;
		memcpy(nr->v[reg], p, len);
		k++;
	}
	return k;
}

/* reg `want` if loaded; the kernel reports an unset max as the min */
static bool nat_reg_ok(const struct nftnl_expr *ex, uint16_t attr,
		       const struct natregs *nr, uint32_t want)
{
	uint32_t r = d_u32(ex, attr);

	if (nr->have[want])
		return r == want;
	return r == 0 || ((want == 2 || want == 4) && r == want - 1 &&
			  nr->have[want - 1]);
}

static void put_natregs(struct nfd *d, const struct natregs *nr)
{
	struct strbuf t = STRBUF_INIT;

	if (nr->have[1]) {
		f_ip4(&t, (uint32_t)be_get(nr->v[1], 4));
		if (nr->have[2]) {
			sb_addc(&t, '-');
			f_ip4(&t, (uint32_t)be_get(nr->v[2], 4));
		}
		d_put(d, FWP_TO_ADDRESSES, sb_str(&t));
	}
	if (nr->have[3]) {
		sb_reset(&t);
		sb_printf(&t, "%u", (unsigned)be_get(nr->v[3], 2));
		if (nr->have[4])
			sb_printf(&t, "-%u", (unsigned)be_get(nr->v[4], 2));
		d_put(d, FWP_TO_PORTS, sb_str(&t));
	}
	sb_free(&t);
}

static bool dec_masq_redir(struct nfd *d, const struct nftnl_expr *ex,
			   const struct natregs *nr)
{
	bool m = d_is(ex, "masq");

	if (nr->have[1] || nr->have[2] || (nr->have[4] && !nr->have[3]) ||
	    !nat_reg_ok(ex, m ? NFTNL_EXPR_MASQ_REG_PROTO_MIN :
			NFTNL_EXPR_REDIR_REG_PROTO_MIN, nr, 3) ||
	    !nat_reg_ok(ex, m ? NFTNL_EXPR_MASQ_REG_PROTO_MAX :
			NFTNL_EXPR_REDIR_REG_PROTO_MAX, nr, 4) ||
	    (d_u32(ex, m ? NFTNL_EXPR_MASQ_FLAGS : NFTNL_EXPR_REDIR_FLAGS) &
	     ~(uint32_t)NF_NAT_RANGE_PROTO_SPECIFIED))
		return false;
	put_act(d, m ? A_MASQ : A_REDIRECT);
	return true;
}

static bool dec_nat(struct nfd *d)
{
	struct natregs nr;
	size_t k = dec_natregs(d, &nr);
	const struct nftnl_expr *ex = d_at(d, k);

	if (!ex || d_at(d, k + 1))
		return false;
	if (d_is(ex, "masq") || d_is(ex, "redir")) {
		if (!dec_masq_redir(d, ex, &nr))
			return false;
	} else if (d_is(ex, "nat")) {
		uint32_t fl = d_u32(ex, NFTNL_EXPR_NAT_FLAGS) &
			      ~(uint32_t)NF_NAT_RANGE_PROTO_SPECIFIED;
		bool netmap = fl == (NF_NAT_RANGE_NETMAP | NF_NAT_RANGE_MAP_IPS);
		uint32_t type = d_u32(ex, NFTNL_EXPR_NAT_TYPE);
		if ((fl && fl != NF_NAT_RANGE_MAP_IPS && !netmap) ||
		    (nr.have[2] && !nr.have[1]) || (nr.have[4] && !nr.have[3]) ||
		    !nat_reg_ok(ex, NFTNL_EXPR_NAT_REG_ADDR_MIN, &nr, 1) ||
		    !nat_reg_ok(ex, NFTNL_EXPR_NAT_REG_ADDR_MAX, &nr, 2) ||
		    !nat_reg_ok(ex, NFTNL_EXPR_NAT_REG_PROTO_MIN, &nr, 3) ||
		    !nat_reg_ok(ex, NFTNL_EXPR_NAT_REG_PROTO_MAX, &nr, 4))
			return false;
		put_act(d, netmap ? A_NETMAP :
			type == NFT_NAT_SNAT ? A_SRCNAT : A_DSTNAT);
	} else {
		return false;
	}
	put_natregs(d, &nr);
	d->pos += k + 1;
	return true;
}

bool nfa_decode(struct nfd *d)
{
	return dec_verdict(d) || dec_reject(d) || dec_log(d) ||
	       dec_fasttrack(d) || dec_addlist(d) || dec_nat(d);
}

/*
 * Firewall matcher syntaxes (limit, dst-limit, tcp-flags, ...). Each parser
 * turns user text into the one canonical text RouterOS prints, so that
 * parse(print(x)) == print(x) and a value decoded from the kernel prints
 * exactly as it was added. Canonical-form choices are noted per type.
 * No I/O.
 */
#include <ctype.h>
#include <string.h>

#include "types.h"
#include "types_impl.h"

/* A piece of the input. */
struct sl {
	const char *s;
	size_t n;
};

/* Split s[0..n) on sep into at most max pieces; count, or max + 1 if more. */
static size_t split(const char *s, size_t n, char sep, struct sl *f,
		    size_t max)
{
	size_t k = 0;

	for (;;) {
		const char *c = gri_chr(s, n, sep);
		size_t len = c ? (size_t)(c - s) : n;

		if (k == max)
			return max + 1;
		f[k].s = s;
		f[k++].n = len;
		if (!c)
			return k;
		n -= len + 1;
		s = c + 1;
	}
}

static size_t split_str(const char *in, char sep, struct sl *f, size_t max)
{
	return split(in, strlen(in), sep, f, max);
}

static bool u_in(struct sl f, uint64_t lo, uint64_t hi, uint64_t *v)
{
	return gri_u64(f.s, f.n, hi, v) && *v >= lo;
}

static bool dur_in(struct sl f, uint64_t *ms)
{
	return gri_dur(f.s, f.n, ms);
}

/* A word of syms by unique prefix; an empty piece is a syntax error. */
static enum gr_perr word(struct sl f, const char *const *syms, size_t *idx)
{
	return f.n ? gri_word(f.s, f.n, syms, idx) : GR_PE_INVALID;
}

/* ---- tcp-flags ------------------------------------------------------------ */

static const char *const tcp_flag_syms[] = {
	"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", NULL
};

/*
 * Canonical: set flags in bit order, then the !negated ones in bit order
 * ("fin,psh,urg,!syn,!rst,!ack"), as RouterOS exports show: the kernel
 * keeps (flags, mask) only, so this order is the one a decode reproduces.
 */
static enum gr_perr parse_tcp_flags(const struct gr_type *t, const char *in,
				    struct strbuf *out)
{
	struct sl f[9];
	size_t n = split_str(in, ',', f, 8), i, idx;
	unsigned set = 0, clr = 0;

	if (n > 8)
		return GR_PE_INVALID;
	for (i = 0; i < n; i++) {
		bool neg = f[i].n && f[i].s[0] == '!';
		enum gr_perr rc;

		if (f[i].n == (size_t)neg)
			return GR_PE_INVALID;
		rc = gri_word(f[i].s + neg, f[i].n - neg, tcp_flag_syms, &idx);
		if (rc != GR_PE_OK)
			return rc;
		if ((set | clr) & 1u << idx)
			return GR_PE_INVALID;
		*(neg ? &clr : &set) |= 1u << idx;
	}
	for (i = 0, n = 0; i < 16; i++) {
		bool neg = i >= 8;

		if (!((neg ? clr : set) & 1u << (i % 8)))
			continue;
		sb_printf(out, "%s%s%s", n++ ? "," : "", neg ? "!" : "",
			  tcp_flag_syms[i % 8]);
	}
	return GR_PE_OK;
}

/* ---- icmp-options: type[:code[-code]] -------------------------------------- */

/* Canonical as entered: "8", "8:0", "3:0-255" (each 0..255, a <= b). */
static enum gr_perr parse_icmp_options(const struct gr_type *t,
				       const char *in, struct strbuf *out)
{
	struct sl f[3], c[3];
	size_t n = split_str(in, ':', f, 2), nc;
	uint64_t type, a, b;

	if (n > 2 || !u_in(f[0], 0, 255, &type))
		return GR_PE_INVALID;
	sb_printf(out, "%u", (unsigned)type);
	if (n == 1)
		return GR_PE_OK;
	nc = split(f[1].s, f[1].n, '-', c, 2);
	if (nc > 2 || !u_in(c[0], 0, 255, &a))
		return GR_PE_INVALID;
	b = a;
	if (nc == 2 && (!u_in(c[1], 0, 255, &b) || a > b))
		return GR_PE_INVALID;
	sb_printf(out, ":%u", (unsigned)a);
	if (nc == 2)
		sb_printf(out, "-%u", (unsigned)b);
	return GR_PE_OK;
}

/* ---- limit / dst-limit ----------------------------------------------------- */

/* "rate[/time]": rate 1.. (k/M/G accepted, printed as a plain number). */
static bool rate_time(struct sl f, struct strbuf *out)
{
	struct sl p[3];
	size_t n = split(f.s, f.n, '/', p, 2);
	uint64_t rate, ms = 1000;

	if (n > 2 || !gri_u64_si(p[0].s, p[0].n, UINT32_MAX, &rate) ||
	    !rate || (n == 2 && (!dur_in(p[1], &ms) || !ms)))
		return false;
	sb_printf(out, "%llu", (unsigned long long)rate);
	if (ms != 1000) {	/* RouterOS drops "/1s" */
		sb_addc(out, '/');
		gr_duration_format(ms, out);
	}
	return true;
}

static const char *const limit_modes[] = { "packet", "bit", NULL };

/*
 * rate[/time],burst[:packet|bit]. Canonical: "/time" only when not 1s,
 * mode always shown (default packet): "50/5s,2:packet", "50,5:packet".
 */
static enum gr_perr parse_limit(const struct gr_type *t, const char *in,
				struct strbuf *out)
{
	struct sl f[3], b[3];
	size_t n = split_str(in, ',', f, 2), nb, mode = 0;
	uint64_t burst;

	if (n != 2 || !rate_time(f[0], out))
		return GR_PE_INVALID;
	nb = split(f[1].s, f[1].n, ':', b, 2);
	if (nb > 2 || !u_in(b[0], 0, UINT32_MAX, &burst))
		return GR_PE_INVALID;
	if (nb == 2) {
		enum gr_perr rc = word(b[1], limit_modes, &mode);

		if (rc != GR_PE_OK)
			return rc;
	}
	sb_printf(out, ",%llu:%s", (unsigned long long)burst,
		  limit_modes[mode]);
	return GR_PE_OK;
}

static const char *const dst_limit_modes[] = {
	"addresses-and-dst-port", "dst-address", "dst-address-and-port",
	"src-address", "src-and-dst-addresses", NULL
};

/*
 * rate[/time],burst,mode[/expire]. Canonical: "/time" only when not 1s;
 * "/expire" only when given ("1/1m,9,dst-address/1m", "32,32,src-address").
 */
static enum gr_perr parse_dst_limit(const struct gr_type *t, const char *in,
				    struct strbuf *out)
{
	struct sl f[4], m[3];
	size_t n = split_str(in, ',', f, 3), nm, mode;
	uint64_t burst, exp;
	enum gr_perr rc;

	if (n != 3 || !rate_time(f[0], out) ||
	    !u_in(f[1], 0, UINT32_MAX, &burst))
		return GR_PE_INVALID;
	nm = split(f[2].s, f[2].n, '/', m, 2);
	if (nm > 2 || (nm == 2 && !dur_in(m[1], &exp)))
		return GR_PE_INVALID;
	rc = word(m[0], dst_limit_modes, &mode);
	if (rc != GR_PE_OK)
		return rc;
	sb_printf(out, ",%llu,%s", (unsigned long long)burst,
		  dst_limit_modes[mode]);
	if (nm == 2) {
		sb_addc(out, '/');
		gr_duration_format(exp, out);
	}
	return GR_PE_OK;
}

/* ---- small comma forms ------------------------------------------------------ */

/* count[,netmask]; netmask 0..128 defaults to 32: "100" -> "100,32". */
static enum gr_perr parse_conn_limit(const struct gr_type *t, const char *in,
				     struct strbuf *out)
{
	struct sl f[3];
	size_t n = split_str(in, ',', f, 2);
	uint64_t count, mask = 32;

	if (n > 2 || !u_in(f[0], 0, UINT32_MAX, &count) ||
	    (n == 2 && !u_in(f[1], 0, 128, &mask)))
		return GR_PE_INVALID;
	sb_printf(out, "%llu,%u", (unsigned long long)count, (unsigned)mask);
	return GR_PE_OK;
}

/* every[,packet], 1 <= packet <= every; packet defaults to 1: "2" -> "2,1". */
static enum gr_perr parse_nth(const struct gr_type *t, const char *in,
			      struct strbuf *out)
{
	struct sl f[3];
	size_t n = split_str(in, ',', f, 2);
	uint64_t every, pkt = 1;

	if (n > 2 || !u_in(f[0], 1, UINT32_MAX, &every) ||
	    (n == 2 && !u_in(f[1], 1, every, &pkt)))
		return GR_PE_INVALID;
	sb_printf(out, "%llu,%llu", (unsigned long long)every,
		  (unsigned long long)pkt);
	return GR_PE_OK;
}

/* Parse "<word><sep><number 0..max>" with the word from syms. */
static enum gr_perr word_num(const char *in, char sep, const char *const *syms,
			     uint64_t max, struct strbuf *out)
{
	struct sl f[3];
	size_t n = split_str(in, sep, f, 2), idx;
	uint64_t v;
	enum gr_perr rc;

	if (n != 2 || !u_in(f[1], 0, max, &v))
		return GR_PE_INVALID;
	rc = word(f[0], syms, &idx);
	if (rc == GR_PE_OK)
		sb_printf(out, "%s%c%llu", syms[idx], sep,
			  (unsigned long long)v);
	return rc;
}

static const char *const ttl_ops[] = {
	"equal", "greater-than", "less-than", "not-equal", NULL
};

static enum gr_perr parse_ttl(const struct gr_type *t, const char *in,
			      struct strbuf *out)
{
	return word_num(in, ':', ttl_ops, 255, out);
}

static const char *const ipsec_dirs[] = { "in", "out", NULL };
static const char *const ipsec_pols[] = { "ipsec", "none", NULL };

static enum gr_perr parse_ipsec_policy(const struct gr_type *t,
				       const char *in, struct strbuf *out)
{
	struct sl f[3];
	size_t n = split_str(in, ',', f, 2), d, p;
	enum gr_perr rc;

	if (n != 2)
		return GR_PE_INVALID;
	rc = word(f[0], ipsec_dirs, &d);
	if (rc == GR_PE_OK)
		rc = word(f[1], ipsec_pols, &p);
	if (rc == GR_PE_OK)
		sb_printf(out, "%s,%s", ipsec_dirs[d], ipsec_pols[p]);
	return rc;
}

/* ---- time: start-end[,days] ----------------------------------------------- */

static const char *const week_days[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL
};

/*
 * Times are durations <= 1d, printed compact ("8h-17h", "8h30m-1d").
 * Days are a set: printed in week order sun..sat whatever the input order
 * (the kernel keeps a day mask). No days given: none printed.
 */
static enum gr_perr parse_time(const struct gr_type *t, const char *in,
			       struct strbuf *out)
{
	struct sl f[9], r[3];
	size_t n = split_str(in, ',', f, 8), i, idx;
	uint64_t a, b;
	unsigned days = 0;

	if (n > 8 || split(f[0].s, f[0].n, '-', r, 2) != 2 ||
	    !dur_in(r[0], &a) || !dur_in(r[1], &b) || a > 86400000ULL ||
	    b > 86400000ULL)
		return GR_PE_INVALID;
	for (i = 1; i < n; i++) {
		enum gr_perr rc = word(f[i], week_days, &idx);

		if (rc != GR_PE_OK)
			return rc;
		if (days & 1u << idx)
			return GR_PE_INVALID;
		days |= 1u << idx;
	}
	gr_duration_format(a, out);
	sb_addc(out, '-');
	gr_duration_format(b, out);
	for (i = 0; i < 7; i++)
		if (days & 1u << i)
			sb_printf(out, ",%s", week_days[i]);
	return GR_PE_OK;
}

/* ---- psd, pcc ----------------------------------------------------------- */

/* weight,delay,low-port-weight,high-port-weight: "21,3s,3,1". */
static enum gr_perr parse_psd(const struct gr_type *t, const char *in,
			      struct strbuf *out)
{
	struct sl f[5];
	uint64_t w, lo, hi, ms;

	if (split_str(in, ',', f, 4) != 4 || !u_in(f[0], 0, 65535, &w) ||
	    !dur_in(f[1], &ms) || !u_in(f[2], 0, 65535, &lo) ||
	    !u_in(f[3], 0, 65535, &hi))
		return GR_PE_INVALID;
	sb_printf(out, "%llu,", (unsigned long long)w);
	gr_duration_format(ms, out);
	sb_printf(out, ",%llu,%llu", (unsigned long long)lo,
		  (unsigned long long)hi);
	return GR_PE_OK;
}

static const char *const pcc_hashes[] = {
	"both-addresses", "both-addresses-and-ports", "both-ports",
	"dst-address", "dst-address-and-port", "dst-port", "src-address",
	"src-address-and-port", "src-port", NULL
};

/*
 * hash:denominator/remainder. The remainder is not checked against the
 * denominator: a real v7 export holds "both-addresses-and-ports:2/2".
 */
static enum gr_perr parse_pcc(const struct gr_type *t, const char *in,
			      struct strbuf *out)
{
	struct sl f[3], d[3];
	size_t idx;
	uint64_t den, rem;
	enum gr_perr rc;

	if (split_str(in, ':', f, 2) != 2 ||
	    split(f[1].s, f[1].n, '/', d, 2) != 2 ||
	    !u_in(d[0], 1, UINT32_MAX, &den) ||
	    !u_in(d[1], 0, UINT32_MAX, &rem))
		return GR_PE_INVALID;
	rc = word(f[0], pcc_hashes, &idx);
	if (rc == GR_PE_OK)
		sb_printf(out, "%s:%llu/%llu", pcc_hashes[idx],
			  (unsigned long long)den, (unsigned long long)rem);
	return rc;
}

/* ---- connection-bytes / connection-rate ------------------------------------ */

/* from-to; to 0 = no upper bound, else from <= to: "2000000-0". */
static enum gr_perr parse_conn_bytes(const struct gr_type *t, const char *in,
				     struct strbuf *out)
{
	struct sl f[3];
	uint64_t a, b;

	if (split_str(in, '-', f, 2) != 2 ||
	    !gri_u64(f[0].s, f[0].n, UINT64_MAX, &a) ||
	    !gri_u64(f[1].s, f[1].n, UINT64_MAX, &b) || (b && a > b))
		return GR_PE_INVALID;
	sb_printf(out, "%llu-%llu", (unsigned long long)a,
		  (unsigned long long)b);
	return GR_PE_OK;
}

/* A number with the largest exact k/M/G suffix: 100000 -> "100k". */
static void si_format(uint64_t v, struct strbuf *out)
{
	static const char sfx[] = "GMk";
	uint64_t div = 1000000000ULL;

	for (size_t i = 0; v && i < 3; i++, div /= 1000) {
		if (v % div == 0) {
			sb_printf(out, "%llu%c", (unsigned long long)(v / div),
				  sfx[i]);
			return;
		}
	}
	sb_printf(out, "%llu", (unsigned long long)v);
}

/* min-max in bits/s, min <= max; printed with exact k/M/G: "0-100k". */
static enum gr_perr parse_conn_rate(const struct gr_type *t, const char *in,
				    struct strbuf *out)
{
	struct sl f[3];
	uint64_t a, b;

	if (split_str(in, '-', f, 2) != 2 ||
	    !gri_u64_si(f[0].s, f[0].n, UINT32_MAX, &a) ||
	    !gri_u64_si(f[1].s, f[1].n, UINT32_MAX, &b) || a > b)
		return GR_PE_INVALID;
	si_format(a, out);
	sb_addc(out, '-');
	si_format(b, out);
	return GR_PE_OK;
}

/* ---- protocol ------------------------------------------------------------ */

static const char *const proto_syms[] = {
	"icmp", "igmp", "ggp", "ipencap", "st", "tcp", "egp", "pup", "udp",
	"hmp", "xns-idp", "rdp", "iso-tp4", "dccp", "xtp", "ddp", "idpr-cmtp",
	"ipv6-encap", "ipv6-route", "ipv6-frag", "rsvp", "gre", "ipsec-esp",
	"ipsec-ah", "icmpv6", "ipv6-nonxt", "ipv6-opts", "rspf", "vmtp",
	"ospf", "ipip", "etherip", "encap", "pim", "vrrp", "l2tp", "sctp",
	"udp-lite", NULL
};

static const unsigned char proto_nums[] = {
	1, 2, 3, 4, 5, 6, 8, 12, 17, 20, 22, 27, 29, 33, 36, 37, 38, 41, 43,
	44, 46, 47, 50, 51, 58, 59, 60, 73, 81, 89, 94, 97, 98, 103, 112, 115,
	132, 136,
};

_Static_assert(sizeof(proto_nums) == sizeof(proto_syms) / sizeof(char *) - 1,
	       "protocol tables out of step");

/* Lower-case name (unique prefix) or 0..255; the name when one exists. */
static enum gr_perr parse_protocol(const struct gr_type *t, const char *in,
				   struct strbuf *out)
{
	uint64_t v;
	size_t i;
	enum gr_perr rc;

	if (isdigit((unsigned char)in[0])) {
		if (!gri_u64(in, strlen(in), 255, &v))
			return GR_PE_INVALID;
		for (i = 0; i < sizeof(proto_nums); i++) {
			if (proto_nums[i] == v) {
				sb_adds(out, proto_syms[i]);
				return GR_PE_OK;
			}
		}
		sb_printf(out, "%u", (unsigned)v);
		return GR_PE_OK;
	}
	rc = gri_word(in, strlen(in), proto_syms, &i);
	if (rc == GR_PE_OK)
		sb_adds(out, proto_syms[i]);
	return rc;
}

/* ---- tos: value[/mask], each 0..255 ------------------------------------------ */

/* Canonical as entered, in decimal: "16", "16/252". */
static enum gr_perr parse_tos(const struct gr_type *t, const char *in,
			      struct strbuf *out)
{
	struct sl f[3];
	size_t n = split_str(in, '/', f, 2);
	uint64_t v, m = 0;

	if (n > 2 || !u_in(f[0], 0, 255, &v) || (n == 2 && !u_in(f[1], 0, 255, &m)))
		return GR_PE_INVALID;
	sb_printf(out, "%u", (unsigned)v);
	if (n == 2)
		sb_printf(out, "/%u", (unsigned)m);
	return GR_PE_OK;
}

/* ---- the firewall types ------------------------------------------------------ */

static const char *const alt_addrlist_timeout[] = {
	"none-dynamic", "none-static", NULL
};

#define FW_CUSTOM(var, label, fn, ...) \
	const struct gr_type var = { .name = label, .kind = GK_CUSTOM, \
				     .parse = fn, __VA_ARGS__ }

FW_CUSTOM(gr_t_tcp_flags, "tcp flags", parse_tcp_flags,
	  .syms = tcp_flag_syms, .elem_neg = 1);
FW_CUSTOM(gr_t_icmp_options, "type[:code[-code]]", parse_icmp_options);
FW_CUSTOM(gr_t_limit, "rate[/time],burst[:packet|bit]", parse_limit);
FW_CUSTOM(gr_t_dst_limit, "rate[/time],burst,mode[/expire]",
	  parse_dst_limit, .syms = dst_limit_modes);
FW_CUSTOM(gr_t_conn_limit, "count[,netmask]", parse_conn_limit);
FW_CUSTOM(gr_t_nth, "every[,packet]", parse_nth);
FW_CUSTOM(gr_t_ttl, "equal|not-equal|less-than|greater-than:0..255",
	  parse_ttl, .syms = ttl_ops);
FW_CUSTOM(gr_t_ipsec_policy, "in|out,ipsec|none", parse_ipsec_policy);
FW_CUSTOM(gr_t_time, "start-end[,days]", parse_time, .syms = week_days);
FW_CUSTOM(gr_t_psd, "weight,delay,low-port-weight,high-port-weight",
	  parse_psd);
FW_CUSTOM(gr_t_pcc, "hash:denominator/remainder", parse_pcc,
	  .syms = pcc_hashes);
FW_CUSTOM(gr_t_conn_bytes, "from-to", parse_conn_bytes);
FW_CUSTOM(gr_t_conn_rate, "min-max", parse_conn_rate);
FW_CUSTOM(gr_t_tos, "value[/mask]", parse_tos);

const struct gr_type gr_t_random = { .name = "integer 1..99",
	.kind = GK_INT, .min = 1, .max = 99 };
const struct gr_type gr_t_addrlist_timeout = {
	.name = "time | none-dynamic | none-static", .kind = GK_DURATION,
	.max = GR_MAX_TIMEOUT_MS, .alt = alt_addrlist_timeout };
const struct gr_type gr_t_log_prefix = { .name = "string (max 31 chars)",
	.kind = GK_STRING, .max = 31 };
const struct gr_type gr_t_packet_size = { .name = "integer[-integer]",
	.kind = GK_INT_RANGE, .min = 0, .max = 65535 };
const struct gr_type gr_t_tcp_mss = { .name = "integer[-integer]",
	.kind = GK_INT_RANGE, .min = 0, .max = 65535 };

const struct gr_type gr_t_protocol = { .name = "protocol", .kind = GK_CUSTOM,
	.syms = proto_syms, .parse = parse_protocol };

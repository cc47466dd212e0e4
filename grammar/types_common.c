/*
 * Address kinds (IPv4/IPv6, prefixes, ranges, ip:port), ids, MACs, hex,
 * date-times, protocols, `in` containment, and the shared gr_t_* objects.
 * No I/O.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "types.h"
#include "types_impl.h"

/* ---- IPv4 / IPv6 scalars -------------------------------------------------- */

bool gri_ip4(const char *s, size_t n, uint32_t *a)
{
	uint64_t part[4];
	size_t np = 0, i = 0;

	for (;;) {
		size_t k = 0;

		while (i + k < n && isdigit((unsigned char)s[i + k]))
			k++;
		if (!k || k > 3 || !gri_u64(s + i, k, 255, &part[np]))
			return false;
		np++;
		i += k;
		if (i == n)
			break;
		if (s[i] != '.' || np == 4)
			return false;
		i++;
	}
	if (np < 2)
		return false;
	if (np == 2) {		/* a.b = a.0.0.b */
		part[3] = part[1];
		part[1] = part[2] = 0;
	} else if (np == 3) {	/* a.b.c = a.b.0.c */
		part[3] = part[2];
		part[2] = 0;
	}
	*a = (uint32_t)(part[0] << 24 | part[1] << 16 | part[2] << 8 | part[3]);
	return true;
}

bool gri_ip6(const char *s, size_t n, unsigned char a[16])
{
	char buf[INET6_ADDRSTRLEN];

	if (!n || n >= sizeof(buf) || !gri_chr(s, n, ':'))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(AF_INET6, buf, a) == 1;
}

void gri_fmt_ip4(uint32_t a, struct strbuf *out)
{
	sb_printf(out, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255,
		  a & 255);
}

void gri_fmt_ip6(const unsigned char a[16], struct strbuf *out)
{
	char buf[INET6_ADDRSTRLEN];

	sb_adds(out, inet_ntop(AF_INET6, a, buf, sizeof(buf)) ? buf : "::");
}

static uint32_t mask4(unsigned len)
{
	return len ? 0xffffffffu << (32 - len) : 0;
}

/* Keep the first len bits of a[0..nb); others cleared (or set when ones). */
static void mask_bytes(unsigned char *a, size_t nb, unsigned len, bool ones)
{
	for (size_t i = 0; i < nb; i++) {
		unsigned bits = len > i * 8 ? len - (unsigned)i * 8 : 0;
		unsigned char m = bits >= 8 ? 0xff :
				  (unsigned char)(0xff00u >> bits);

		a[i] = ones ? (unsigned char)(a[i] | ~m) : (a[i] & m);
	}
}

/* "len" (0..32) or a contiguous dotted mask after an IPv4 '/'. */
static bool ip4_len(const char *s, size_t n, unsigned *len)
{
	uint64_t v;
	uint32_t m, inv;

	if (gri_u64(s, n, 32, &v)) {
		*len = (unsigned)v;
		return true;
	}
	if (!gri_chr(s, n, '.') || !gri_ip4(s, n, &m))
		return false;
	inv = ~m;
	if (inv & (inv + 1))
		return false;
	*len = (unsigned)__builtin_popcount(m);
	return true;
}

/* a[/len|/mask]: the network (host bits zeroed) and its length (32 bare). */
static bool ip4_prefix(const char *s, size_t n, uint32_t *a, unsigned *len)
{
	const char *sl = gri_chr(s, n, '/');

	*len = 32;
	if (sl && !ip4_len(sl + 1, n - (size_t)(sl + 1 - s), len))
		return false;
	if (!gri_ip4(s, sl ? (size_t)(sl - s) : n, a))
		return false;
	*a &= mask4(*len);
	return true;
}

/* a-b with a <= b, appended as "a-b". */
static bool ip4_range(const char *s, const char *dash, struct strbuf *out)
{
	uint32_t a, b;

	if (!gri_ip4(s, (size_t)(dash - s), &a) ||
	    !gri_ip4(dash + 1, strlen(dash + 1), &b) || a > b)
		return false;
	gri_fmt_ip4(a, out);
	sb_addc(out, '-');
	gri_fmt_ip4(b, out);
	return true;
}

/* ---- address kinds ------------------------------------------------------- */

enum gr_perr gri_parse_ip4(const struct gr_type *t, const char *in,
			   struct strbuf *out)
{
	uint32_t a;

	if (!gri_ip4(in, strlen(in), &a))
		return GR_PE_INVALID;
	gri_fmt_ip4(a, out);
	return GR_PE_OK;
}

enum gr_perr gri_parse_ip6(const struct gr_type *t, const char *in,
			   struct strbuf *out)
{
	unsigned char a[16];

	if (!gri_ip6(in, strlen(in), a))
		return GR_PE_INVALID;
	gri_fmt_ip6(a, out);
	return GR_PE_OK;
}

/* Always "net/len", /32 included. */
enum gr_perr gri_parse_ip4_prefix(const struct gr_type *t, const char *in,
				  struct strbuf *out)
{
	uint32_t a;
	unsigned len;

	if (!ip4_prefix(in, strlen(in), &a, &len))
		return GR_PE_INVALID;
	gri_fmt_ip4(a, out);
	sb_printf(out, "/%u", len);
	return GR_PE_OK;
}

/* "a", "net/len" (len < 32) or "a-b". */
enum gr_perr gri_parse_ip4_net(const struct gr_type *t, const char *in,
			       struct strbuf *out)
{
	const char *dash = strchr(in, '-');
	uint32_t a;
	unsigned len;

	if (dash)
		return ip4_range(in, dash, out) ? GR_PE_OK : GR_PE_INVALID;
	if (!ip4_prefix(in, strlen(in), &a, &len))
		return GR_PE_INVALID;
	gri_fmt_ip4(a, out);
	if (len < 32)
		sb_printf(out, "/%u", len);
	return GR_PE_OK;
}

/* Always "net/len": a bare address is /128 (as RouterOS exports ::1/128). */
enum gr_perr gri_parse_ip6_net(const struct gr_type *t, const char *in,
			       struct strbuf *out)
{
	const char *sl = strchr(in, '/');
	unsigned char a[16];
	uint64_t len = 128;

	if (sl && !gri_u64(sl + 1, strlen(sl + 1), 128, &len))
		return GR_PE_INVALID;
	if (!gri_ip6(in, sl ? (size_t)(sl - in) : strlen(in), a))
		return GR_PE_INVALID;
	mask_bytes(a, 16, (unsigned)len, false);
	gri_fmt_ip6(a, out);
	sb_printf(out, "/%u", (unsigned)len);
	return GR_PE_OK;
}

enum gr_perr gri_parse_ip4_range(const struct gr_type *t, const char *in,
				 struct strbuf *out)
{
	const char *dash = strchr(in, '-');

	if (dash)
		return ip4_range(in, dash, out) ? GR_PE_OK : GR_PE_INVALID;
	return gri_parse_ip4(t, in, out);
}

static bool port_of(const char *s, uint64_t *port)
{
	return gri_u64(s, strlen(s), 65535, port);
}

/* 1.2.3.4, 1.2.3.4:80, 2001:db8::1, [2001:db8::1]:80. */
enum gr_perr gri_parse_addr_port(const struct gr_type *t, const char *in,
				 struct strbuf *out)
{
	const char *c = strchr(in, ':'), *rb;
	unsigned char a6[16];
	uint32_t a;
	uint64_t port;

	if (in[0] == '[') {
		rb = strchr(in, ']');
		if (!rb || !gri_ip6(in + 1, (size_t)(rb - in - 1), a6) ||
		    (rb[1] && (rb[1] != ':' || !port_of(rb + 2, &port))))
			return GR_PE_INVALID;
		if (rb[1])
			sb_addc(out, '[');
		gri_fmt_ip6(a6, out);
		if (rb[1])
			sb_printf(out, "]:%u", (unsigned)port);
		return GR_PE_OK;
	}
	if (c && strchr(c + 1, ':'))
		return gri_parse_ip6(t, in, out);
	if (!gri_ip4(in, c ? (size_t)(c - in) : strlen(in), &a) ||
	    (c && !port_of(c + 1, &port)))
		return GR_PE_INVALID;
	gri_fmt_ip4(a, out);
	if (c)
		sb_printf(out, ":%u", (unsigned)port);
	return GR_PE_OK;
}

/* ---- ids, MACs, hex ------------------------------------------------------ */

enum gr_perr gri_parse_id(const struct gr_type *t, const char *in,
			  struct strbuf *out)
{
	uint64_t v;

	if (in[0] != '*' || !gri_hex(in + 1, strlen(in + 1), &v))
		return GR_PE_INVALID;
	sb_printf(out, "*%llX", (unsigned long long)v);
	return GR_PE_OK;
}

/* Six groups of 1-2 hex digits split by ':' (or '-'); printed upper-case. */
enum gr_perr gri_parse_mac(const struct gr_type *t, const char *in,
			   struct strbuf *out)
{
	uint64_t b[6];
	const char *p = in;

	for (int i = 0; i < 6; i++) {
		size_t k = strspn(p, "0123456789abcdefABCDEF");

		if (!k || k > 2 || !gri_hex(p, k, &b[i]))
			return GR_PE_INVALID;
		p += k;
		if (i < 5 && *p != ':' && *p != '-')
			return GR_PE_INVALID;
		p += i < 5;
	}
	if (*p)
		return GR_PE_INVALID;
	sb_printf(out, "%02X:%02X:%02X:%02X:%02X:%02X", (unsigned)b[0],
		  (unsigned)b[1], (unsigned)b[2], (unsigned)b[3],
		  (unsigned)b[4], (unsigned)b[5]);
	return GR_PE_OK;
}

/* 0x1818 (any case) or a decimal number; printed lower-case 0x, no zeros. */
enum gr_perr gri_parse_hex(const struct gr_type *t, const char *in,
			   struct strbuf *out)
{
	uint64_t v;
	bool ok;

	if (in[0] == '0' && (in[1] == 'x' || in[1] == 'X'))
		ok = gri_hex(in + 2, strlen(in + 2), &v);
	else
		ok = gri_u64(in, strlen(in), UINT64_MAX, &v);
	if (!ok || (t->max > 0 && v > (uint64_t)t->max))
		return GR_PE_INVALID;
	sb_printf(out, "0x%llx", (unsigned long long)v);
	return GR_PE_OK;
}

/* ---- date-times ---------------------------------------------------------- */

struct dtm {
	unsigned y, mo, d, h, mi, s;
};

static const char *const months[] = { "jan", "feb", "mar", "apr", "may",
	"jun", "jul", "aug", "sep", "oct", "nov", "dec" };

/* s against a pattern: '9' = digit, 'a' = lower-case letter, else literal. */
static bool shape(const char *s, const char *pat)
{
	for (; *pat; s++, pat++) {
		if (*pat == '9' ? !isdigit((unsigned char)*s) :
		    *pat == 'a' ? !islower((unsigned char)*s) : *s != *pat)
			return false;
	}
	return !*s;
}

static unsigned num(const char *s, size_t n)
{
	unsigned v = 0;

	while (n--)
		v = v * 10 + (unsigned)(*s++ - '0');
	return v;
}

static unsigned mdays(unsigned y, unsigned m)
{
	static const unsigned char d[] = { 31, 28, 31, 30, 31, 30, 31, 31,
					   30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return d[m - 1] + (m == 2 && leap);
}

/* v7 "2025-03-04 09:12:44" or v6 "mar/04/2025 09:12:44". */
static bool dt_read(const char *s, struct dtm *t)
{
	const char *hms;

	if (shape(s, "9999-99-99 99:99:99")) {
		t->y = num(s, 4), t->mo = num(s + 5, 2), t->d = num(s + 8, 2);
		hms = s + 11;
	} else if (shape(s, "aaa/99/9999 99:99:99")) {
		t->mo = 0;
		for (unsigned i = 0; i < 12; i++)
			if (memcmp(s, months[i], 3) == 0)
				t->mo = i + 1;
		t->d = num(s + 4, 2), t->y = num(s + 7, 4);
		hms = s + 12;
	} else {
		return false;
	}
	t->h = num(hms, 2), t->mi = num(hms + 3, 2), t->s = num(hms + 6, 2);
	return t->mo >= 1 && t->mo <= 12 && t->d >= 1 &&
	       t->d <= mdays(t->y, t->mo) && t->h < 24 && t->mi < 60 &&
	       t->s < 60;
}

enum gr_perr gri_parse_datetime(const struct gr_type *t, const char *in,
				struct strbuf *out)
{
	struct dtm d;

	if (!dt_read(in, &d))
		return GR_PE_INVALID;
	sb_printf(out, "%04u-%02u-%02u %02u:%02u:%02u", d.y, d.mo, d.d, d.h,
		  d.mi, d.s);
	return GR_PE_OK;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

bool gri_datetime_secs(const char *s, double *out)
{
	struct dtm d;

	if (!dt_read(s, &d))
		return false;
	*out = (double)(days_from_civil(d.y, d.mo, d.d) * 86400 +
			d.h * 3600 + d.mi * 60 + d.s);
	return true;
}

bool gri_ip4_lead(const char *s, double *out)
{
	uint32_t a;

	if (!gri_ip4(s, strcspn(s, ":/-"), &a))
		return false;
	*out = a;
	return true;
}

/* ---- rates --------------------------------------------------------------- */

static const struct {
	uint64_t div;
	const char *unit;
} rate_units[] = {
	{ 1000000000ULL, "G" }, { 1000000ULL, "M" }, { 1000ULL, "k" },
};

/* One decimal, truncated (999999 -> "999.9kbps", never "1000.0kbps"). */
void gr_rate_format(uint64_t bps, struct strbuf *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(rate_units); i++) {
		uint64_t d = rate_units[i].div;

		if (bps < d)
			continue;
		unsigned long long whole = bps / d, tenth = bps % d * 10 / d;

		if (tenth)
			sb_printf(out, "%llu.%llu%sbps", whole, tenth,
				  rate_units[i].unit);
		else
			sb_printf(out, "%llu%sbps", whole, rate_units[i].unit);
		return;
	}
	sb_printf(out, "%llubps", (unsigned long long)bps);
}

bool gri_rate(const char *s, size_t n, uint64_t *bps)
{
	uint64_t whole, fv = 0, fscale = 1, mul = 1, acc = 0;
	size_t i = gri_digits(s, n, &whole), k;

	if (!i)
		return false;
	if (i < n && s[i] == '.') {
		for (k = ++i; i < n && isdigit((unsigned char)s[i]); i++) {
			if (i - k < 9) {
				fv = fv * 10 + (uint64_t)(s[i] - '0');
				fscale *= 10;
			}
		}
		if (i == k)
			return false;
	}
	if (i < n && gri_si_mul(s[i]))
		mul = gri_si_mul(s[i++]);
	if (n - i == 3 && memcmp(s + i, "bps", 3) == 0)
		i += 3;
	if (i != n || !gri_mul_add(&acc, whole, mul) ||
	    !gri_mul_add(&acc, fv * mul / fscale, 1))
		return false;
	*bps = acc;
	return true;
}

/* Read-only rates: input "100k", "10M", "13.2kbps" -> "100kbps" etc. */
enum gr_perr gri_parse_rate(const struct gr_type *t, const char *in,
			    struct strbuf *out)
{
	uint64_t bps;

	if (!gri_rate(in, strlen(in), &bps))
		return GR_PE_INVALID;
	gr_rate_format(bps, out);
	return GR_PE_OK;
}

/* ---- where ... in PREFIX ------------------------------------------------- */

struct span {
	bool v6;
	unsigned char lo[16], hi[16];
};

static bool span_addr(const char *s, size_t n, struct span *sp)
{
	uint32_t a;

	sp->v6 = false;
	if (gri_ip4(s, n, &a)) {
		sp->lo[0] = (unsigned char)(a >> 24);
		sp->lo[1] = (unsigned char)(a >> 16);
		sp->lo[2] = (unsigned char)(a >> 8);
		sp->lo[3] = (unsigned char)a;
	} else if (gri_ip6(s, n, sp->lo)) {
		sp->v6 = true;
	} else {
		return false;
	}
	memcpy(sp->hi, sp->lo, sizeof(sp->lo));
	return true;
}

static size_t span_nb(const struct span *sp)
{
	return sp->v6 ? 16 : 4;
}

/* ip, ip:port, [ip6]:port, ip6, prefix (v4 or v6) or v4 range a-b. */
static bool span_parse(const char *s, struct span *sp)
{
	const char *p;
	unsigned len;
	uint64_t len6;
	struct span b;

	if (s[0] == '[')
		return (p = strchr(s, ']')) && (!p[1] || p[1] == ':') &&
		       span_addr(s + 1, (size_t)(p - s - 1), sp) && sp->v6;
	if ((p = strchr(s, '/'))) {
		if (!span_addr(s, (size_t)(p - s), sp))
			return false;
		if (sp->v6 ? !gri_u64(p + 1, strlen(p + 1), 128, &len6)
			   : !ip4_len(p + 1, strlen(p + 1), &len))
			return false;
		len = sp->v6 ? (unsigned)len6 : len;
		mask_bytes(sp->lo, span_nb(sp), len, false);
		mask_bytes(sp->hi, span_nb(sp), len, true);
		return true;
	}
	if ((p = strchr(s, '-'))) {
		if (!span_addr(s, (size_t)(p - s), sp) ||
		    !span_addr(p + 1, strlen(p + 1), &b) || b.v6 != sp->v6 ||
		    memcmp(sp->lo, b.lo, span_nb(sp)) > 0)
			return false;
		memcpy(sp->hi, b.hi, sizeof(b.hi));
		return true;
	}
	p = strchr(s, ':');
	if (p && !strchr(p + 1, ':'))	/* ip4:port */
		return span_addr(s, (size_t)(p - s), sp) && !sp->v6;
	return span_addr(s, strlen(s), sp);
}

bool gr_value_in(const char *have, const char *prefix)
{
	struct span h, p;

	if (!have || !prefix || !span_parse(have, &h) ||
	    !span_parse(prefix, &p) || h.v6 != p.v6)
		return false;
	return memcmp(h.lo, p.lo, span_nb(&h)) >= 0 &&
	       memcmp(h.hi, p.hi, span_nb(&h)) <= 0;
}

/* ---- the shared types ---------------------------------------------------- */

const struct gr_type gr_t_string = { .name = "string", .kind = GK_STRING };
const struct gr_type gr_t_name = { .name = "name", .kind = GK_NAME };
const struct gr_type gr_t_mark = { .name = "mark name or number",
				   .kind = GK_NAME, .num_alias = 1 };
const struct gr_type gr_t_bool = { .name = "yes | no", .kind = GK_BOOL };
const struct gr_type gr_t_duration = { .name = "time", .kind = GK_DURATION };
const struct gr_type gr_t_u32 = { .name = "integer", .kind = GK_INT,
	.min = 0, .max = 4294967295LL };
const struct gr_type gr_t_u64 = { .name = "integer", .kind = GK_INT,
	.min = 0, .max = INT64_MAX };
const struct gr_type gr_t_ip4 = { .name = "IP address", .kind = GK_IP4 };
const struct gr_type gr_t_ip4_prefix = { .name = "IP prefix",
	.kind = GK_IP4_PREFIX };
const struct gr_type gr_t_ip4_net = {
	.name = "IP address | IP prefix | IP range", .kind = GK_IP4_NET };
const struct gr_type gr_t_ip6_net = { .name = "IPv6 address | IPv6 prefix",
	.kind = GK_IP6_NET };
const struct gr_type gr_t_ip4_range = { .name = "IP address | IP range",
	.kind = GK_IP4_RANGE };
const struct gr_type gr_t_addr_port = { .name = "IP address[:port]",
	.kind = GK_ADDR_PORT };
const struct gr_type gr_t_ports = { .name = "port list", .kind = GK_PORTS,
	.min = 0, .max = 65535 };
const struct gr_type gr_t_id = { .name = "id", .kind = GK_ID };
const struct gr_type gr_t_mac = { .name = "MAC address", .kind = GK_MAC };
const struct gr_type gr_t_datetime = { .name = "date-time",
	.kind = GK_DATETIME };
const struct gr_type gr_t_rate = { .name = "rate", .kind = GK_RATE };
const struct gr_type gr_t_port_range = { .name = "port | port-port",
	.kind = GK_INT_RANGE, .min = 0, .max = 65535 };
const struct gr_type gr_t_hex = { .name = "hex number", .kind = GK_HEX };

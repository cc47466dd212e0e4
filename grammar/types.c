/*
 * Value types: parse dispatch, ordering, equality, durations, rates,
 * quoting, and the scalar kinds (int, int range, ports, bool, enum, list).
 * Address and misc kinds live in types_common.c, firewall syntaxes in
 * types_fw.c. No I/O.
 */
#include "types.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "types_impl.h"

/* ---- quoting ------------------------------------------------------------ */

/* ASCII only, whatever the locale. */
static bool word_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("._-/:,!*@+", c));
}

void gr_quote(struct strbuf *out, const char *s, bool force)
{
	static const char from[] = "\"\\$\n\r\t";
	static const char to[] = "\"\\$nrt";
	const unsigned char *p;
	bool bare = !force && *s;

	for (p = (const unsigned char *)s; bare && *p; p++)
		bare = word_safe(*p);
	if (bare) {
		sb_adds(out, s);
		return;
	}
	sb_addc(out, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		const char *e = strchr(from, *p);

		if (e) {
			sb_addc(out, '\\');
			sb_addc(out, to[e - from]);
		} else if (*p < 0x20 || *p == 0x7f) {
			sb_printf(out, "\\%02X", *p);
		} else {
			sb_addc(out, (char)*p);
		}
	}
	sb_addc(out, '"');
}

/* ---- small slice helpers ------------------------------------------------- */

const char *gri_chr(const char *s, size_t n, char c)
{
	return n ? memchr(s, c, n) : NULL;
}

size_t gri_nsyms(const char *const *syms)
{
	size_t n = 0;

	while (syms && syms[n])
		n++;
	return n;
}

/* Leading decimal digits of s[0..n) into *v; count used, 0 on none/overflow. */
size_t gri_digits(const char *s, size_t n, uint64_t *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n && isdigit((unsigned char)s[i]); i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (*v > (UINT64_MAX - d) / 10)
			return 0;
		*v = *v * 10 + d;
	}
	return i;
}

bool gri_u64(const char *s, size_t n, uint64_t max, uint64_t *v)
{
	return n && gri_digits(s, n, v) == n && *v <= max;
}

bool gri_mul_add(uint64_t *acc, uint64_t v, uint64_t mul)
{
	if (mul && v > UINT64_MAX / mul)
		return false;
	v *= mul;
	if (*acc > UINT64_MAX - v)
		return false;
	*acc += v;
	return true;
}

/* k, M, G multipliers (decimal, as RouterOS rates); 1 when none. */
uint64_t gri_si_mul(char c)
{
	switch (c) {
	case 'k': case 'K': return 1000ULL;
	case 'M': return 1000000ULL;
	case 'G': return 1000000000ULL;
	default: return 0;
	}
}

bool gri_u64_si(const char *s, size_t n, uint64_t max, uint64_t *v)
{
	uint64_t mul = n ? gri_si_mul(s[n - 1]) : 0, x, acc = 0;

	if (mul)
		n--;
	else
		mul = 1;
	if (!gri_u64(s, n, UINT64_MAX, &x) || !gri_mul_add(&acc, x, mul))
		return false;
	*v = acc;
	return acc <= max;
}

bool gri_hex(const char *s, size_t n, uint64_t *v)
{
	*v = 0;
	if (!n || n > 16)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return false;
		char c = (char)tolower((unsigned char)s[i]);
		*v = *v << 4 | (uint64_t)(isdigit((unsigned char)c) ? c - '0'
						 : c - 'a' + 10);
	}
	return true;
}

enum gr_perr gri_word(const char *s, size_t n, const char *const *syms,
		      size_t *idx)
{
	if (!n || !syms)
		return GR_PE_NOMATCH;
	switch (gr_match(s, n, syms, gri_nsyms(syms), idx)) {
	case GR_M_OK:
		return GR_PE_OK;
	case GR_M_AMBIGUOUS:
		return GR_PE_AMBIG;
	default:
		return GR_PE_NOMATCH;
	}
}

/* ---- durations ----------------------------------------------------------- */

static const struct dur_unit {
	const char *name;
	uint64_t ms;
} dur_units[] = {
	{ "w", 604800000ULL }, { "d", 86400000ULL }, { "h", 3600000ULL },
	{ "m", 60000ULL }, { "s", 1000ULL }, { "ms", 1ULL },
};

void gr_duration_format(uint64_t ms, struct strbuf *out)
{
	if (!ms) {
		sb_adds(out, "0s");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(dur_units); i++) {
		uint64_t q = ms / dur_units[i].ms;

		if (!q)
			continue;
		sb_printf(out, "%llu%s", (unsigned long long)q,
			  dur_units[i].name);
		ms -= q * dur_units[i].ms;
	}
}

/* Digits after a '.', as milliseconds (truncated); count used. */
static size_t frac_ms(const char *s, size_t n, uint64_t *ms)
{
	uint64_t scale = 100;
	size_t i;

	*ms = 0;
	for (i = 0; i < n && isdigit((unsigned char)s[i]); i++) {
		*ms += (uint64_t)(s[i] - '0') * scale;
		scale /= 10;
	}
	return i;
}

/* The ":MM:SS[.fff]" tail of a clock form whose hours were h. */
static bool dur_clock(uint64_t h, const char *s, size_t n, uint64_t *ms)
{
	uint64_t m, sec, f = 0;
	size_t i = 1, k;

	k = gri_digits(s + i, n - i, &m);
	if (!k || k > 2 || m > 59)
		return false;
	i += k;
	if (i >= n || s[i] != ':')
		return false;
	i++;
	k = gri_digits(s + i, n - i, &sec);
	if (!k || k > 2 || sec > 59)
		return false;
	i += k;
	if (i < n && s[i] == '.') {
		k = frac_ms(s + i + 1, n - i - 1, &f);
		if (!k)
			return false;
		i += 1 + k;
	}
	*ms = 0;
	return i == n && gri_mul_add(ms, h, 3600000ULL) &&
	       gri_mul_add(ms, m * 60 + sec, 1000) && gri_mul_add(ms, f, 1);
}

/* Unit at s ("ms" before "m"); its length in *len, NULL if none. */
static const struct dur_unit *dur_unit_at(const char *s, size_t n,
					  size_t *len)
{
	if (n >= 2 && s[0] == 'm' && s[1] == 's') {
		*len = 2;
		return &dur_units[5];
	}
	for (size_t i = 0; n && i < 5; i++) {
		if (s[0] == dur_units[i].name[0]) {
			*len = 1;
			return &dur_units[i];
		}
	}
	return NULL;
}

bool gri_dur(const char *s, size_t n, uint64_t *ms)
{
	uint64_t acc = 0;
	size_t i = 0;

	if (!n)
		return false;
	while (i < n) {
		uint64_t v, f = 0, part;
		size_t k = gri_digits(s + i, n - i, &v), len;
		bool first = i == 0, frac = false;
		const struct dur_unit *u;

		if (!k)
			return false;
		i += k;
		if (i < n && s[i] == ':') {	/* [NwNd]HH:MM:SS[.fff] */
			if (!dur_clock(v, s + i, n - i, &part) ||
			    !gri_mul_add(&acc, part, 1))
				return false;
			break;
		}
		if (i < n && s[i] == '.') {
			k = frac_ms(s + i + 1, n - i - 1, &f);
			if (!k)
				return false;
			i += 1 + k;
			frac = true;
		}
		if (i == n) {	/* a bare number is seconds (whole input) */
			if (!first || !gri_mul_add(&acc, v, 1000) ||
			    !gri_mul_add(&acc, f, 1))
				return false;
			break;
		}
		u = dur_unit_at(s + i, n - i, &len);
		if (!u || (frac && u->ms != 1000) || !gri_mul_add(&acc, v, u->ms) ||
		    !gri_mul_add(&acc, f, 1))
			return false;
		i += len;
	}
	*ms = acc;
	return true;
}

bool gr_duration_parse(const char *s, uint64_t *ms)
{
	return gri_dur(s, strlen(s), ms);
}

/* ---- integers ------------------------------------------------------------ */

/* [min,max] of an integer type; min == max == 0 means 0..INT64_MAX. */
static void int_bounds(const struct gr_type *t, int64_t *lo, int64_t *hi)
{
	*lo = t->min;
	*hi = t->max;
	if (!t->min && !t->max)
		*hi = INT64_MAX;
}

/* Decimal (or 0x hex) integer, optional '-', within the type's bounds. */
static bool read_int(const struct gr_type *t, const char *s, size_t n,
		     int64_t *v)
{
	bool neg = n && s[0] == '-';
	int64_t lo, hi;
	uint64_t u;

	if (neg) {
		s++;
		n--;
	}
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (!gri_hex(s + 2, n - 2, &u))
			return false;
	} else if (!gri_u64(s, n, UINT64_MAX, &u)) {
		return false;
	}
	if (u > (uint64_t)INT64_MAX + neg)
		return false;
	*v = neg ? (int64_t)(0 - u) : (int64_t)u;
	int_bounds(t, &lo, &hi);
	return *v >= lo && *v <= hi;
}

static enum gr_perr parse_int(const struct gr_type *t, const char *in,
			      struct strbuf *out)
{
	int64_t v;

	if (!read_int(t, in, strlen(in), &v))
		return GR_PE_INVALID;
	sb_printf(out, "%lld", (long long)v);
	return GR_PE_OK;
}

/* N or A-B (A <= B) in s[0..n); canonical appended. */
static bool int_range(const struct gr_type *t, const char *s, size_t n,
		      struct strbuf *out)
{
	const char *dash = n > 1 ? gri_chr(s + 1, n - 1, '-') : NULL;
	int64_t a, b;

	if (!dash) {
		if (!read_int(t, s, n, &a))
			return false;
		sb_printf(out, "%lld", (long long)a);
		return true;
	}
	if (!read_int(t, s, (size_t)(dash - s), &a) ||
	    !read_int(t, dash + 1, n - (size_t)(dash + 1 - s), &b) || a > b)
		return false;
	sb_printf(out, "%lld-%lld", (long long)a, (long long)b);
	return true;
}

static enum gr_perr parse_int_range(const struct gr_type *t, const char *in,
				    struct strbuf *out)
{
	return int_range(t, in, strlen(in), out) ? GR_PE_OK : GR_PE_INVALID;
}

static enum gr_perr parse_ports(const struct gr_type *t, const char *in,
				struct strbuf *out)
{
	struct gr_type pt = *t;
	const char *p = in;

	if (!pt.min && !pt.max)
		pt.max = 65535;
	for (;;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);

		if (!n || !int_range(&pt, p, n, out))
			return GR_PE_INVALID;
		if (!c)
			return GR_PE_OK;
		sb_addc(out, ',');
		p = c + 1;
	}
}

/* ---- words --------------------------------------------------------------- */

/* Free text; t->max, when set, is the longest text (log-prefix: 31). */
static enum gr_perr parse_string(const struct gr_type *t, const char *in,
				 struct strbuf *out)
{
	if (t->max > 0 && strlen(in) > (size_t)t->max)
		return GR_PE_INVALID;
	sb_adds(out, in);
	return GR_PE_OK;
}

static enum gr_perr parse_name(const struct gr_type *t, const char *in,
			       struct strbuf *out)
{
	if (!*in)
		return GR_PE_INVALID;
	sb_adds(out, in);
	return GR_PE_OK;
}

static enum gr_perr parse_bool(const struct gr_type *t, const char *in,
			       struct strbuf *out)
{
	static const char *const words[] = { "yes", "no", "true", "false",
					     NULL };
	size_t i;
	enum gr_perr rc = gri_word(in, strlen(in), words, &i);

	if (rc == GR_PE_OK)
		sb_adds(out, i % 2 ? "no" : "yes");
	return rc;
}

static enum gr_perr parse_enum(const struct gr_type *t, const char *in,
			       struct strbuf *out)
{
	size_t i;
	enum gr_perr rc = gri_word(in, strlen(in), t->syms, &i);

	if (rc == GR_PE_OK)
		sb_adds(out, t->syms[i]);
	return rc;
}

/* One element of an enum list; marks it in seen[] (duplicates invalid). */
static enum gr_perr list_elem(const struct gr_type *t, const char *s,
			      size_t n, unsigned char *seen,
			      struct strbuf *out)
{
	bool neg = t->elem_neg && n && s[0] == '!';
	size_t i;
	enum gr_perr rc;

	if (n == (size_t)neg)
		return GR_PE_INVALID;
	rc = gri_word(s + neg, n - neg, t->syms, &i);
	if (rc != GR_PE_OK)
		return rc;
	if (seen[i]++)
		return GR_PE_INVALID;
	sb_printf(out, "%s%s", neg ? "!" : "", t->syms[i]);
	return GR_PE_OK;
}

/* An empty input is the empty list (canonical ""). */
static enum gr_perr parse_enum_list(const struct gr_type *t, const char *in,
				    struct strbuf *out)
{
	unsigned char *seen = xcalloc(gri_nsyms(t->syms) + 1, 1);
	enum gr_perr rc = GR_PE_OK;
	const char *p = in;

	while (*in && rc == GR_PE_OK) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);

		if (p != in)
			sb_addc(out, ',');
		rc = list_elem(t, p, n, seen, out);
		if (!c)
			break;
		p = c + 1;
	}
	free(seen);
	return rc;
}

/* ---- dispatch ------------------------------------------------------------ */

static enum gr_perr parse_duration(const struct gr_type *t, const char *in,
				   struct strbuf *out)
{
	uint64_t ms;

	if (!gr_duration_parse(in, &ms) || (t->max > 0 && ms > (uint64_t)t->max))
		return GR_PE_INVALID;
	gr_duration_format(ms, out);
	return GR_PE_OK;
}

static enum gr_perr parse_custom(const struct gr_type *t, const char *in,
				 struct strbuf *out)
{
	return t->parse ? t->parse(t, in, out) : GR_PE_INVALID;
}

static const gr_parse_fn kind_parsers[] = {
	[GK_STRING] = parse_string,		[GK_NAME] = parse_name,
	[GK_BOOL] = parse_bool,			[GK_INT] = parse_int,
	[GK_INT_RANGE] = parse_int_range,	[GK_DURATION] = parse_duration,
	[GK_IP4] = gri_parse_ip4,		[GK_IP6] = gri_parse_ip6,
	[GK_IP4_PREFIX] = gri_parse_ip4_prefix,
	[GK_IP4_NET] = gri_parse_ip4_net,	[GK_IP6_NET] = gri_parse_ip6_net,
	[GK_IP4_RANGE] = gri_parse_ip4_range,
	[GK_ADDR_PORT] = gri_parse_addr_port,	[GK_PORTS] = parse_ports,
	[GK_ENUM] = parse_enum,			[GK_ENUM_LIST] = parse_enum_list,
	[GK_ID] = gri_parse_id,			[GK_MAC] = gri_parse_mac,
	[GK_DATETIME] = gri_parse_datetime,	[GK_RATE] = gri_parse_rate,
	[GK_HEX] = gri_parse_hex,		[GK_CUSTOM] = parse_custom,
};

enum gr_perr gr_value_parse(const struct gr_type *t, const char *in,
			    struct strbuf *out)
{
	size_t mark = out->len;
	enum gr_perr rc = GR_PE_INVALID;

	for (size_t i = 0; t->alt && t->alt[i]; i++) {
		if (strcmp(in, t->alt[i]) == 0) {
			sb_adds(out, in);
			return GR_PE_OK;
		}
	}
	if ((size_t)t->kind < ARRAY_SIZE(kind_parsers) &&
	    kind_parsers[t->kind])
		rc = kind_parsers[t->kind](t, in, out);
	if (rc != GR_PE_OK && out->buf) {	/* leave out as it was */
		out->len = mark;
		out->buf[mark] = '\0';
	}
	return rc;
}

const struct gr_type gr_t_name_list = { .name = "name[,name...]",
	.kind = GK_NAME, .empty_none = 1 };
const struct gr_type gr_t_al_timeout = { .name = "time",
	.kind = GK_DURATION, .max = GR_MAX_TIMEOUT_MS };

/* ---- ordering and equality ----------------------------------------------- */

static bool lead_number(const char *s, double *out)
{
	char *end;

	if (!isdigit((unsigned char)s[s[0] == '-']))
		return false;
	*out = strtod(s, &end);
	return end != s;
}

bool gr_value_num(const struct gr_type *t, const char *canon, double *out)
{
	uint64_t u;

	if (!t || !canon)
		return false;
	switch (t->kind) {
	case GK_INT: case GK_INT_RANGE: case GK_PORTS:
		return lead_number(canon, out);
	case GK_DURATION:
		if (!gr_duration_parse(canon, &u))
			return false;
		*out = (double)u;
		return true;
	case GK_RATE:
		if (!gri_rate(canon, strlen(canon), &u))
			return false;
		*out = (double)u;
		return true;
	case GK_IP4: case GK_IP4_PREFIX: case GK_IP4_NET: case GK_IP4_RANGE:
	case GK_ADDR_PORT:
		return gri_ip4_lead(canon, out);
	case GK_DATETIME:
		return gri_datetime_secs(canon, out);
	case GK_ID: case GK_HEX: {
		size_t skip = t->kind == GK_ID ? 1 : 2;

		if (strlen(canon) <= skip ||
		    !gri_hex(canon + skip, strlen(canon) - skip, &u))
			return false;
		*out = (double)u;
		return true;
	}
	default:
		return false;
	}
}

/* A number in decimal or hex (base 0, as nft_marks.c reads mark names). */
static bool num_u32(const char *s, unsigned long long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	*v = strtoull(s, &end, 0);
	return !*end && *v <= UINT32_MAX;
}

bool gr_value_eq(const struct gr_type *t, const char *have, const char *want)
{
	unsigned long long a, b;

	if (!have || !want)
		return false;
	if (strcmp(have, want) == 0)
		return true;
	return t->num_alias && num_u32(have, &a) && num_u32(want, &b) && a == b;
}

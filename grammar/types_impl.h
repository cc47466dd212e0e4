/*
 * Private helpers shared by types.c, types_common.c and types_fw.c.
 * Not part of the grammar API: include only from those files.
 * Every parser takes a slice (s, n): firewall syntaxes split their input on
 * ',', '/', ':' and '-' and reuse the scalar parsers on the pieces.
 */
#ifndef ROSH_TYPES_IMPL_H
#define ROSH_TYPES_IMPL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"
#include "types.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Leading decimal digits into *v; count used, 0 on none or overflow. */
size_t gri_digits(const char *s, size_t n, uint64_t *v);
/* *acc += v * mul; false on overflow. */
bool gri_mul_add(uint64_t *acc, uint64_t v, uint64_t mul);
/* k/K, M, G -> 1000, 1e6, 1e9; 0 for any other character. */
uint64_t gri_si_mul(char c);
/* Decimal digits only (no sign, no spaces), non-empty, value <= max. */
bool gri_u64(const char *s, size_t n, uint64_t max, uint64_t *v);
/* Decimal integer with an optional k/M/G (x1000) suffix, <= max. */
bool gri_u64_si(const char *s, size_t n, uint64_t max, uint64_t *v);
/* 1..16 hex digits (no 0x). */
bool gri_hex(const char *s, size_t n, uint64_t *v);
/* Duration slice, same syntax as gr_duration_parse. */
bool gri_dur(const char *s, size_t n, uint64_t *ms);
/* Rate slice: 13200, 100k, 13.2kbps, 4.8M, 0bps -> bits per second. */
bool gri_rate(const char *s, size_t n, uint64_t *bps);
/* Find the first c in s[0..n), or NULL. */
const char *gri_chr(const char *s, size_t n, char c);
/* Number of entries of a NULL-terminated word table. */
size_t gri_nsyms(const char *const *syms);
/* gr_match over a NULL-terminated table, mapped to a gr_perr. */
enum gr_perr gri_word(const char *s, size_t n, const char *const *syms,
		      size_t *idx);

/* IPv4 with short forms (10.1 = 10.0.0.1, a.b.c = a.b.0.c). */
bool gri_ip4(const char *s, size_t n, uint32_t *a);
bool gri_ip6(const char *s, size_t n, unsigned char a[16]);
void gri_fmt_ip4(uint32_t a, struct strbuf *out);
void gri_fmt_ip6(const unsigned char a[16], struct strbuf *out);

/* Kind parsers living in types_common.c (dispatched from types.c). */
enum gr_perr gri_parse_ip4(const struct gr_type *t, const char *in,
			   struct strbuf *out);
enum gr_perr gri_parse_ip6(const struct gr_type *t, const char *in,
			   struct strbuf *out);
enum gr_perr gri_parse_ip4_prefix(const struct gr_type *t, const char *in,
				  struct strbuf *out);
enum gr_perr gri_parse_ip4_net(const struct gr_type *t, const char *in,
			       struct strbuf *out);
enum gr_perr gri_parse_ip6_net(const struct gr_type *t, const char *in,
			       struct strbuf *out);
enum gr_perr gri_parse_ip4_range(const struct gr_type *t, const char *in,
				 struct strbuf *out);
enum gr_perr gri_parse_addr_port(const struct gr_type *t, const char *in,
				 struct strbuf *out);
enum gr_perr gri_parse_id(const struct gr_type *t, const char *in,
			  struct strbuf *out);
enum gr_perr gri_parse_mac(const struct gr_type *t, const char *in,
			   struct strbuf *out);
enum gr_perr gri_parse_datetime(const struct gr_type *t, const char *in,
				struct strbuf *out);
enum gr_perr gri_parse_rate(const struct gr_type *t, const char *in,
			    struct strbuf *out);
enum gr_perr gri_parse_hex(const struct gr_type *t, const char *in,
			   struct strbuf *out);

/* "YYYY-MM-DD HH:MM:SS" -> seconds since the epoch, read as UTC. */
bool gri_datetime_secs(const char *s, double *out);
/* The leading IPv4 address of ip, ip:port, a/len or a-b, as a number. */
bool gri_ip4_lead(const char *s, double *out);

#endif

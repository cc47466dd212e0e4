/*
 * /ip firewall connection tracking and /ip settings over /proc/sys of the
 * current network namespace (/proc/sys/net follows the reader's netns).
 * Each property is a row: where it lives and how its text converts.
 *
 * Per-interface settings (net/ipv4/conf/X, net/ipv4/neigh/X): the kernel
 * combines `all` with each interface's own value (include/linux/
 * inetdevice.h): rp_filter uses max(all, iface); send_redirects and
 * secure_redirects all || iface; accept_source_route all && iface;
 * accept_redirects all && iface on a forwarding interface, else ||.
 * `set` therefore writes all, default (for interfaces created later) and
 * every existing interface, so the value set is the value in force
 * everywhere. `print` shows the setting as in force on at least one
 * interface: the max over all and the interfaces for rp-filter, the
 * combination above for the yes/no ones. After a rosh set, all agree.
 * neigh has no `all`: print shows the largest value of default and the
 * interfaces; set writes them all.
 *
 * Turning ip-forward on or off makes the kernel reset accept_redirects
 * everywhere (to no when forwarding, yes when not); print shows that.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../grammar/menus.h"
#include "../grammar/types.h"
#include "backend.h"
#include "ct_enable.h"
#include "neigh.h"

#define SC_ROOT "/proc/sys/"
#define SC_VAL 64

enum sc_kind {
	SC_SECS,	/* duration <-> whole seconds */
	SC_MSECS,	/* duration <-> milliseconds */
	SC_BOOL,	/* yes/no <-> 1/0; any non-zero reads yes */
	SC_UINT,	/* decimal as is */
	SC_HEX,		/* 0x1818 <-> 6168 */
	SC_ENUM,	/* syms[kernel value] */
	SC_ENABLED,	/* enabled: the rosh_ct nft table */
	SC_ACTIVE4, SC_ACTIVE6,
	SC_FASTPATH,	/* allow-fast-path */
};

enum sc_scope {
	SS_ONE,		/* path is one file */
	SS_CONF_MAX,	/* net/ipv4/conf/{all,default,IFACE}/path */
	SS_CONF_OR,
	SS_CONF_AND,
	SS_CONF_RXREDIR,	/* AND when forwarding, else OR */
	SS_NEIGH,	/* net/ipv4/neigh/{default,IFACE}/path */
	SS_NTBL,	/* one file; where it is missing (not the initial
			 * namespace), the ARP table's thresh3 (rtnetlink) */
};

struct sc_row {
	enum gr_menu_id menu;
	unsigned prop;
	enum sc_kind kind;
	enum sc_scope scope;
	const char *path;
	const char *const *syms;	/* SC_ENUM, indexed by kernel value */
	bool ro;
	const char *mirror;		/* written too (same value) */
	const char *refused;		/* why the kernel refuses a write */
};

static const char *const rp_syms[] = { "no", "strict", "loose", NULL };
/* tcp_timestamps: 1 = RFC 1323 with a random offset per connection,
 * 2 = without offsets (ip-sysctl.rst). */
static const char *const ts_syms[] = {
	"disabled", "random-offset", "enabled", NULL
};

#define NF "net/netfilter/nf_conntrack_"
#define TRK(p, k, path) { GMI_CONN_TRACKING, p, k, SS_ONE, NF path, NULL, false, NULL, NULL }
#define IPS(p, k, sc, path) { GMI_IP_SETTINGS, p, k, sc, path, NULL, false, NULL, NULL }
#define INITNS "can only be changed in the initial network namespace"

static const struct sc_row rows[] = {
	{ GMI_CONN_TRACKING, TRK_ENABLED, SC_ENABLED, SS_ONE, NULL, NULL, false, NULL, NULL },
	{ GMI_CONN_TRACKING, TRK_ACTIVE_IPV4, SC_ACTIVE4, SS_ONE, NULL, NULL, true, NULL, NULL },
	{ GMI_CONN_TRACKING, TRK_ACTIVE_IPV6, SC_ACTIVE6, SS_ONE, NULL, NULL, true, NULL, NULL },
	TRK(TRK_TCP_SYN_SENT_TIMEOUT, SC_SECS, "tcp_timeout_syn_sent"),
	TRK(TRK_TCP_SYN_RECEIVED_TIMEOUT, SC_SECS, "tcp_timeout_syn_recv"),
	TRK(TRK_TCP_ESTABLISHED_TIMEOUT, SC_SECS, "tcp_timeout_established"),
	TRK(TRK_TCP_FIN_WAIT_TIMEOUT, SC_SECS, "tcp_timeout_fin_wait"),
	TRK(TRK_TCP_CLOSE_WAIT_TIMEOUT, SC_SECS, "tcp_timeout_close_wait"),
	TRK(TRK_TCP_LAST_ACK_TIMEOUT, SC_SECS, "tcp_timeout_last_ack"),
	TRK(TRK_TCP_TIME_WAIT_TIMEOUT, SC_SECS, "tcp_timeout_time_wait"),
	TRK(TRK_TCP_CLOSE_TIMEOUT, SC_SECS, "tcp_timeout_close"),
	TRK(TRK_TCP_MAX_RETRANS_TIMEOUT, SC_SECS, "tcp_timeout_max_retrans"),
	TRK(TRK_TCP_UNACKED_TIMEOUT, SC_SECS, "tcp_timeout_unacknowledged"),
	TRK(TRK_LOOSE_TCP_TRACKING, SC_BOOL, "tcp_loose"),
	TRK(TRK_LIBERAL_TCP_TRACKING, SC_BOOL, "tcp_be_liberal"),
	TRK(TRK_UDP_TIMEOUT, SC_SECS, "udp_timeout"),
	TRK(TRK_UDP_STREAM_TIMEOUT, SC_SECS, "udp_timeout_stream"),
	/* RouterOS's icmp-timeout covers ICMPv6 as well */
	{ GMI_CONN_TRACKING, TRK_ICMP_TIMEOUT, SC_SECS, SS_ONE,
	  NF "icmp_timeout", NULL, false, NF "icmpv6_timeout", NULL },
	TRK(TRK_GENERIC_TIMEOUT, SC_SECS, "generic_timeout"),
	/* orig/repl-packets and -bytes of entries created while it is on */
	TRK(TRK_ACCOUNTING, SC_BOOL, "acct"),
	/* global; read-only (0444) inside other namespaces */
	{ GMI_CONN_TRACKING, TRK_MAX_ENTRIES, SC_UINT, SS_ONE, NF "max",
	  NULL, false, NULL, INITNS },
	{ GMI_CONN_TRACKING, TRK_TOTAL_ENTRIES, SC_UINT, SS_ONE, NF "count",
	  NULL, true, NULL, NULL },

	IPS(IPS_IP_FORWARD, SC_BOOL, SS_ONE, "net/ipv4/ip_forward"),
	IPS(IPS_SEND_REDIRECTS, SC_BOOL, SS_CONF_OR, "send_redirects"),
	IPS(IPS_ACCEPT_SOURCE_ROUTE, SC_BOOL, SS_CONF_AND, "accept_source_route"),
	IPS(IPS_ACCEPT_REDIRECTS, SC_BOOL, SS_CONF_RXREDIR, "accept_redirects"),
	IPS(IPS_SECURE_REDIRECTS, SC_BOOL, SS_CONF_OR, "secure_redirects"),
	{ GMI_IP_SETTINGS, IPS_RP_FILTER, SC_ENUM, SS_CONF_MAX, "rp_filter",
	  rp_syms, false, NULL, NULL },
	/* 2 (cookies always) also reads yes */
	IPS(IPS_TCP_SYNCOOKIES, SC_BOOL, SS_ONE, "net/ipv4/tcp_syncookies"),
	{ GMI_IP_SETTINGS, IPS_TCP_TIMESTAMPS, SC_ENUM, SS_ONE,
	  "net/ipv4/tcp_timestamps", ts_syms, false, NULL, NULL },
	IPS(IPS_ICMP_RATE_LIMIT, SC_UINT, SS_ONE, "net/ipv4/icmp_ratelimit"),
	IPS(IPS_ICMP_RATE_MASK, SC_HEX, SS_ONE, "net/ipv4/icmp_ratemask"),
	IPS(IPS_ARP_TIMEOUT, SC_MSECS, SS_NEIGH, "base_reachable_time_ms"),
	/* The ARP table is global: only the initial namespace has the
	 * sysctl, but any namespace can read the limit in force. */
	{ GMI_IP_SETTINGS, IPS_MAX_NEIGHBOR_ENTRIES, SC_UINT, SS_NTBL,
	  "net/ipv4/neigh/default/gc_thresh3", NULL, false, NULL, INITNS },
	/*
	 * RouterOS's fast path hands packets from driver to driver past its
	 * firewall when nothing needs them; Linux has no such path, so it is
	 * never in force: print says no (the schema's default too, so export
	 * leaves it out). set accepts yes and no and changes nothing, so that
	 * RouterOS exports (which carry allow-fast-path=yes) import. FastTrack,
	 * the fasttrack-connection action, is a separate thing.
	 */
	IPS(IPS_ALLOW_FAST_PATH, SC_FASTPATH, SS_ONE, NULL),
};

static const struct sc_row *row_for(enum gr_menu_id menu, unsigned prop)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].menu == menu && rows[i].prop == prop)
			return &rows[i];
	return NULL;
}

static const char *prop_name(const struct gr_menu *m, unsigned prop)
{
	return prop < m->nprops && m->props[prop].name ? m->props[prop].name
						       : "?";
}

/* ---- files ---- */

/* Read a sysctl (path under /proc/sys) without its newline. */
static int sc_read(const char *path, char *buf, size_t size)
{
	char full[512];
	ssize_t n;
	int fd;

	snprintf(full, sizeof(full), SC_ROOT "%s", path);
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = 0;
	return 0;
}

static int sc_write(const char *path, const char *val)
{
	char full[512];
	size_t len = strlen(val);
	ssize_t n;
	int fd, err;

	snprintf(full, sizeof(full), SC_ROOT "%s", path);
	fd = open(full, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, val, len);
	err = errno;
	close(fd);
	errno = err;
	return n == (ssize_t)len ? 0 : -1;
}

/* The files of a row: one, or all/default/interfaces for conf/neigh. */
struct sc_files {
	char (*path)[256];
	size_t n;
	int all;		/* index of conf/all, or -1 */
	int dflt;		/* index of default, or -1 */
};

static void files_of(const struct sc_row *r, struct sc_files *f)
{
	const char *dir = r->scope == SS_NEIGH ? "net/ipv4/neigh"
					       : "net/ipv4/conf";
	char full[300];
	struct dirent *de;
	DIR *d;

	memset(f, 0, sizeof(*f));
	f->all = f->dflt = -1;
	if (r->scope == SS_ONE || r->scope == SS_NTBL) {
		f->path = xmalloc(sizeof(*f->path));
		snprintf(f->path[0], sizeof(f->path[0]), "%s", r->path);
		f->n = 1;
		return;
	}
	snprintf(full, sizeof(full), SC_ROOT "%s", dir);
	if (!(d = opendir(full)))
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		f->path = xrealloc(f->path, (f->n + 1) * sizeof(*f->path));
		/* interface names are at most IFNAMSIZ */
		snprintf(f->path[f->n], sizeof(f->path[0]), "%s/%.32s/%.64s",
			 dir, de->d_name, r->path);
		if (!strcmp(de->d_name, "all"))
			f->all = (int)f->n;
		else if (!strcmp(de->d_name, "default"))
			f->dflt = (int)f->n;
		f->n++;
	}
	closedir(d);
}

/* ---- reading: kernel text -> canonical text ---- */

/* The value in force on at least one interface (see the top comment). */
static bool combine(const struct sc_row *r, const struct sc_files *f,
		    long *out)
{
	enum sc_scope sc = r->scope;
	char buf[SC_VAL];
	long all = 0, any = 0, v;
	bool seen = false;

	if (f->all >= 0 && sc_read(f->path[f->all], buf, sizeof(buf)) == 0)
		all = atol(buf);
	for (size_t i = 0; i < f->n; i++) {
		if ((int)i == f->all || ((int)i == f->dflt && sc != SS_NEIGH))
			continue;
		if (sc_read(f->path[i], buf, sizeof(buf)) < 0)
			continue;
		v = atol(buf);
		any = !seen || v > any ? v : any;
		seen = true;
	}
	if (!seen && f->all < 0)
		return false;
	if (sc == SS_CONF_RXREDIR)
		sc = sc_read("net/ipv4/ip_forward", buf, sizeof(buf)) == 0 &&
		     atol(buf) ? SS_CONF_AND : SS_CONF_OR;
	if (sc == SS_CONF_AND)
		*out = all && any;
	else
		*out = all > any ? all : any;
	return true;
}

static bool read_raw(const struct sc_row *r, long *v, char *buf)
{
	struct sc_files f;
	bool ok;

	*v = 0;
	if (r->scope == SS_ONE || r->scope == SS_NTBL) {
		if (sc_read(r->path, buf, SC_VAL) == 0) {
			*v = atol(buf);
			return true;
		}
		if (r->scope != SS_NTBL || !ntbl_thresh3(v))
			return false;
		snprintf(buf, SC_VAL, "%ld", *v);
		return true;
	}
	files_of(r, &f);
	ok = combine(r, &f, v);
	free(f.path);
	snprintf(buf, SC_VAL, "%ld", *v);
	return ok;
}

static const char *fmt_duration(char *buf, uint64_t ms)
{
	struct strbuf sb = STRBUF_INIT;

	gr_duration_format(ms, &sb);
	snprintf(buf, SC_VAL, "%s", sb_str(&sb));
	sb_free(&sb);
	return buf;
}

static const char *sc_special(const struct sc_row *r, char *buf)
{
	const char *mode;
	bool v4, v6;

	switch (r->kind) {
	case SC_ENABLED:
		return ct_enable_get(&mode, NULL) < 0 ? NULL : mode;
	case SC_ACTIVE4: case SC_ACTIVE6:
		if (ct_active_get(&v4, &v6, NULL) < 0)
			return NULL;
		return (r->kind == SC_ACTIVE4 ? v4 : v6) ? "yes" : "no";
	default:
		return "no";	/* SC_FASTPATH */
	}
}

static const char *sc_format(const struct sc_row *r, char *buf)
{
	long v;

	if (r->kind >= SC_ENABLED)
		return sc_special(r, buf);
	if (!read_raw(r, &v, buf))
		return NULL;
	switch (r->kind) {
	case SC_SECS: return fmt_duration(buf, (uint64_t)v * 1000);
	case SC_MSECS: return fmt_duration(buf, (uint64_t)v);
	case SC_BOOL: return v ? "yes" : "no";
	case SC_HEX:
		snprintf(buf, SC_VAL, "0x%lx", (unsigned long)v);
		return buf;
	case SC_ENUM:
		for (long i = 0; r->syms[i]; i++)
			if (i == v)
				return r->syms[i];
		return buf;	/* unknown kernel value: show the number */
	default:
		return buf;	/* SC_UINT: the kernel's text */
	}
}

/* ---- the one item ---- */

struct sc_item {
	struct bk_item it;
	const struct gr_menu *m;
	uint64_t done;
	const char *val[64];
	char buf[64][SC_VAL];
};

static const char *sc_get(struct bk_item *it, unsigned prop)
{
	struct sc_item *si = (struct sc_item *)it;
	const struct sc_row *r = row_for(si->m->id, prop);

	if (!r || prop >= 64)
		return NULL;
	if (!(si->done & (1ull << prop))) {
		si->val[prop] = sc_format(r, si->buf[prop]);
		si->done |= 1ull << prop;
	}
	return si->val[prop];
}

static int sc_iterate(const struct gr_menu *m, const struct bk_cond *hints,
		      size_t nhints, bk_item_cb cb, void *arg,
		      struct bk_err *e)
{
	struct sc_item *si = xcalloc(1, sizeof(*si));
	int rc;

	snprintf(si->it.id, sizeof(si->it.id), "*0");
	si->it.get = sc_get;
	si->it.priv = si;
	si->m = m;
	rc = cb(&si->it, arg);
	free(si);
	return rc < 0 ? rc : 0;
}

/* ---- writing: all or nothing ---- */

struct sc_write {
	const char *name;		/* property, for messages */
	const char *refused;
	char path[256];
	char newv[SC_VAL], oldv[SC_VAL];
};

struct sc_plan {
	struct sc_write *w;
	size_t n;
	const char *enable;		/* enabled= to apply last, or NULL */
};

/* Canonical text -> the kernel's text. */
static int to_kernel(const struct sc_row *r, const char *name, const char *v,
		     char *out, struct bk_err *e)
{
	uint64_t ms;
	char *end;
	unsigned long n;

	switch (r->kind) {
	case SC_SECS: case SC_MSECS:
		if (!gr_duration_parse(v, &ms))
			break;
		if (r->kind == SC_SECS && ms % 1000)
			return bk_fail(e, "%s must be whole seconds",
				       name);
		snprintf(out, SC_VAL, "%llu", (unsigned long long)
			 (r->kind == SC_SECS ? ms / 1000 : ms));
		return 0;
	case SC_BOOL:
		if (strcmp(v, "yes") && strcmp(v, "no"))
			break;
		snprintf(out, SC_VAL, "%d", !strcmp(v, "yes"));
		return 0;
	case SC_UINT: case SC_HEX:
		errno = 0;
		n = strtoul(v, &end, r->kind == SC_HEX ? 0 : 10);
		if (*v == '-' || !*v || *end || errno || n > UINT32_MAX)
			break;
		snprintf(out, SC_VAL, "%lu", n);
		return 0;
	case SC_ENUM:
		for (int i = 0; r->syms[i]; i++)
			if (!strcmp(r->syms[i], v)) {
				snprintf(out, SC_VAL, "%d", i);
				return 0;
			}
		break;
	default:
		break;
	}
	return bk_fail(e, "invalid value for %s", name);
}

static int plan_file(struct sc_plan *p, const struct sc_row *r,
		     const char *name, const char *path, const char *kv,
		     struct bk_err *e)
{
	struct sc_write *w;
	char old[SC_VAL];

	if (sc_read(path, old, sizeof(old)) < 0) {
		if (r->refused)
			return bk_fail(e, "%s %s", name, r->refused);
		return bk_fail(e, "%s: %s", name, strerror(errno));
	}
	p->w = xrealloc(p->w, (p->n + 1) * sizeof(*p->w));
	w = &p->w[p->n++];
	w->name = name;
	w->refused = r->refused;
	snprintf(w->path, sizeof(w->path), "%s", path);
	snprintf(w->newv, sizeof(w->newv), "%s", kv);
	snprintf(w->oldv, sizeof(w->oldv), "%s", old);
	return 0;
}

static int plan_special(struct sc_plan *p, const struct sc_row *r,
			const char *name, const char *v, struct bk_err *e)
{
	if (r->kind == SC_FASTPATH) {	/* nothing to write: see rows[] */
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return bk_fail(e, "invalid value for %s", name);
		return 0;
	}
	if (strcmp(v, "yes") && strcmp(v, "no") && strcmp(v, "auto"))
		return bk_fail(e, "invalid value for %s", name);
	p->enable = v;
	return 0;
}

static int plan_row(struct sc_plan *p, const struct gr_menu *m,
		    const struct bk_setarg *a, struct bk_err *e)
{
	const struct sc_row *r = row_for(m->id, a->prop);
	const char *name = prop_name(m, a->prop);
	char kv[SC_VAL], cur[SC_VAL];
	struct sc_files f;
	int rc = 0;

	if (!r || r->ro)
		return bk_fail(e, "%s is read-only", name);
	if (!a->value)
		return bk_fail(e, "%s cannot be unset", name);
	if (r->kind >= SC_ENABLED)
		return plan_special(p, r, name, a->value, e);
	if (to_kernel(r, name, a->value, kv, e) < 0)
		return -1;
	/* Already so (e.g. tcp_syncookies=2 reads yes): leave it alone. */
	if (r->scope == SS_ONE || r->scope == SS_NTBL) {
		const char *now = sc_format(r, cur);
		if (now && !strcmp(now, a->value))
			return 0;
	}
	files_of(r, &f);
	if (!f.n)
		rc = bk_fail(e, "%s: not available", name);
	for (size_t i = 0; rc == 0 && i < f.n; i++)
		rc = plan_file(p, r, name, f.path[i], kv, e);
	if (rc == 0 && r->mirror)
		rc = plan_file(p, r, name, r->mirror, kv, e);
	free(f.path);
	return rc;
}

/*
 * Undo in reverse order, then once more forwards: restoring ip_forward
 * makes the kernel reset every accept_redirects, which the second pass
 * puts back.
 */
static void rollback(struct sc_plan *p, size_t done)
{
	for (size_t i = done; i--;)
		sc_write(p->w[i].path, p->w[i].oldv);
	for (size_t i = 0; i < done; i++)
		sc_write(p->w[i].path, p->w[i].oldv);
}

static int run_plan(struct sc_plan *p, struct bk_err *e)
{
	for (size_t i = 0; i < p->n; i++) {
		struct sc_write *w = &p->w[i];
		int err;

		if (sc_write(w->path, w->newv) == 0)
			continue;
		err = errno;
		rollback(p, i);
		if (w->refused && (err == EACCES || err == EPERM))
			return bk_fail(e, "%s %s", w->name,
				       w->refused);
		return bk_fail(e, "%s: %s", w->name, strerror(err));
	}
	if (p->enable) {
		const char *now;

		if (ct_enable_get(&now, e) < 0 ||
		    (strcmp(now, p->enable) && ct_enable_set(p->enable, e) < 0)) {
			rollback(p, p->n);
			return -1;
		}
	}
	return 0;
}

static int sc_set(const struct gr_menu *m, const char *const *ids,
		  size_t nids, const struct bk_setarg *a, size_t n,
		  struct bk_err *e)
{
	struct sc_plan p = { NULL, 0, NULL };
	int rc = 0;

	/* Unknown or read-only properties first: nothing is written then. */
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct sc_row *r = row_for(m->id, a[i].prop);
		if (!r || r->ro)
			rc = bk_fail(e, "%s is read-only",
				     prop_name(m, a[i].prop));
	}
	/*
	 * Writes go in table order, not argument order: ip_forward comes
	 * first because changing it makes the kernel reset accept_redirects
	 * on every interface, and an accept-redirects= in the same command
	 * must win.
	 */
	for (size_t r = 0; rc == 0 && r < sizeof(rows) / sizeof(rows[0]); r++)
		for (size_t i = 0; rc == 0 && i < n; i++)
			if (rows[r].menu == m->id && rows[r].prop == a[i].prop)
				rc = plan_row(&p, m, &a[i], e);
	if (rc == 0)
		rc = run_plan(&p, e);
	free(p.w);
	return rc;
}

const struct bk_ops bk_sysctl_ops = {
	.iterate = sc_iterate,
	.set = sc_set,
};

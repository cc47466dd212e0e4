/*
 * Output of print and export in RouterOS layouts (and JSON for -j). The
 * generic commands feed items one at a time; memory stays bounded: table
 * mode buffers at most OUT_TABLE_PROBE rows to size its columns and legend,
 * then streams with those widths.
 */
#ifndef ROSH_RENDER_H
#define ROSH_RENDER_H
#include <stdbool.h>
#include <stdio.h>

#include "../backend/backend.h"
#include "../grammar/schema.h"

#define OUT_TABLE_PROBE 512

enum out_mode {
	OM_TABLE,	/* v7 table: Flags: legend (present flags only),
			 * Columns: line, header, rows, ";;; comment" lines */
	OM_KV,		/* default print of rule menus and `print detail`:
			 * " 0 X  ;;; comment\n      chain=input action=..." */
	OM_TERSE,	/* " 0 X chain=input action=accept ..." one line */
	OM_VALUE_LIST,	/* "name: value" lines */
	OM_SETTINGS,	/* GM_SINGLE: right-aligned "key: value" */
	OM_AS_VALUE,	/* ".id=*1;chain=input;...;" records, one line each */
	OM_JSON,	/* one JSON array of objects for the whole print */
};

enum out_opts {
	OO_SHOW_IDS = 1u << 0,	/* "*1A" instead of the item number */
	OO_DETAIL = 1u << 1,	/* OM_KV as `print detail`: every set
				 * property incl. read-only ones, text
				 * properties quoted */
	OO_NO_LEGEND = 1u << 2,
};

struct out_print;

/*
 * props/nprops: property indices to show, in order (from proplist= or the
 * menu's columns/defaults); NULL means the mode's default set:
 *  OM_TABLE  the menu's `columns` (for `print stats`, the shell passes
 *            chain,action,bytes,packets);
 *  OM_KV     every non-flag property that is set, in table order, without
 *            GP_HIDDEN ones; read-only ones only with OO_DETAIL;
 *  others    every non-flag property that is set.
 * `width` is the terminal width for wrapping (80 when not a tty).
 */
struct out_print *out_print_new(FILE *fp, const struct gr_menu *m,
				enum out_mode mode, const unsigned *props,
				size_t nprops, unsigned opts, int width);
/* number: the item's print number (ignored with OO_SHOW_IDS). */
void out_print_item(struct out_print *p, long number, struct bk_item *it);
/* Flush, print what an empty result prints, free p. */
void out_print_end(struct out_print *p);

enum out_export_opts {
	OX_VERBOSE = 1u << 0,	/* include defaults (disabled=no ...) */
	OX_TERSE = 1u << 1,	/* full path on each line, no wrapping */
};

/* "# 2026-11-25 10:00:00 by rosh 0.1.0" + "#" lines. */
void out_export_header(FILE *fp);
/* "/ip firewall filter" (spaces, as RouterOS writes section headers). */
void out_export_menu(FILE *fp, const struct gr_menu *m);
/*
 * One "add ..." (GM_LIST) or "set ..." (GM_SINGLE; nothing when no property
 * differs from its default and not verbose) line: writable, exportable
 * properties that are set, sorted alphabetically, `disabled=yes` only when
 * disabled, values quoted only when needed, wrapped near 80 columns with
 * " \" and a 4-space indent. Dynamic items (flag D) are skipped.
 */
void out_export_item(FILE *fp, const struct gr_menu *m, struct bk_item *it,
		     unsigned opts);

/* Backends say "yes" / NULL for flags; "no" is tolerated as unset too. */
bool out_flag_set(const char *v);
/* JSON string escaping, shared with the rest of the shell. */
void out_json_string(FILE *fp, const char *s);

#endif

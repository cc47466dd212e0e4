/*
 * The schema: menus, their properties and commands, as const tables. The
 * parser, validation, completion, '?' help, print, export, where and the
 * docs all read these tables and nothing else.
 */
#ifndef ROSH_SCHEMA_H
#define ROSH_SCHEMA_H
#include <stdbool.h>
#include <stddef.h>

#include "types.h"

enum gr_prop_flags {
	GP_RO = 1u << 0,	/* read-only: printed, never set */
	GP_NEG = 1u << 1,	/* value may carry a whole-value '!' */
	GP_REQ = 1u << 2,	/* required on add */
	GP_FLAG = 1u << 3,	/* bool printed as a flag letter (prop->flag) */
	GP_COL = 1u << 4,	/* default column of the table print */
	GP_NOEXPORT = 1u << 5,	/* never exported (state, counters) */
	GP_ARG = 1u << 6,	/* add-only argument, not stored (place-before) */
	GP_STAT = 1u << 7,	/* counter: `print stats`, a JSON number */
	GP_TEXT = 1u << 8,	/* text: quoted in detail print */
	GP_HIDDEN = 1u << 9,	/* not in default print/detail (only proplist,
				 * where, get, JSON) */
};

struct gr_prop {
	const char *name;		/* RouterOS v7 name */
	const struct gr_type *type;
	unsigned flags;			/* enum gr_prop_flags */
	const char *def;		/* default in canonical text, or NULL */
	char flag;			/* legend letter when GP_FLAG */
	const char *help;		/* one line, for '?' and docs */
};

enum gr_menu_kind {
	GM_DIR,		/* only holds submenus (/ip, /ip/firewall) */
	GM_LIST,	/* items: add/remove/print ... */
	GM_SINGLE,	/* one settings item: print/set/get/export */
};

/* Generic commands; a menu says which it has in `cmds`. */
enum gr_cmd_id {
	GC_PRINT, GC_FIND, GC_GET, GC_SET, GC_UNSET, GC_ADD, GC_REMOVE,
	GC_ENABLE, GC_DISABLE, GC_COMMENT, GC_MOVE, GC_RESET_COUNTERS,
	GC_RESET_COUNTERS_ALL, GC_EXPORT, GC_IMPORT, GC__COUNT
};
#define GC_BIT(c) (1u << (c))

/* Which backend serves a menu (the shell maps ids to backend ops). */
enum gr_menu_id {
	GMI_NONE,
	GMI_CONNECTION, GMI_CONNECTION6,
	GMI_CONN_TRACKING,
	GMI_IP_SETTINGS,
	GMI_FILTER, GMI_NAT, GMI_MANGLE, GMI_RAW,
	GMI_ADDRESS_LIST,
	GMI_IFLIST, GMI_IFLIST_MEMBER,
	GMI__COUNT
};

struct gr_menu {
	const char *path;		/* "/ip/firewall/filter"; root is "/" */
	enum gr_menu_kind kind;
	enum gr_menu_id id;
	const char *help;
	const struct gr_prop *props;	/* props[0..nprops-1], print order; a
					 * row with name == NULL is a hole (the
					 * menu lacks a property of a shared
					 * index space): skip it. A {0} row
					 * follows the last one. */
	size_t nprops;
	unsigned cmds;			/* GC_BIT()s */
	const char *columns;		/* table print columns, "a,b,c"; NULL:
					 * the default print is key=value */
	const char *flag_groups;	/* legend letters in order, groups split
					 * by ';': "XI;D" */
	const char *name_key;		/* property naming items, or NULL */
};

/* All menus, ending with path == NULL; the root "/" is first. */
extern const struct gr_menu gr_menus[];

const struct gr_menu *gr_menu_by_path(const char *path);
const struct gr_menu *gr_menu_by_id(enum gr_menu_id id);
/* Parent path ("/ip/firewall" for "/ip/firewall/filter"; "/" for "/ip"). */
const struct gr_menu *gr_menu_parent(const struct gr_menu *m);
size_t gr_menu_nprops(const struct gr_menu *m);
/* Exact property name lookup; -1 if none. */
int gr_prop_index(const struct gr_menu *m, const char *name);
const struct gr_prop *gr_prop_by_flag(const struct gr_menu *m, char flag);

/* Command names, indexed by enum gr_cmd_id. */
extern const char *const gr_cmd_names[GC__COUNT];
extern const char *const gr_cmd_help[GC__COUNT];

#endif

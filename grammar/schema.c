/* The menu tree: every menu rosh knows, its commands and print layout. */
#include "schema.h"

#include <string.h>

#include "menus.h"

extern const struct gr_prop gr_connection_props[], gr_tracking_props[],
	gr_ip_settings_props[], gr_filter_props[], gr_nat_props[],
	gr_address_list_props[], gr_iflist_props[], gr_iflist_member_props[];

const char *const gr_cmd_names[GC__COUNT] = {
	[GC_PRINT] = "print", [GC_FIND] = "find", [GC_GET] = "get",
	[GC_SET] = "set", [GC_UNSET] = "unset", [GC_ADD] = "add",
	[GC_REMOVE] = "remove", [GC_ENABLE] = "enable",
	[GC_DISABLE] = "disable", [GC_COMMENT] = "comment",
	[GC_MOVE] = "move", [GC_RESET_COUNTERS] = "reset-counters",
	[GC_RESET_COUNTERS_ALL] = "reset-counters-all",
	[GC_EXPORT] = "export", [GC_IMPORT] = "import",
};

const char *const gr_cmd_help[GC__COUNT] = {
	[GC_PRINT] = "Print values of item properties",
	[GC_FIND] = "Find items by value",
	[GC_GET] = "Get value of item's property",
	[GC_SET] = "Change item properties",
	[GC_UNSET] = "Clear a property of items",
	[GC_ADD] = "Create a new item",
	[GC_REMOVE] = "Remove items",
	[GC_ENABLE] = "Enable items",
	[GC_DISABLE] = "Disable items",
	[GC_COMMENT] = "Set comment for items",
	[GC_MOVE] = "Change the order of items",
	[GC_RESET_COUNTERS] = "Reset byte and packet counters of items",
	[GC_RESET_COUNTERS_ALL] = "Reset counters of all items",
	[GC_EXPORT] = "Print or save an export script",
	[GC_IMPORT] = "Run a script file",
};

#define DIR_CMDS (GC_BIT(GC_EXPORT))
#define LIST_CMDS (GC_BIT(GC_PRINT) | GC_BIT(GC_FIND) | GC_BIT(GC_GET) | \
	GC_BIT(GC_SET) | GC_BIT(GC_UNSET) | GC_BIT(GC_ADD) | \
	GC_BIT(GC_REMOVE) | GC_BIT(GC_ENABLE) | GC_BIT(GC_DISABLE) | \
	GC_BIT(GC_COMMENT) | GC_BIT(GC_MOVE) | GC_BIT(GC_EXPORT))
#define RULE_CMDS (LIST_CMDS | GC_BIT(GC_RESET_COUNTERS) | \
	GC_BIT(GC_RESET_COUNTERS_ALL))
#define SINGLE_CMDS (GC_BIT(GC_PRINT) | GC_BIT(GC_GET) | GC_BIT(GC_SET) | \
	GC_BIT(GC_EXPORT))
#define CONN_CMDS (GC_BIT(GC_PRINT) | GC_BIT(GC_FIND) | GC_BIT(GC_GET) | \
	GC_BIT(GC_REMOVE))

#define CONN_COLUMNS "protocol,src-address,dst-address,tcp-state,timeout," \
	"orig-packets,repl-packets,orig-bytes,repl-bytes"
#define PROPS(a, count) .props = (a), .nprops = (count)

const struct gr_menu gr_menus[] = {
	{ "/", GM_DIR, GMI_NONE, "Root menu", .cmds = DIR_CMDS | GC_BIT(GC_IMPORT) },
	{ "/interface", GM_DIR, GMI_NONE, "Interfaces", .cmds = DIR_CMDS },
	{ "/interface/list", GM_LIST, GMI_IFLIST, "Interface lists",
	  PROPS(gr_iflist_props, IFLP__COUNT), .cmds = LIST_CMDS,
	  .columns = "name,include,exclude", .flag_groups = "*D",
	  .name_key = "name" },
	{ "/interface/list/member", GM_LIST, GMI_IFLIST_MEMBER,
	  "Interfaces of interface lists", PROPS(gr_iflist_member_props, IFMP__COUNT),
	  .cmds = LIST_CMDS, .columns = "list,interface", .flag_groups = "XD" },
	{ "/ip", GM_DIR, GMI_NONE, "IPv4 settings", .cmds = DIR_CMDS },
	{ "/ip/firewall", GM_DIR, GMI_NONE, "IPv4 firewall", .cmds = DIR_CMDS },
	{ "/ip/firewall/address-list", GM_LIST, GMI_ADDRESS_LIST,
	  "Firewall address lists", PROPS(gr_address_list_props, ALP__COUNT),
	  .cmds = LIST_CMDS, .columns = "list,address,creation-time,timeout",
	  .flag_groups = "X;D" },
	{ "/ip/firewall/connection", GM_LIST, GMI_CONNECTION,
	  "Connection tracking table", PROPS(gr_connection_props, CTP__COUNT),
	  .cmds = CONN_CMDS, .columns = CONN_COLUMNS,
	  .flag_groups = "E;S;A;C;D;F;H;s;d" },
	{ "/ip/firewall/connection/tracking", GM_SINGLE, GMI_CONN_TRACKING,
	  "Connection tracking settings", PROPS(gr_tracking_props, TRK__COUNT),
	  .cmds = SINGLE_CMDS },
	{ "/ip/firewall/filter", GM_LIST, GMI_FILTER, "Firewall filter rules",
	  PROPS(gr_filter_props, FWP__COUNT), .cmds = RULE_CMDS,
	  .flag_groups = "XI;D" },
	{ "/ip/firewall/nat", GM_LIST, GMI_NAT, "Firewall NAT rules",
	  PROPS(gr_nat_props, FWP__COUNT), .cmds = RULE_CMDS,
	  .flag_groups = "XI;D" },
	{ "/ip/settings", GM_SINGLE, GMI_IP_SETTINGS, "IPv4 kernel settings",
	  PROPS(gr_ip_settings_props, IPS__COUNT), .cmds = SINGLE_CMDS },
	{ "/ipv6", GM_DIR, GMI_NONE, "IPv6 settings", .cmds = DIR_CMDS },
	{ "/ipv6/firewall", GM_DIR, GMI_NONE, "IPv6 firewall", .cmds = DIR_CMDS },
	{ "/ipv6/firewall/connection", GM_LIST, GMI_CONNECTION6,
	  "IPv6 connection tracking table", PROPS(gr_connection_props, CTP__COUNT),
	  .cmds = CONN_CMDS, .columns = CONN_COLUMNS,
	  .flag_groups = "E;S;A;C;D;F;H;s;d" },
	{ NULL, GM_DIR, GMI_NONE, NULL, .cmds = 0 },
};

const struct gr_menu *gr_menu_by_path(const char *path)
{
	for (const struct gr_menu *m = gr_menus; m->path; m++)
		if (strcmp(m->path, path) == 0)
			return m;
	return NULL;
}

const struct gr_menu *gr_menu_by_id(enum gr_menu_id id)
{
	for (const struct gr_menu *m = gr_menus; m->path; m++)
		if (m->id == id && id != GMI_NONE)
			return m;
	return NULL;
}

const struct gr_menu *gr_menu_parent(const struct gr_menu *m)
{
	const char *slash = strrchr(m->path, '/');
	char buf[128];

	if (!slash || slash == m->path)
		return m == gr_menus ? NULL : gr_menus;
	size_t n = (size_t)(slash - m->path);
	if (n >= sizeof(buf))
		return NULL;
	memcpy(buf, m->path, n);
	buf[n] = '\0';
	return gr_menu_by_path(buf);
}

size_t gr_menu_nprops(const struct gr_menu *m)
{
	return m->nprops;
}

int gr_prop_index(const struct gr_menu *m, const char *name)
{
	for (size_t i = 0; i < m->nprops; i++)
		if (m->props[i].name && strcmp(m->props[i].name, name) == 0)
			return (int)i;
	return -1;
}

const struct gr_prop *gr_prop_by_flag(const struct gr_menu *m, char flag)
{
	for (size_t i = 0; i < m->nprops; i++)
		if (m->props[i].name && (m->props[i].flags & GP_FLAG) &&
		    m->props[i].flag == flag)
			return &m->props[i];
	return NULL;
}

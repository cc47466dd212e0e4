/* /ip firewall address-list, /interface list, /interface list member. */
#include "menus.h"
#include "schema.h"

const struct gr_prop gr_address_list_props[ALP__COUNT + 1] = {
	[ALP_DISABLED] = { "disabled", &gr_t_bool, GP_FLAG, "no", 'X',
		"Whether the entry is ignored" },
	[ALP_DYNAMIC] = { "dynamic", &gr_t_bool, GP_FLAG | GP_NOEXPORT, "no", 'D',
		"Entry has a timeout or was added by a rule; not exported" },
	[ALP_LIST] = { "list", &gr_t_name, GP_REQ | GP_COL, NULL, 0,
		"Name of the address list" },
	[ALP_ADDRESS] = { "address", &gr_t_ip4_net, GP_REQ | GP_COL, NULL, 0,
		"Address, prefix or range" },
	[ALP_CREATION_TIME] = { "creation-time", &gr_t_datetime,
		GP_RO | GP_NOEXPORT | GP_COL, NULL, 0, "When the entry was added" },
	[ALP_TIMEOUT] = { "timeout", &gr_t_al_timeout, GP_COL | GP_NOEXPORT, NULL, 0,
		"Time left until the entry is removed" },
	[ALP_COMMENT] = { "comment", &gr_t_string, GP_TEXT, NULL, 0,
		"Short description of the entry" },
	[ALP__COUNT] = { 0 },
};

const struct gr_prop gr_iflist_props[IFLP__COUNT + 1] = {
	[IFLP_BUILTIN] = { "builtin", &gr_t_bool, GP_RO | GP_FLAG | GP_NOEXPORT, NULL, '*',
		"Built-in list (all, none, dynamic, static)" },
	[IFLP_DYNAMIC] = { "dynamic", &gr_t_bool, GP_RO | GP_FLAG | GP_NOEXPORT, NULL, 'D',
		"Created by the system" },
	[IFLP_NAME] = { "name", &gr_t_name, GP_REQ | GP_COL, NULL, 0,
		"Name of the interface list" },
	[IFLP_INCLUDE] = { "include", &gr_t_name_list, GP_COL, NULL, 0,
		"Lists whose members are included (comma list)" },
	[IFLP_EXCLUDE] = { "exclude", &gr_t_name_list, GP_COL, NULL, 0,
		"Lists whose members are excluded (comma list)" },
	[IFLP_COMMENT] = { "comment", &gr_t_string, GP_TEXT, NULL, 0,
		"Short description of the list" },
	[IFLP__COUNT] = { 0 },
};

const struct gr_prop gr_iflist_member_props[IFMP__COUNT + 1] = {
	[IFMP_DISABLED] = { "disabled", &gr_t_bool, GP_FLAG, "no", 'X',
		"Whether the membership is ignored" },
	[IFMP_DYNAMIC] = { "dynamic", &gr_t_bool, GP_RO | GP_FLAG | GP_NOEXPORT, NULL, 'D',
		"Created by the system" },
	[IFMP_LIST] = { "list", &gr_t_name, GP_REQ | GP_COL, NULL, 0,
		"Interface list" },
	[IFMP_INTERFACE] = { "interface", &gr_t_name, GP_REQ | GP_COL, NULL, 0,
		"Interface name (need not exist yet)" },
	[IFMP_COMMENT] = { "comment", &gr_t_string, GP_TEXT, NULL, 0,
		"Short description of the membership" },
	[IFMP__COUNT] = { 0 },
};

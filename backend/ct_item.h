/*
 * A conntrack entry seen as a bk_item of /ip(v6) firewall connection:
 * properties (enum ct_prop) are formatted on first use into per-item
 * slots that are reused for the next entry, so streaming allocates
 * nothing per entry.
 */
#ifndef ROSH_CT_ITEM_H
#define ROSH_CT_ITEM_H
#include <stdint.h>

#include "../grammar/menus.h"
#include "backend.h"
#include "ct_nl.h"
#include "nft.h"

/* Longest value: "[ffff:...:ffff]:65535" (47) or a helper name (16). */
#define CT_VAL_MAX 64

/*
 * FastTrack marker: rosh's fast path (action=fasttrack-connection, nft.c)
 * sets this conntrack label bit on a connection. An entry is `fasttrack`
 * when it carries the label or is offloaded to a flowtable (IPS_OFFLOAD).
 */
#define CT_FASTTRACK_LABEL ROSH_FT_LABEL_BIT

struct ct_item {
	struct bk_item it;
	struct ct_entry *ce;
	uint64_t done;			/* bit per ct_prop already formatted */
	const char *val[CTP__COUNT];	/* NULL: the entry lacks it */
	char buf[CTP__COUNT][CT_VAL_MAX];
};

/* Point ci at a new entry (forgets every formatted value). */
void ct_item_reset(struct ct_item *ci, struct ct_entry *ce);
/* Fill ci->it.id ("*1A2B") before the item is handed out. */
void ct_item_set_id(struct ct_item *ci);

/* TCP_CONNTRACK_* of the entry, -1 when it has none (not TCP). */
int ct_tcp_state(struct ct_item *ci);
/* The TCP_CONNTRACK_* value printed as s, or -1. */
int ct_tcp_state_parse(const char *s);

/* Mark names: forget them (a new command may run after a change), and the
 * number of a connection-mark value; 0 ok, -1 none. */
void ct_marks_forget(void);
int ct_mark_value(const char *name, uint32_t *v);

/* Protocol number from a canonical protocol value ("tcp", "6"); -1 if none. */
int ct_proto_parse(const char *s);

/* The ports of this protocol are part of the connection's addresses. */
bool ct_proto_has_ports(uint8_t proto);

#endif

/*
 * The nftables backend: /ip firewall filter, nat, address-list,
 * /interface list and /interface list member, all in `table ip rosh`.
 *
 * DESIGN (copied to docs/)
 *
 * Layout. Every RouterOS chain X of menu M is a regular nft chain "M_X"
 * (filter_forward, filter_my-chain, nat_srcnat, nat_dstnat, ...): menus
 * cannot collide, and a user chain is just another chain reached by jump.
 * Rosh owns the base chains, which hold no user rules:
 *   hook_filter_input    filter input  prio 0     jump filter_input
 *   hook_filter_forward  filter forward prio 0    ct label 127 accept;
 *                                                 jump filter_forward
 *   hook_filter_output   filter output prio 0     jump filter_output
 *   hook_nat_prerouting  nat prerouting -100      jump nat_dstnat
 *   hook_nat_output      nat output -100          jump nat_dstnat
 *   hook_nat_postrouting nat postrouting 100      jump nat_srcnat
 * They are created with the first rule of their target chain (nft_table.c).
 * User chains left without rules and without jumps to them are deleted.
 *
 * Order. Rules of a chain are in RouterOS order. A menu prints its rules as
 * one list sorted by an order key kept in each rule's userdata (RouterOS
 * numbers rules across chains in the order they were added or moved); a
 * chain's kernel order is always the order of its keys. Keys are spaced
 * 2^24 apart; a rule placed between two gets a key between theirs; when
 * there is no room the menu is renumbered (one replace per rule, rare).
 * A commit (nft_commit.c) compares each changed chain with the kernel:
 * rules keeping their relative order stay (longest increasing subsequence)
 * and are replaced in place when changed; the others are deleted and
 * inserted before the next kept rule. Enable, disable, set, comment and
 * reset-counters of one rule are one replace message.
 *
 * One rule = one nft rule: [disabled prefix] matchers counter [log] action,
 * see nft_rule.c for the layout and nft_xlate_*.c for the shapes. Each
 * translator has a decoder for exactly its shape; a rule whose expressions
 * no decoder recognises prints with the I (invalid) flag and can only be
 * removed. A matcher Linux cannot do fails with "<prop> is not supported on
 * Linux": never silently dropped (layer7-protocol, psd, hotspot, tls-host,
 * p2p, ipv4-options, per-connection-classifier, routing-mark,
 * in/out-bridge-port, connection-rate; actions tarpit, and the mangle-only
 * properties). content= uses the kernel's xt "string" match through the
 * nft compat expression (nft then labels the table as iptables-nft's).
 *
 * Disabled rules stay in place with `meta cpu & 0 == 1` in front: never
 * true, so the rule matches nothing, keeps its position and counters, and
 * decodes like any rule. The marker sets no protocol context, so `nft list
 * ruleset` prints (and `nft -f` reads back) the matches after it as usual.
 * Rules written by earlier rosh versions with `meta nfproto ipv6` in front
 * (which makes nft 1.0.6 abort listing a disabled rule with IPv4 header
 * matches) are still read as disabled and get the new marker when next
 * written.
 *
 * Userdata (<= 256 bytes): the comment as NFTNL_UDATA_RULE_COMMENT (nft
 * list shows it), then rosh TLVs 0xe0..: id (u32), order key (u64),
 * log-prefix when no log expression carries it, flags (hw-offload, an unset
 * reject-with, address-list-timeout none-dynamic/none-static, dst-limit
 * without /expire, rosh's own rules), and the as-entered text of lists the
 * kernel keeps sorted (ports, connection-state, address types), used only
 * while it still means what the kernel holds.
 *
 * Ids. A rule's id lives in its userdata and survives edits, moves (a moved
 * rule is deleted and re-inserted with the same id) and restarts; a new
 * rule gets the largest id of its menu + 1. Rules in our chains without our
 * userdata get 0x80000000 | handle and print as invalid. Address-list ids
 * come from the map "ids" (key 1 -> next id); interface lists and members
 * keep theirs in element userdata (built-in lists: *2000010..*2000013).
 *
 * FastTrack. `fasttrack-connection` sets conntrack label bit 127
 * (ROSH_FT_LABEL_BIT; `ct label set 127`). hook_filter_forward accepts
 * packets of labelled connections before jumping to the user rules, so
 * they skip the filter rules; that rule is switched off (disabled prefix)
 * while no enabled fasttrack rule exists, so disabling fasttrack sends every
 * packet through the rules again. Its counter prints as RouterOS's dynamic
 * "special dummy rule to show fasttrack counters" (id *FFFFFFFF) while an
 * enabled fasttrack rule exists. The conntrack backend shows the label as
 * the F flag. Where the kernel has flowtables (detected at run time) the
 * fast path rule also does `flow add @ft` and the flowtable ft exists
 * while the fast path is on; see nft_flowtable.c.
 *
 * Address lists: list X is alh_X (hash map ipv4_addr -> 1: single
 * addresses; add-src/dst-to-address-list add to it from the packet path),
 * alx_X (hash set of first . last address: prefix and range entries, with
 * their userdata; overlaps allowed) and alr_X (interval map: the merged
 * union of the enabled alx_X entries). alh_X and alr_X have a catch-all
 * element mapping to 0; a rule matches the list with two lookups into
 * 32-bit registers and one 8-byte compare against zero, so membership of
 * either map counts. See nft_addrlist.c.
 *
 * Interface lists: list X is the map ifl_X ifname -> 1/0 holding the
 * effective membership (include, exclude, members) and, in element
 * userdata, the list and member records; see nft_iflist.c. Marks
 * (connection-mark, packet-mark) are names mapped to numbers by the set
 * "marks"; see nft_marks.c. Port lists of all rules share the set "ports"
 * (rule key . port); see nft_ports.c. dst-limit and connection-limit use a
 * dynamic set per rule; see nft_xlate_rate.c.
 *
 * Transactions: every command reads the model (re-read when the ruleset
 * generation changed; always for print, whose counters and dynamic entries
 * change without a new generation), changes it, and sends one batch whose
 * begin message carries that generation; if another writer committed
 * meanwhile the kernel refuses the batch (ERESTART) and the command is
 * redone on a fresh read. A command that fails sends nothing, or is refused
 * whole by the kernel. bk_nft_txn_begin/commit (nft_txn.h) group many
 * commands (an /import) into one batch. ROSH_NFT_INJECT_FAIL=1 in the
 * environment adds a refused message at the end of every batch (tests of
 * atomicity).
 *
 * Rule index: the map "rids" ((menu . id) -> (chain handle . rule handle))
 * lets a command that only changes the state of rules named by id
 * (enable, disable, comment, reset-counters) fetch those rules alone
 * instead of every rule; a cache, checked on every hit, rewritten after a
 * miss. See nft_rids.c and nft_sparse.c.
 *
 * Other tables are never read or written: every request names table rosh.
 */
#include "nft.h"
#include "nft_fw.h"

static int nft_iterate(const struct gr_menu *m, const struct bk_cond *hints,
		       size_t nhints, bk_item_cb cb, void *arg,
		       struct bk_err *e)
{
	switch (m->id) {
	case GMI_FILTER: case GMI_NAT:
		return nft_fw_iterate(m, hints, nhints, cb, arg, e);
	case GMI_ADDRESS_LIST:
		return nft_al_iterate(m, hints, nhints, cb, arg, e);
	case GMI_IFLIST: case GMI_IFLIST_MEMBER:
		return nft_ifl_iterate(m, hints, nhints, cb, arg, e);
	default:
		return bk_fail(e, "menu not served by the nft backend");
	}
}

static int count_one(struct bk_item *it, void *arg)
{
	(void)it;
	++*(uint64_t *)arg;
	return 0;
}

/* Lists and members live in sets held in memory anyway: count them. */
static int nft_count(const struct gr_menu *m, uint64_t *n, struct bk_err *e)
{
	if (m->id == GMI_FILTER || m->id == GMI_NAT)
		return nft_fw_count(m, n, e);
	*n = 0;
	return nft_iterate(m, NULL, 0, count_one, n, e);
}

static int nft_add(const struct gr_menu *m, const struct bk_setarg *a,
		   size_t n, const char *before_id, char new_id[24],
		   struct bk_err *e)
{
	switch (m->id) {
	case GMI_FILTER: case GMI_NAT:
		return nft_fw_add(m, a, n, before_id, new_id, e);
	case GMI_ADDRESS_LIST:
		return nft_al_add(m, a, n, before_id, new_id, e);
	case GMI_IFLIST: case GMI_IFLIST_MEMBER:
		return nft_ifl_add(m, a, n, before_id, new_id, e);
	default:
		return bk_fail(e, "menu not served by the nft backend");
	}
}

static int nft_set(const struct gr_menu *m, const char *const *ids,
		   size_t nids, const struct bk_setarg *a, size_t n,
		   struct bk_err *e)
{
	switch (m->id) {
	case GMI_FILTER: case GMI_NAT:
		return nft_fw_set(m, ids, nids, a, n, e);
	case GMI_ADDRESS_LIST:
		return nft_al_set(m, ids, nids, a, n, e);
	case GMI_IFLIST: case GMI_IFLIST_MEMBER:
		return nft_ifl_set(m, ids, nids, a, n, e);
	default:
		return bk_fail(e, "menu not served by the nft backend");
	}
}

static int nft_remove(const struct gr_menu *m, const char *const *ids,
		      size_t nids, struct bk_err *e)
{
	switch (m->id) {
	case GMI_FILTER: case GMI_NAT:
		return nft_fw_remove(m, ids, nids, e);
	case GMI_ADDRESS_LIST:
		return nft_al_remove(m, ids, nids, e);
	case GMI_IFLIST: case GMI_IFLIST_MEMBER:
		return nft_ifl_remove(m, ids, nids, e);
	default:
		return bk_fail(e, "menu not served by the nft backend");
	}
}

static int nft_move(const struct gr_menu *m, const char *const *ids,
		    size_t nids, const char *dest_id, struct bk_err *e)
{
	if (m->id == GMI_FILTER || m->id == GMI_NAT)
		return nft_fw_move(m, ids, nids, dest_id, e);
	return bk_fail(e, "items of this menu can not be moved");
}

static int nft_reset(const struct gr_menu *m, const char *const *ids,
		     size_t nids, struct bk_err *e)
{
	if (m->id == GMI_FILTER || m->id == GMI_NAT)
		return nft_fw_reset_counters(m, ids, nids, e);
	return bk_fail(e, "this menu has no counters");
}

const struct bk_ops bk_nft_ops = {
	.iterate = nft_iterate,
	.count = nft_count,
	.add = nft_add,
	.set = nft_set,
	.remove = nft_remove,
	.move = nft_move,
	.reset_counters = nft_reset,
};

const struct bk_ops *bk_nft_ops_get(void);
const struct bk_ops *bk_nft_ops_get(void)
{
	return &bk_nft_ops;
}

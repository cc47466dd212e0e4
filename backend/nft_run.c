/*
 * Running a command on the model: its batch, nfm_run (a sparse try first,
 * then the full model, retried when another writer committed meanwhile),
 * and transactions (nft_txn.h) that group many commands into one batch.
 */
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>

#include "nft_txn.h"
#include "nft_rids.h"

uint32_t nfm_set_id(void)
{
	return ++nfm.next_set_id;
}

static void table_msg(struct nftb *b)
{
	struct nlmsghdr *nlh = nftb_msg(b, NFT_MSG_NEWTABLE, NLM_F_CREATE,
					"table ip rosh");
	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, NFT_TABLE_NAME);
	nftb_end(b);
}

struct nftb *nfm_batch(void)
{
	if (!nfm.batch) {
		nfm.batch = nftb_new(nfm.genid);
		if (!nfm.table_exists)
			table_msg(nfm.batch);
	}
	return nfm.batch;
}

void nfm_del_set_later(const char *name)
{
	nfm.del_sets = xrealloc(nfm.del_sets,
				(nfm.ndel_sets + 1) * sizeof(char *));
	nfm.del_sets[nfm.ndel_sets++] = xstrdup(name);
}

/*
 * Transactions (nft_txn.h) read the ruleset lazily: while every command
 * only changes the state of rules named by id (nft_sparse.c) the
 * transaction stays on a sparse model; the first command that needs more
 * (or a print) switches it to the full model, carrying the changes made so
 * far over (txn_full).
 */
static bool txn_missed;		/* the rule index lacked a rule */

/* Full model for the transaction, with the sparse changes in snap. */
static int txn_full(struct rix_snap *snap, struct bk_err *e)
{
	bool failed = nfm.txn_failed;

	nfm.txn = false;
	int rc = nfm_load(true, e);
	nfm.txn = true;
	nfm.txn_failed = failed;
	if (rc == 0 && snap)
		rc = nft_rix_transplant(snap, e);
	nft_rix_snap_free(snap);
	if (rc < 0)
		nfm.txn_failed = true;
	return rc;
}

int nfm_txn_load(struct bk_err *e)
{
	return nfm.loaded && !nfm.sparse ? 0 :
	       txn_full(nfm.loaded ? nft_rix_snap() : NULL, e);
}

static int txn_run(nfm_op op, void *arg, struct bk_err *e)
{
	if (nfm.txn_failed)
		return bk_fail(e, "an earlier command of this import failed; "
			       "nothing will be applied");
	if (!nfm.loaded && nfm_load_sparse(e) < 0) {
		nfm.txn = nfm.txn_failed = true;
		return -1;
	}
	nfm.txn = true;
	if (nfm.sparse) {
		struct rix_snap *snap = nft_rix_snap();
		unsigned before = nft_rix_lookups();
		if (op(arg, e) == 0 && nfm.sparse &&
		    nft_rix_lookups() > before && nft_sparse_ok()) {
			nft_rix_snap_free(snap);
			return 0;
		}
		txn_missed |= nfm.sparse_miss;
		if (txn_full(snap, e) < 0)
			return -1;
	} else if (!nfm.loaded && txn_full(NULL, e) < 0) {
		return -1;
	}
	if (op(arg, e) < 0) {
		nfm.txn_failed = true;
		return -1;
	}
	return 0;
}

int bk_nft_txn_begin(struct bk_err *e)
{
	bk_nft_txn_abort();
	nfm.txn = true;		/* the model is read by the first command */
	txn_missed = false;
	return 0;
}

void bk_nft_txn_abort(void)
{
	nfm_invalidate();
}

int bk_nft_txn_commit(struct bk_err *e)
{
	int rc;

	if (!nfm.txn)
		return 0;
	nfm.txn = false;
	if (nfm.txn_failed) {
		nfm_invalidate();
		return bk_fail(e, "nothing was applied");
	}
	rc = nfc_commit(e);
	if (rc == 0 && txn_missed && nfm.loaded && !nfm.sparse)
		nft_rix_write_all();
	if (rc != 0 || nfm.sparse)
		nfm_invalidate();	/* never keep a partial model */
	if (rc == 1) {	/* the caller may plan again: say so apart */
		bk_fail(e, "the ruleset was changed by another program "
			"meanwhile; nothing was applied");
		return 1;
	}
	return rc;
}

int nfm_run(nfm_op op, void *arg, struct bk_err *e)
{
	bool missed = false;

	if (nfm.txn)
		return txn_run(op, arg, e);
	if (!nfm.loaded) {	/* a one-rule command need not read them all */
		int rc = nft_sparse_run(op, arg, &missed, e);
		if (rc != 2)
			return rc;
	}
	for (int tries = 0; tries < 8; tries++) {
		if (nfm_load(false, e) < 0)
			return -1;
		if (op(arg, e) < 0) {
			nfm_invalidate();	/* drop what op planned */
			return -1;
		}
		int rc = nfc_commit(e);
		if (rc == 0 && missed && nfm.loaded)
			nft_rix_write_all();	/* the index lacked a rule */
		if (rc == 0)
			return 0;
		nfm_invalidate();
		if (rc < 0)
			return -1;
	}
	return bk_fail(e, "the ruleset keeps changing; try again");
}

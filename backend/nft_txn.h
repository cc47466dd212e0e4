/*
 * Grouping many commands into one nft batch, for /import (and any script
 * run that wants all-or-nothing). Between begin and commit the nft menus
 * change rosh's model of table ip rosh only; print and find see the pending
 * state. Commit sends everything as one transaction tied to the generation
 * read at begin: it all applies, or nothing does. A command that fails
 * inside the transaction spoils it: commit then refuses and nothing is
 * applied (the failing command's own error has been reported already).
 */
#ifndef ROSH_NFT_TXN_H
#define ROSH_NFT_TXN_H
#include "backend.h"

int bk_nft_txn_begin(struct bk_err *e);
/* 0 applied; -1 refused; 1 another writer committed since begin: nothing
 * applied, and the caller may run its commands again on a fresh model. */
int bk_nft_txn_commit(struct bk_err *e);
void bk_nft_txn_abort(void);

/* Free the backend's model and close its socket (bk_fini). */
void bk_nft_fini(void);

#endif

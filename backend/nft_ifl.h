/* Interface lists as loaded from their ifl_X maps (nft_iflist.c). */
#ifndef ROSH_NFT_IFL_H
#define ROSH_NFT_IFL_H
#include "nft_sets.h"
#include "nft_fw.h"

struct ifl_member {
	char ifname[16];
	uint32_t id;
	char *comment;
	bool disabled;
};

struct ifl_kelem {		/* an element as in the kernel (for diffs) */
	unsigned char key[16];
	bool catchall;
	uint32_t data;
	void *ud;
	uint32_t udlen;
};

struct ifl_list {
	char *name;
	uint32_t id;
	char *comment, *include, *exclude;
	bool builtin, in_kernel, removed;
	struct ifl_member *m;
	size_t nm;
	struct ifl_kelem *k;
	size_t nk;
};

struct ifl_model {
	bool loaded;
	struct ifl_list *v;
	size_t n;
};
extern struct ifl_model ifl;

int ifl_load(struct bk_err *e);
void ifl_clear(void);
struct ifl_list *ifl_find(const char *name);
struct ifl_list *ifl_new(const char *name);
/* Write the elements of every list that differ from the kernel's. */
int ifl_sync(struct bk_err *e);
bool ifl_is_builtin(const char *name);

#endif

/* export (a menu or a whole subtree) and /import of .rsc files. */
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "session.h"

struct export_ctx {
	const struct gr_where *w;
	FILE *fp;
	unsigned opts;
	const struct gr_menu *m;
};

static int export_cb(struct bk_item *it, void *arg)
{
	struct export_ctx *xc = arg;

	if (gr_where_eval(xc->w, sh_item_get, it))
		out_export_item(xc->fp, xc->m, it, xc->opts);
	return 0;
}

/* One menu's section; printed only when it has lines. */
static int export_menu(const struct gr_menu *m, const struct gr_where *w,
		       unsigned opts, FILE *fp, const struct gr_stmt *st,
		       struct sh_err *e)
{
	const struct bk_ops *ops = bk_ops_for(m->id);
	char *buf = NULL;
	size_t len = 0;
	struct bk_err be = { { 0 } };

	if (!ops || !(m->cmds & GC_BIT(GC_EXPORT)))
		return 0;
	FILE *mem = open_memstream(&buf, &len);
	struct export_ctx xc = { w, mem, opts, m };
	int rc = ops->iterate(m, NULL, 0, export_cb, &xc, &be);
	fclose(mem);
	if (rc < 0) {
		free(buf);
		return sh_errorf(e, st, "failure: %s", be.msg);
	}
	if (len) {
		if (!(opts & OX_TERSE))
			out_export_menu(fp, m);
		fwrite(buf, 1, len, fp);
	}
	free(buf);
	return 0;
}

static bool in_subtree(const struct gr_menu *root, const struct gr_menu *m)
{
	size_t n = strlen(root->path);

	if (strcmp(root->path, "/") == 0)
		return true;
	return strncmp(m->path, root->path, n) == 0 &&
	       (m->path[n] == '\0' || m->path[n] == '/');
}

int sh_cmd_export(struct session *s, const struct gr_stmt *st, struct sh_err *e)
{
	const struct gr_arg *file = gr_stmt_arg(st, GA_OPT, O_FILE);
	unsigned opts = 0;
	FILE *fp = stdout;
	int rc = 0;

	if (gr_stmt_arg(st, GA_OPT, O_VERBOSE))
		opts |= OX_VERBOSE;
	if (gr_stmt_arg(st, GA_OPT, O_TERSE))
		opts |= OX_TERSE;
	if (file && file->val.text) {
		char name[4096];
		size_t n = strlen(file->val.text);
		snprintf(name, sizeof(name), "%s%s", file->val.text,
			 n > 4 && strcmp(file->val.text + n - 4, ".rsc") == 0 ? "" : ".rsc");
		if (!(fp = fopen(name, "w")))
			return sh_errorf(e, st, "failure: cannot open %s", name);
	}
	out_export_header(fp);
	for (const struct gr_menu *m = gr_menus; m->path && rc == 0; m++)
		if (m->kind != GM_DIR && in_subtree(st->menu, m))
			rc = export_menu(m, m == st->menu ? st->where : NULL,
					 opts, fp, st, e);
	if (fp != stdout)
		fclose(fp);
	return rc;
}

/* Schema lint: names unique, every property typed and helped, enums sane. */
#include <string.h>

#include "../../grammar/match.h"
#include "../../grammar/schema.h"
#include "tap.h"

static int lint_enum(const struct gr_type *t)
{
	size_t n = 0, idx;

	while (t->syms && t->syms[n])
		n++;
	for (size_t i = 0; i < n; i++) {
		if (gr_match(t->syms[i], strlen(t->syms[i]), t->syms, n, &idx) != GR_M_OK || idx != i)
			return 0;
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(t->syms[i], t->syms[j]) == 0)
				return 0;
	}
	return 1;
}

static void lint_menu(const struct gr_menu *m)
{
	int bad = 0;

	for (size_t i = 0; i < m->nprops; i++) {
		const struct gr_prop *p = &m->props[i];
		if (!p->name)
			continue;
		if (!p->type || !p->help || !*p->help)
			bad++;
		if ((p->flags & GP_FLAG) && !p->flag)
			bad++;
		if (p->type && (p->type->kind == GK_ENUM || p->type->kind == GK_ENUM_LIST) &&
		    !lint_enum(p->type))
			bad++;
		for (size_t j = i + 1; j < m->nprops; j++)
			if (m->props[j].name && strcmp(p->name, m->props[j].name) == 0)
				bad++;
	}
	ok(!bad, "%s: properties typed, helped, unique; enums unambiguous", m->path);
	ok(m->props == NULL || m->props[m->nprops].name == NULL,
	   "%s: table ends with a {0} row at nprops", m->path);
	if (m->flag_groups) {
		int missing = 0;
		for (const char *f = m->flag_groups; *f; f++)
			if (*f != ';' && !gr_prop_by_flag(m, *f))
				missing++;
		ok(!missing, "%s: every legend letter has a flag property", m->path);
	}
}

int main(void)
{
	size_t n = 0;

	ok(strcmp(gr_menus[0].path, "/") == 0, "root menu first");
	for (const struct gr_menu *m = gr_menus; m->path; m++, n++) {
		ok(m == gr_menus || gr_menu_parent(m) != NULL, "%s has a parent menu", m->path);
		ok(gr_menu_by_path(m->path) == m, "%s is unique", m->path);
		ok(m->help && *m->help, "%s has help", m->path);
		lint_menu(m);
	}
	for (int c = 0; c < GC__COUNT; c++)
		ok(gr_cmd_names[c] && gr_cmd_help[c], "command %d named and helped", c);
	ok(n >= 12, "menus present (%zu)", n);
	return done_testing();
}

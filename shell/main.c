/* rosh: command line, batch runs (-c, -f, stdin) and the interactive shell. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "repl.h"
#include "session.h"

static void usage(FILE *fp)
{
	fputs("usage: rosh [-n NETNS] [-j] [-k] [-c 'CMD; CMD' | -f FILE | --complete LINE]\n"
	      "  -n, --netns NAME   act inside network namespace NAME (like ip -n)\n"
	      "  -c, --command CMDS run console commands and exit\n"
	      "  -f, --file FILE    run a .rsc script and exit\n"
	      "  -j, --json         print emits JSON\n"
	      "  -k, --keep-going   batch: run every command on its own, report\n"
	      "                     each error and go on (migration/testing aid)\n"
	      "      --complete L   print completion candidates for line L\n"
	      "  -h, --help         this help;  -V, --version\n"
	      "Without -c/-f: an interactive console on a terminal, a script on stdin otherwise.\n",
	      fp);
}

static char *slurp(FILE *fp)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sb_addn(&sb, buf, n);
	return sb_steal(&sb);
}

static int run_batch(struct session *s, char *src, const char *source)
{
	struct sh_err e;

	s->source = source;
	int rc = sh_run_script(s, src, 1, &e);
	free(src);
	if (rc < 0) {
		sh_report(s, &e);
		return 1;
	}
	return 0;
}

/* --keep-going: commands per menu, for the summary. */
struct menu_tally {
	struct tally { const char *menu; unsigned ok, n; bool known; } *v;
	size_t n;
};

static void tally(struct menu_tally *t, const struct gr_line *l, bool ok)
{
	size_t i = 0;

	while (i < t->n && strcmp(t->v[i].menu, l->menu) != 0)
		i++;
	if (i == t->n) {
		t->v = xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
		t->v[t->n++] = (struct tally){ l->menu, 0, 0, l->known };
	}
	t->v[i].n++;
	t->v[i].ok += ok;
}

/* One top-level line of a --keep-going run; 0 ok, -1 failed (reported). */
static int run_line(struct session *s, const struct gr_line *l)
{
	struct sh_err e = { 0 };

	if (!l->st) {
		if (l->known)
			snprintf(e.msg, sizeof(e.msg), "%s", l->d.msg);
		else if (l->menu[0] == '(')	/* "(scripting)" */
			snprintf(e.msg, sizeof(e.msg), "%s (scripting is not "
				 "supported)", l->d.msg);
		else
			snprintf(e.msg, sizeof(e.msg), "%s (%s: not a menu "
				 "of rosh)", l->d.msg, l->menu);
		e.line = l->d.line;
		e.col = l->d.col;
	} else if (l->st->kind == ST_CD) {
		s->cwd = l->st->menu;
		return 0;
	} else if (sh_run_stmt(s, l->st, &e) == 0) {
		return 0;
	}
	sh_report(s, &e);
	return -1;
}

/*
 * rosh --keep-going: each top-level command is parsed and applied on its
 * own (still atomic), every error is reported, and the run goes on; a
 * summary per menu ends it. For migrating a RouterOS export, or testing
 * what rosh accepts of one.
 */
static int run_keep_going(struct session *s, char *src, const char *source)
{
	struct gr_lines ls;
	struct menu_tally t = { 0 };
	int rc = 0;

	s->source = source;
	gr_parse_lines(src, 1, s->cwd, &ls);
	for (size_t i = 0; i < ls.n; i++) {
		bool ok = run_line(s, &ls.v[i]) == 0;
		if (!ok)
			rc = 1;
		if (!ls.v[i].cd)
			tally(&t, &ls.v[i], ok);
	}
	for (size_t i = 0; i < t.n; i++)
		fprintf(stderr, "rosh: %s: %u of %u commands applied%s\n",
			t.v[i].menu, t.v[i].ok, t.v[i].n,
			t.v[i].known ? "" : " (not a menu of rosh)");
	free(t.v);
	gr_lines_free(&ls);
	free(src);
	return rc;
}

static int complete_line(const char *line)
{
	struct gr_cands c;

	gr_complete(line, gr_menus, &c);
	for (size_t i = 0; i < c.n; i++)
		printf("%s\n", c.v[i].word);
	gr_cands_free(&c);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "netns", required_argument, NULL, 'n' },
		{ "command", required_argument, NULL, 'c' },
		{ "file", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "complete", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *netns = NULL, *cmds = NULL, *file = NULL;
	struct session s = { .cwd = gr_menus, .width = 80 };
	struct bk_err be = { { 0 } };
	int opt, rc;
	bool keep = false;

	while ((opt = getopt_long(argc, argv, "n:c:f:jkhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n': netns = optarg; break;
		case 'c': cmds = optarg; break;
		case 'f': file = optarg; break;
		case 'j': s.json = true; break;
		case 'k': keep = true; break;
		case 'C': repl_complete_setup(netns); return complete_line(optarg);
		case 'h': usage(stdout); return 0;
		case 'V': puts("rosh " ROSH_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || (cmds && file)) {
		usage(stderr);
		return 2;
	}
	int (*batch)(struct session *, char *, const char *) =
		keep ? run_keep_going : run_batch;
	if (bk_init(netns, &be) < 0) {
		fprintf(stderr, "rosh: %s\n", be.msg);
		return 2;
	}
	if (cmds) {
		rc = batch(&s, xstrdup(cmds), "-c");
	} else if (file) {
		FILE *fp = fopen(file, "r");
		if (!fp) {
			fprintf(stderr, "rosh: cannot open %s\n", file);
			rc = 2;
		} else {
			rc = batch(&s, slurp(fp), file);
			fclose(fp);
		}
	} else if (!isatty(STDIN_FILENO)) {
		rc = batch(&s, slurp(stdin), "stdin");
	} else {
		struct winsize ws;
		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
			s.width = ws.ws_col;
		s.interactive = true;
		rc = repl_run(&s);
	}
	sh_session_free(&s);
	bk_fini();
	return rc;
}

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
	fputs("usage: rosh [-n NETNS] [-j] [-c 'CMD; CMD' | -f FILE | --complete LINE]\n"
	      "  -n, --netns NAME   act inside network namespace NAME (like ip -n)\n"
	      "  -c, --command CMDS run console commands and exit\n"
	      "  -f, --file FILE    run a .rsc script and exit\n"
	      "  -j, --json         print emits JSON\n"
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
	int rc = sh_run_text(s, src, 1, &e);
	free(src);
	if (rc < 0) {
		sh_report(s, &e);
		return 1;
	}
	return 0;
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
		{ "complete", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *netns = NULL, *cmds = NULL, *file = NULL;
	struct session s = { .cwd = gr_menus, .width = 80 };
	struct bk_err be = { { 0 } };
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "n:c:f:jhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n': netns = optarg; break;
		case 'c': cmds = optarg; break;
		case 'f': file = optarg; break;
		case 'j': s.json = true; break;
		case 'C': return complete_line(optarg);
		case 'h': usage(stdout); return 0;
		case 'V': puts("rosh " ROSH_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || (cmds && file)) {
		usage(stderr);
		return 2;
	}
	if (bk_init(netns, &be) < 0) {
		fprintf(stderr, "rosh: %s\n", be.msg);
		return 2;
	}
	if (cmds) {
		rc = run_batch(&s, xstrdup(cmds), "-c");
	} else if (file) {
		FILE *fp = fopen(file, "r");
		if (!fp) {
			fprintf(stderr, "rosh: cannot open %s\n", file);
			rc = 2;
		} else {
			rc = run_batch(&s, slurp(fp), file);
			fclose(fp);
		}
	} else if (!isatty(STDIN_FILENO)) {
		rc = run_batch(&s, slurp(stdin), "stdin");
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

/* Interactive console over readline: RouterOS prompt, Tab, '?', history. */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "../grammar/complete.h"
#include "../grammar/lex.h"
#include "repl.h"

static struct session *repl_s;
static struct gr_cands repl_cands;
static size_t repl_next;

/* ---- item names for completion, from the backend ---- */

struct names_ctx {
	int prop;
	struct gr_namelist *out;
};

static int names_item(struct bk_item *it, void *arg)
{
	struct names_ctx *nc = arg;
	const char *v = bk_get(it, (unsigned)nc->prop);

	if (v && *v)
		gr_namelist_add(nc->out, v);
	return 0;
}

/* arg: NULL when the backend is ready, else the lazy state below. */
struct names_lazy {
	const char *netns;
	int state;		/* 0: not yet, 1: ready, -1: failed */
};

static void names_fn(void *arg, const struct gr_menu *m, int prop,
		     struct gr_namelist *out)
{
	struct names_lazy *lz = arg;
	struct bk_err be = { { 0 } };
	const struct bk_ops *ops = bk_ops_for(m->id);
	struct names_ctx nc = { prop, out };

	if (lz && lz->state == 0) {
		/* --complete runs before bk_init: enter the namespace only
		 * when a name is needed, so menus complete without root */
		lz->state = bk_init(lz->netns, &be) < 0 ? -1 : 1;
		if (lz->state > 0)
			atexit(bk_fini);
	}
	if ((lz && lz->state < 0) || !ops || !ops->iterate)
		return;
	ops->iterate(m, NULL, 0, names_item, &nc, &be);	/* errors: no names */
}

static const struct gr_namesrc repl_names = { names_fn, NULL };

void repl_complete_setup(const char *netns)
{
	static struct names_lazy lz;
	static struct gr_namesrc src = { names_fn, &lz };

	lz.netns = netns;
	gr_complete_set_names(&src);
}

static void prompt(char *buf, size_t len, const struct session *s)
{
	char host[64] = "rosh";
	const struct passwd *pw = getpwuid(getuid());

	gethostname(host, sizeof(host));
	host[sizeof(host) - 1] = '\0';
	for (char *p = host; *p; p++)	/* keep the Ansible/netmiko regex happy */
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._", *p))
			*p = '-';
	snprintf(buf, len, "[%s@%s] %s> ", pw ? pw->pw_name : "admin", host,
		 strcmp(s->cwd->path, "/") == 0 ? "" : s->cwd->path);
}

static char *cand_gen(const char *text, int state)
{
	(void)text;
	if (state == 0)
		repl_next = 0;
	if (repl_next < repl_cands.n)
		return xstrdup(repl_cands.v[repl_next++].word);
	return NULL;
}

/*
 * Candidates replace the line from c->word_start; readline replaces it from
 * `start` (its own word breaks): cut or extend each candidate to match, so
 * "established,rel" completes to "established,related", not a repeat.
 */
static void rebase(struct gr_cands *c, const char *line, size_t start)
{
	for (size_t i = 0; i < c->n; i++) {
		struct strbuf sb = STRBUF_INIT;
		char *w = c->v[i].word;
		if (start <= c->word_start) {
			sb_addn(&sb, line + start, c->word_start - start);
			sb_adds(&sb, w);
		} else if (strlen(w) >= start - c->word_start) {
			sb_adds(&sb, w + (start - c->word_start));
		}
		free(w);
		c->v[i].word = sb_steal(&sb);
	}
	c->word_start = start;
}

static char **repl_complete(const char *text, int start, int end)
{
	char *line = xstrndup(rl_line_buffer, (size_t)end);

	(void)text;
	(void)start;
	gr_cands_free(&repl_cands);
	gr_complete_ex(line, repl_s->cwd, &repl_names, &repl_cands);
	free(line);
	rebase(&repl_cands, rl_line_buffer, (size_t)start);
	rl_attempted_completion_over = 1;
	if (repl_cands.n == 1 && repl_cands.v[0].partial)
		rl_completion_suppress_append = 1;
	return rl_completion_matches(text, cand_gen);
}

/* '?': list what may come next with one-line help, keep the line as is. */
static int repl_help(int count, int key)
{
	char *line = xstrndup(rl_line_buffer, (size_t)rl_point);
	struct gr_cands c;

	(void)count;
	(void)key;
	gr_complete_ex(line, repl_s->cwd, &repl_names, &c);
	free(line);
	putchar('\n');
	for (size_t i = 0; i < c.n; i++)
		printf("  %-28s %s\n", c.v[i].word, c.v[i].help ? c.v[i].help : "");
	if (!c.n)
		printf("  (nothing more may follow here)\n");
	gr_cands_free(&c);
	rl_on_new_line();
	rl_redisplay();
	return 0;
}

static void on_sigint(int sig)
{
	(void)sig;
	sh_interrupted = 1;
}

static char *history_path(void)
{
	const char *home = getenv("HOME");
	struct strbuf sb = STRBUF_INIT;

	sb_printf(&sb, "%s/.rosh_history", home ? home : ".");
	return sb_steal(&sb);
}

static void run_line(struct session *s, const char *line)
{
	struct sh_err e;

	sh_interrupted = 0;
	if (sh_run_script(s, line, 1, &e) < 0)	/* a line is atomic */
		sh_report(s, &e);
	if (sh_interrupted)	/* the tty echoed ^C: end that line */
		putchar('\n');
	sh_interrupted = 0;
}

/*
 * Reading a line with readline's callback interface, so that Ctrl-C is
 * handled here, outside the signal handler: the handler only sets
 * sh_interrupted, select() returns EINTR, and the line is thrown away and
 * a fresh prompt drawn, as in RouterOS (and bash). readline's own handler
 * would leave the half-typed line in place.
 */
static char *line_got;
static bool line_done;

static void on_line(char *line)
{
	line_got = line;
	line_done = true;
	rl_callback_handler_remove();	/* no prompt while the command runs */
}

static void cancel_line(void)
{
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_replace_line("", 0);
	fputs("^C", rl_outstream);
	rl_crlf();
	rl_on_new_line();
	rl_redisplay();
}

/* The next line (malloc'ed), or NULL at end of input (Ctrl-D). A
 * continuation line (cont) cancelled by Ctrl-C reads as "\x03". */
static char *read_line(const char *prompt_text, bool cont)
{
	int fd = fileno(rl_instream ? rl_instream : stdin);

	line_got = NULL;
	line_done = false;
	sh_interrupted = 0;
	rl_callback_handler_install(prompt_text, on_line);
	while (!line_done) {
		fd_set fds;
		FD_ZERO(&fds);
		FD_SET(fd, &fds);
		int r = select(fd + 1, &fds, NULL, NULL, NULL);
		if (r < 0 && errno == EINTR && sh_interrupted) {
			sh_interrupted = 0;
			cancel_line();
			if (cont) {	/* drop the whole unfinished command */
				rl_callback_handler_remove();
				return xstrdup("\x03");
			}
		} else if (r > 0) {
			rl_callback_read_char();
		} else if (r < 0 && errno != EINTR) {
			rl_callback_handler_remove();
			return NULL;
		}
	}
	return line_got;
}

/*
 * One command, read over as many lines as it takes: after a trailing `\`,
 * inside a string or an open { } or [ ], RouterOS asks for more (pasted
 * exports break long lines with `\`). NULL at end of input.
 */
static char *read_command(const char *prompt_text)
{
	char *line = read_line(prompt_text, false);
	struct strbuf sb = STRBUF_INIT;

	if (!line)
		return NULL;
	sb_adds(&sb, line);
	free(line);
	while (lex_incomplete(sb_str(&sb))) {
		line = read_line("... ", true);
		if (!line || !strcmp(line, "\x03")) {	/* Ctrl-D, Ctrl-C */
			free(line);
			sb_reset(&sb);
			break;
		}
		sb_addc(&sb, '\n');
		sb_adds(&sb, line);
		free(line);
	}
	return sb_steal(&sb);
}

int repl_run(struct session *s)
{
	char *hist = history_path();
	char p[256];
	struct sigaction sa = { .sa_handler = on_sigint };	/* no SA_RESTART */

	repl_s = s;
	sigaction(SIGINT, &sa, NULL);
	rl_catch_signals = 0;		/* SIGINT is ours: see read_line() */
	rl_readline_name = "rosh";
	rl_attempted_completion_function = repl_complete;
	rl_completer_word_break_characters = " \t=/,";
	rl_bind_key('?', repl_help);
	using_history();
	read_history(hist);
	for (;;) {
		prompt(p, sizeof(p), s);
		char *line = read_command(p);
		if (!line)
			break;
		if (*line) {
			HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
			if (!last || strcmp(last->line, line) != 0)
				add_history(line);
			if (strcmp(line, "/quit") == 0 || strcmp(line, "quit") == 0) {
				free(line);
				break;
			}
			run_line(s, line);
		}
		free(line);
	}
	putchar('\n');
	write_history(hist);
	free(hist);
	gr_cands_free(&repl_cands);
	return 0;
}

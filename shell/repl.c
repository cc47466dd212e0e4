/* Interactive console over readline: RouterOS prompt, Tab, '?', history. */
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "repl.h"

static struct session *repl_s;
static struct gr_cands repl_cands;
static size_t repl_next;

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

static char **repl_complete(const char *text, int start, int end)
{
	char *line = xstrndup(rl_line_buffer, (size_t)end);

	(void)text;
	(void)start;
	gr_cands_free(&repl_cands);
	gr_complete(line, repl_s->cwd, &repl_cands);
	free(line);
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
	gr_complete(line, repl_s->cwd, &c);
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
	if (sh_run_text(s, line, 1, &e) < 0)
		sh_report(s, &e);
	sh_interrupted = 0;
}

int repl_run(struct session *s)
{
	char *hist = history_path();
	char p[256];
	struct sigaction sa = { .sa_handler = on_sigint };

	repl_s = s;
	sigaction(SIGINT, &sa, NULL);	/* readline clears the line on ^C */
	rl_readline_name = "rosh";
	rl_attempted_completion_function = repl_complete;
	rl_completer_word_break_characters = " \t=/,";
	rl_bind_key('?', repl_help);
	using_history();
	read_history(hist);
	for (;;) {
		prompt(p, sizeof(p), s);
		char *line = readline(p);
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

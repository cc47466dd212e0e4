#include "lex.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

struct lexer {
	const char *start;
	const char *p;
	int line, col;
	bool space;
	struct tok_list *out;
};

static void push(struct lexer *lx, enum tok_kind k, char *text, int line,
		 int col)
{
	struct tok_list *l = lx->out;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = (struct tok){ k, text, line, col, lx->space, false };
	lx->space = false;
}

static void advance(struct lexer *lx, size_t n)
{
	while (n--) {
		if (*lx->p == '\n') {
			lx->line++;
			lx->col = 1;
		} else {
			lx->col++;
		}
		lx->p++;
	}
}

/* `\` followed by an optional CR and a LF: a continuation. */
static size_t continuation_len(const char *p)
{
	if (p[0] != '\\')
		return 0;
	if (p[1] == '\n')
		return 2;
	if (p[1] == '\r' && p[2] == '\n')
		return 3;
	return 0;
}

static bool is_word_char(const char *p)
{
	unsigned char c = (unsigned char)*p;

	if (c == '\0' || isspace(c))
		return false;
	if (c == '!')		/* "syn,!ack" yes; "a!=b" stops before != */
		return p[1] != '=';
	return !strchr("=<>~()[]{};\"$#\\", c);
}

/*
 * A value glued to "name=" is one word up to a space: exports write
 * log-prefix=~~~VPN and comment=F2B#3 unquoted. There '~' is no regex
 * operator and '#' starts no comment (`where a~"x"` keeps its '~').
 */
static bool in_value(const struct lexer *lx)
{
	const struct tok_list *l = lx->out;

	return !lx->space && l->n && l->v[l->n - 1].kind == TK_EQ;
}

static bool is_value_char(const char *p)
{
	return is_word_char(p) || *p == '~' || *p == '#';
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* One escape after a backslash inside quotes; returns chars consumed or 0. */
static size_t string_escape(const char *p, struct strbuf *sb)
{
	static const char simple[] = "\"\"\\\\nnrrtt$$??__a\ab\bf\fv\v";
	size_t n = continuation_len(p - 1);

	if (n) {		/* joined line: drop the next indentation */
		n--;
		while (p[n] == ' ' || p[n] == '\t')
			n++;
		return n;
	}
	for (size_t i = 0; simple[i]; i += 2) {
		if (*p == simple[i]) {
			char c = simple[i + 1];
			if (c == 'n') c = '\n';
			else if (c == 'r') c = '\r';
			else if (c == 't') c = '\t';
			else if (c == '_') c = ' ';
			sb_addc(sb, c);
			return 1;
		}
	}
	int hi = hexval(p[0]), lo = hi < 0 ? -1 : hexval(p[1]);
	if (hi >= 0 && lo >= 0) {
		sb_addc(sb, (char)(hi * 16 + lo));
		return 2;
	}
	return 0;
}

static bool lex_string(struct lexer *lx)
{
	int line = lx->line, col = lx->col;
	struct strbuf sb = STRBUF_INIT;

	advance(lx, 1);
	while (*lx->p && *lx->p != '"') {
		if (*lx->p == '\\') {
			size_t n = string_escape(lx->p + 1, &sb);
			if (!n) {
				push(lx, TK_ERROR, xstrdup("syntax error"),
				     lx->line, lx->col);
				sb_free(&sb);
				return false;
			}
			advance(lx, n + 1);
			continue;
		}
		sb_addc(&sb, *lx->p);
		advance(lx, 1);
	}
	if (*lx->p != '"') {
		push(lx, TK_ERROR, xstrdup("unterminated string"), line, col);
		sb_free(&sb);
		return false;
	}
	advance(lx, 1);
	push(lx, TK_STRING, sb_steal(&sb), line, col);
	return true;
}

struct punct { const char *s; enum tok_kind k; };
static const struct punct puncts[] = {
	{ "!=", TK_NE }, { "<=", TK_LE }, { ">=", TK_GE }, { "=", TK_EQ },
	{ "<", TK_LT }, { ">", TK_GT }, { "~", TK_TILDE }, { "!", TK_BANG },
	{ "(", TK_LPAREN }, { ")", TK_RPAREN }, { "[", TK_LBRACK },
	{ "]", TK_RBRACK }, { "{", TK_LBRACE }, { "}", TK_RBRACE },
	{ NULL, TK_EOF },
};

static bool lex_punct(struct lexer *lx)
{
	for (const struct punct *pu = puncts; pu->s; pu++) {
		size_t n = strlen(pu->s);
		if (strncmp(lx->p, pu->s, n) == 0) {
			push(lx, pu->k, NULL, lx->line, lx->col);
			advance(lx, n);
			return true;
		}
	}
	return false;
}

static bool lex_one(struct lexer *lx)
{
	const char *p = lx->p;
	size_t n;

	if (*p == ' ' || *p == '\t' || *p == '\r') {
		lx->space = true;
		advance(lx, 1);
	} else if ((n = continuation_len(p))) {
		/*
		 * Exports break after "name=" with the value on the next,
		 * indented line: a continuation glued to a word joins it.
		 */
		bool glued = p > lx->start && !strchr(" \t\n", p[-1]);
		advance(lx, n);
		if (glued)
			while (*lx->p == ' ' || *lx->p == '\t')
				advance(lx, 1);
		else
			lx->space = true;
	} else if (*p == '\n' || *p == ';') {
		push(lx, TK_EOL, NULL, lx->line, lx->col);
		lx->out->v[lx->out->n - 1].semicolon = *p == ';';
		advance(lx, 1);
		lx->space = true;
	} else if (*p == '#' && (lx->space || lx->col == 1)) {
		while (*lx->p && *lx->p != '\n')
			advance(lx, 1);
	} else if (*p == '"') {
		return lex_string(lx);
	} else if (*p == '\'') {
		/* RouterOS has no single-quoted strings: 'a' is an error,
		 * not a value with quotes in it */
		push(lx, TK_ERROR, xstrdup("syntax error"), lx->line, lx->col);
		return false;
	} else if (*p == '$') {
		int line = lx->line, col = lx->col;
		advance(lx, 1);
		const char *s = lx->p;
		while (isalnum((unsigned char)*lx->p) || *lx->p == '-' ||
		       *lx->p == '_')
			advance(lx, 1);
		push(lx, TK_VAR, xstrndup(s, (size_t)(lx->p - s)), line, col);
	} else if (in_value(lx) && *p != '!' && is_value_char(p)) {
		int line = lx->line, col = lx->col;
		while (is_value_char(lx->p))
			advance(lx, 1);
		push(lx, TK_WORD, xstrndup(p, (size_t)(lx->p - p)), line, col);
	} else if (is_word_char(p) && *p != '!') {
		int line = lx->line, col = lx->col;
		while (is_word_char(lx->p))
			advance(lx, 1);
		push(lx, TK_WORD, xstrndup(p, (size_t)(lx->p - p)), line, col);
	} else if (!lex_punct(lx)) {
		push(lx, TK_ERROR, xstrdup("syntax error"), lx->line, lx->col);
		return false;
	}
	return true;
}

void lex_all(const char *src, int first_line, struct tok_list *out)
{
	struct lexer lx = { src, src, first_line, 1, true, out };

	out->v = NULL;
	out->n = out->cap = 0;
	while (*lx.p)
		if (!lex_one(&lx))
			break;
	push(&lx, TK_EOF, NULL, lx.line, lx.col);
}

void tok_list_free(struct tok_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

const char *tok_kind_name(enum tok_kind k)
{
	static const char *const names[] = {
		"end", "end of line", "word", "string", "variable", "=", "!=",
		"<", ">", "<=", ">=", "~", "!", "(", ")", "[", "]", "{", "}",
		"error",
	};
	return names[k];
}

bool lex_incomplete(const char *src)
{
	struct tok_list tl;
	size_t n = strlen(src);
	int depth = 0;
	bool open = false;

	if (n && src[n - 1] == '\\')
		return true;
	lex_all(src, 1, &tl);
	for (size_t i = 0; i < tl.n; i++) {
		enum tok_kind k = tl.v[i].kind;
		if (k == TK_LBRACE || k == TK_LBRACK)
			depth++;
		else if (k == TK_RBRACE || k == TK_RBRACK)
			depth--;
		else if (k == TK_ERROR)
			open = !strcmp(tl.v[i].text, "unterminated string");
	}
	tok_list_free(&tl);
	return open || depth > 0;
}

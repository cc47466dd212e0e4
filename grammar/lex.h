/* Tokens of the console language, with positions (1-based line, column). */
#ifndef ROSH_LEX_H
#define ROSH_LEX_H
#include <stdbool.h>
#include <stddef.h>

enum tok_kind {
	TK_EOF, TK_EOL,		/* end of input; newline or ';' */
	TK_WORD, TK_STRING,	/* bare word; "quoted" (text unescaped) */
	TK_VAR,			/* $name (text = name) */
	TK_EQ, TK_NE, TK_LT, TK_GT, TK_LE, TK_GE, TK_TILDE, TK_BANG,
	TK_LPAREN, TK_RPAREN, TK_LBRACK, TK_RBRACK, TK_LBRACE, TK_RBRACE,
	TK_ERROR,		/* text = message */
};

struct tok {
	enum tok_kind kind;
	char *text;		/* owned; NULL for punctuation */
	int line, col;
	bool space_before;	/* whitespace (or line start) precedes it */
	bool semicolon;		/* TK_EOL that was a ';' */
};

struct tok_list {
	struct tok *v;
	size_t n, cap;
};

/*
 * Split src into tokens. Comments (# at token start) and `\`-newline
 * continuations disappear; a `\`-newline inside a string continues the
 * string without the next line's indentation. Always ends with TK_EOF; on a
 * lexical error the last real token is a TK_ERROR carrying its position.
 * first_line numbers the first line of src.
 */
void lex_all(const char *src, int first_line, struct tok_list *out);
void tok_list_free(struct tok_list *l);
/* src ends inside a string, a { } block or [ ] command, or with a `\`:
 * an interactive shell reads more lines before running it. */
bool lex_incomplete(const char *src);
const char *tok_kind_name(enum tok_kind k);

#endif

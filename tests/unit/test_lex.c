/* Lexer: words, strings with escapes, comments, continuation, positions. */
#include "../../grammar/lex.h"
#include "tap.h"

static struct tok_list L;

static void lex(const char *s)
{
	tok_list_free(&L);
	lex_all(s, 1, &L);
}

int main(void)
{
	lex("/ip firewall filter add chain=input comment=\"a \\\"b\\\" \\4F\\_x\"");
	is_int(L.n, 11, "token count (with EOF)");
	is_str(L.v[0].text, "/ip", "path word");
	ok(L.v[4].kind == TK_WORD && L.v[5].kind == TK_EQ && !L.v[5].space_before,
	   "name= glued");
	is_str(L.v[9].text, "a \"b\" O x", "string escapes \\\" \\4F \\_");
	is_int(L.v[9].col, 45, "string column");

	lex("print # a comment\nadd x=\"#not\"");
	ok(L.v[1].kind == TK_EOL && L.v[2].line == 2, "comment to end of line");
	is_str(L.v[5].text, "#not", "# inside quotes is literal");

	lex("add a=1 \\\n    b=2");
	ok(L.v[4].kind == TK_WORD && L.v[4].line == 2, "backslash continuation joins lines");

	lex("add comment=\\\n    \"x y\" b=2");
	ok(L.v[2].kind == TK_EQ && L.v[3].kind == TK_STRING && !L.v[3].space_before,
	   "a break right after name= keeps the value glued");

	lex("set comment=\"long \\\n    text\"");
	is_str(L.v[3].text, "long text", "continuation inside a string drops indentation");

	lex("where a!=b and c~\"x\" timeout<30s");
	ok(L.v[2].kind == TK_NE && L.v[6].kind == TK_TILDE && L.v[9].kind == TK_LT,
	   "operators split words");
	lex("tcp-flags=syn,!ack in-interface-list=!LAN");
	is_str(L.v[2].text, "syn,!ack", "! inside a word");
	ok(L.v[5].kind == TK_BANG && L.v[6].kind == TK_WORD, "leading ! is a token");

	lex("add x='a'");
	ok(L.v[L.n - 2].kind == TK_ERROR && L.v[L.n - 2].col == 7,
	   "single quotes are a syntax error at the quote");
	lex("add comment=don't");
	is_str(L.v[3].text, "don't", "an apostrophe inside a word is literal");
	ok(lex_incomplete("add a=1 \\"), "trailing backslash: more to come");
	ok(lex_incomplete("/ip firewall filter {\nadd chain=input"), "open block");
	ok(lex_incomplete("add comment=\"two"), "open string");
	ok(lex_incomplete("remove [find"), "open [");
	ok(!lex_incomplete("{ add a=1 }"), "closed block is complete");
	ok(!lex_incomplete("add comment=\"a\\\"b\""), "escaped quote inside a string");
	ok(!lex_incomplete("add x=\"\\q\""), "a bad escape is an error, not more input");
	lex("add x=\"abc");
	ok(L.v[L.n - 2].kind == TK_ERROR, "unterminated string is an error");
	lex("add x=\"\\q\"");
	ok(L.v[L.n - 2].kind == TK_ERROR && L.v[L.n - 2].col == 8, "bad escape at its column");
	lex("add log-prefix=~~~VPN comment=F2B#3 x=a~b # c");
	is_str(L.v[3].text, "~~~VPN", "a value glued to name= may start with ~");
	is_str(L.v[6].text, "F2B#3", "# inside a value is no comment");
	is_str(L.v[9].text, "a~b", "~ inside a value");
	ok(L.v[10].kind == TK_EOF, "# after a space still starts a comment");
	lex("where comment~\"x\"");
	ok(L.v[2].kind == TK_TILDE, "~ after a name (not after =) is still an operator");
	lex("a; b\r\nc");
	ok(L.v[1].kind == TK_EOL && L.v[1].semicolon && L.v[4].line == 2, "; and CRLF");
	tok_list_free(&L);
	return done_testing();
}

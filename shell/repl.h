#ifndef ROSH_REPL_H
#define ROSH_REPL_H
#include "session.h"

/* The interactive console: readline, prompt, history, Tab, '?'. */
int repl_run(struct session *s);
/*
 * For `rosh --complete`: let completion offer item names (lists, chains),
 * entering namespace netns (NULL: stay) only when a name is needed.
 */
void repl_complete_setup(const char *netns);
#endif

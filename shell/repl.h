#ifndef ROSH_REPL_H
#define ROSH_REPL_H
#include "session.h"

/* The interactive console: readline, prompt, history, Tab, '?'. */
int repl_run(struct session *s);
#endif

/* Minimal TAP producer for rosh's unit tests (header-only). */
#ifndef ROSH_TAP_H
#define ROSH_TAP_H
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

__attribute__((format(printf, 2, 3), unused))
static int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	return cond;
}

__attribute__((unused))
static int is_str(const char *got, const char *want, const char *name)
{
	int c = got && want && strcmp(got, want) == 0;

	if (!ok(c, "%s", name))
		printf("#   got:  '%s'\n#   want: '%s'\n", got ? got : "(null)",
		       want ? want : "(null)");
	return c;
}

__attribute__((unused))
static int is_int(long long got, long long want, const char *name)
{
	int c = got == want;

	if (!ok(c, "%s", name))
		printf("#   got:  %lld\n#   want: %lld\n", got, want);
	return c;
}

__attribute__((unused))
static int done_testing(void)
{
	printf("1..%d\n", tap_n);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}
#endif

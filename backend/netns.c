/* Switching network namespace with setns(2), like `ip -n NAME`. */
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NETNS_RUN_DIR "/run/netns"

int netns_enter(const char *name, struct bk_err *e)
{
	char path[512];
	int fd, rc;

	/* A name is one path component, as ip-netns(8) requires. */
	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..") || strlen(name) > 255)
		return bk_fail(e, "invalid network namespace name");
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bk_fail(e, "network namespace %s: %s", name,
			       strerror(errno));
	rc = setns(fd, CLONE_NEWNET);
	if (rc < 0)
		bk_fail(e, "cannot enter network namespace %s: %s",
			name, strerror(errno));
	close(fd);
	return rc < 0 ? -1 : 0;
}

#include "match.h"

#include <string.h>

static const char *name_at(const void *base, size_t i, size_t stride)
{
	return *(const char *const *)((const char *)base + i * stride);
}

enum gr_match_rc gr_match_struct(const char *word, size_t len,
				 const void *base, size_t n, size_t stride,
				 size_t *idx)
{
	size_t hits = 0, hit = 0;

	for (size_t i = 0; i < n; i++) {
		const char *name = name_at(base, i, stride);

		if (!name || strncmp(name, word, len) != 0)
			continue;
		if (name[len] == '\0') {
			*idx = i;
			return GR_M_OK;
		}
		hits++;
		hit = i;
	}
	if (hits == 1) {
		*idx = hit;
		return GR_M_OK;
	}
	return hits ? GR_M_AMBIGUOUS : GR_M_NONE;
}

enum gr_match_rc gr_match(const char *word, size_t len,
			  const char *const *names, size_t n, size_t *idx)
{
	return gr_match_struct(word, len, names, n, sizeof(*names), idx);
}

/* fuzz_check.h — the checks every harness makes of a decoder's or loader's
 * result; each abort()s, which libFuzzer reports as a crash with the input
 * saved. Header-only: each harness is one translation unit. */
#ifndef FM_FUZZ_CHECK_H
#define FM_FUZZ_CHECK_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A rejection (r != 0) must not leave a half-filled struct behind. */
static inline void
fuzz_check_zeroed(int r, const void *p, size_t n)
{
	const unsigned char *b = p;

	if (r == 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (b[i] != 0)
			abort();
}

/* A string field must end inside its buffer. */
static inline void
fuzz_check_str(const char *s, size_t cap)
{
	if (strnlen(s, cap) == cap)
		abort();
}

/* Every reason has a name: "unknown" means out of range. */
static inline void
fuzz_check_named(const char *name)
{
	if (!name || name[0] == '\0' || strcmp(name, "unknown") == 0)
		abort();
}

#endif

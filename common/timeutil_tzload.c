/* timeutil_tzload.c — the one file of timeutil that touches the file system:
 * reads a TZif file from the zoneinfo directory and hands the bytes to
 * tu_tz_parse. Names are checked first so that no name can leave the
 * directory ("../", absolute paths, dot-files). */
#include "timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Real TZif files are under 4 KiB; anything far larger is not one. The buffer
 * lives on the stack so that loading is thread-safe. */
#define MAX_TZIF_BYTES (64 * 1024)

static int
name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '+' || ch == '-';
}

int
tu_tz_name_valid(const char *name)
{
	size_t n, comp = 0;

	if (name == NULL)
		return 0;
	n = strnlen(name, TU_ZONE_NAME_MAX + 1);
	if (n == 0 || n > TU_ZONE_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (name[i] == '/') {
			if (comp == 0)
				return 0;
			comp = 0;
		} else if (name_char(name[i])) {
			comp++;
		} else {
			return 0;
		}
	}
	return comp > 0;
}

int
tu_tz_load_dir(const char *dir, const char *name, struct tu_zone *z)
{
	unsigned char buf[MAX_TZIF_BYTES + 1];
	char path[4096];
	struct stat st;
	size_t len = 0;
	int fd = -1, rc = -1;

	memset(z, 0, sizeof(*z));
	if (!tu_tz_name_valid(name))
		return -1;
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		goto fail;
	while (len < sizeof(buf)) {
		ssize_t r = read(fd, buf + len, sizeof(buf) - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > MAX_TZIF_BYTES)
		goto fail;
	rc = tu_tz_parse(buf, len, name, z);
fail:
	if (fd >= 0)
		close(fd);
	return rc;
}

int
tu_tz_load(const char *name, struct tu_zone *z)
{
	return tu_tz_load_dir(TU_ZONEINFO_DIR, name, z);
}

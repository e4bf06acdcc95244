/* config_file.c — a configuration file read into memory for cfg_load_buf,
 * bounded by CFG_MAX_FILE_BYTES. */
#include "config.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct cfg_doc *
cfg_load(const char *path, struct cfg_errs *errs)
{
	struct cfg_doc *doc = NULL;
	size_t want = (size_t)CFG_MAX_FILE_BYTES + 1, len = 0;
	char *buf = NULL;
	struct stat sb;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		cfg_error_at(errs, path, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	/* Sized by the file (a daemon's fm.yaml is small), bounded by the cap:
	 * one byte more than the file (or the cap) is asked for, so a file that
	 * is too large, or grew while read, is told apart. */
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size < CFG_MAX_FILE_BYTES)
		want = (size_t)sb.st_size + 1;
	buf = xmalloc(want);
	len = fread(buf, 1, want, f);
	if (len == want && want <= CFG_MAX_FILE_BYTES) {
		cfg_error_at(errs, path, 0, "changed while being read");
		goto fail;
	}
	if (ferror(f)) {
		cfg_error_at(errs, path, 0, "cannot read: %s", strerror(errno));
		goto fail;
	}
	if (len > CFG_MAX_FILE_BYTES) {
		cfg_error_at(errs, path, 0, "file too large (more than %d bytes)",
			     CFG_MAX_FILE_BYTES);
		goto fail;
	}
	doc = cfg_load_buf(path, buf, len, errs);
fail:
	free(buf);
	fclose(f);
	return doc;
}

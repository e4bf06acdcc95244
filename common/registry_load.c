/* registry_load.c — the I/O half of the registry: reads the registry files
 * of a configuration directory and checks that time zones exist on this
 * machine. All checking of content is reg_build's (pure). */
#include "registry.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int
reg_check_timezones(const struct reg *reg, const char *zoneinfo_dir, struct cfg_errs *errs)
{
	int rc = 0;

	for (size_t i = 0; i < reg->n_sites; i++) {
		const struct reg_site *s = &reg->sites[i];
		char path[512];
		struct stat st;

		/* reg_build has refused names that could leave zoneinfo_dir. */
		if (!s->timezone[0] || strstr(s->timezone, "..") || s->timezone[0] == '/')
			continue;
		snprintf(path, sizeof path, "%s/%s", zoneinfo_dir, s->timezone);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			continue;
		cfg_error(errs, cfg_get(s->node, "timezone"),
			  "timezone: unknown time zone '%s' (no %s)", s->timezone, path);
		rc = -1;
	}
	return rc;
}

int
reg_load_dir(const char *dir, struct reg *out, struct cfg_errs *errs)
{
	static const char *const files[] = {REG_FILE_SITES, REG_FILE_DEVICES, REG_FILE_PEOPLE};
	size_t before = errs->n + errs->dropped;
	struct cfg_doc *docs[3];

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < 3; i++) {
		char path[1024];

		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		docs[i] = cfg_load(path, errs);
	}
	memcpy(out->docs, docs, sizeof docs);
	reg_build(out, docs[0], docs[1], docs[2], errs);
	reg_check_timezones(out, "/usr/share/zoneinfo", errs);
	return errs->n + errs->dropped == before ? 0 : -1;
}

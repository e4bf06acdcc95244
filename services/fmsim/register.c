/* register.c — `fmsim load --register DIR`: the registry files that
 * `fmctl apply DIR` needs for the simulated devices: one site (time zone
 * UTC), N meter_power devices, and the smallest people.yaml fmctl accepts (a
 * placeholder duty engineer on an all-day shift, capacity 0, so no work is
 * ever assigned to it). Every id carries the prefix, so nothing of another
 * site's configuration is touched. It connects to nothing. */
#include "load.h"

#include "registry.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The writer of one file's body. */
typedef int (*body_fn)(FILE *f, const struct load_conf *lc);

static int
site_body(FILE *f, const struct load_conf *lc)
{
	fprintf(f,
		"# site.yaml — written by `fmsim load --register`: the load generator's site.\n"
		"sites:\n"
		"  - id: %s\n"
		"    name: fmsim load generator %s\n"
		"    timezone: UTC\n",
		lc->site, lc->site);
	return 0;
}

static int
devices_body(FILE *f, const struct load_conf *lc)
{
	char id[ORACLE_ID_MAX + 1];

	fprintf(f,
		"# devices.yaml — written by `fmsim load --register`: %lld simulated devices.\n"
		"site: %s\n"
		"devices:\n",
		lc->devices, lc->site);
	for (long long i = 0; i < lc->devices; i++) {
		if (loadmsg_device_id(id, sizeof id, lc->prefix, i) < 0)
			return -1;
		fprintf(f, "  - {id: %s, type: meter_power, name: fmsim load device %lld}\n", id,
			i + 1);
	}
	return 0;
}

static int
people_body(FILE *f, const struct load_conf *lc)
{
	fprintf(f,
		"# people.yaml — written by `fmsim load --register`. fmctl requires a duty\n"
		"# engineer covering the whole day; this placeholder takes no work (capacity 0).\n"
		"skills: []\n"
		"people:\n"
		"  - id: %s-duty\n"
		"    name: fmsim load placeholder\n"
		"    roles: [duty_engineer]\n"
		"    capacity: 0\n"
		"shifts:\n"
		"  - id: %s-day\n"
		"    name: fmsim load all day\n"
		"    start: \"00:00\"\n"
		"    end: \"00:00\"\n"
		"roster:\n"
		"  - shift: %s-day\n"
		"    days: [mon, tue, wed, thu, fri, sat, sun]\n"
		"    people: [%s-duty]\n",
		lc->prefix, lc->prefix, lc->prefix, lc->prefix);
	return 0;
}

/* Writes dir/name through dir/.name.tmp and a rename. */
static int
write_file(const char *dir, const char *name, body_fn body, const struct load_conf *lc)
{
	char path[4096], tmp[4096];
	FILE *f;

	if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path ||
	    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name) >= (int)sizeof tmp) {
		fprintf(stderr, "fmsim load: --register: path too long\n");
		return -1;
	}
	f = fopen(tmp, "w");
	if (!f)
		goto fail;
	if (body(f, lc) < 0) {
		fclose(f);
		errno = EINVAL;
		goto fail;
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "fmsim load: cannot write %s: %m\n", path);
	unlink(tmp);
	return -1;
}

int
load_register(const struct load_conf *lc, const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "fmsim load: cannot create %s: %m\n", dir);
		return -1;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "fmsim load: %s is not a directory\n", dir);
		return -1;
	}
	if (write_file(dir, REG_FILE_SITES, site_body, lc) < 0 ||
	    write_file(dir, REG_FILE_DEVICES, devices_body, lc) < 0 ||
	    write_file(dir, REG_FILE_PEOPLE, people_body, lc) < 0)
		return -1;
	return 0;
}

/* devices.c — loads ingestd's device map from PostgreSQL and keeps a cache
 * of it on disk. The cache is only a fallback for a start while the
 * database is down; the database is the truth whenever it answers. */
#include "devices.h"

#include "db.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct devmap *
devices_load_db(struct db *db)
{
	struct db_res *r = NULL;
	struct devmap *m;

	if (db_exec(db, "SELECT device_id, site_id FROM devices", 0, NULL, &r) != DB_OK) {
		log_warn("devices_load_failed", "error=\"%s\"", db_error(db));
		return NULL;
	}
	m = devmap_new(db_res_rows(r));
	for (size_t i = 0; i < db_res_rows(r); i++)
		if (devmap_put(m, db_res_get(r, i, 0), db_res_get(r, i, 1)) < 0)
			log_warn("devices_bad_row", "device=%.64s", db_res_get(r, i, 0));
	db_res_free(r);
	return m;
}

static int
write_entry(void *ctx, const char *device, const char *site)
{
	return fprintf(ctx, "%s\t%s\n", device, site) < 0;
}

int
devices_save_cache(const struct devmap *m, const char *path)
{
	char tmp[512];
	FILE *f;
	int bad;

	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		log_warn("devices_cache_failed", "path=%s error=\"%s\"", tmp, strerror(errno));
		return -1;
	}
	bad = devmap_each(m, write_entry, f);
	bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		log_warn("devices_cache_failed", "path=%s error=\"%s\"", path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}

struct devmap *
devices_load_cache(const char *path)
{
	char line[256], dev[65], site[65];
	struct devmap *m;
	size_t n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	while (fgets(line, sizeof line, f))
		n++;
	rewind(f);
	m = devmap_new(n);
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "%64[^\t]\t%64[^\n]", dev, site) != 2 ||
		    devmap_put(m, dev, site) < 0) {
			log_warn("devices_cache_corrupt", "path=%s", path);
			devmap_free(m);
			fclose(f);
			return NULL;
		}
	fclose(f);
	return m;
}

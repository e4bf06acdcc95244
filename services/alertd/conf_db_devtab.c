/* conf_db_devtab.c — the devices for alertd's engine, read compactly: id,
 * site, asset type and name from devices, and the supply graph from
 * device_feeds (see devtab.h for why not the whole registry record). */
#include "alertd/conf_db_int.h"
#include "alertd/devtab.h"
#include "db.h"

#include <string.h>

static const char devices_sql[] = "SELECT device_id, site_id, asset_type, name FROM devices"
				  " ORDER BY device_id COLLATE \"C\"";
static const char feeds_sql[] = "SELECT from_device, to_device FROM device_feeds"
				" ORDER BY from_device COLLATE \"C\", to_device COLLATE \"C\"";

static long
find(const struct devtab *t, const char *id)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) { /* rows came in id order */
		size_t mid = (lo + hi) / 2;
		int c = strcmp(id, t->v[mid].id);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

int
cdb_load_devtab(struct cdb *c, struct devtab *t)
{
	struct db_res *r = NULL;
	int rc = 0;

	if (cdb_query(c, "devices", devices_sql, &r) < 0)
		return -1;
	for (size_t i = 0; i < db_res_rows(r) && rc == 0; i++) {
		const char *id = db_res_get(r, i, 0), *site = db_res_get(r, i, 1);
		const char *type = db_res_get(r, i, 2), *name = db_res_get(r, i, 3);
		int ti = type ? reg_name_index(reg_asset_types, type) : -1;

		if (!id || !site || ti < 0)
			rc = cdb_fail(c, "device %s: unknown asset type %s", id ? id : "?",
				      type ? type : "NULL");
		else if (devtab_add(t, id, site, ti, name) < 0)
			rc = cdb_fail(c, "devices: out of memory");
	}
	db_res_free(r);
	if (rc < 0 || cdb_query(c, "device feeds", feeds_sql, &r) < 0)
		return -1;
	for (size_t i = 0; i < db_res_rows(r) && rc == 0; i++) {
		const char *from = db_res_get(r, i, 0), *to = db_res_get(r, i, 1);
		long k = from && to ? find(t, from) : -1;

		if (k < 0)
			rc = cdb_fail(c, "device feeds: %s is not a device", from ? from : "NULL");
		else if (devtab_add_feed(t, (size_t)k, to) < 0)
			rc = cdb_fail(c, "device feeds: out of memory");
	}
	db_res_free(r);
	return rc;
}

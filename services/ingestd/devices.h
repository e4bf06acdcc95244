/* devices.h — where ingestd's device map comes from: the devices table in
 * PostgreSQL, and a cache file in the spool directory that lets ingestd
 * start validating while the database is down. */
#ifndef INGESTD_DEVICES_H
#define INGESTD_DEVICES_H

#include "devmap.h"

struct db;

/* Loads every device and its site. Returns a new map, or NULL (logged). */
struct devmap *
devices_load_db(struct db *db);
/* Writes the map to path atomically (temp file + rename). 0 or -1. */
int
devices_save_cache(const struct devmap *m, const char *path);
/* Reads a cache file written by devices_save_cache, or NULL. */
struct devmap *
devices_load_cache(const char *path);

#endif

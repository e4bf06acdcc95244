/* config_list.c — what every configuration loader does with its lists of
 * records (rules:, plans:): the list's shape and size, items that are not
 * mappings, ids given twice, and where to point an error about a key. */
#include "config.h"

#include <string.h>

const struct cfg_node *
cfg_at(const struct cfg_node *map, const char *key)
{
	const struct cfg_node *v = cfg_get(map, key);

	return v ? v : map;
}

int
cfg_has(const struct cfg_node *map, const char *key)
{
	return !cfg_is_null(cfg_get(map, key));
}

int
cfg_check_list(const struct cfg_node *list, const char *key, size_t max, struct cfg_errs *errs)
{
	if (cfg_kind(list) != CFG_SEQ) {
		cfg_error(errs, list, "%s: expected a list of %s, each starting with '- id:'", key,
			  key);
		return -1;
	}
	if (cfg_len(list) > max) {
		cfg_error(errs, list, "%s: too many %s (%zu, at most %zu)", key, key, cfg_len(list),
			  max);
		return -1;
	}
	return 0;
}

const struct cfg_node *
cfg_list_map(const struct cfg_node *list, size_t i, const char *key, const char *item,
	     struct cfg_errs *errs)
{
	const struct cfg_node *it = cfg_item(list, i);

	if (cfg_kind(it) == CFG_MAP)
		return it;
	cfg_error(errs, it, "%s: each %s must be a mapping of key: value", key, item);
	return NULL;
}

void
cfg_check_unique_ids(const void *items, size_t n, size_t stride, size_t id_off, size_t node_off,
		     const char *item, struct cfg_errs *errs)
{
	const char *base = items;

	for (size_t i = 0; i < n; i++) {
		const char *id = base + i * stride + id_off;
		const struct cfg_node *node;

		memcpy(&node, base + i * stride + node_off, sizeof node);
		for (size_t k = 0; id[0] && k < i; k++) {
			const struct cfg_node *first;

			if (strcmp(id, base + k * stride + id_off) != 0)
				continue;
			memcpy(&first, base + k * stride + node_off, sizeof first);
			cfg_error(errs, cfg_at(node, "id"), "duplicate %s id '%s' (first at %s:%d)",
				  item, id, cfg_file(first), cfg_line(first));
			break;
		}
	}
}

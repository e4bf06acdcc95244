/* registry_int.h — helpers shared by the registry_*.c files only; services
 * use registry.h. */
#ifndef FM_REGISTRY_INT_H
#define FM_REGISTRY_INT_H

#include "registry.h"

/* Binds each mapping of the sequence list into an array of records of size
 * stride (allocated with room for every item, zeroed) and stores the item's
 * node at node_off in its record. Returns the number bound; items that fail
 * binding are still kept so cross-checks can run. */
size_t
reg_bind_list(const struct cfg_node *list, const char *what, const struct cfg_field *fields,
	      void **recs, size_t stride, size_t node_off, struct cfg_errs *errs);

/* Binds a file's top-level mapping. An empty file is an error naming the file. */
int
reg_bind_file(const struct cfg_doc *doc, const struct cfg_field *fields, void *target,
	      struct cfg_errs *errs);

/* Sorts a view of records (id first) and reports duplicate ids (at the
 * later record) and malformed ids. what: "device", "person", ... */
void
reg_idx_build(struct reg_idx *ix, const void *base, size_t n, size_t stride, const char *what,
	      struct cfg_errs *errs);
const void *
reg_idx_find(const struct reg_idx *ix, const char *id);

/* The value node of key in map for positions, or map itself. */

/* Checks a list of references against an index; reports each unknown one
 * at its item's line. what: "skill", "area", ... */
int
reg_check_refs(const struct cfg_strlist *l, const struct cfg_node *rec, const struct reg_idx *ix,
	       const char *key, const char *what, struct cfg_errs *errs);

/* A "YYYY-MM-DD" field: "" is allowed; anything else must be a real date. */
int
reg_check_date(const char *s, const struct cfg_node *rec, const char *key, struct cfg_errs *errs);

int
reg_build_sites(struct reg *reg, const struct cfg_doc *doc, struct cfg_errs *errs);
int
reg_build_devices(struct reg *reg, const struct cfg_doc *doc, struct cfg_errs *errs);
int
reg_build_people(struct reg *reg, const struct cfg_doc *doc, struct cfg_errs *errs);
/* The roster section of people.yaml, after people and shifts are known. */
int
reg_build_roster(struct reg *reg, const struct cfg_node *list, struct cfg_errs *errs);
/* The duty post must be staffed around the clock. */
int
reg_check_coverage(const struct reg *reg, const struct cfg_node *at, struct cfg_errs *errs);

#endif

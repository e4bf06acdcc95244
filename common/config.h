/* config.h — YAML configuration files: the only user of libyaml.
 * A file is parsed into a tree of nodes that remember file:line. Declarative
 * field tables bind a mapping into a struct: defaults, bounds, enums,
 * durations, and unknown keys rejected. Every problem is collected as
 * "file:line: message" so a checker can report all of them at once. */
#ifndef FM_CONFIG_H
#define FM_CONFIG_H

#include <stddef.h>
#include <stdio.h>

/* ---- errors ---------------------------------------------------------- */
struct cfg_errs {
	char **msg; /* "file:line: message", owned */
	size_t n, cap;
	size_t dropped; /* messages past CFG_MAX_ERRS, counted only */
};
void
cfg_errs_init(struct cfg_errs *e);
void
cfg_errs_free(struct cfg_errs *e);
/* Writes every message, one per line (and how many were dropped). */
void
cfg_errs_print(const struct cfg_errs *e, FILE *out);

struct cfg_node;
/* Adds "file:line: message" for node at (at may be NULL: no position).
 * cfg_error_at with line <= 0 writes "file: message", with file NULL just
 * "message". At most CFG_MAX_ERRS messages are kept; the rest are counted. */
#define CFG_MAX_ERRS 500
void
cfg_error(struct cfg_errs *e, const struct cfg_node *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void
cfg_error_at(struct cfg_errs *e, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- the document tree ------------------------------------------------ */
/* Bounds on input: larger files and deeper nesting are rejected. */
#define CFG_MAX_FILE_BYTES (64 * 1024 * 1024) /* devices.yaml of 100,000 devices: 7 MB */
#define CFG_MAX_DEPTH 32

enum cfg_kind { CFG_SCALAR, CFG_MAP, CFG_SEQ };
struct cfg_doc;

/* Parses path. Returns NULL (and adds the error) when the file cannot be read
 * or is not valid YAML; duplicate keys in a mapping are errors. Aliases and
 * anchors are refused. Caller owns the result: cfg_doc_free (NULL is a no-op). */
struct cfg_doc *
cfg_load(const char *path, struct cfg_errs *errs);
/* The same from memory; name is used as the file name in messages. */
struct cfg_doc *
cfg_load_buf(const char *name, const char *buf, size_t len, struct cfg_errs *errs);
void
cfg_doc_free(struct cfg_doc *doc);
/* The file name the document was loaded under (owned by doc). */
const char *
cfg_doc_file(const struct cfg_doc *doc);
/* The root node, or NULL for an empty document. Nodes live as long as doc. */
const struct cfg_node *
cfg_doc_root(const struct cfg_doc *doc);

enum cfg_kind
cfg_kind(const struct cfg_node *n);
const char *
cfg_file(const struct cfg_node *n);
int
cfg_line(const struct cfg_node *n);
/* Scalar text, or NULL when n is not a scalar. */
const char *
cfg_str(const struct cfg_node *n);
/* 1 when the scalar was written quoted ('x' or "x"), 0 when plain or not a scalar. */
int
cfg_quoted(const struct cfg_node *n);
/* 1 when n is NULL or a plain null scalar (empty, ~, null): YAML's "no value".
 * The binder treats such a value like an absent key. */
int
cfg_is_null(const struct cfg_node *n);
/* Number of items (sequence) or pairs (mapping); 0 for a scalar. */
size_t
cfg_len(const struct cfg_node *n);
/* Item i of a sequence. */
const struct cfg_node *
cfg_item(const struct cfg_node *seq, size_t i);
/* Pair i of a mapping: its key text and value node. */
const char *
cfg_key(const struct cfg_node *map, size_t i);
const struct cfg_node *
cfg_value(const struct cfg_node *map, size_t i);
/* The key of pair i as a node (for its line). */
const struct cfg_node *
cfg_key_node(const struct cfg_node *map, size_t i);
/* The value for key in a mapping, or NULL. */
const struct cfg_node *
cfg_get(const struct cfg_node *map, const char *key);

/* ---- declarative binding ------------------------------------------------ */
enum cfg_type {
	CFG_T_STR,      /* char[size]; length must fit; max = max length if > 0 */
	CFG_T_INT,      /* int; bounds min..max */
	CFG_T_LLONG,    /* long long; bounds; accepts suffixes k M G (x1024) */
	CFG_T_DOUBLE,   /* double; bounds */
	CFG_T_BOOL,     /* int 0/1; true/false only */
	CFG_T_ENUM,     /* int index into names[] */
	CFG_T_DURATION, /* long long milliseconds: "250ms" "30s" "5m" "2h" "7d"; bounds in ms */
	CFG_T_SECTION,  /* nested mapping bound with sub into target+offset */
	CFG_T_NODE,     /* const struct cfg_node * stored as-is (for lists the caller walks) */
	CFG_T_STRLIST,  /* struct cfg_strlist: a sequence of non-empty scalars; max = most
			 * items if > 0; size = longest item in bytes; default "" only */
};

/* A list of strings bound by CFG_T_STRLIST. Owned by the bound struct: free
 * with cfg_strlist_free (a zeroed list is empty and needs no freeing). */
struct cfg_strlist {
	char **v;  /* n strings */
	int *line; /* line of each item, for cross-reference messages */
	size_t n;
};
void
cfg_strlist_free(struct cfg_strlist *l);
/* Index of s in l, or -1. */
int
cfg_strlist_find(const struct cfg_strlist *l, const char *s);

struct cfg_field {
	const char *key;
	enum cfg_type type;
	size_t offset;               /* offsetof(target struct, field) */
	size_t size;                 /* CFG_T_STR: buffer size */
	const char *def;             /* default as YAML text; NULL means required */
	double min, max;             /* bounds (numbers, durations); ignored when min == max == 0 */
	const char *const *names;    /* CFG_T_ENUM: NULL-terminated */
	const struct cfg_field *sub; /* CFG_T_SECTION */
};
/* A table ends with { NULL }. Helpers for readable tables: */
#define CFG_STR(k, T, f, d)                                                                        \
	{                                                                                          \
		k, CFG_T_STR, offsetof(T, f), sizeof(((T *)0)->f), d, 0, 0, NULL, NULL             \
	}
#define CFG_INT(k, T, f, d, lo, hi)                                                                \
	{                                                                                          \
		k, CFG_T_INT, offsetof(T, f), 0, d, lo, hi, NULL, NULL                             \
	}
#define CFG_LLONG(k, T, f, d, lo, hi)                                                              \
	{                                                                                          \
		k, CFG_T_LLONG, offsetof(T, f), 0, d, lo, hi, NULL, NULL                           \
	}
#define CFG_DOUBLE(k, T, f, d, lo, hi)                                                             \
	{                                                                                          \
		k, CFG_T_DOUBLE, offsetof(T, f), 0, d, lo, hi, NULL, NULL                          \
	}
#define CFG_BOOL(k, T, f, d)                                                                       \
	{                                                                                          \
		k, CFG_T_BOOL, offsetof(T, f), 0, d, 0, 0, NULL, NULL                              \
	}
#define CFG_ENUM(k, T, f, d, names)                                                                \
	{                                                                                          \
		k, CFG_T_ENUM, offsetof(T, f), 0, d, 0, 0, names, NULL                             \
	}
#define CFG_DURATION(k, T, f, d, lo, hi)                                                           \
	{                                                                                          \
		k, CFG_T_DURATION, offsetof(T, f), 0, d, lo, hi, NULL, NULL                        \
	}
#define CFG_SECTION(k, T, f, sub)                                                                  \
	{                                                                                          \
		k, CFG_T_SECTION, offsetof(T, f), 0, "{}", 0, 0, NULL, sub                         \
	}
#define CFG_NODE(k, T, f)                                                                          \
	{                                                                                          \
		k, CFG_T_NODE, offsetof(T, f), 0, "", 0, 0, NULL, NULL                             \
	}
#define CFG_NODE_REQUIRED(k, T, f)                                                                 \
	{                                                                                          \
		k, CFG_T_NODE, offsetof(T, f), 0, NULL, 0, 0, NULL, NULL                           \
	}
#define CFG_STRLIST(k, T, f, d, max_items, max_len)                                                \
	{                                                                                          \
		k, CFG_T_STRLIST, offsetof(T, f), max_len, d, 0, max_items, NULL, NULL             \
	}
#define CFG_END                                                                                    \
	{                                                                                          \
		NULL, 0, 0, 0, NULL, 0, 0, NULL, NULL                                              \
	}

/* Binds mapping map (NULL: all defaults) into target: fills defaults, checks
 * types and bounds, reports missing required keys and unknown keys. Returns 0
 * when no error was added, -1 otherwise.
 * Scalars: numbers and booleans must be plain (a quoted "123" is a string in
 * YAML and is refused for a number); strings, enum names and durations may be
 * plain or quoted. A null value (empty, ~, null) counts as absent. target must
 * be zero-initialised or previously bound (STRLIST fields are replaced). */
int
cfg_bind(const struct cfg_node *map, const struct cfg_field *fields, void *target,
	 struct cfg_errs *errs);

/* Parses a duration ("250ms", "30s", "5m", "2h", "7d", or a bare number of
 * seconds) into milliseconds. Returns 0 or -1. Pure. */
int
cfg_parse_duration(const char *s, long long *out_ms);

/* ---- Lists of records (config_list.c) ---------------------------------- */

/* The value node of key in map, for an error's position, or map itself when
 * the key is absent. */
const struct cfg_node *
cfg_at(const struct cfg_node *map, const char *key);
/* 1 when map has key with a non-null value. */
int
cfg_has(const struct cfg_node *map, const char *key);
/* A file's list of records under key (rules:, plans:) must be a sequence of
 * at most max items: 0, or -1 with the error reported. */
int
cfg_check_list(const struct cfg_node *list, const char *key, size_t max, struct cfg_errs *errs);
/* Item i of that list when it is a mapping; else NULL with the error
 * reported ("<key>: each <item> must be a mapping of key: value"). */
const struct cfg_node *
cfg_list_map(const struct cfg_node *list, size_t i, const char *key, const char *item,
	     struct cfg_errs *errs);
/* Reports every record whose id (a char array at id_off) an earlier one has,
 * at its "id" key, naming where the first is (its node, a const struct
 * cfg_node * at node_off). items: n records of stride bytes. "" ids are
 * left to the field checks. */
void
cfg_check_unique_ids(const void *items, size_t n, size_t stride, size_t id_off, size_t node_off,
		     const char *item, struct cfg_errs *errs);

#endif

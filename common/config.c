/* config.c — reads a YAML file into an owned tree of nodes that remember
 * file:line; the only user of libyaml. The plain subset a configuration
 * needs: no anchors, aliases or tags, one document, unique scalar keys,
 * bounded size and depth. Binding: config_bind.c; errors: config_errs.c. */
#include "config.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct cfg_node {
	enum cfg_kind kind;
	int line; /* 1-based */
	int quoted;
	const char *file;      /* owned by the document */
	char *str;             /* scalar text */
	struct cfg_node **key; /* mapping keys (scalars) */
	struct cfg_node **val; /* sequence items, or mapping values */
	size_t n, cap;
};

struct cfg_doc {
	char *file;
	struct cfg_node *root;
};

/* ---- the tree ---------------------------------------------------------- */

static struct cfg_node *
node_new(struct cfg_doc *doc, enum cfg_kind kind, int line)
{
	struct cfg_node *n = xcalloc(1, sizeof *n);

	n->kind = kind;
	n->line = line;
	n->file = doc->file;
	return n;
}

static void
node_free(struct cfg_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		if (n->key)
			node_free(n->key[i]);
		node_free(n->val[i]);
	}
	free(n->key);
	free(n->val);
	free(n->str);
	free(n);
}

/* Appends an item (key NULL) or a pair to a collection. */
static void
node_add(struct cfg_node *n, struct cfg_node *key, struct cfg_node *val)
{
	if (n->n == n->cap) {
		n->cap = n->cap ? 2 * n->cap : 4;
		n->val = realloc(n->val, n->cap * sizeof *n->val);
		if (n->kind == CFG_MAP)
			n->key = realloc(n->key, n->cap * sizeof *n->key);
		if (!n->val || (n->kind == CFG_MAP && !n->key))
			fatal("out of memory");
	}
	if (n->kind == CFG_MAP)
		n->key[n->n] = key;
	n->val[n->n++] = val;
}

void
cfg_doc_free(struct cfg_doc *doc)
{
	if (!doc)
		return;
	node_free(doc->root);
	free(doc->file);
	free(doc);
}

const char *
cfg_doc_file(const struct cfg_doc *doc)
{
	return doc->file;
}

const struct cfg_node *
cfg_doc_root(const struct cfg_doc *doc)
{
	return doc ? doc->root : NULL;
}

enum cfg_kind
cfg_kind(const struct cfg_node *n)
{
	return n->kind;
}

const char *
cfg_file(const struct cfg_node *n)
{
	return n->file;
}

int
cfg_line(const struct cfg_node *n)
{
	return n->line;
}

const char *
cfg_str(const struct cfg_node *n)
{
	return n && n->kind == CFG_SCALAR ? n->str : NULL;
}

int
cfg_quoted(const struct cfg_node *n)
{
	return n && n->kind == CFG_SCALAR && n->quoted;
}

int
cfg_is_null(const struct cfg_node *n)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};

	if (!n)
		return 1;
	if (n->kind != CFG_SCALAR || n->quoted)
		return 0;
	for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
		if (strcmp(n->str, nulls[i]) == 0)
			return 1;
	return 0;
}

size_t
cfg_len(const struct cfg_node *n)
{
	return n && n->kind != CFG_SCALAR ? n->n : 0;
}

const struct cfg_node *
cfg_item(const struct cfg_node *seq, size_t i)
{
	return seq && seq->kind == CFG_SEQ && i < seq->n ? seq->val[i] : NULL;
}

const char *
cfg_key(const struct cfg_node *map, size_t i)
{
	return map && map->kind == CFG_MAP && i < map->n ? map->key[i]->str : NULL;
}

const struct cfg_node *
cfg_key_node(const struct cfg_node *map, size_t i)
{
	return map && map->kind == CFG_MAP && i < map->n ? map->key[i] : NULL;
}

const struct cfg_node *
cfg_value(const struct cfg_node *map, size_t i)
{
	return map && map->kind == CFG_MAP && i < map->n ? map->val[i] : NULL;
}

const struct cfg_node *
cfg_get(const struct cfg_node *map, const char *key)
{
	if (!map || map->kind != CFG_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->key[i]->str, key) == 0)
			return map->val[i];
	return NULL;
}

/* ---- parsing ------------------------------------------------------------ */

struct parse {
	yaml_parser_t yp;
	struct cfg_doc *doc;
	struct cfg_errs *errs;
	const char *buf;
	size_t len;
	int dups;      /* duplicate keys found: the document is refused */
	int last_line; /* end_line(), once known (0: not yet) */
};

/* Line of a byte offset, for reader errors that carry no mark. */
static int
offset_line(const struct parse *ps, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off && i < ps->len; i++)
		if (ps->buf[i] == '\n')
			line++;
	return line;
}

/* The last line as an editor counts it (a final break ends the last line);
 * breaks as libyaml counts them: LF, CR LF, a lone CR. Counted once. */
static int
end_line(struct parse *ps)
{
	size_t n = ps->len;
	int line = 1;

	if (ps->last_line)
		return ps->last_line;
	if (n > 0 && ps->buf[n - 1] == '\n')
		n -= n > 1 && ps->buf[n - 2] == '\r' ? 2 : 1;
	else if (n > 0 && ps->buf[n - 1] == '\r')
		n--;
	for (size_t i = 0; i < n; i++)
		if (ps->buf[i] == '\n' ||
		    (ps->buf[i] == '\r' && (i + 1 == n || ps->buf[i + 1] != '\n')))
			line++;
	return ps->last_line = line;
}

/* A libyaml mark as a line of the file. At the end of the text (a syntax
 * error, an empty value after "? key") libyaml has moved to a line past the
 * last: that is the end of the last line. (mark.index counts characters.) */
static int
mark_line(struct parse *ps, const yaml_mark_t *m)
{
	int last = end_line(ps);

	return (int)m->line + 1 > last ? last : (int)m->line + 1;
}

static int
next_event(struct parse *ps, yaml_event_t *ev)
{
	const yaml_parser_t *p = &ps->yp;
	const char *file = ps->doc->file;

	if (yaml_parser_parse(&ps->yp, ev))
		return 0;
	if (p->error == YAML_READER_ERROR)
		cfg_error_at(ps->errs, file, offset_line(ps, p->problem_offset), "invalid text: %s",
			     p->problem ? p->problem : "unreadable input");
	else if (p->error == YAML_MEMORY_ERROR)
		fatal("out of memory");
	else if (p->context)
		cfg_error_at(ps->errs, file, mark_line(ps, &p->problem_mark),
			     "syntax error: %s (%s at line %d)", p->problem, p->context,
			     mark_line(ps, &p->context_mark));
	else
		cfg_error_at(ps->errs, file, mark_line(ps, &p->problem_mark), "syntax error: %s",
			     p->problem ? p->problem : "invalid YAML");
	return -1;
}

static int
ev_line(struct parse *ps, const yaml_event_t *ev)
{
	return mark_line(ps, &ev->start_mark);
}

/* Refuses the YAML features a configuration does not need and that would
 * let one value silently stand for another. */
static int
check_props(struct parse *ps, const yaml_event_t *ev)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;

	if (ev->type == YAML_SCALAR_EVENT) {
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
	} else if (ev->type == YAML_SEQUENCE_START_EVENT) {
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
	} else if (ev->type == YAML_MAPPING_START_EVENT) {
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
	}
	if (anchor) {
		cfg_error_at(ps->errs, ps->doc->file, ev_line(ps, ev),
			     "anchors (&%s) are not supported: write the value out", anchor);
		return -1;
	}
	if (tag) {
		cfg_error_at(ps->errs, ps->doc->file, ev_line(ps, ev),
			     "tags (%s) are not supported", tag);
		return -1;
	}
	return 0;
}

static int
by_key_then_line(const void *a, const void *b)
{
	const struct cfg_node *x = *(const struct cfg_node *const *)a;
	const struct cfg_node *y = *(const struct cfg_node *const *)b;
	int c = strcmp(x->str, y->str);

	if (c)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

/* Sorting a copy of the keys keeps this O(n log n) for hostile input. */
static void
check_dup_keys(struct parse *ps, const struct cfg_node *map)
{
	struct cfg_node **k;

	if (map->n < 2)
		return;
	k = xmalloc(map->n * sizeof *k);
	memcpy(k, map->key, map->n * sizeof *k);
	qsort(k, map->n, sizeof *k, by_key_then_line);
	for (size_t i = 1; i < map->n; i++) {
		if (strcmp(k[i - 1]->str, k[i]->str) != 0)
			continue;
		cfg_error(ps->errs, k[i], "duplicate key '%s' (first at line %d)", k[i]->str,
			  k[i - 1]->line);
		ps->dups++;
	}
	free(k);
}

static struct cfg_node *
parse_node(struct parse *ps, yaml_event_t *ev, int depth);

static struct cfg_node *
parse_scalar(struct parse *ps, const yaml_event_t *ev)
{
	struct cfg_node *n = node_new(ps->doc, CFG_SCALAR, ev_line(ps, ev));
	size_t len = ev->data.scalar.length;

	if (memchr(ev->data.scalar.value, '\0', len)) {
		cfg_error(ps->errs, n, "a NUL character is not allowed in a value");
		node_free(n);
		return NULL;
	}
	n->str = xmalloc(len + 1);
	memcpy(n->str, ev->data.scalar.value, len);
	n->str[len] = '\0';
	n->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		    ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	return n;
}

/* Parses the items of a sequence or the pairs of a mapping until its end event. */
static int
parse_children(struct parse *ps, struct cfg_node *n, int depth)
{
	yaml_event_type_t end =
		n->kind == CFG_MAP ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
	struct cfg_node *key = NULL, *val;
	yaml_event_t ev;

	for (;;) {
		if (next_event(ps, &ev) < 0)
			return -1;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (n->kind == CFG_MAP) {
			if (ev.type != YAML_SCALAR_EVENT) {
				cfg_error_at(ps->errs, ps->doc->file, ev_line(ps, &ev),
					     "mapping keys must be plain text, not a list, mapping "
					     "or alias");
				yaml_event_delete(&ev);
				return -1;
			}
			key = parse_node(ps, &ev, depth + 1);
			if (!key)
				return -1;
			if (next_event(ps, &ev) < 0)
				goto fail;
		}
		val = parse_node(ps, &ev, depth + 1);
		if (!val)
			goto fail;
		node_add(n, key, val);
		key = NULL;
	}
fail:
	node_free(key);
	return -1;
}

/* Takes the node's first event (and deletes it); consumes through its end. */
static struct cfg_node *
parse_node(struct parse *ps, yaml_event_t *ev, int depth)
{
	struct cfg_node *n = NULL;

	if (depth > CFG_MAX_DEPTH) {
		cfg_error_at(ps->errs, ps->doc->file, ev_line(ps, ev),
			     "nested deeper than %d levels", CFG_MAX_DEPTH);
		goto fail;
	}
	if (ev->type == YAML_ALIAS_EVENT) {
		cfg_error_at(ps->errs, ps->doc->file, ev_line(ps, ev),
			     "aliases (*%s) are not supported: write the value out",
			     ev->data.alias.anchor);
		goto fail;
	}
	if (check_props(ps, ev) < 0)
		goto fail;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = parse_scalar(ps, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		n = node_new(ps->doc, ev->type == YAML_MAPPING_START_EVENT ? CFG_MAP : CFG_SEQ,
			     ev_line(ps, ev));
		if (parse_children(ps, n, depth) < 0) {
			node_free(n);
			n = NULL;
		} else if (n->kind == CFG_MAP) {
			check_dup_keys(ps, n);
		}
		break;
	default:
		cfg_error_at(ps->errs, ps->doc->file, ev_line(ps, ev), "unexpected YAML event");
		break;
	}
fail:
	yaml_event_delete(ev);
	return n;
}

/* stream-start, at most one document, stream-end. */
static int
parse_stream(struct parse *ps)
{
	yaml_event_t ev;

	if (next_event(ps, &ev) < 0)
		return -1;
	yaml_event_delete(&ev); /* stream start */
	if (next_event(ps, &ev) < 0)
		return -1;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		return 0;
	}
	yaml_event_delete(&ev); /* document start */
	if (next_event(ps, &ev) < 0)
		return -1;
	ps->doc->root = parse_node(ps, &ev, 1);
	if (!ps->doc->root)
		return -1;
	if (next_event(ps, &ev) < 0)
		return -1;
	yaml_event_delete(&ev); /* document end */
	if (next_event(ps, &ev) < 0)
		return -1;
	if (ev.type != YAML_STREAM_END_EVENT) {
		cfg_error_at(ps->errs, ps->doc->file, ev_line(ps, &ev),
			     "only one YAML document per file ('---' starts a second one)");
		yaml_event_delete(&ev);
		return -1;
	}
	yaml_event_delete(&ev);
	if (cfg_is_null(ps->doc->root)) {
		node_free(ps->doc->root);
		ps->doc->root = NULL;
	}
	return 0;
}

struct cfg_doc *
cfg_load_buf(const char *name, const char *buf, size_t len, struct cfg_errs *errs)
{
	struct parse ps = {.errs = errs, .buf = buf, .len = len};

	if (len > CFG_MAX_FILE_BYTES) {
		cfg_error_at(errs, name, 0, "file too large (%zu bytes, at most %d)", len,
			     CFG_MAX_FILE_BYTES);
		return NULL;
	}
	ps.doc = xcalloc(1, sizeof *ps.doc);
	ps.doc->file = xstrdup(name);
	if (!yaml_parser_initialize(&ps.yp))
		fatal("out of memory");
	yaml_parser_set_input_string(&ps.yp, (const unsigned char *)buf, len);
	yaml_parser_set_encoding(&ps.yp, YAML_UTF8_ENCODING);
	if (parse_stream(&ps) < 0 || ps.dups) {
		yaml_parser_delete(&ps.yp);
		cfg_doc_free(ps.doc);
		return NULL;
	}
	yaml_parser_delete(&ps.yp);
	return ps.doc;
}

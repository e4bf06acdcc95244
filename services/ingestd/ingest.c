/* ingest.c — validation and encoding of one device message for the spool.
 * Everything a row needs is checked here (topic, registry, payload, time) so
 * the writer can stream records into COPY without looking inside them; all
 * text that is not a validated identifier goes through db_copy_escape. */
#include "ingest.h"

#include "db.h"
#include "timeutil.h"
#include "topic.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* An output cursor over the caller's buffer; overflow sticks. */
struct out {
	char *p;
	size_t cap, len;
	int overflow;
};

static void
put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len)
		o->overflow = 1;
	else
		o->len += (size_t)n;
}

static void
put_escaped(struct out *o, const char *s)
{
	size_t need;

	if (o->overflow)
		return;
	need = db_copy_escape(o->p + o->len, o->cap - o->len, s);
	if (need >= o->cap - o->len)
		o->overflow = 1;
	else
		o->len += need;
}

static void
put_ts(struct out *o, long long ms)
{
	char ts[40];

	if (tu_format_rfc3339(ms, ts, sizeof ts) < 0)
		o->overflow = 1;
	else
		put(o, "%s", ts);
}

static const char *const own_reasons[] = {
	"ok", "bad_topic", "unknown_device", "site_mismatch", "record_too_large", "store_rejected",
};

const char *
ingest_reason_name(int reason)
{
	if (reason >= 0 && reason < INGEST_MSG_BASE)
		return own_reasons[reason];
	if (reason >= INGEST_MSG_BASE && reason < INGEST_REASON_COUNT)
		return msg_reason_name((enum msg_reason)(reason - INGEST_MSG_BASE));
	return "unknown";
}

/* The topic as a printable text column: bytes outside printable ASCII
 * become '?' (the raw payload keeps the truth; a topic need not be UTF-8
 * when it reaches us, but a text column must be). */
static void
printable_topic(const char *topic, char *dst, size_t cap)
{
	size_t i;

	for (i = 0; topic[i] && i + 1 < cap; i++)
		dst[i] = topic[i] >= 0x20 && topic[i] < 0x7f ? topic[i] : '?';
	dst[i] = '\0';
}

int
ingest_quarantine(const struct ingest_in *in, int reason, const char *detail, char *buf, size_t cap,
		  struct ingest_out *out)
{
	static const char hex[] = "0123456789abcdef";
	struct out o = {buf, cap, 0, 0};
	char topic[1024];
	size_t keep = in->len < INGEST_QUARANTINE_RAW_MAX ? in->len : INGEST_QUARANTINE_RAW_MAX;

	printable_topic(in->topic, topic, sizeof topic);
	put(&o, "-\t-\t%lld\t0\n", in->received_ms);
	put_ts(&o, in->received_ms);
	put(&o, "\t");
	put_escaped(&o, in->instance ? in->instance : "");
	put(&o, "\t");
	put_escaped(&o, topic);
	put(&o, "\t%s\t\\\\x", ingest_reason_name(reason));
	if (!o.overflow && o.cap - o.len > keep * 2) {
		for (size_t i = 0; i < keep; i++) {
			unsigned char c = (unsigned char)in->payload[i];

			o.p[o.len++] = hex[c >> 4];
			o.p[o.len++] = hex[c & 15];
		}
	} else {
		o.overflow = 1;
	}
	put(&o, "\t%zu\t", in->len);
	if (detail)
		put_escaped(&o, detail);
	else
		put(&o, "\\N");
	put(&o, "\n");
	if (o.overflow)
		return -1;
	out->reason = reason;
	out->type = INGEST_REC_QUARANTINE;
	out->len = o.len;
	out->n_rows = 1;
	out->ts_ms = in->received_ms;
	return 0;
}

static void
put_header(struct out *o, const struct topic *t, long long ts_ms, long long seq)
{
	put(o, "%s\t%s\t%lld\t%lld\n", t->device, t->site, ts_ms, seq);
}

static int
encode_telemetry(const struct msg_telemetry *m, const struct topic *t, long long ts_ms,
		 struct out *o)
{
	char ts[40];

	if (tu_format_rfc3339(ts_ms, ts, sizeof ts) < 0)
		return -1;
	put_header(o, t, ts_ms, m->seq);
	for (int i = 0; i < m->n_metrics; i++)
		put(o, "%s\t%s\t%s\t%.17g\t%lld\n", ts, t->device, m->metrics[i].name,
		    m->metrics[i].value, m->seq);
	return o->overflow ? -1 : 0;
}

static int
encode_event(const struct msg_event *e, const struct topic *t, long long ts_ms, struct out *o)
{
	put_header(o, t, ts_ms, e->seq);
	put_ts(o, ts_ms);
	put(o, "\t%s\t%s\t%s\t%s\t%lld\t", t->site, t->device, e->event,
	    msg_event_state_name(e->state), e->seq);
	put_escaped(o, e->has_detail ? e->detail_json : "{}");
	put(o, "\n");
	return o->overflow ? -1 : 0;
}

int
ingest_message(const struct ingest_in *in, const struct msg_limits *lim, ingest_site_of site_of,
	       void *ctx, char *buf, size_t cap, struct ingest_out *out)
{
	struct msg_telemetry tel;
	struct msg_event ev;
	struct msg_status st;
	struct topic t;
	struct out o = {buf, cap, 0, 0};
	const char *site;
	enum msg_reason r;
	long long ts_ms;
	int rc;

	memset(out, 0, sizeof *out);
	if (topic_parse(in->topic, strlen(in->topic), &t) != TOPIC_OK ||
	    (t.kind != TOPIC_TELEMETRY && t.kind != TOPIC_EVENT && t.kind != TOPIC_STATUS))
		return ingest_quarantine(in, INGEST_BAD_TOPIC, NULL, buf, cap, out);
	site = site_of(ctx, t.device);
	if (!site)
		return ingest_quarantine(in, INGEST_UNKNOWN_DEVICE, NULL, buf, cap, out);
	if (strcmp(site, t.site) != 0) {
		char detail[160];

		snprintf(detail, sizeof detail, "registered site %s", site);
		return ingest_quarantine(in, INGEST_SITE_MISMATCH, detail, buf, cap, out);
	}
	switch (t.kind) {
	case TOPIC_TELEMETRY:
		r = msg_decode_telemetry(in->payload, in->len, lim, t.site, t.device, &tel);
		if (r != MSG_OK)
			break;
		ts_ms = tel.has_ts ? tel.ts_ms : in->received_ms;
		rc = encode_telemetry(&tel, &t, ts_ms, &o);
		out->type = INGEST_REC_READINGS;
		out->n_rows = tel.n_metrics;
		goto encoded;
	case TOPIC_EVENT:
		r = msg_decode_event(in->payload, in->len, lim, t.site, t.device, &ev);
		if (r != MSG_OK)
			break;
		ts_ms = ev.has_ts ? ev.ts_ms : in->received_ms;
		rc = encode_event(&ev, &t, ts_ms, &o);
		out->type = INGEST_REC_EVENT;
		out->n_rows = 1;
		goto encoded;
	default:
		r = msg_decode_status(in->payload, in->len, lim, t.site, t.device, &st);
		if (r != MSG_OK)
			break;
		ts_ms = st.has_ts ? st.ts_ms : in->received_ms;
		put_header(&o, &t, ts_ms, 0);
		put(&o, "%s\n", msg_status_state_name(st.state));
		rc = o.overflow ? -1 : 0;
		out->type = INGEST_REC_STATUS;
		out->n_rows = 1;
		goto encoded;
	}
	return ingest_quarantine(in, INGEST_MSG_BASE + (int)r, NULL, buf, cap, out);

encoded:
	if (rc < 0)
		return ingest_quarantine(in, INGEST_RECORD_TOO_LARGE, NULL, buf, cap, out);
	out->reason = INGEST_OK;
	out->len = o.len;
	out->ts_ms = ts_ms;
	return 0;
}

const char *
ingest_record_header(const char *rec, size_t len, char *device, char *site, long long *ts_ms,
		     long long *seq)
{
	const char *nl = memchr(rec, '\n', len < 256 ? len : 256);
	char line[257];

	if (!nl)
		return NULL;
	memcpy(line, rec, (size_t)(nl - rec));
	line[nl - rec] = '\0';
	if (sscanf(line, "%64[^\t]\t%64[^\t]\t%lld\t%lld", device, site, ts_ms, seq) != 4)
		return NULL;
	return nl + 1;
}

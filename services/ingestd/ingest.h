/* ingest.h — the pure core of ingestd: one received MQTT message in (topic,
 * payload, receipt time, the registry's answer for its device), a verdict
 * out: a spool record of COPY-ready rows, or a named rejection together with
 * the quarantine record that keeps its raw bytes. No I/O, no clock, no
 * allocation; safe to call from several threads with their own buffers. */
#ifndef FM_INGEST_H
#define FM_INGEST_H

#include "msg.h"

#include <stddef.h>

/* Spool record types. Every record starts with one header line
 * "device\tsite\tts_ms\tseq\n" (quarantine: "-\t-\tts_ms\t0\n") followed by
 * rows in COPY text format for:
 *   READINGS    readings(ts, device_id, metric, value, seq), one row a metric
 *   EVENT       events(ts, site_id, device_id, event, state, seq, detail)
 *   STATUS      "state\n" (online|offline) for device_status
 *   QUARANTINE  quarantine(received_at, instance, topic, reason, raw, raw_bytes, detail) */
enum ingest_rec {
	INGEST_REC_READINGS = 1,
	INGEST_REC_EVENT = 2,
	INGEST_REC_STATUS = 3,
	INGEST_REC_QUARANTINE = 4,
};

/* Why a message was rejected: ingestd's own reasons, then every msg_reason
 * (INGEST_MSG_BASE + reason). ingest_reason_name() gives the stable name. */
enum ingest_reason {
	INGEST_OK = 0,
	INGEST_BAD_TOPIC,        /* not fm/v1/{site}/dev/{device}/telemetry|event|status */
	INGEST_UNKNOWN_DEVICE,   /* the device is not in the registry */
	INGEST_SITE_MISMATCH,    /* the registry puts the device in another site */
	INGEST_RECORD_TOO_LARGE, /* the rows do not fit the record buffer */
	INGEST_STORE_REJECTED,   /* PostgreSQL refused the record (writer) */
	INGEST_MSG_BASE,
	INGEST_REASON_COUNT = INGEST_MSG_BASE + MSG_REASON_COUNT
};

/* The most raw bytes a quarantine record keeps (the table allows 64 KiB). */
#define INGEST_QUARANTINE_RAW_MAX 16384
/* A buffer this large always holds any record ingest_message produces. */
#define INGEST_RECORD_MAX (MSG_METRICS_MAX * 256 + 2 * INGEST_QUARANTINE_RAW_MAX + 8192)

/* The registry's answer: the site the device is registered in, or NULL when
 * the device is unknown. Called once per message. */
typedef const char *(*ingest_site_of)(void *ctx, const char *device_id);

struct ingest_in {
	const char *topic; /* NUL-terminated, as received */
	const char *payload;
	size_t len;
	long long received_ms; /* UTC receipt time: used when ts is absent */
	const char *instance;  /* this ingestd instance (quarantine rows) */
};

struct ingest_out {
	int reason;           /* INGEST_OK, or why the message was rejected */
	enum ingest_rec type; /* the record in buf: the rows, or the quarantine */
	size_t len;           /* bytes of buf used */
	int n_rows;           /* rows for the table (readings: metrics) */
	long long ts_ms;      /* the message's time (payload ts or receipt) */
};

/* Validates one message and writes its record into buf (cap bytes; use
 * INGEST_RECORD_MAX). A rejected message yields a QUARANTINE record. Returns
 * 0, or -1 only when even the quarantine record does not fit (cap too small). */
int
ingest_message(const struct ingest_in *in, const struct msg_limits *lim, ingest_site_of site_of,
	       void *ctx, char *buf, size_t cap, struct ingest_out *out);

/* The QUARANTINE record that keeps in's raw bytes (the first
 * INGEST_QUARANTINE_RAW_MAX of them, with the size that arrived) under
 * reason, with an optional detail (NULL: none). ingest_message uses it for
 * every rejection; the writer for a record PostgreSQL refuses
 * (INGEST_STORE_REJECTED). 0, or -1 when it does not fit in cap. */
int
ingest_quarantine(const struct ingest_in *in, int reason, const char *detail, char *buf, size_t cap,
		  struct ingest_out *out);

/* "ok", "bad_topic", "unknown_device", ..., then msg_reason_name()s. */
const char *
ingest_reason_name(int reason);

/* Splits a record's header line. Returns a pointer to the rows after it and
 * fills device/site (cap 65 each), ts_ms and seq; NULL if malformed. */
const char *
ingest_record_header(const char *rec, size_t len, char *device, char *site, long long *ts_ms,
		     long long *seq);

#endif

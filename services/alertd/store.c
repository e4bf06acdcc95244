/* store.c — alertd's journal and its writer thread. An append is one write(2)
 * into the journal and a wake-up, so the engine never waits on PostgreSQL;
 * the writer moves the journal into PostgreSQL in batches committed together
 * with the journal position, so a restart replays exactly what did not
 * commit. While PostgreSQL is away it retries with back-off and the journal
 * grows (up to max_bytes); it never exits and never wedges on one record. */
#include "store.h"

#include "store_int.h"

#include "log.h"
#include "timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Alarm transitions are few and small: small segments release soon. */
#define JOURNAL_SEGMENT_BYTES (4LL * 1024 * 1024)
#define BATCH_ROWS_DEFAULT 200
#define BATCH_TIME_MS_DEFAULT 100
#define ALIVE_INTERVAL_MS_DEFAULT 10000
/* Bounds each connection attempt, and so how long close may wait on one. */
#define CONNECT_TIMEOUT_MS 2000

struct alert_store *
alert_store_open(const struct alert_store_opts *o, const char *conninfo)
{
	struct alert_store *s = xcalloc(1, sizeof *s);
	struct spool_opts so = {
		.dir = o->journal_dir,
		.segment_bytes = JOURNAL_SEGMENT_BYTES,
		.max_bytes = o->max_bytes,
		.fsync = o->fsync,
	};
	pthread_condattr_t ca;

	s->o = *o;
	s->o.journal_dir = s->o.instance = NULL;
	if (s->o.batch_rows <= 0)
		s->o.batch_rows = BATCH_ROWS_DEFAULT;
	if (s->o.batch_time_ms <= 0)
		s->o.batch_time_ms = BATCH_TIME_MS_DEFAULT;
	if (s->o.alive_interval_ms <= 0)
		s->o.alive_interval_ms = ALIVE_INTERVAL_MS_DEFAULT;
	snprintf(s->instance, sizeof s->instance, "%s",
		 o->instance && o->instance[0] ? o->instance : "default");
	if (!(s->journal = spool_open(&so))) {
		free(s);
		return NULL;
	}
	s->wdb = db_new(conninfo);
	db_set_application_name(s->wdb, "alertd-writer");
	db_set_connect_timeout_ms(s->wdb, CONNECT_TIMEOUT_MS);
	/* Only registered here: prepared by each connect of the writer. */
	if (alert_store_prepare(s->wdb) != DB_OK)
		fatal("alert_store: cannot register statements: %s", db_error(s->wdb));
	s->rdb = db_new(conninfo);
	db_set_connect_timeout_ms(s->rdb, CONNECT_TIMEOUT_MS);
	s->batch = xcalloc((size_t)s->o.batch_rows, sizeof *s->batch);
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* tu_mono_ms's clock */
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	spool_seek_start(s->journal, &s->committed);
	s->pos = s->committed;
	return s;
}

int
alert_store_append(struct alert_store *s, const struct alarm_rec *rec)
{
	long long t0 = tu_mono_us(), took;
	enum spool_rc rc = spool_append(s->journal, ALARM_REC_SPOOL_TYPE, rec, sizeof *rec);

	took = tu_mono_us() - t0;
	pthread_mutex_lock(&s->mu);
	if (took > s->st.append_max_us)
		s->st.append_max_us = took;
	if (rc == SPOOL_OK) {
		s->st.records_appended++;
		s->wake = 1;
		pthread_cond_signal(&s->cv);
	} else {
		s->st.write_errors++;
	}
	pthread_mutex_unlock(&s->mu);
	if (rc != SPOOL_OK) {
		static struct log_limit lim = LOG_LIMIT(10000);

		log_limited(&lim, LOG_ERROR, "alert_store_append_failed",
			    "alarm_id=%s reason=%s journal_bytes=%lld", rec->alarm_id,
			    rc == SPOOL_FULL ? "journal_full" : "io_error",
			    spool_bytes(s->journal));
		return -1;
	}
	return 0;
}

/* Waits until the monotonic time until_ms, stop, or (on_append) an append. */
static void
wait_until(struct alert_store *s, long long until_ms, int on_append)
{
	struct timespec ts = {until_ms / 1000, (until_ms % 1000) * 1000000};

	pthread_mutex_lock(&s->mu);
	while (!s->stop && !(on_append && s->wake) && tu_mono_ms() < until_ms)
		if (pthread_cond_timedwait(&s->cv, &s->mu, &ts) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&s->mu);
}

static void
set_db_up(struct alert_store *s, int up)
{
	pthread_mutex_lock(&s->mu);
	s->st.db_up = up;
	pthread_mutex_unlock(&s->mu);
}

/* Connects (waiting with back-off) and resumes from the committed position,
 * which after an ambiguous commit says whether it went through. */
static int
writer_connect(struct alert_store *s)
{
	enum db_status st = db_connect_retry(s->wdb, -1, STORE_BACKOFF_MAX_MS, &s->stop);

	if (st != DB_OK) {
		if (st == DB_FAIL)
			log_error("alert_store_connect_failed", "error=\"%s\"", db_error(s->wdb));
		return -1;
	}
	if (alert_store_load_position(s, s->wdb, &s->committed, NULL) < 0)
		return -1;
	s->pos = s->committed;
	set_db_up(s, 1);
	log_info("alert_store_ready", "segment=%lld offset=%lld", s->committed.segment,
		 s->committed.offset);
	return 0;
}

static int
visit(void *ctx, const struct spool_pos *at, int type, const void *data, size_t len)
{
	struct alert_store *s = ctx;

	if (s->n >= s->o.batch_rows)
		return 1;
	if (alert_store_decode(type, data, len, &s->batch[s->n]) == 0) {
		s->n++;
	} else {
		static struct log_limit lim = LOG_LIMIT(10000);

		/* Another build's record: it can never be written; skip it. */
		log_limited(&lim, LOG_ERROR, "alert_store_record_unreadable",
			    "segment=%lld offset=%lld type=%d len=%zu", at->segment, at->offset,
			    type, len);
		s->unreadable++;
	}
	return 0;
}

/* Reads until the batch is full, the journal is caught up, or the batch's
 * first record has waited batch_time_ms. */
static int
fill_batch(struct alert_store *s)
{
	s->n = s->unreadable = 0;
	s->first_ms = 0;
	pthread_mutex_lock(&s->mu);
	s->wake = 0; /* what is appended from now on is read below or wakes us */
	pthread_mutex_unlock(&s->mu);
	for (;;) {
		size_t room = (size_t)(s->o.batch_rows - s->n);
		int got = spool_read(s->journal, &s->pos, room, 0, visit, s);

		if (got < 0)
			return -1;
		if (got > 0 && s->first_ms == 0)
			s->first_ms = tu_mono_ms();
		if (got == 0 || s->n >= s->o.batch_rows ||
		    tu_mono_ms() - s->first_ms >= s->o.batch_time_ms)
			return 0;
	}
}

static void
committed(struct alert_store *s, int refused, long long started_ms)
{
	s->committed = s->pos;
	if (spool_release(s->journal, &s->committed) < 0)
		log_warn("alert_store_release_failed", "segment=%lld", s->committed.segment);
	s->next_alive_ms = tu_mono_ms() + s->o.alive_interval_ms; /* the commit set alive_at */
	pthread_mutex_lock(&s->mu);
	s->st.batches++;
	s->st.records_written += s->n - refused;
	s->st.skipped += refused + s->unreadable;
	s->consumed += s->n + s->unreadable;
	s->st.last_batch_ms = tu_mono_ms() - started_ms;
	pthread_mutex_unlock(&s->mu);
}

/* The batch in one transaction; when PostgreSQL refuses it, once more with
 * each record under a savepoint so that only the refused records are left
 * out. */
static enum db_status
write_batch(struct alert_store *s)
{
	long long started = tu_mono_ms();
	int refused = 0;
	enum db_status st = alert_store_write_batch(s, 0, &refused);

	if (st == DB_FAIL) {
		log_warn("alert_store_batch_refused", "records=%d error=\"%s\"", s->n,
			 db_error(s->wdb));
		st = alert_store_write_batch(s, 1, &refused);
	}
	if (st == DB_OK)
		committed(s, refused, started);
	return st;
}

static void *
writer_main(void *arg)
{
	struct alert_store *s = arg;
	long long backoff = STORE_BACKOFF_MIN_MS;
	int ready = 0;

	while (!s->stop) {
		static struct log_limit lim = LOG_LIMIT(10000);
		enum db_status st;

		if (!ready && writer_connect(s) < 0) {
			wait_until(s, tu_mono_ms() + STORE_BACKOFF_MAX_MS, 0);
			continue;
		}
		ready = 1;
		if (fill_batch(s) < 0) {
			st = DB_FAIL; /* the journal could not be read: count, wait, retry */
		} else if (s->n + s->unreadable > 0) {
			st = write_batch(s);
		} else if (tu_mono_ms() >= s->next_alive_ms) {
			st = alert_store_write_alive(s);
			if (st == DB_OK)
				s->next_alive_ms = tu_mono_ms() + s->o.alive_interval_ms;
		} else {
			wait_until(s, s->next_alive_ms, 1);
			continue;
		}
		if (st == DB_OK) {
			backoff = STORE_BACKOFF_MIN_MS;
			continue;
		}
		pthread_mutex_lock(&s->mu);
		s->st.write_errors++;
		pthread_mutex_unlock(&s->mu);
		log_limited(&lim, LOG_WARN, "alert_store_write_failed",
			    "records=%d retry_ms=%lld error=\"%s\"", s->n, backoff,
			    db_error(s->wdb));
		s->pos = s->committed;
		if (st == DB_RETRY) {
			ready = 0;
			set_db_up(s, 0);
		}
		wait_until(s, tu_mono_ms() + backoff, 0);
		backoff = backoff * 2 > STORE_BACKOFF_MAX_MS ? STORE_BACKOFF_MAX_MS : backoff * 2;
	}
	return NULL;
}

int
alert_store_start(struct alert_store *s)
{
	if (s->started)
		return 0;
	if (pthread_create(&s->thread, NULL, writer_main, s) != 0) {
		log_error("alert_store_thread_failed", NULL);
		return -1;
	}
	s->started = 1;
	return 0;
}

void
alert_store_stats(struct alert_store *s, struct alert_store_stats *out)
{
	long long pending;

	pthread_mutex_lock(&s->mu);
	*out = s->st;
	pending = s->restored_tail + s->st.records_appended - s->consumed;
	pthread_mutex_unlock(&s->mu);
	/* The writer may also write records of an earlier run that restore did
	 * not count (no restore): never report less than nothing. */
	out->pending = pending > 0 ? pending : 0;
	out->journal_bytes = spool_bytes(s->journal);
}

void
alert_store_close(struct alert_store *s)
{
	if (!s)
		return;
	if (s->started) {
		pthread_mutex_lock(&s->mu);
		s->stop = 1;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->thread, NULL);
	}
	spool_close(s->journal);
	db_free(s->wdb);
	db_free(s->rdb);
	free(s->batch);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

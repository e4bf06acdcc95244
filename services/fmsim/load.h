/* load.h — the load generator's shell: the settings of one `fmsim load` run
 * (load.c parses them), one publishing connection with its own thread and
 * bookkeeping (load_conn.c), and the registry directory for the simulated
 * devices (register.c). */
#ifndef FMSIM_LOAD_H
#define FMSIM_LOAD_H

#include "ackring.h"
#include "inflight.h"
#include "latency.h"
#include "loadmsg.h"
#include "oracle.h"
#include "pace.h"

#include <pthread.h>
#include <stdatomic.h>

struct load_conf {
	long long devices;
	int metrics;
	double rate;     /* messages per second over all connections; 0: --max */
	long long count; /* new messages in total, or 0 with seconds */
	double seconds;  /* how long to publish new messages, or 0 with count */
	int connections;
	int inflight;         /* unacknowledged publishes per connection (the window) */
	int retry;            /* publish again what was not acknowledged */
	int attempts;         /* most publishes of one message */
	double drain_s;       /* at the end, how long to wait for what is in flight */
	double ack_timeout_s; /* no acknowledgement this long: give the connection up */
	char site[ORACLE_ID_MAX + 1];
	char prefix[LOADMSG_PREFIX_MAX + 1];
	const char *oracle_path;  /* NULL: no oracle file */
	const char *register_dir; /* write the registry there and publish nothing */
};

/* Counters of one connection; summed over connections at the end. */
struct load_stats {
	long long sent;        /* publishes handed to the client (first and retries) */
	long long acked;       /* messages acknowledged (distinct device and seq) */
	long long failed;      /* publishes that ended without an acknowledgement */
	long long refused;     /* ... of which the broker refused (reason >= 0x80) */
	long long lost;        /* ... of which the client dropped (packet id reused) */
	long long unanswered;  /* ... of which were still unanswered when the run ended */
	long long retried;     /* publishes that repeated an earlier message */
	long long given_up;    /* messages never acknowledged after every attempt */
	long long unsent;      /* new messages not published when the run ended */
	long long ack_late;    /* acknowledgements of no known publish */
	long long ack_dropped; /* acknowledgements the full ring could not take */
	long long publish_err; /* publish calls the client rejected (mostly: offline) */
	long long stalled;     /* connections given up for want of acknowledgements */
};

struct mq;

struct load_conn {
	int k;
	const struct load_conf *lc;
	const char *url; /* borrowed from the configuration */
	struct mq *mq;
	struct oracle *oracle;      /* shared; this connection touches only its devices */
	long long first_dev, n_dev; /* its slice of devices */
	long long quota;            /* new messages to send; -1: until the deadline */
	long long deadline_us;      /* monotonic end of new messages (seconds mode) */
	char *topics;               /* n_dev topics of LOAD_TOPIC_MAX bytes */
	struct ackring ring;
	struct inflight inf;
	struct retryq rq;
	struct pace pace;
	struct latency lat;
	struct load_stats st;
	int window;               /* publishes in flight at most; shrinks to the client's */
	long long ack_timeout_us; /* no acknowledgement this long: the connection stalled */
	long long progress_us;    /* last acknowledgement, or first publish after none in flight */
	int stalled;
	long long last_ack_us; /* monotonic time of the last acknowledgement */
	pthread_mutex_t mu;    /* with cv: the publisher sleeps until an ack arrives */
	pthread_cond_t cv;
	atomic_int wake_at;       /* the publisher sleeps until this many acks wait (0: awake) */
	atomic_llong ack_dropped; /* counted on the receive thread */
	pthread_t thread;
	int started;
};

#define LOAD_TOPIC_MAX 160

struct fm_mqtt_conf;

/* Sets up connection k (slice, quota, topics, bookkeeping) and creates its
 * MQTT client; c must be zeroed. Returns 0, or -1 when a topic or the client
 * cannot be made (logged). load_conn_free undoes it (also after a failure). */
int
load_conn_init(struct load_conn *c, int k, const struct load_conf *lc, struct oracle *o,
	       const struct fm_mqtt_conf *mc);
void
load_conn_free(struct load_conn *c);

/* Connects (clean start), retrying for up to timeout_ms. 0, or -1 with the
 * reason on stderr. */
int
load_conn_connect(struct load_conn *c, long long timeout_ms);

/* Starts the publisher thread; start_us is the run's monotonic start (the
 * pace and the deadline count from it). 0, or -1 (logged). */
int
load_conn_start(struct load_conn *c, long long start_us);

/* The MQTT acknowledgement callback (ctx is the struct load_conn). Runs on
 * the client's receive thread; only queues the outcome for the publisher. */
void
load_conn_on_ack(void *ctx, int token, int reason);

/* Waits for the publisher thread to end and adds its counters to *st and
 * its latencies to *lat. */
void
load_conn_join(struct load_conn *c, struct load_stats *st, struct latency *lat);

/* Monotonic microseconds. */
long long
load_mono_us(void);

/* Writes site.yaml, devices.yaml and people.yaml for the run's devices into
 * dir (created if missing), each through a temporary file and a rename.
 * Returns 0, or -1 after printing why on stderr. */
int
load_register(const struct load_conf *lc, const char *dir);

#endif

/* mqrx.c — the receiving client's options, thread, connect with back-off
 * and socket I/O (mqrx.h). The connection's loop is mqrx_session.c. */
#include "mqrx_int.h"

#include "log.h"
#include "mqrx_proto.h"
#include "timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BACKOFF_MIN_MS 200
#define BACKOFF_MAX_MS 10000
#define STABLE_MS 30000

int
mqrx_supports(const char *url)
{
	return url && (strncmp(url, "tcp://", 6) == 0 || strncmp(url, "mqtt://", 7) == 0);
}

/* host and port of tcp://host[:port] or tcp://[v6]:port; -1 when malformed. */
static int
split_url(struct mqrx *rx, const char *url)
{
	const char *h = strstr(url, "://") + 3, *colon, *end;
	size_t hlen;

	if (*h == '[') {
		end = strchr(h, ']');
		if (!end)
			return -1;
		hlen = (size_t)(end - h - 1);
		h++;
		colon = end[1] == ':' ? end + 1 : NULL;
		if (!colon && end[1])
			return -1;
	} else {
		colon = strchr(h, ':');
		hlen = colon ? (size_t)(colon - h) : strlen(h);
	}
	if (hlen == 0 || strchr(h, '/'))
		return -1; /* no path, no user@ part expected either */
	rx->host = xmalloc(hlen + 1);
	memcpy(rx->host, h, hlen);
	rx->host[hlen] = '\0';
	rx->port = xstrdup(colon && colon[1] ? colon + 1 : "1883");
	return strspn(rx->port, "0123456789") == strlen(rx->port) ? 0 : -1;
}

struct mqrx *
mqrx_new(const struct mqrx_opts *o, mq_handler handler, void *ctx)
{
	struct mqrx *rx;

	if (!mqrx_supports(o->url) || !o->client_id || !o->client_id[0] || !handler ||
	    o->n_filters == 0) {
		log_error("mqtt_bad_options", "url=%s reason=%s", o->url ? o->url : "",
			  "tcp:// or mqtt:// URL, client id, handler and filters are required");
		return NULL;
	}
	if (o->session_expiry_s <= 0) {
		/* a session ending at disconnect takes the handled but not yet
		 * acknowledged messages with it */
		log_error("mqtt_bad_options", "url=%s reason=%s", o->url,
			  "a persistent session is required (mqtt.session_expiry > 0)");
		return NULL;
	}
	rx = xcalloc(1, sizeof *rx);
	rx->fd = -1;
	if (split_url(rx, o->url) < 0) {
		log_error("mqtt_bad_options", "url=%s reason=%s", o->url, "malformed URL");
		mqrx_free(rx);
		return NULL;
	}
	rx->url = xstrdup(o->url);
	rx->client_id = xstrdup(o->client_id);
	rx->username = o->username ? xstrdup(o->username) : NULL;
	rx->password = o->password ? xstrdup(o->password) : NULL;
	rx->filters = xcalloc(o->n_filters, sizeof *rx->filters);
	for (size_t i = 0; i < o->n_filters; i++)
		rx->filters[i] = xstrdup(o->filters[i]);
	rx->n_filters = o->n_filters;
	rx->keepalive_s = o->keepalive_s > 0 ? o->keepalive_s : 30;
	rx->session_expiry_s = o->session_expiry_s;
	rx->receive_max = o->receive_max > 0 && o->receive_max <= 65535 ? o->receive_max : 64;
	rx->connect_timeout_ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 5000;
	rx->handler = handler;
	rx->ctx = ctx;
	rx->in_cap = MQRX_IN_INITIAL;
	rx->in = xmalloc(rx->in_cap);
	rx->topic = xmalloc(0x10000);
	pthread_mutex_init(&rx->mu, NULL);
	pthread_cond_init(&rx->cv, NULL);
	return rx;
}

void
mqrx_free(struct mqrx *rx)
{
	if (!rx)
		return;
	mqrx_stop(rx);
	for (size_t i = 0; i < rx->n_filters; i++)
		free(rx->filters[i]);
	free(rx->filters);
	free(rx->url);
	free(rx->host);
	free(rx->port);
	free(rx->client_id);
	free(rx->username);
	free(rx->password);
	free(rx->in);
	free(rx->topic);
	pthread_mutex_destroy(&rx->mu);
	pthread_cond_destroy(&rx->cv);
	free(rx);
}

void
mqrx_count(long long *counter, long long n)
{
	__atomic_add_fetch(counter, n, __ATOMIC_RELAXED);
}

int
mqrx_stopping(struct mqrx *rx)
{
	return __atomic_load_n(&rx->stop, __ATOMIC_RELAXED);
}

void
mqrx_set_state(struct mqrx *rx, enum mqrx_state s)
{
	pthread_mutex_lock(&rx->mu);
	rx->state = s;
	rx->started |= s == MQRX_SUBSCRIBED;
	pthread_cond_broadcast(&rx->cv);
	pthread_mutex_unlock(&rx->mu);
	__atomic_store_n(&rx->connected, s == MQRX_SUBSCRIBED, __ATOMIC_RELAXED);
}

int
mqrx_write_all(struct mqrx *rx, const void *buf, size_t len, long long timeout_ms)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = send(rx->fd, p, len, MSG_NOSIGNAL);

		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pf = {rx->fd, POLLOUT, 0};

			if (poll(&pf, 1, (int)timeout_ms) > 0 &&
			    !(pf.revents & (POLLERR | POLLNVAL)))
				continue;
			errno = ETIMEDOUT;
		}
		return -1;
	}
	rx->last_send_ms = tu_mono_ms();
	return 0;
}

int
mqrx_read_some(struct mqrx *rx, size_t need)
{
	ssize_t n;

	if (rx->in_off > 0) { /* keep the unread part at the front */
		memmove(rx->in, rx->in + rx->in_off, rx->in_len - rx->in_off);
		rx->in_len -= rx->in_off;
		rx->ctl_done = rx->ctl_done > rx->in_off ? rx->ctl_done - rx->in_off : 0;
		rx->scan_at = rx->scan_at > rx->in_off ? rx->scan_at - rx->in_off : 0;
		rx->in_off = 0;
	}
	if (need > rx->in_cap && need <= MQRX_IN_MAX) {
		size_t cap = rx->in_cap * 2 > need ? rx->in_cap * 2 : need;

		cap = cap > MQRX_IN_MAX ? MQRX_IN_MAX : cap;
		rx->in = realloc(rx->in, cap);
		if (!rx->in)
			fatal("out of memory (%zu bytes)", cap);
		rx->in_cap = cap;
	}
	if (rx->in_len == rx->in_cap)
		return 0; /* full of unhandled packets */
	n = recv(rx->fd, rx->in + rx->in_len, rx->in_cap - rx->in_len, 0);
	if (n > 0) {
		rx->in_len += (size_t)n;
		return 1;
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n == 0)
		errno = ECONNRESET;
	return -1;
}

/* A TCP connection to host:port within the timeout; -1 (errno) otherwise. */
static int
dial(struct mqrx *rx)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL, *ai;
	int fd = -1, rc, one = 1, err = ECONNREFUSED;

	rc = getaddrinfo(rx->host, rx->port, &hints, &res);
	if (rc != 0) {
		errno = EHOSTUNREACH;
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		struct pollfd pf;
		socklen_t len = sizeof err;

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		err = errno;
		pf = (struct pollfd){fd, POLLOUT, 0};
		if (err == EINPROGRESS && poll(&pf, 1, (int)rx->connect_timeout_ms) == 1 &&
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0)
			break;
		if (err == EINPROGRESS)
			err = ETIMEDOUT;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		errno = err;
		return -1;
	}
	/* PUBACKs go out in batches; a batch must not wait for an ACK. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

/* Connects and completes CONNECT/CONNACK. 0, or -1 with *why set. */
static int
connect_once(struct mqrx *rx, const char **why)
{
	struct mqp_connect c = {rx->client_id,
				rx->username,
				rx->password,
				0,
				rx->keepalive_s,
				(uint32_t)rx->session_expiry_s,
				(uint16_t)rx->receive_max,
				MQRX_PACKET_MAX};
	size_t cap = 64 + strlen(rx->client_id) + (rx->username ? strlen(rx->username) : 0) +
		     (rx->password ? strlen(rx->password) : 0);
	uint8_t *buf = xmalloc(cap);
	long long deadline;
	int n;

	n = mqp_connect(buf, cap, &c);
	if (n < 0) {
		free(buf);
		*why = "connect packet refused (a field over 65,535 bytes)";
		return -1;
	}
	rx->fd = dial(rx);
	if (rx->fd < 0) {
		free(buf);
		*why = strerror(errno);
		return -1;
	}
	rx->in_len = rx->in_off = rx->out_len = rx->ctl_done = rx->scan_at = 0;
	deadline = tu_mono_ms() + rx->connect_timeout_ms;
	if (mqrx_write_all(rx, buf, (size_t)n, rx->connect_timeout_ms) < 0) {
		free(buf);
		*why = strerror(errno);
		return -1;
	}
	free(buf);
	for (;;) {
		struct mqp_packet p;
		size_t need;
		long got = mqp_parse(rx->in, rx->in_len, &p, &need);
		struct pollfd pf = {rx->fd, POLLIN, 0};
		long long left = deadline - tu_mono_ms();

		if (got > 0) {
			if (p.type != MQP_CONNACK) {
				*why = "no CONNACK";
				return -1;
			}
			rx->in_off = (size_t)got;
			if (p.reason >= 0x80) {
				*why = mqp_reason_name(p.reason);
				return -1;
			}
			rx->ka_s = p.server_keepalive >= 0 ? p.server_keepalive : rx->keepalive_s;
			return p.session_present;
		}
		if (got == MQP_BAD || need > 4096) {
			*why = "malformed CONNACK";
			return -1;
		}
		if (left <= 0 || poll(&pf, 1, (int)left) <= 0 || mqrx_read_some(rx, need) < 0) {
			*why = left <= 0 ? "CONNACK timed out" : strerror(errno);
			return -1;
		}
	}
}

static void
pause_ms(struct mqrx *rx, long long ms)
{
	while (ms > 0 && !mqrx_stopping(rx)) {
		long long step = ms < 100 ? ms : 100;
		struct timespec ts = {0, step * 1000000};

		nanosleep(&ts, NULL);
		ms -= step;
	}
}

static void *
thread_main(void *arg)
{
	static struct log_limit lim = LOG_LIMIT(10000);
	struct mqrx *rx = arg;
	long long backoff = BACKOFF_MIN_MS;

	while (!mqrx_stopping(rx)) {
		const char *why = "";
		int sp = connect_once(rx, &why), quick = 1;

		if (sp >= 0) {
			long long t0 = tu_mono_ms();

			mqrx_count(&rx->st.connects, 1);
			log_info("mqtt_connected",
				 "url=%s client_id=%s session_present=%d receiver=own", rx->url,
				 rx->client_id, sp);
			if (!sp && rx->started)
				/* the broker lost or expired the session: what it held
				 * for us while we were away is gone with it */
				log_error("mqtt_session_lost", "client_id=%s reason=\"%s\"",
					  rx->client_id,
					  "broker had no session: messages queued meanwhile are "
					  "lost");
			mqrx_session(rx);
			__atomic_store_n(&rx->connected, 0, __ATOMIC_RELAXED);
			/* The back-off starts over only after a connection held
			 * STABLE_MS: one dropped sooner (a refused subscription,
			 * another instance with this client id taking the session:
			 * Mosquitto 2.0 just closes the socket) waits like a failed
			 * connect; a broker that says 0x8e (session taken over)
			 * gets the longest wait at once. */
			quick = tu_mono_ms() - t0 < STABLE_MS || rx->state == MQRX_REFUSED;
			if (rx->broker_reason == 0x8e)
				quick = 1, backoff = BACKOFF_MAX_MS;
		} else {
			log_limited(&lim, LOG_WARN, "mqtt_reconnect_failed",
				    "url=%s client_id=%s error=\"%s\" retry_ms=%lld", rx->url,
				    rx->client_id, why, backoff);
		}
		if (rx->fd >= 0)
			close(rx->fd);
		rx->fd = -1;
		if (rx->state == MQRX_REFUSED && !rx->started)
			break; /* mqrx_start reports it */
		if (!quick) {
			backoff = BACKOFF_MIN_MS;
			continue;
		}
		pause_ms(rx, backoff);
		backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
	}
	return NULL;
}

int
mqrx_start(struct mqrx *rx, volatile int *stop)
{
	int rc;

	if (!rx->running) {
		sigset_t all, old;

		/* signals go to the daemon's other threads: one landing here
		 * would only interrupt the socket calls */
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		if (pthread_create(&rx->thread, NULL, thread_main, rx) != 0)
			fatal("cannot start the MQTT receiver thread: %s", strerror(errno));
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		rx->running = 1;
	}
	pthread_mutex_lock(&rx->mu);
	while (rx->state == MQRX_STARTING && !(stop && *stop)) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&rx->cv, &rx->mu, &ts);
	}
	rc = rx->state == MQRX_SUBSCRIBED ? 0 : -1;
	pthread_mutex_unlock(&rx->mu);
	return rc;
}

int
mqrx_connected(struct mqrx *rx)
{
	return __atomic_load_n(&rx->connected, __ATOMIC_RELAXED);
}

void
mqrx_stop(struct mqrx *rx)
{
	__atomic_store_n(&rx->stop, 1, __ATOMIC_RELAXED);
	if (rx->running) {
		pthread_join(rx->thread, NULL);
		rx->running = 0;
	}
}

void
mqrx_get_stats(struct mqrx *rx, struct mqrx_stats *s)
{
	s->connects = __atomic_load_n(&rx->st.connects, __ATOMIC_RELAXED);
	s->publishes = __atomic_load_n(&rx->st.publishes, __ATOMIC_RELAXED);
	s->redelivered = __atomic_load_n(&rx->st.redelivered, __ATOMIC_RELAXED);
	s->acked = __atomic_load_n(&rx->st.acked, __ATOMIC_RELAXED);
	s->retries = __atomic_load_n(&rx->st.retries, __ATOMIC_RELAXED);
	s->protocol_errors = __atomic_load_n(&rx->st.protocol_errors, __ATOMIC_RELAXED);
}

/* it_mqtt.c — common/mqtt against the real Mosquitto that tests/it/run.sh
 * started with the shipped configuration: QoS 1 round trip, reconnect and
 * restored subscriptions across a broker restart, an offline persistent
 * session's queue surviving kill -9 of the broker, an ACL refusal reported
 * as a PUBACK reason, the last will, and a shared subscription. */
#include "log.h"
#include "mqtt.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "it_servers.h"

struct inbox {
	pthread_mutex_t mu;
	int count;
	int seen[4096]; /* how often message i arrived */
	char last_topic[256];
	char last_payload[256];
};

static enum mq_verdict
collect(void *ctx, const struct mq_msg *m)
{
	struct inbox *in = ctx;
	char buf[256];
	size_t n = m->len < sizeof buf - 1 ? m->len : sizeof buf - 1;
	int i;

	memcpy(buf, m->payload, n);
	buf[n] = '\0';
	pthread_mutex_lock(&in->mu);
	in->count++;
	snprintf(in->last_topic, sizeof in->last_topic, "%s", m->topic);
	snprintf(in->last_payload, sizeof in->last_payload, "%s", buf);
	if (sscanf(buf, "msg-%d", &i) == 1 && i >= 0 && i < 4096)
		in->seen[i]++;
	pthread_mutex_unlock(&in->mu);
	return MQ_OK;
}

static void
inbox_init(struct inbox *in)
{
	memset(in, 0, sizeof *in);
	pthread_mutex_init(&in->mu, NULL);
}

static int
inbox_count(struct inbox *in)
{
	int c;

	pthread_mutex_lock(&in->mu);
	c = in->count;
	pthread_mutex_unlock(&in->mu);
	return c;
}

/* Waits until the inbox holds at least n messages or timeout_ms passes. */
static int
wait_count(struct inbox *in, int n, int timeout_ms)
{
	for (int waited = 0; waited < timeout_ms; waited += 20) {
		if (inbox_count(in) >= n)
			return inbox_count(in);
		usleep(20000);
	}
	return inbox_count(in);
}

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	if (!v || !*v) {
		fprintf(stderr, "it_mqtt: %s is not set: run under tests/it/run.sh\n", name);
		exit(1);
	}
	return v;
}

static struct mq *
client(const char *id, const char *user, const char *pass, struct inbox *in, int expiry_s)
{
	struct mq_opts o = {0};
	struct mq *m;

	o.url = env("FM_MQTT_URL");
	o.client_id = id;
	o.username = user;
	o.password = pass;
	o.session_expiry_s = expiry_s;
	o.clean_start = expiry_s == 0;
	o.publish_timeout_ms = 3000;
	m = mq_new(&o, in ? collect : NULL, in);
	assert_non_null(m);
	return m;
}

static struct mq *
test_client(const char *id, struct inbox *in, int expiry_s)
{
	return client(id, env("FM_MQTT_USERNAME"), env("FM_MQTT_PASSWORD"), in, expiry_s);
}

static void
publish_range(struct mq *pub, const char *topic, int from, int to)
{
	char payload[32];

	for (int i = from; i < to; i++) {
		int n = snprintf(payload, sizeof payload, "msg-%d", i);

		assert_int_equal(mq_publish(pub, topic, payload, (size_t)n, 1, 0), 0);
	}
}

static void
assert_each_once(struct inbox *in, int from, int to)
{
	pthread_mutex_lock(&in->mu);
	for (int i = from; i < to; i++) {
		if (in->seen[i] != 1)
			fprintf(stderr, "message %d seen %d times\n", i, in->seen[i]);
		assert_true(in->seen[i] >= 1);
	}
	pthread_mutex_unlock(&in->mu);
}

static void
round_trip_qos1(void **state)
{
	struct inbox in;
	struct mq *sub, *pub;

	(void)state;
	inbox_init(&in);
	sub = test_client("it-rt-sub", &in, 0);
	pub = test_client("it-rt-pub", NULL, 0);
	assert_int_equal(mq_connect(sub), 0);
	assert_int_equal(mq_subscribe(sub, "fm/v1/it/dev/+/telemetry", 1), 0);
	assert_int_equal(mq_connect(pub), 0);
	publish_range(pub, "fm/v1/it/dev/d1/telemetry", 0, 500);
	assert_int_equal(wait_count(&in, 500, 10000), 500);
	assert_each_once(&in, 0, 500);
	assert_string_equal(in.last_topic, "fm/v1/it/dev/d1/telemetry");
	mq_free(pub);
	mq_free(sub);
}

static void
reconnects_across_broker_restart(void **state)
{
	struct inbox in;
	struct mq *sub, *pub;
	char payload[] = "msg-9";

	(void)state;
	inbox_init(&in);
	sub = test_client("it-restart-sub", &in, 3600);
	pub = test_client("it-restart-pub", NULL, 3600);
	assert_int_equal(mq_connect(sub), 0);
	assert_int_equal(mq_subscribe(sub, "fm/v1/it/restart", 1), 0);
	assert_int_equal(mq_connect(pub), 0);
	publish_range(pub, "fm/v1/it/restart", 0, 10);
	assert_int_equal(wait_count(&in, 10, 5000), 10);

	it_servers("stop-broker");
	/* While the broker is down a publish fails at once or times out: never
	 * reported as delivered. */
	assert_int_equal(mq_publish(pub, "fm/v1/it/restart", payload, 5, 1, 0), -1);
	it_servers("start-broker");
	for (int i = 0; i < 200 && !(mq_connected(sub) && mq_connected(pub)); i++)
		usleep(100000);
	assert_true(mq_connected(sub));
	assert_true(mq_connected(pub));
	/* The subscription is in place again (kept by the session or restored by
	 * the keeper): probe until one message gets through. */
	{
		int before = inbox_count(&in), i;

		for (i = 0; i < 100 && inbox_count(&in) == before; i++) {
			mq_publish(pub, "fm/v1/it/restart", "probe", 5, 1, 0);
			usleep(100000);
		}
		assert_true(inbox_count(&in) > before);
		publish_range(pub, "fm/v1/it/restart", 10, 20);
		assert_true(wait_count(&in, inbox_count(&in) + 10, 10000) >= before + 11);
	}
	assert_each_once(&in, 10, 20);
	mq_free(pub);
	mq_free(sub);
}

static void
offline_session_queue_survives_broker_kill9(void **state)
{
	struct inbox in;
	struct mq *sub, *pub;

	(void)state;
	inbox_init(&in);
	/* Create the persistent session with its subscription, then go away. */
	sub = test_client("it-durable-sub", &in, 3600);
	assert_int_equal(mq_connect(sub), 0);
	assert_int_equal(mq_subscribe(sub, "fm/v1/it/durable", 1), 0);
	mq_free(sub);

	pub = test_client("it-durable-pub", NULL, 0);
	assert_int_equal(mq_connect(pub), 0);
	publish_range(pub, "fm/v1/it/durable", 0, 200); /* every one acknowledged */
	mq_free(pub);

	it_servers("kill-broker");
	it_servers("start-broker");

	inbox_init(&in);
	sub = test_client("it-durable-sub", &in, 3600);
	assert_int_equal(mq_connect_retry(sub, 10000, NULL), 0);
	assert_int_equal(mq_subscribe(sub, "fm/v1/it/durable", 1), 0);
	assert_true(wait_count(&in, 200, 10000) >= 200);
	assert_each_once(&in, 0, 200);
	mq_free(sub);
}

static void
acl_refusal_is_reported(void **state)
{
	struct mq *dev;

	(void)state;
	/* fmsim may publish device topics but not alarms. */
	dev = client("it-acl", "fmsim", env("FM_MQTT_PASS_fmsim"), NULL, 0);
	assert_int_equal(mq_connect(dev), 0);
	assert_int_equal(mq_publish(dev, "fm/v1/it/dev/x/telemetry", "{}", 2, 1, 0), 0);
	assert_int_equal(mq_publish(dev, "fm/v1/it/alarm/a1", "{}", 2, 1, 1), -1);
	assert_int_equal(mq_last_reason(dev), 0x87); /* not authorized */
	mq_free(dev);

	dev = client("it-badpw", "fmsim", "wrong-password", NULL, 0);
	assert_int_equal(mq_connect(dev), -1);
	mq_free(dev);
}

static void
last_will_on_abrupt_exit(void **state)
{
	struct inbox in;
	struct mq *watcher;
	pid_t pid;

	(void)state;
	inbox_init(&in);
	watcher = test_client("it-will-watch", &in, 0);
	assert_int_equal(mq_connect(watcher), 0);
	assert_int_equal(mq_subscribe(watcher, "fm/v1/it/dev/willdev/status", 1), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* A fresh process image: Paho's threads do not survive fork(). */
		execl("/proc/self/exe", "it_mqtt", "--will-child", (char *)NULL);
		_exit(4);
	}
	{
		int st;

		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	assert_int_equal(wait_count(&in, 1, 10000), 1);
	assert_string_equal(in.last_payload, "{\"state\":\"offline\"}");
	mq_free(watcher);
}

static void
shared_subscription_splits_load(void **state)
{
	struct inbox a, b;
	struct mq *sa, *sb, *pub;

	(void)state;
	inbox_init(&a);
	inbox_init(&b);
	sa = test_client("it-share-a", &a, 0);
	sb = test_client("it-share-b", &b, 0);
	pub = test_client("it-share-pub", NULL, 0);
	assert_int_equal(mq_connect(sa), 0);
	assert_int_equal(mq_connect(sb), 0);
	assert_int_equal(mq_subscribe(sa, "$share/it/fm/v1/it/share", 1), 0);
	assert_int_equal(mq_subscribe(sb, "$share/it/fm/v1/it/share", 1), 0);
	assert_int_equal(mq_connect(pub), 0);
	publish_range(pub, "fm/v1/it/share", 0, 400);
	for (int i = 0; i < 100 && inbox_count(&a) + inbox_count(&b) < 400; i++)
		usleep(50000);
	assert_int_equal(inbox_count(&a) + inbox_count(&b), 400);
	assert_true(inbox_count(&a) > 0);
	assert_true(inbox_count(&b) > 0);
	for (int i = 0; i < 400; i++)
		assert_int_equal(a.seen[i] + b.seen[i], 1);
	mq_free(pub);
	mq_free(sa);
	mq_free(sb);
}

/* The device of last_will_on_abrupt_exit: connects with a will, then exits
 * without DISCONNECT so that the broker publishes the will. */
static int
will_child(void)
{
	struct mq_opts o = {0};
	struct mq *m;

	o.url = env("FM_MQTT_URL");
	o.client_id = "it-will-dev";
	o.username = env("FM_MQTT_USERNAME");
	o.password = env("FM_MQTT_PASSWORD");
	o.will_topic = "fm/v1/it/dev/willdev/status";
	o.will_payload = "{\"state\":\"offline\"}";
	o.will_qos = 1;
	m = mq_new(&o, NULL, NULL);
	_exit(m && mq_connect(m) == 0 ? 0 : 3);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_qos1),
		cmocka_unit_test(acl_refusal_is_reported),
		cmocka_unit_test(last_will_on_abrupt_exit),
		cmocka_unit_test(shared_subscription_splits_load),
		cmocka_unit_test(reconnects_across_broker_restart),
		cmocka_unit_test(offline_session_queue_survives_broker_kill9),
	};

	log_set_prog("it_mqtt");
	if (argc > 1 && strcmp(argv[1], "--will-child") == 0)
		return will_child();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* bench_msg.c — throughput of the payload codec: decoding a 1-metric and a
 * 20-metric telemetry message, and encoding an alarm. Prints figures only and
 * never fails on a number (exit status is non-zero only if the codec itself
 * refuses the sample payloads). */
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "timeutil.h"

#define RUN_MS 1000

static struct msg_telemetry tel;

struct result {
	long long n;
	long long bytes;
	long long elapsed_ms;
};

static void
report(const char *name, const struct result *r)
{
	double s = (double)r->elapsed_ms / 1000.0;

	printf("%-28s %10.0f msg/s %8.1f MB/s  (%lld messages, %lld bytes each)\n", name,
	       (double)r->n / s, (double)r->bytes / s / 1e6, r->n, r->bytes / r->n);
}

static int
bench_decode(const char *name, const char *payload)
{
	struct msg_limits lim;
	struct result r = {0, 0, 0};
	size_t len = strlen(payload);
	long long start = tu_mono_ms();

	msg_limits_default(&lim, 1763891300000LL);
	if (msg_decode_telemetry(payload, len, &lim, "riverside", "pump-01", &tel) != MSG_OK) {
		fprintf(stderr, "%s: sample payload rejected\n", name);
		return -1;
	}
	do {
		for (int i = 0; i < 1000; i++) {
			msg_decode_telemetry(payload, len, &lim, "riverside", "pump-01", &tel);
			r.bytes += (long long)len;
		}
		r.n += 1000;
		r.elapsed_ms = tu_mono_ms() - start;
	} while (r.elapsed_ms < RUN_MS);
	report(name, &r);
	return 0;
}

static int
bench_encode_alarm(void)
{
	const struct msg_alarm a = {
		.alarm_id = "A-20251123-000042",
		.site = "riverside",
		.device = "pump-01",
		.rule = "pump_outlet_pressure_low",
		.severity = 2,
		.state = MSG_ALARM_ACTIVE,
		.raised_at_ms = 1763891234123LL,
		.value = 95.2,
		.has_value = 1,
		.message = "outlet pressure 95.2 kPa below 120 kPa for 60 s",
		.transition = MSG_TR_RAISED,
	};
	struct result r = {0, 0, 0};
	char buf[2048];
	long long start = tu_mono_ms();

	if (msg_encode_alarm(&a, buf, sizeof(buf)) < 0) {
		fprintf(stderr, "encode_alarm: sample alarm refused\n");
		return -1;
	}
	do {
		for (int i = 0; i < 1000; i++)
			r.bytes += msg_encode_alarm(&a, buf, sizeof(buf));
		r.n += 1000;
		r.elapsed_ms = tu_mono_ms() - start;
	} while (r.elapsed_ms < RUN_MS);
	report("encode_alarm", &r);
	return 0;
}

int
main(void)
{
	static const char one[] =
		"{\"seq\":1042,\"ts\":1763891234123,\"metrics\":{\"outlet_pressure_kpa\":312.4}}";
	char twenty[2048];
	int used, rc = 0;

	used = snprintf(twenty, sizeof(twenty), "{\"seq\":1042,\"ts\":1763891234123,\"metrics\":{");
	for (int i = 0; i < 20; i++)
		used += snprintf(twenty + used, sizeof(twenty) - (size_t)used,
				 "%s\"metric_%02d_value\":%s", i ? "," : "", i,
				 i % 5 == 4 ? "true" : "1834.25");
	snprintf(twenty + used, sizeof(twenty) - (size_t)used, "}}");

	rc |= bench_decode("decode_telemetry_1_metric", one);
	rc |= bench_decode("decode_telemetry_20_metrics", twenty);
	rc |= bench_encode_alarm();
	return rc != 0;
}

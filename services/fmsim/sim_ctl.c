/* sim_ctl.c — the control FIFO (server side for `fmsim community`, client
 * side for `fmsim fault`) and the `fmsim fault` command itself: it checks the
 * fault name (and the device, against the registry) before writing, so a
 * typo is refused at the terminal rather than only logged by the community. */
#include "sim_ctl.h"

#include "fmsim.h"
#include "registry.h"
#include "sim_fault.h"
#include "topic.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_CONTROL "var/fmsim.ctl"

static void
make_parent(const char *path)
{
	char dir[256];
	char *slash;

	snprintf(dir, sizeof dir, "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return; /* mkfifo reports the real problem */
	}
}

int
sim_ctl_open(struct sim_ctl *c, const char *path)
{
	struct stat sb;
	int fd;

	memset(c, 0, sizeof *c);
	c->rfd = c->wfd = -1;
	if (snprintf(c->path, sizeof c->path, "%s", path) >= (int)sizeof c->path) {
		fprintf(stderr, "fmsim community: --control path too long\n");
		return -1;
	}
	make_parent(path);
	if (mkfifo(path, 0600) < 0 && errno != EEXIST) {
		fprintf(stderr, "fmsim community: mkfifo %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (stat(path, &sb) < 0 || !S_ISFIFO(sb.st_mode)) {
		fprintf(stderr, "fmsim community: %s exists and is not a FIFO\n", path);
		return -1;
	}
	/* Someone reading it already: another community owns it. */
	fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		fprintf(stderr, "fmsim community: another community reads %s (--control)\n", path);
		return -1;
	}
	c->rfd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	c->wfd = c->rfd >= 0 ? open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC) : -1;
	if (c->rfd < 0 || c->wfd < 0) {
		fprintf(stderr, "fmsim community: open %s: %s\n", path, strerror(errno));
		sim_ctl_close(c);
		return -1;
	}
	return 0;
}

static void
take(struct sim_ctl *c, const char *data, size_t n, void (*fn)(void *, const char *), void *ctx)
{
	for (size_t i = 0; i < n; i++) {
		if (data[i] == '\n') {
			if (!c->overlong) {
				c->buf[c->len] = '\0';
				fn(ctx, c->buf);
			}
			c->len = 0;
			c->overlong = 0;
		} else if (c->overlong) {
			continue;
		} else if (c->len + 1 >= sizeof c->buf) {
			c->overlong = 1;
			c->too_long++;
		} else {
			c->buf[c->len++] = data[i];
		}
	}
}

void
sim_ctl_poll(struct sim_ctl *c, int timeout_ms, void (*fn)(void *ctx, const char *line), void *ctx)
{
	struct pollfd p = {c->rfd, POLLIN, 0};
	char data[512];
	ssize_t n;

	if (c->rfd < 0) {
		poll(NULL, 0, timeout_ms);
		return;
	}
	if (poll(&p, 1, timeout_ms) <= 0)
		return; /* timeout, or a signal: the loop looks at its flags */
	while ((n = read(c->rfd, data, sizeof data)) > 0)
		take(c, data, (size_t)n, fn, ctx);
}

void
sim_ctl_close(struct sim_ctl *c)
{
	if (c->rfd >= 0)
		close(c->rfd);
	if (c->wfd >= 0)
		close(c->wfd);
	if (c->rfd >= 0 || c->wfd >= 0)
		unlink(c->path);
	c->rfd = c->wfd = -1;
}

int
sim_ctl_send(const char *path, const char *line, char *err, size_t errcap)
{
	size_t len = strlen(line);
	int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, errcap,
			 "no community reads %s (%s): is fmsim community running "
			 "with this --control?",
			 path, errno == ENXIO ? "nobody has it open" : strerror(errno));
		return -1;
	}
	if (write(fd, line, len) != (ssize_t)len) {
		snprintf(err, errcap, "write %s: %s", path, strerror(errno));
		close(fd);
		return -2;
	}
	close(fd);
	return 0;
}

static void
fault_usage(FILE *out)
{
	char list[2048];

	fprintf(out,
		"usage: fmsim fault NAME [DEVICE] [--clear] [--for DURATION] "
		"[--control PATH] [--config DIR]\n"
		"  asks a running `fmsim community` (through its control FIFO, default "
		"%s)\n"
		"  to inject fault NAME on DEVICE (default: the first device of the "
		"fault's type),\n"
		"  for DURATION (default: until cleared), or to clear it (--clear; without "
		"DEVICE\n"
		"  every device with that fault). Faults:\n",
		DEFAULT_CONTROL);
	if (sim_fault_list(list, sizeof list) == 0)
		fputs(list, out);
}

/* The device must exist in the registry and the fault apply to its type; a
 * registry that cannot be read leaves that check to the community. */
static int
check_device(const char *dir, const struct sim_action *a)
{
	struct reg reg;
	struct cfg_errs errs;
	const struct reg_device *d;
	struct sim_effect e;
	int rc = 0;

	cfg_errs_init(&errs);
	if (reg_load_dir(dir, &reg, &errs) == 0) {
		d = reg_device_find(&reg, a->device);
		if (!d) {
			fprintf(stderr, "fmsim fault: no device '%s' in %s\n", a->device, dir);
			rc = -1;
		} else if (sim_fault_effect(a->fault, reg_asset_types[d->type], &e) < 0) {
			fprintf(stderr, "fmsim fault: %s does not apply to %s (a %s)\n",
				sim_fault_name(a->fault), a->device, reg_asset_types[d->type]);
			rc = -1;
		}
	}
	reg_free(&reg);
	cfg_errs_free(&errs);
	return rc;
}

int
cmd_fault(struct daemon *d, int argc, char **argv)
{
	struct sim_action a = {0};
	const char *control = DEFAULT_CONTROL, *dir = d->cfg.config_dir, *name = NULL,
		   *device = NULL;
	char err[512] = "request too long", line[SIM_CTL_LINE_MAX];

	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
			fault_usage(stdout);
			return FMSIM_OK;
		} else if (strcmp(o, "--clear") == 0) {
			a.clear = 1;
		} else if (v && strcmp(o, "--control") == 0) {
			control = argv[++i];
		} else if (v && strcmp(o, "--config") == 0) {
			dir = argv[++i];
		} else if (v && strcmp(o, "--for") == 0) {
			if (cfg_parse_duration(argv[++i], &a.for_ms) < 0 || a.for_ms < 0) {
				fprintf(stderr, "fmsim fault: --for: bad duration '%s'\n", v);
				return FMSIM_USAGE;
			}
		} else if (o[0] != '-' && !name) {
			name = o;
		} else if (o[0] != '-' && !device) {
			device = o;
		} else {
			fprintf(stderr, "fmsim fault: bad argument '%s'\n", o);
			fault_usage(stderr);
			return FMSIM_USAGE;
		}
	}
	if (!name) {
		fault_usage(stderr);
		return FMSIM_USAGE;
	}
	a.fault = sim_fault_find(name);
	if (a.fault < 0) {
		fprintf(stderr, "fmsim fault: unknown fault '%s'\n", name);
		fault_usage(stderr);
		return FMSIM_USAGE;
	}
	if (device && !topic_id_valid(device)) {
		fprintf(stderr, "fmsim fault: bad device id '%s'\n", device);
		return FMSIM_USAGE;
	}
	snprintf(a.device, sizeof a.device, "%s", device ? device : "");
	if (device && check_device(dir, &a) < 0)
		return FMSIM_USAGE;
	if (sim_spec_format_ctl(&a, line, sizeof line) < 0 ||
	    sim_ctl_send(control, line, err, sizeof err) < 0) {
		fprintf(stderr, "fmsim fault: %s\n", err);
		return FMSIM_UNAVAILABLE;
	}
	printf("fmsim fault: %s %s on %s sent to %s\n", a.clear ? "clear" : "inject", name,
	       device ? device : "its default device", control);
	return FMSIM_OK;
}

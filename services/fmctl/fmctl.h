/* fmctl.h — the subcommands of fmctl, one file each. Every command returns
 * the process exit status, which scripts may rely on: 0 success, 1 a
 * finding (invalid configuration, failed check or query, nothing found),
 * 2 usage error, 3 a server could not be reached, 4 the daemon refused the
 * command (its reply on notify/{person} says why), 5 the broker refused
 * (wrong user or password, not authorised), 6 no reply in time. */
#ifndef FM_FMCTL_H
#define FM_FMCTL_H

enum {
	FMCTL_OK = 0,
	FMCTL_FINDING = 1,
	FMCTL_USAGE = 2,
	FMCTL_UNAVAILABLE = 3,
	FMCTL_REFUSED = 4,
	FMCTL_DENIED = 5,
	FMCTL_TIMEOUT = 6,
};

/* Options shared by every subcommand (parsed before the subcommand name). */
struct fmctl_opts {
	const char *config_path; /* -c FILE, default config/fm.yaml */
	int verbose;             /* -v */
};

int
cmd_migrate(const struct fmctl_opts *o, int argc, char **argv);
int
cmd_check(const struct fmctl_opts *o, int argc, char **argv);
int
cmd_apply(const struct fmctl_opts *o, int argc, char **argv);

/* People's commands (issue #7): views and actions. */
int
cmd_watch(const struct fmctl_opts *o, int argc, char **argv);
int
cmd_alarms(const struct fmctl_opts *o, int argc, char **argv);
int
cmd_ack(const struct fmctl_opts *o, int argc, char **argv);
int
cmd_shelve(const struct fmctl_opts *o, int argc, char **argv);
int
cmd_wo(const struct fmctl_opts *o, int argc, char **argv);
int
cmd_request(const struct fmctl_opts *o, int argc, char **argv);
int
cmd_followup(const struct fmctl_opts *o, int argc, char **argv);
int
cmd_devices(const struct fmctl_opts *o, int argc, char **argv);
int
cmd_stats(const struct fmctl_opts *o, int argc, char **argv);

#endif

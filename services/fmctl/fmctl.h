/* fmctl.h — the subcommands of fmctl, one file each. Every command returns
 * the process exit status: 0 success, 1 a finding (invalid configuration,
 * failed check), 2 usage error, 3 a server could not be reached. */
#ifndef FM_FMCTL_H
#define FM_FMCTL_H

enum { FMCTL_OK = 0, FMCTL_FINDING = 1, FMCTL_USAGE = 2, FMCTL_UNAVAILABLE = 3 };

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

#endif

#!/usr/bin/env bash
# db-roles.sh — a PostgreSQL LOGIN role per daemon, member of the daemon's
# least-privilege group role from schemas/sql/006_roles.sql (fm_ingestd, ...):
# ingestd logs in as `ingestd` IN ROLE fm_ingestd, and so on. Run it after
# `fmctl migrate` (which creates the group roles), as the database owner or a
# superuser (libpq's PG* variables or FM_DB_CONNINFO say where).
#
#   db-roles.sh SECRETS_DIR [NAME...]     NAME: ingestd alertd schedd dispatchd fmctl
#   db-roles.sh --rotate SECRETS_DIR [NAME...]   new passwords
#
# A role's password is FM_DB_PASS_<name> when set, else the PGPASSWORD kept in
# SECRETS_DIR/<name>.env (mode 0600; the daemon's EnvironmentFile), else a new
# random one written there. Passwords never appear on a command line.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/secrets.sh"
die() { echo "db-roles: $*" >&2; exit 1; }

rotate=0
if [ "${1:-}" = --rotate ]; then rotate=1; shift; fi
secrets=${1:-}
[ -n "$secrets" ] || die "usage: $0 [--rotate] SECRETS_DIR [ingestd|alertd|schedd|dispatchd|fmctl...]"
shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(ingestd alertd schedd dispatchd fmctl)
(umask 077 && mkdir -p "$secrets")

conn=()
[ -n "${FM_DB_CONNINFO:-}" ] && conn=(-d "$FM_DB_CONNINFO")

for n in "${names[@]}"; do
	case $n in ingestd | alertd | schedd | dispatchd | fmctl) ;; *) die "unknown daemon '$n'" ;; esac
	file=$secrets/$n.env
	var=FM_DB_PASS_$n
	pw=${!var:-}
	if [ -z "$pw" ] && [ $rotate -eq 0 ] && [ -f "$file" ]; then
		secret_check_private "$file" || exit 1
		pw=$(secret_get "$file" PGPASSWORD)
	fi
	[ -n "$pw" ] || pw=$(secret_new)
	# psql reads the password from its standard input, quoted by itself.
	[[ $pw =~ ^[A-Za-z0-9._~!@%^*+=,:/-]{8,128}$ ]] ||
		die "$var: 8-128 characters of A-Z a-z 0-9 . _ ~ ! @ % ^ * + = , : / -"
	psql -X -q -v ON_ERROR_STOP=1 "${conn[@]}" >/dev/null <<-EOF
	\set role $n
	\set grp fm_$n
	\set pw '$pw'
	SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')
		THEN format('ALTER ROLE %I LOGIN INHERIT PASSWORD %L', :'role', :'pw')
		ELSE format('CREATE ROLE %I LOGIN INHERIT PASSWORD %L', :'role', :'pw') END
	\gexec
	SELECT format('GRANT %I TO %I', :'grp', :'role')
	\gexec
	EOF
	secret_set "$file" PGPASSWORD "$pw"
	echo "db-roles: $n (member of fm_$n), password in $file"
done

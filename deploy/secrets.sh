# secrets.sh — sourced by the deploy scripts: one place that generates
# passwords and keeps KEY=VALUE secret files (systemd EnvironmentFile= and
# docker-compose env_file: format) private to their owner (mode 0600).
# Values are never put on a command line, where `ps` would show them.

# secret_new: a random password (24 hex digits).
secret_new() { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# secret_get FILE KEY: the value of KEY in FILE (empty when absent).
secret_get() {
	[ -f "$1" ] || return 0
	sed -n "s/^$2=//p" "$1" | tail -1
}

# secret_set FILE KEY VALUE: sets KEY in FILE, created 0600, other keys kept.
secret_set() {
	local file=$1 key=$2 value=$3 tmp
	(umask 077 && mkdir -p "$(dirname "$file")")
	tmp=$(umask 077 && mktemp "$file.XXXXXX")
	if [ -f "$file" ]; then grep -v "^$key=" "$file" >"$tmp" || true; fi
	printf '%s=%s\n' "$key" "$value" >>"$tmp"
	chmod 600 "$tmp"
	mv -f "$tmp" "$file"
}

# secret_check_private FILE: refuses a secret file that group or others may read.
secret_check_private() {
	local mode
	mode=$(stat -c %a "$1")
	case $mode in
	?00) return 0 ;;
	*) echo "$1: mode $mode lets group or others read it; chmod 600 it" >&2; return 1 ;;
	esac
}

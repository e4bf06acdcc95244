# lib.sh — sourced by the benchmark scripts. figure KEY VALUE UNIT TEXT
# prints one figure as a tab-separated line starting with "figure";
# tests/bench/run.sh collects these lines (from the C benchmarks too) into
# one table and build/bench.json.
figure() {
	local value=$2
	case $value in '' | - | nan | -nan) value=null ;; esac
	printf 'figure\t%s\t%s\t%s\t%s\n' "$1" "$value" "$3" "$4"
}

# fmt N DECIMALS: a number rounded for the table.
fmt() { printf "%.${2:-1}f" "$1"; }

# cpu_ticks PID: user + system clock ticks of a process so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# children_ticks: sets CHILD_TICKS to the user + system clock ticks of
# this shell's finished children so far (the times builtin). Call it
# directly, not in $(...): a subshell has no such children.
children_ticks() {
	local f
	f=$(mktemp /tmp/fm-times.XXXXXX)
	times >"$f"
	CHILD_TICKS=$(tail -1 "$f" | awk -v hz="$(getconf CLK_TCK)" '{
		t = 0
		for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] }
		printf "%d\n", t * hz }')
	rm -f "$f"
}

# group_ticks PID...: the sum of cpu_ticks over processes (gone ones count 0).
group_ticks() {
	local s=0 p t
	for p in "$@"; do
		t=$(cpu_ticks "$p" 2>/dev/null) || t=0
		s=$((s + t))
	done
	echo "$s"
}

# pg_pids DIR: the postmaster of the cluster in DIR/pg and its children.
pg_pids() {
	local pm
	pm=$(head -1 "$1/pg/postmaster.pid" 2>/dev/null) || return 0
	echo "$pm" $(pgrep -P "$pm")
}

# peak_rss_mib PID
peak_rss_mib() { echo "$(awk '/VmHWM/{print $2}' "/proc/$1/status") / 1024" | bc -l; }

# host_ticks: "busy total" clock ticks of the whole machine so far (/proc/stat).
host_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }

# host_busy "B0 T0" "B1 T1": percent of all cores busy between two host_ticks.
host_busy() {
	local b0 t0 b1 t1
	read -r b0 t0 <<<"$1"
	read -r b1 t1 <<<"$2"
	echo "($b1 - $b0) * 100 / ($t1 - $t0)" | bc -l
}

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

# peak_rss_mib PID
peak_rss_mib() { echo "$(awk '/VmHWM/{print $2}' "/proc/$1/status") / 1024" | bc -l; }

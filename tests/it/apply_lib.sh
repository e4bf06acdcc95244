# apply_lib.sh — checks shared by the fmctl check/apply tests (sourced; sets
# no shell options; the test defines fail, ok and $fmctl).

# reapply_unchanged DIR SNAPSHOT_FN WHAT: a second `fmctl apply DIR` reports
# no changes and rewrites nothing (SNAPSHOT_FN prints rows with their xmin).
reapply_unchanged() {
	local before out
	before=$("$2")
	out=$("$fmctl" apply "$1" 2>&1) || fail "second apply: $out"
	[[ $out == *"$1: no changes"* ]] || fail "second apply: $out"
	[ "$("$2")" = "$before" ] || fail "second apply rewrote $3 (xmin changed)"
	ok "second apply: no changes, no xmin changed"
}

# line_of FILE TEXT: the first line number of TEXT in FILE.
line_of() { grep -nF -- "$2" "$1" | head -1 | cut -d: -f1; }

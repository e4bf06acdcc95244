#!/usr/bin/env bash
# probe_rule.sh RULES_YAML ID — adds to a copy of rules.yaml the threshold
# rule that `fmsim probe` crosses (meter_power "probe" above 0.5, severity 4),
# before `overrides:`. Used by the chaos suite and the alertd benchmark.
set -euo pipefail
python3 - "$1" "$2" <<'PY'
import sys
p, rule_id = sys.argv[1], sys.argv[2]
s = open(p).read()
rule = f"""  - id: {rule_id}
    name: {rule_id.replace('_', ' ')}
    asset_types: [meter_power]
    kind: threshold
    metric: probe
    op: above
    raise: 0.5
    severity: 4
    message: "{{device}} probe {{value}}"
    notify: [duty_engineer]
"""
i = s.find("\noverrides:")
s = s + rule if i < 0 else s[:i + 1] + rule + s[i + 1:]
open(p, "w").write(s)
PY

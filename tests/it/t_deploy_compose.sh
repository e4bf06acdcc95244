#!/usr/bin/env bash
# t_deploy_compose — docker-compose.yml without a Docker engine: valid YAML;
# the services, health checks and volumes a deployment needs; every image is
# built here or an official one; after deploy/compose-init.sh every file it
# mounts or reads exists; every environment variable given to the backend's
# image is one the code reads (getenv/env_override in common/ and services/,
# or libpq's PG* variables), and each daemon gets what it needs.
. "$(dirname "$0")/lib.sh"
C="$IT_TMP/compose"
deploy/compose-init.sh "$C" broker.test >/dev/null || fail "compose-init.sh failed"
ok "compose-init.sh made $C"
for f in broker/mosquitto.conf broker/passwd broker/acl broker/tls/ca.crt broker/tls/server.crt \
	secrets/postgres.env secrets/owner.env secrets/{ingestd,alertd,schedd,dispatchd}.env; do
	[ -s "$C/$f" ] || fail "compose-init.sh did not make $f"
done
check "mode of the daemons' secret files" "600 600 600 600" \
	"$(stat -c %a "$C"/secrets/{ingestd,alertd,schedd,dispatchd}.env | tr '\n' ' ' | sed 's/ $//')"
grep -q '^listener 8883 0.0.0.0$' "$C/broker/mosquitto.conf" || fail "no TLS listener in the compose broker"
grep -q '^allow_anonymous false$' "$C/broker/mosquitto.conf" || fail "anonymous allowed in the compose broker"
ok "the compose broker: shipped configuration, TLS listener, no anonymous access"

# The variables the code reads: its getenv and env_override calls.
grep -rhoE '(getenv|env_override)\("[A-Z_]+"' common services | sed -E 's/.*\("//; s/"$//' | sort -u >"$IT_TMP/read"
grep -q '^FM_MQTT_PASSWORD$' "$IT_TMP/read" || fail "could not list the variables the code reads"
ok "variables the code reads: $(tr '\n' ' ' <"$IT_TMP/read")"

FM_COMPOSE_DIR=$C python3 - "$IT_TMP/read" <<'PY' || fail "compose check"
import os, re, sys, yaml
fails = []
def bad(msg): fails.append(msg); print("  FAIL: " + msg)
def good(msg): print("  ok: " + msg)
read = set(open(sys.argv[1]).read().split())
# libpq's environment variables (PostgreSQL 15 manual, 34.15)
libpq = set("PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGPASSWORD PGPASSFILE PGSERVICE "
            "PGSERVICEFILE PGOPTIONS PGAPPNAME PGSSLMODE PGSSLCERT PGSSLKEY PGSSLROOTCERT "
            "PGSSLCRL PGCONNECT_TIMEOUT PGCLIENTENCODING PGTARGETSESSIONATTRS PGTZ".split())
known = read | libpq
doc = yaml.safe_load(open("docker-compose.yml"))
good("docker-compose.yml is valid YAML")
env = dict(os.environ)
def interp(s):
    def sub(m):
        name, op, arg = m.group(1), m.group(2), m.group(3)
        v = env.get(name)
        if op == ":-" and not v: return arg
        if op == ":?" and not v: bad("required variable %s unset (%s)" % (name, arg)); return ""
        return v or ""
    return re.sub(r"\$\{([A-Z_]+)(:-|:\?)?([^}]*)\}", sub, s)
svcs = doc["services"]
want = {"postgres", "broker", "migrate", "ingestd", "alertd", "schedd", "dispatchd"}
if want - set(svcs): bad("services missing: %s" % sorted(want - set(svcs)))
else: good("services: %s" % " ".join(sorted(svcs)))
built = {}
for name, s in svcs.items():
    if "build" in s:
        b = s["build"]
        ctx = b["context"]; df = os.path.join(ctx, b.get("dockerfile", "Dockerfile"))
        if not os.path.isdir(ctx) or not os.path.isfile(df): bad("%s: build %s missing" % (name, df))
        built[s.get("image", name)] = df
official = {"postgres:15", "eclipse-mosquitto:2.0"}
for name, s in svcs.items():
    img = s.get("image")
    if img not in built and img not in official and "build" not in s:
        bad("%s: image %s is neither built here nor an official image" % (name, img))
good("images: %s built from %s; official: %s" % (" ".join(built), " ".join(built.values()), " ".join(sorted(official))))
before = len(fails)
for name, s in svcs.items():
    if name != "migrate" and "healthcheck" not in s: bad("%s has no health check" % name)
    for v in s.get("volumes", []):
        src = interp(v).split(":")[0]
        if src.startswith((".", "/")):
            p = src
            if not os.path.exists(p): bad("%s: mounts %s, which does not exist" % (name, p))
        elif src not in (doc.get("volumes") or {}): bad("%s: volume %s not declared" % (name, src))
    for f in s.get("env_file", []):
        p = interp(f)
        if not os.path.isfile(p): bad("%s: env_file %s does not exist" % (name, p))
if len(fails) == before:
    good("health checks on every long-running service; every mount and env_file exists; volumes declared")
def env_of(s):
    keys = set((s.get("environment") or {}).keys())
    for f in s.get("env_file", []):
        p = interp(f)
        if os.path.isfile(p):
            keys |= {l.split("=", 1)[0] for l in open(p) if "=" in l and not l.startswith("#")}
    return keys
df = open(built.get("fm-backend:latest", "deploy/Dockerfile")).read()
image_env = set(re.findall(r"\b(FM_[A-Z_]+)=", " ".join(l for l in df.splitlines() if l.startswith("ENV"))))
for k in sorted(image_env - known): bad("Dockerfile ENV %s is read by no code" % k)
for name, s in svcs.items():
    if s.get("image") != "fm-backend:latest": continue
    keys = env_of(s)
    for k in sorted(keys - known): bad("%s: %s is read by no code" % (name, k))
    if name in ("ingestd", "alertd", "schedd", "dispatchd"):
        need = {"FM_MQTT_URL", "FM_MQTT_USERNAME", "FM_MQTT_PASSWORD", "FM_DB_CONNINFO", "PGPASSWORD", "FM_SPOOL_DIR"}
        if need - keys: bad("%s lacks %s" % (name, sorted(need - keys)))
        if s["environment"].get("FM_MQTT_USERNAME") != name: bad("%s: broker user is not %s" % (name, name))
        if ("user=%s" % name) not in s["environment"].get("FM_DB_CONNINFO", ""): bad("%s: not its own DB role" % name)
        if s.get("command", [None])[0] != name: bad("%s runs %s" % (name, s.get("command")))
    good("%s: environment %s" % (name, " ".join(sorted(keys))))
# the alarm path ahead of the rest, as deploy/systemd's Nice=-5 on a host
w = {n: int(svcs[n].get("cpu_shares", 1024)) for n in svcs}
if min(w["broker"], w["alertd"]) <= max(w[n] for n in svcs if n not in ("broker", "alertd")):
    bad("broker and alertd do not outweigh the rest: cpu_shares %s" % w)
else: good("cpu_shares: broker %d, alertd %d, the rest at most %d" % (w["broker"], w["alertd"], max(w[n] for n in svcs if n not in ("broker", "alertd"))))
for k in ("POSTGRES_PASSWORD", "PGPASSWORD", "FM_MQTT_PASSWORD"):
    if re.search(r"^\s*%s:\s*\S" % k, open("docker-compose.yml").read(), re.M):
        bad("a password (%s) is written in docker-compose.yml" % k)
good("no password written in docker-compose.yml")
sys.exit(1 if fails else 0)
PY
grep -q '^bins:' Makefile || fail "the Dockerfile's make bins has no target"
for f in $(sed -n 's/^COPY \([^-][^ ]*\( [^ ]*\)*\) [^ ]*$/\1/p' deploy/Dockerfile); do
	[ "$f" = . ] || [ -e "$f" ] || fail "the Dockerfile copies $f, which does not exist"
done
ok "the Dockerfile's sources exist and make bins is a target"
echo "t_deploy_compose: all passed"

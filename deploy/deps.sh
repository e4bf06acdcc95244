#!/usr/bin/env bash
# deps.sh — installs the Debian 12 packages the build, tests and demo need,
# and only those that are missing (nothing is downloaded when all are present).
set -euo pipefail
PKGS=(gcc make libc6-dev pkg-config git ca-certificates tzdata procps iproute2
      libpaho-mqtt-dev mosquitto mosquitto-clients
      postgresql postgresql-client libpq-dev
      libyaml-dev libjansson-dev libcmocka-dev
      clang clang-format openssl bc python3 python3-yaml)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# policy-rc.d keeps Debian's packages from starting the system-wide
# mosquitto and PostgreSQL: the project runs its own, on its own ports.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
	$SUDO chmod +x /usr/sbin/policy-rc.d
	trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"

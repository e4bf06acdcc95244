#!/usr/bin/env bash
# pki.sh — a site's certificate authority and the broker's server certificate
# (openssl; no other tooling). Clients trust DIR/ca.crt and nothing else.
#
#   pki.sh ca DIR [NAME]              DIR/ca.key (0600), DIR/ca.crt: 10 years.
#                                     Refuses to replace an existing CA.
#   pki.sh server DIR HOST [NAME...]  DIR/server.key (0600), DIR/server.crt
#                                     signed by the CA, 825 days, for HOST,
#                                     localhost, 127.0.0.1 and each extra NAME
#                                     (a DNS name or an IPv4 address).
#                                     Replaces the previous one (rotation).
#
# Keep ca.key off the broker host when possible: only ca.crt, server.crt and
# server.key are needed there.
set -euo pipefail
die() { echo "pki: $*" >&2; exit 1; }
command -v openssl >/dev/null || die "openssl not found (deploy/deps.sh installs it)"

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 ca DIR [NAME] | server DIR HOST [NAME...]"
mkdir -p "$dir"

case $cmd in
ca)
	[ ! -e "$dir/ca.key" ] || die "$dir/ca.key exists: a new CA means every client needs the new ca.crt (README \"Operations\")"
	name=${3:-fm site CA}
	(umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/ca.key" 2>/dev/null)
	openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 3650 -subj "/CN=$name" \
		-addext "basicConstraints=critical,CA:true,pathlen:0" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" -out "$dir/ca.crt"
	echo "pki: CA $dir/ca.crt"
	;;
server)
	host=${3:-}
	[ -n "$host" ] || die "usage: $0 server DIR HOST [NAME...]"
	[ -f "$dir/ca.key" ] && [ -f "$dir/ca.crt" ] || die "no CA in $dir: run '$0 ca $dir' first"
	san="DNS:$host,DNS:localhost,IP:127.0.0.1"
	for n in "${@:4}"; do
		if [[ $n =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; then san+=",IP:$n"; else san+=",DNS:$n"; fi
	done
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/server.key" 2>/dev/null)
	openssl req -new -key "$tmp/server.key" -subj "/CN=$host" -out "$tmp/server.csr"
	printf 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' \
		"$san" >"$tmp/ext"
	openssl x509 -req -in "$tmp/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
		-CAcreateserial -days 825 -sha256 -extfile "$tmp/ext" -out "$tmp/server.crt" 2>/dev/null
	openssl verify -CAfile "$dir/ca.crt" "$tmp/server.crt" >/dev/null || die "the new certificate does not verify"
	mv -f "$tmp/server.key" "$dir/server.key"
	# The broker reads its key after dropping to the mosquitto user.
	if [ "$(id -u)" -eq 0 ] && id mosquitto >/dev/null 2>&1; then
		chgrp mosquitto "$dir/server.key" && chmod 640 "$dir/server.key"
	fi
	mv -f "$tmp/server.crt" "$dir/server.crt"
	echo "pki: server certificate $dir/server.crt for $san"
	;;
*) die "unknown command '$cmd'" ;;
esac

#!/usr/bin/env bash
# Issuance load test on loopback only. Starts `bewijs serve --demo` (SQLite in a temporary
# folder, or PostgreSQL when BEWIJS_DATABASE_URL and BEWIJS_MASTER_KEY_FILE are set), issues
# an API key for gemeente-amsterdam, then runs scripts/loadissue: N credentials, C wallets,
# BATCH credentials per request. Prints credentials/s, p50/p99 and the raw ES256 rate.
#   scripts/load-issuance.sh [N] [C] [BATCH] [loadissue flags]
#   scripts/load-issuance.sh 10000 16 10 -then-share 0.7   # peak, then p99 at 70% of it
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}; c=${2:-16}; batch=${3:-10}
shift $(( $# < 3 ? $# : 3 ))
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/bewijs" ./cmd/bewijs
go build -o "$work/loadissue" ./scripts/loadissue
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export BEWIJS_PUBLIC_URL="$base" BEWIJS_LOG_LEVEL=warn
if [ -z "${BEWIJS_DATABASE_URL:-}" ]; then export BEWIJS_DATABASE_URL="sqlite://$work/data/bewijs.db"; fi
# SERVER_CPUS / LOADGEN_CPUS (e.g. 0 and 1) pin the server and the load generator with taskset,
# to see how far the server alone goes when the load generator does not take its CPU.
pin() { if [ -n "${1:-}" ]; then echo "taskset -c $1"; fi; }
(cd "$work" && BEWIJS_ADDR="127.0.0.1:$port" $(pin "${SERVER_CPUS:-}") ./bewijs serve --demo --db-max-open-conns "${DB_CONNS:-10}") &
pid=$!
for _ in $(seq 1 100); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.1; done
key=$("$work/bewijs" tenant api-key --slug gemeente-amsterdam --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
$(pin "${LOADGEN_CPUS:-}") "$work/loadissue" -url "$base" -api-key "$key" -n "$n" -c "$c" -batch "$batch" "$@"

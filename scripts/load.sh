#!/usr/bin/env bash
# Load test on loopback only: starts `bewijs serve --demo` on SQLite in a temporary folder
# (or on PostgreSQL with BEWIJS_DATABASE_URL + BEWIJS_MASTER_KEY_FILE set), then drives the
# public read paths with wrk for a bounded time. Usage: scripts/load.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-16}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/bewijs" ./cmd/bewijs
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
(cd "$work" && BEWIJS_ADDR="127.0.0.1:$port" BEWIJS_PUBLIC_URL="$base" BEWIJS_LOG_LEVEL=warn ./bewijs serve --demo) &
pid=$!
for _ in $(seq 1 100); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.1; done

for path in /o/gemeente-utrecht/did.json /readyz; do
  echo "== GET $path, $conns connections, ${secs}s"
  wrk -t2 -c"$conns" -d"${secs}s" --latency "$base$path" | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx' || true
done

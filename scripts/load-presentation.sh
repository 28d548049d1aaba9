#!/usr/bin/env bash
# Presentation load test on loopback only (issue 4, item 9). Measures the raw bound first
# (BenchmarkRawBound: two ES256 verifies, the disclosure digests and the JSON decoding of a
# presentation like the one posted here, one core), then starts `bewijs serve --demo` (SQLite
# in a temporary folder, or PostgreSQL when BEWIJS_DATABASE_URL and BEWIJS_MASTER_KEY_FILE are
# set), issues API keys for gemeente-amsterdam (issuer) and thuiszorg-de-linde (verifier), and
# runs scripts/loadpresent: a flow phase (create request, fetch request object, present,
# respond) and a responses phase (only the verified response POSTs timed, in chunks of 1000;
# the raw bound is measured again, briefly, on the server's core just before and just after
# each chunk, and each chunk is set beside the mean of the two: this machine's speed drifts
# by 10 % within minutes, at times by 30 % within seconds).
# Prints throughput, p50/p99, the server's CPU per response and the ratio against the raw
# bound; on PostgreSQL also the CPU of the postgres processes per response (not in the ratio).
#   scripts/load-presentation.sh [N] [C] [loadpresent flags, e.g. -phases responses]
# SERVER_CPUS / LOADGEN_CPUS (e.g. 0 and 1) pin the server and the load generator with taskset.
# PROFILE=file.pprof writes a CPU profile of the server (PROFILE_SECONDS, default 10;
# PROFILE_TYPE=allocs for the allocations instead) taken during PROFILE_PHASE (responses or
# flow, default responses; use -chunk 4000 so that no preparation falls in it); read it with
# `go tool pprof -top <bewijs binary> file.pprof` (the binary is kept beside it as file.pprof.bin).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}; c=${2:-8}
shift $(( $# < 2 ? $# : 2 ))
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; rm -rf "$work"' EXIT
pin() { if [ -n "${1:-}" ]; then echo "taskset -c $1"; fi; }
# cpus counts the CPUs of a taskset list such as 0,2-3.
cpus() { python3 -c 'import sys; print(sum((lambda a: int(a[-1])-int(a[0])+1)(p.split("-")) for p in sys.argv[1].split(",")))' "$1"; }

echo "== raw bound: go test ./verifier -bench 'RawBound\$|VerifyPresentation\$' -cpu 1 -count 3"
$(pin "${SERVER_CPUS:-}") go test ./verifier -run '^$' -bench 'RawBound$|VerifyPresentation$' -cpu 1 -count 3 -benchtime 2s | tee "$work/bench.txt" | grep '^Benchmark'
# The median of the three runs, for the presentation the load test posts: the zorgstart
# query asks only for claims that are always visible, so it carries no disclosures.
bound_case="disclosures=0"
bound=$(awk -v c="BenchmarkRawBound/$bound_case" '$1 == c {print $3}' "$work/bench.txt" | sort -n | sed -n 2p)

# The same benchmark, briefly, before and after each chunk of the responses phase (loadpresent
# -bound-cmd): this machine's speed drifts, so each chunk is set beside its own bound.
go test -c -o "$work/verifier.test" ./verifier
bound_cmd="cd $PWD/verifier && $(pin "${SERVER_CPUS:-}") $work/verifier.test -test.run '^\$' -test.bench 'RawBound/$bound_case\$' -test.cpu 1 -test.benchtime 0.5s | awk '/^Benchmark/ {print \$3}'"
go build -o "$work/bewijs" ./cmd/bewijs
go build -o "$work/loadpresent" ./scripts/loadpresent
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export BEWIJS_PUBLIC_URL="$base" BEWIJS_LOG_LEVEL=warn
if [ -z "${BEWIJS_DATABASE_URL:-}" ]; then export BEWIJS_DATABASE_URL="sqlite://$work/data/bewijs.db"; fi
debug=(); profile=()
if [ -n "${PROFILE:-}" ]; then
  dport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  debug=(--debug-addr "127.0.0.1:$dport")
  profile=(-profile "http://127.0.0.1:$dport/debug/pprof/${PROFILE_TYPE:-profile}" -profile-out "$PROFILE"
    -profile-seconds "${PROFILE_SECONDS:-10}" -profile-phase "${PROFILE_PHASE:-responses}")
  cp "$work/bewijs" "$PROFILE.bin"
fi
# exec, so that $pid is the server itself and its CPU time can be read from /proc.
# --insecure-localhost: the verifier resolves the issuer's did:web and fetches its status
# list on this loopback address.
(cd "$work" && BEWIJS_ADDR="127.0.0.1:$port" exec $(pin "${SERVER_CPUS:-}") ./bewijs serve --demo --insecure-localhost --db-max-open-conns "${DB_CONNS:-10}" "${debug[@]}") &
pid=$!
for _ in $(seq 1 100); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.1; done
key() { "$work/bewijs" tenant api-key --slug "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])'; }
issuer_key=$(key gemeente-amsterdam)
verifier_key=$(key thuiszorg-de-linde)
server_cpus=${SERVER_CPUS:+$(cpus "$SERVER_CPUS")}
db_comm=; case "$BEWIJS_DATABASE_URL" in postgres*) db_comm=postgres ;; esac
$(pin "${LOADGEN_CPUS:-}") "$work/loadpresent" -url "$base" -api-key "$verifier_key" -issuer-api-key "$issuer_key" \
  -n "$n" -c "$c" -bound-ns "$bound" -bound-name "BenchmarkRawBound/$bound_case" -server-pid "$pid" -server-cpus "${server_cpus:-$(nproc)}" -clk-tck "$(getconf CLK_TCK)" -bound-cmd "$bound_cmd" -db-comm "$db_comm" "${profile[@]}" "$@"

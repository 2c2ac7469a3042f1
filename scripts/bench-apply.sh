#!/usr/bin/env bash
# Times whole applies of many resources against the simulator (internal/benchacc's
# TestAccBenchApply) and prints a Markdown table of the figures (BENCHMARKS.md has the method).
#
#   ./scripts/bench-apply.sh                           # N=100, bucket on and off, -parallelism 10
#   N=10 BUCKET=on PARALLELISM=4,10,20 ./scripts/bench-apply.sh
#   RPS=default,0 ./scripts/bench-apply.sh             # the provider's default (KAZOO's bucket), and no client limit
#   BINARY=1 ./scripts/bench-apply.sh                  # a built provider started by Terraform per walk
#   PAUSE=10s ./scripts/bench-apply.sh                 # each command starts with a full bucket
#
# Every variable takes a comma-separated list; the runs are their product. The raw figures are
# appended, one JSON line per run, to $OUT (default ./bench-apply.jsonl).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. .ci/lib.sh

TF_CLI_CONFIG_FILE=$(ensure_cli_config)
TF_ACC_TERRAFORM_PATH=${TF_ACC_TERRAFORM_PATH:-$(ensure_terraform)}
OUT=${OUT:-$PWD/bench-apply.jsonl}
export TF_CLI_CONFIG_FILE TF_ACC_TERRAFORM_PATH TF_ACC=1 CHECKPOINT_DISABLE=1
export KAZOO_BENCH_N=${N:-100}
export KAZOO_BENCH_BUCKET=${BUCKET:-on,off}
export KAZOO_BENCH_PARALLELISM=${PARALLELISM:-10}
export KAZOO_BENCH_RPS=${RPS:-default}
export KAZOO_BENCH_OUT=$OUT
[ -n "${PAUSE:-}" ] && export KAZOO_BENCH_PAUSE=$PAUSE

if [ "${BINARY:-}" = 1 ]; then
	bin=$(mktemp -d)
	trap 'rm -rf "$bin"' EXIT
	log "building the provider into $bin"
	go build -trimpath -o "$bin/terraform-provider-kazoo" .
	export KAZOO_BENCH_PROVIDER_BINARY=$bin/terraform-provider-kazoo
fi

start=0
[ -f "$OUT" ] && start=$(wc -l <"$OUT")
log "terraform: $TF_ACC_TERRAFORM_PATH; figures appended to $OUT"
status=0
go test -count=1 -v -timeout 180m -run '^TestAccBenchApply$' ./internal/benchacc/ >&2 || status=$?

if command -v jq >/dev/null 2>&1; then
	echo '| N | resources | bucket | parallelism | client req/s | phase | wall (s) | requests | logins (requests per walk) | 429s | req/s | max in flight |'
	echo '|---|---|---|---|---|---|---|---|---|---|---|---|'
	tail -n +"$((start + 1))" "$OUT" | jq -r '
		. as $r | .phases[] |
		"| \($r.case.N) | \($r.resources) | \(if $r.case.Bucket then "on" else "off" end) | \($r.case.Parallelism) | \($r.case.RPS) | \(.name)\(if .failed then " **failed**" else "" end) | \(.seconds * 100 | round / 100) | " +
		([.by_method | to_entries[] | select(.value > 0) | "\(.value) \(.key)"] | join(", ")) +
		" | \(.logins)\(if .walk_requests then " (" + (.walk_requests | map(tostring) | join(", ")) + ")" else "" end) | \([.too_many[]] | add // 0) | \(.requests_per_second * 10 | round / 10) | \(.max_in_flight) |"'
fi
exit "$status"

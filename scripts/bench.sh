#!/usr/bin/env bash
# `make bench`: the benchmark suite (internal/benchacc's TestAccBenchSuite). It builds the
# provider and the generic REST provider Mastercard/restapi (from the Go module proxy, cached in
# $KAZOO_TF_CACHE), runs the same work through them and through N terraform_data resources
# side by side against the simulator, and writes the tables into BENCHMARKS.md's generated
# section. It reports; it asserts nothing.
#
#   make bench                 # N=100 (about a minute on 2 idle cores, 4 under load)
#   N=1000 MIX=off make bench  # N=1000, devices only (opt-in: about 11 minutes on 2 idle cores;
#                              # the mix of 4,002 resources would take Terraform over an hour)
#   PARALLELISM=20 make bench
#   OUT=/tmp/bench.md make bench   # write the tables into another file (it needs the markers)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. .ci/lib.sh

RESTAPI_VERSION=v1.20.0
cache=${KAZOO_TF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kazoo-tf}
export TF_ACC_TERRAFORM_PATH=${TF_ACC_TERRAFORM_PATH:-$(ensure_terraform)}
export TF_ACC=1 CHECKPOINT_DISABLE=1 KAZOO_BENCH_SUITE=1
export KAZOO_BENCH_N=${N:-100}
export KAZOO_BENCH_PARALLELISM=${PARALLELISM:-10}
export KAZOO_BENCH_MIX=${MIX:-on}
export KAZOO_BENCH_MARKDOWN=${OUT:-$PWD/BENCHMARKS.md}

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
log "building the provider into $bin"
go build -trimpath -o "$bin/terraform-provider-kazoo" .
export KAZOO_BENCH_PROVIDER_BINARY=$bin/terraform-provider-kazoo

restapi=$cache/restapi-$RESTAPI_VERSION/terraform-provider-restapi
if [ ! -x "$restapi" ]; then
	log "building Mastercard/restapi $RESTAPI_VERSION from the Go module proxy"
	mod=$(mktemp -d)
	if (cd "$mod" && printf 'module benchbuild\n\ngo 1.24\n' >go.mod &&
		go get "github.com/Mastercard/terraform-provider-restapi@$RESTAPI_VERSION" &&
		go build -trimpath -o "$restapi" github.com/Mastercard/terraform-provider-restapi) >&2; then
		:
	else
		log "Mastercard/restapi could not be built; the suite runs without it"
	fi
	rm -rf "$mod"
fi
[ -x "$restapi" ] && export KAZOO_BENCH_RESTAPI_BINARY=$restapi

log "N=$KAZOO_BENCH_N, -parallelism=$KAZOO_BENCH_PARALLELISM; tables go to $KAZOO_BENCH_MARKDOWN"
go test -count=1 -v -timeout 120m -run '^TestAccBenchSuite$' ./internal/benchacc/

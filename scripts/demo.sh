#!/usr/bin/env bash
# The demo: build the provider and the Crossbar simulator, start the simulator on 127.0.0.1,
# apply examples/demo through a dev_overrides CLI configuration, prove that the next plan is
# empty, destroy everything, stop the simulator and remove every scratch file.
#
#   ./scripts/demo.sh            (or: make demo)
#
# Needs Go; Terraform >= 1.11 is taken from PATH or built once through the Go module proxy
# (see .ci/lib.sh). KEEP=1 keeps the scratch directory for a look afterwards.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
# shellcheck source=.ci/lib.sh
. "$ROOT/.ci/lib.sh"

# Colours only on a terminal; logs (CI) get plain text.
if [ -t 1 ]; then
	say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
	COLOR=()
else
	say() { printf '\n==> %s\n' "$*"; }
	COLOR=(-no-color)
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kazoo-demo.XXXXXX")
SIM_PID=
cleanup() {
	local rc=$?
	if [ -n "$SIM_PID" ] && kill -0 "$SIM_PID" 2>/dev/null; then
		kill "$SIM_PID" 2>/dev/null || true
		wait "$SIM_PID" 2>/dev/null || true
	fi
	if [ "${KEEP:-}" = 1 ]; then
		echo "scratch files kept in $WORK"
	else
		rm -rf "$WORK"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "Terraform"
TF=$(ensure_terraform)
TF_CLI_CONFIG_FILE=$(ensure_cli_config) "$TF" version | sed -n 1p

say "Building the provider and the simulator"
mkdir -p "$WORK/bin"
go build -trimpath -o "$WORK/bin/terraform-provider-kazoo" .
go build -trimpath -o "$WORK/bin/kazoosim" ./cmd/kazoosim

say "Starting the simulator on 127.0.0.1"
# Port 0: the simulator picks a free port and prints its URL and master credentials as one JSON
# line. KAZOO's default rate limit stays on, as on a real server.
"$WORK/bin/kazoosim" -addr 127.0.0.1:0 -data "$WORK/kazoosim.db" >"$WORK/sim.out" 2>"$WORK/sim.err" &
SIM_PID=$!
for _ in $(seq 1 100); do
	[ -s "$WORK/sim.out" ] && break
	if ! kill -0 "$SIM_PID" 2>/dev/null; then
		cat "$WORK/sim.err" >&2
		echo "the simulator exited before it was ready" >&2
		exit 1
	fi
	sleep 0.1
done
banner=$(head -n1 "$WORK/sim.out")
field() { printf '%s' "$banner" | sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
KAZOO_URL=$(field url)
KAZOO_API_KEY=$(field api_key)
KAZOO_ACCOUNT_ID=$(field account_id)
if [ -z "$KAZOO_URL" ] || [ -z "$KAZOO_API_KEY" ]; then
	echo "could not read the simulator's banner: $banner" >&2
	exit 1
fi
export KAZOO_URL KAZOO_API_KEY KAZOO_ACCOUNT_ID
# Only these credentials: another KAZOO_* login method in the environment would be ambiguous.
unset KAZOO_USERNAME KAZOO_PASSWORD KAZOO_ACCOUNT_NAME KAZOO_ACCOUNT_REALM KAZOO_PHONE_NUMBER KAZOO_AUTH_TOKEN
echo "simulator at $KAZOO_URL, master account $KAZOO_ACCOUNT_ID"

say "Pointing Terraform at the freshly built provider (dev_overrides: no terraform init needed)"
cat >"$WORK/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/kazoo-community/kazoo" = "$WORK/bin"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE=$WORK/terraformrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
cat "$TF_CLI_CONFIG_FILE"
mkdir -p "$WORK/tf"
cp "$ROOT"/examples/demo/*.tf "$WORK/tf/"
tf() { "$TF" -chdir="$WORK/tf" "$@"; }

say "terraform apply (examples/demo)"
t0=$SECONDS
tf apply -auto-approve -input=false "${COLOR[@]}"
echo "applied $(tf state list | wc -l) resources in $((SECONDS - t0))s"
tf output "${COLOR[@]}"

say "terraform plan: nothing must change"
set +e
tf plan -detailed-exitcode -input=false "${COLOR[@]}"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
	echo "FAIL: terraform plan -detailed-exitcode returned $rc after apply (0 means no changes)" >&2
	exit 1
fi
echo "OK: the plan after apply is empty (terraform plan -detailed-exitcode = 0)"

say "terraform destroy"
tf destroy -auto-approve -input=false "${COLOR[@]}"
left=$(tf state list | wc -l)
if [ "$left" -ne 0 ]; then
	echo "FAIL: $left resources left in the state after destroy" >&2
	exit 1
fi

say "Demo finished: applied, re-planned empty, destroyed; stopping the simulator and cleaning up"

# shellcheck shell=bash
# Shared helpers for .ci/run, scripts/demo.sh and the GNUmakefile: they provide the Terraform and
# OpenTofu CLIs and the pinned tools, built once through the Go module proxy (the only network this
# project assumes) and cached outside the repository in $KAZOO_TF_CACHE.
#
# Source it; every ensure_* function prints the absolute path of the tool on stdout and progress on
# stderr, and fails (non-zero) when the tool cannot be provided. A tool already on PATH at the
# pinned version is used as it is; only a missing one is built.

# The ensure_* functions run inside $(...), which ignores errexit unless this is set.
shopt -s inherit_errexit 2>/dev/null || true

KAZOO_TF_CACHE=${KAZOO_TF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kazoo-tf}
export KAZOO_TF_CACHE

# Pinned versions. Bump them here only.
TERRAFORM_MIN=1.11.0          # oldest "current" Terraform accepted from PATH
TERRAFORM_BUILD=1.11.4        # built when PATH has no suitable Terraform
TERRAFORM_OLD=1.5.7           # the oldest Terraform we support (protocol 6, no write-only attributes)
TERRAFORM_NEWEST=1.16.4       # the newest Terraform: list resources, identity, actions, query
TOFU_VERSION=1.12.6
GOLANGCI_LINT_VERSION=v2.15.0
GORELEASER_VERSION=v2.15.1

log() { printf '%s\n' "$*" >&2; }

# version_ge A B: true when dotted version A >= B.
version_ge() {
	[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | sed -n 1p)" = "$2" ]
}

# cli_version PATH: the bare version (e.g. 1.11.4) a terraform/tofu binary reports, or nothing.
# The CLI config warning of a missing TF_CLI_CONFIG_FILE goes to stdout, so read only the first
# "vX.Y.Z" line.
cli_version() {
	"$1" version 2>/dev/null | sed -n 's/^\(Terraform\|OpenTofu\) v\([0-9][0-9.]*[^ ]*\).*/\2/p' | sed -n 1p
}

# with_lock NAME CMD...: serialise concurrent builds of the same tool (two CI runs, demo + CI).
with_lock() {
	local name=$1
	shift
	mkdir -p "$KAZOO_TF_CACHE"
	if command -v flock >/dev/null 2>&1; then
		(
			flock 9
			"$@"
		) 9>"$KAZOO_TF_CACHE/.$name.lock"
	else
		"$@"
	fi
}

# module_dir MODULE@VERSION: download a module through the proxy and print its directory.
module_dir() {
	go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

# ensure_terraform: Terraform >= TERRAFORM_MIN, from PATH when it is new enough, else built.
ensure_terraform() {
	local tf v
	if tf=$(command -v terraform 2>/dev/null); then
		v=$(cli_version "$tf")
		if [ -n "$v" ] && version_ge "$v" "$TERRAFORM_MIN"; then
			printf '%s\n' "$tf"
			return 0
		fi
		log "terraform on PATH is ${v:-unknown}; building Terraform $TERRAFORM_BUILD"
	fi
	cached_terraform_current
}

# cached_terraform_current: Terraform $TERRAFORM_BUILD from the cache, built there the first time.
cached_terraform_current() {
	local tf=$KAZOO_TF_CACHE/bin$TERRAFORM_BUILD/terraform
	if [ ! -x "$tf" ]; then
		with_lock "terraform$TERRAFORM_BUILD" build_terraform_current "$tf" || return 1
	fi
	printf '%s\n' "$tf"
}

# ensure_terraform_writeonly: Terraform 1.11, the first with write-only attributes, for CI's 1.11
# subset: PATH's terraform when it is a 1.11 release, else Terraform $TERRAFORM_BUILD built once.
ensure_terraform_writeonly() {
	local tf
	if tf=$(command -v terraform 2>/dev/null); then
		case $(cli_version "$tf") in 1.11.*)
			printf '%s\n' "$tf"
			return 0
			;;
		esac
	fi
	cached_terraform_current
}

# build_terraform_current OUT: Terraform $TERRAFORM_BUILD, see build_terraform_patched.
build_terraform_current() { build_terraform_patched "$TERRAFORM_BUILD" "$1"; }

# ensure_terraform_newest: Terraform $TERRAFORM_NEWEST (list resources, `terraform query`,
# resource identity, actions), from PATH when PATH's terraform is exactly that version, else built
# once into the cache.
ensure_terraform_newest() {
	local tf
	if tf=$(command -v terraform 2>/dev/null) && [ "$(cli_version "$tf")" = "$TERRAFORM_NEWEST" ]; then
		printf '%s\n' "$tf"
		return 0
	fi
	tf=$KAZOO_TF_CACHE/bin$TERRAFORM_NEWEST/terraform
	if [ ! -x "$tf" ]; then
		with_lock "terraform$TERRAFORM_NEWEST" build_terraform_patched "$TERRAFORM_NEWEST" "$tf" || return 1
	fi
	printf '%s\n' "$tf"
}

# build_terraform_patched VERSION OUT: `go install github.com/hashicorp/terraform@vVERSION` is
# refused for 1.11 and later: their go.mod has replace directives for nested modules (the azurerm,
# consul, cos, gcs, kubernetes, oci (1.13+), oss, pg and s3 state backends, and internal/legacy)
# that the module zip does not contain, and 1.11 has a `godebug tlskyber=0` line that Go 1.26 no
# longer knows. So build a copy of the module with those lines removed and those remote-state
# backends unregistered: nothing here uses a remote state backend, and everything else is that
# Terraform as released. The module is asked for by its exact version (the proxy's @latest lags).
build_terraform_patched() {
	local version=$1 out=$2 src work
	[ -x "$out" ] && return 0
	log "building Terraform $version from the Go module proxy (about 10 CPU-minutes, once)"
	src=$(module_dir "github.com/hashicorp/terraform@v$version") || return 1
	[ -n "$src" ] || return 1
	work=$KAZOO_TF_CACHE/src-terraform$version
	rm -rf "$work"
	cp -R "$src" "$work" || return 1
	chmod -R u+w "$work"
	mkdir -p "$(dirname "$out")"
	(
		set -e
		cd "$work"
		sed -i -E '/^replace github.com\/hashicorp\/terraform\/internal\//d;
			/^\s*github.com\/hashicorp\/terraform\/internal\/(backend\/remote-state\/(azure|consul|cos|gcs|kubernetes|oci|oss|pg|s3)|legacy) /d;
			/^godebug tlskyber/d' go.mod
		sed -i -E '/backend(Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3) /d;
			/"(azurerm|consul|cos|gcs|kubernetes|oci|oss|pg|s3)": +func/d' internal/backend/init/init.go
		# dev=no drops the "-dev" pre-release marker, as the release build does.
		GOFLAGS=-mod=mod go build -trimpath -ldflags "-X github.com/hashicorp/terraform/version.dev=no" -o "$out.tmp" .
	) || return 1
	mv "$out.tmp" "$out"
	rm -rf "$work"
}

# ensure_terraform_old: Terraform 1.5.7, built once with go install (its go.mod has no replaces).
ensure_terraform_old() {
	local tf
	for tf in terraform$TERRAFORM_OLD terraform-$TERRAFORM_OLD; do
		if tf=$(command -v "$tf" 2>/dev/null) && [ "$(cli_version "$tf")" = "$TERRAFORM_OLD" ]; then
			printf '%s\n' "$tf"
			return 0
		fi
	done
	tf=$KAZOO_TF_CACHE/bin$TERRAFORM_OLD/terraform
	if [ ! -x "$tf" ]; then
		with_lock "terraform$TERRAFORM_OLD" build_terraform_old "$tf" || return 1
	fi
	printf '%s\n' "$tf"
}

build_terraform_old() {
	local out=$1
	[ -x "$out" ] && return 0
	log "building Terraform $TERRAFORM_OLD with go install (a few CPU-minutes, once)"
	GOBIN=$(dirname "$out") go install "github.com/hashicorp/terraform@v$TERRAFORM_OLD"
}

# ensure_tofu: OpenTofu, built once from its module (its go.mod has replaces too, but only for
# directories the module zip contains, so building inside the module directory works).
ensure_tofu() {
	local tofu
	if tofu=$(command -v tofu 2>/dev/null) && [ "$(cli_version "$tofu")" = "$TOFU_VERSION" ]; then
		printf '%s\n' "$tofu"
		return 0
	fi
	tofu=$KAZOO_TF_CACHE/tofu$TOFU_VERSION/tofu
	if [ ! -x "$tofu" ] || [ "$(cli_version "$tofu")" != "$TOFU_VERSION" ]; then
		with_lock "tofu$TOFU_VERSION" build_tofu "$tofu" || return 1
	fi
	printf '%s\n' "$tofu"
}

build_tofu() {
	local out=$1 src
	if [ -x "$out" ] && [ "$(cli_version "$out")" = "$TOFU_VERSION" ]; then
		return 0
	fi
	log "building OpenTofu $TOFU_VERSION from the Go module proxy (about 10 CPU-minutes, once)"
	src=$(module_dir "github.com/opentofu/opentofu@v$TOFU_VERSION") || return 1
	[ -n "$src" ] || return 1
	mkdir -p "$(dirname "$out")"
	# dev=no drops the "-dev" pre-release marker, as OpenTofu's release build does.
	(cd "$src" && go build -trimpath -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$out.tmp" ./cmd/tofu) || return 1
	mv "$out.tmp" "$out"
}

# ensure_golangci_lint: the pinned golangci-lint, built with go install.
ensure_golangci_lint() {
	local bin
	if bin=$(command -v golangci-lint 2>/dev/null) &&
		"$bin" version 2>/dev/null | grep -q "version ${GOLANGCI_LINT_VERSION#v} "; then
		printf '%s\n' "$bin"
		return 0
	fi
	bin=$KAZOO_TF_CACHE/golangci-lint-$GOLANGCI_LINT_VERSION/golangci-lint
	if [ ! -x "$bin" ]; then
		with_lock golangci-lint build_golangci_lint "$bin" || return 1
	fi
	printf '%s\n' "$bin"
}

build_golangci_lint() {
	local out=$1
	[ -x "$out" ] && return 0
	log "building golangci-lint $GOLANGCI_LINT_VERSION with go install (a few CPU-minutes, once)"
	GOBIN=$(dirname "$out") go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$GOLANGCI_LINT_VERSION"
}

# ensure_goreleaser: the pinned GoReleaser, built with go install.
ensure_goreleaser() {
	local bin
	if bin=$(command -v goreleaser 2>/dev/null) &&
		"$bin" --version 2>&1 | grep -Eq "GitVersion: +${GORELEASER_VERSION#v}\$"; then
		printf '%s\n' "$bin"
		return 0
	fi
	bin=$KAZOO_TF_CACHE/goreleaser-$GORELEASER_VERSION/goreleaser
	if [ ! -x "$bin" ]; then
		with_lock goreleaser build_goreleaser "$bin" || return 1
	fi
	printf '%s\n' "$bin"
}

build_goreleaser() {
	local out=$1
	[ -x "$out" ] && return 0
	log "building GoReleaser $GORELEASER_VERSION with go install (several CPU-minutes, once)"
	GOBIN=$(dirname "$out") go install "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION"
}

# ensure_cli_config: an empty Terraform/OpenTofu CLI configuration file. OpenTofu prints a warning
# on stdout when TF_CLI_CONFIG_FILE names a missing file, which breaks terraform-exec's version
# detection; an existing empty file is the neutral choice.
ensure_cli_config() {
	local f=$KAZOO_TF_CACHE/empty.tfrc
	mkdir -p "$KAZOO_TF_CACHE"
	[ -f "$f" ] || : >"$f"
	printf '%s\n' "$f"
}

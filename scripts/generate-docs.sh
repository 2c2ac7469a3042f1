#!/usr/bin/env bash
# `go generate` of main.go: docs/ with tfplugindocs, always rendered with the newest Terraform
# (.ci/lib.sh's TERRAFORM_NEWEST, built once into the tool cache). tfplugindocs reads the
# provider's schemas through `terraform providers schema -json`, and only Terraform 1.14+ shows
# list resources and actions there: an older CLI first on PATH would silently drop their pages.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=.ci/lib.sh
. .ci/lib.sh
tf=$(ensure_terraform_newest)
TF_CLI_CONFIG_FILE=${TF_CLI_CONFIG_FILE:-$(ensure_cli_config)}
export TF_CLI_CONFIG_FILE CHECKPOINT_DISABLE=1
PATH=$(dirname "$tf"):$PATH exec go tool tfplugindocs generate --provider-name kazoo "$@"

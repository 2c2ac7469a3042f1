#!/usr/bin/env bash
# Release archives in the registry layout into ./dist, unsigned, for every platform of
# .goreleaser.yml (or -targets host for this one only).
#
#   ./scripts/release-snapshot.sh [-targets host] [-version 1.2.3]   # Go-only builder (tools/release-snapshot)
#   USE_GORELEASER=1 ./scripts/release-snapshot.sh                   # GoReleaser itself, built once via the module proxy
#
# Both write the same file names: terraform-provider-kazoo_<v>_<os>_<arch>.zip, _SHA256SUMS and
# _manifest.json (internal/release's TestGoreleaserConfigAgrees keeps them in step).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ "${USE_GORELEASER:-}" = 1 ]; then
	. .ci/lib.sh
	exec "$(ensure_goreleaser)" release --snapshot --clean --skip=sign,publish "$@"
fi
exec go run ./tools/release-snapshot "$@"

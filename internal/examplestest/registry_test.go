package examplestest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/release"
)

// registryTestVersion is the version the release under test is stamped with when the test
// builds it. It has no pre-release suffix so that a plain `source` with no version constraint
// selects it.
const registryTestVersion = "0.99.0"

// releaseArchive returns this platform's release zip and its version: from the GoReleaser
// snapshot in $KAZOO_RELEASE_DIST when .ci/run made one, else built here by internal/release.
// Either way the SHA256SUMS file must verify and cover the zip and the manifest.
func releaseArchive(ctx context.Context, t *testing.T) (archive, version string) {
	t.Helper()
	var sums string
	if dist := os.Getenv("KAZOO_RELEASE_DIST"); dist != "" {
		matches, err := filepath.Glob(filepath.Join(dist, release.ProjectName+"_*_SHA256SUMS"))
		if err != nil || len(matches) != 1 {
			t.Fatalf("KAZOO_RELEASE_DIST=%s: want exactly one *_SHA256SUMS, found %v (%v)", dist, matches, err)
		}
		sums = matches[0]
		version = strings.TrimSuffix(strings.TrimPrefix(filepath.Base(sums), release.ProjectName+"_"), "_SHA256SUMS")
		archive = filepath.Join(dist, release.ArchiveName(version, release.Host()))
		t.Logf("installing GoReleaser's snapshot %s from %s", version, dist)
	} else {
		version = registryTestVersion
		res, err := release.Build(ctx, release.Options{
			Root: "../..", Out: t.TempDir(), Version: version,
			Targets: []release.Target{release.Host()}, Extra: []string{"README.md", "LICENSE"},
		})
		if err != nil {
			t.Fatal(err)
		}
		sums, archive = res.Checksums, res.Archives[release.Host()]
	}
	// The zip and the manifest must match SHA256SUMS. GoReleaser lists the manifest but only
	// uploads it at publish time (from the repository root), so look for it there too.
	list, err := release.ReadChecksums(sums)
	if err != nil {
		t.Fatal(err)
	}
	if err := release.VerifyFile(list, filepath.Base(archive), archive); err != nil {
		t.Error(err)
	}
	manifest := filepath.Join(filepath.Dir(sums), release.ManifestName(version))
	if _, err := os.Stat(manifest); err != nil {
		manifest = filepath.Join("../..", release.ManifestFile)
	}
	if err := release.VerifyFile(list, release.ManifestName(version), manifest); err != nil {
		t.Error(err)
	}
	return archive, version
}

// registryHosts are the default registries of Terraform and OpenTofu: a short source address
// "kazoo-community/kazoo" means a different provider address on each.
var registryHosts = []string{"registry.terraform.io", "registry.opentofu.org"}

// cliUnderTest is the Terraform or OpenTofu binary the acceptance run uses.
func cliUnderTest(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("no CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
	}
	return p
}

// offlineEnv is the environment for the CLI: the test's CLI configuration, no plugin cache, no
// checkpoint calls, and proxies that refuse every connection, so any attempt to reach a registry
// fails instead of silently succeeding.
func offlineEnv(cliConfig string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "TF_") || strings.HasPrefix(strings.ToUpper(k), "HTTP") || strings.EqualFold(k, "NO_PROXY") {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"HTTP_PROXY=http://127.0.0.1:9", "HTTPS_PROXY=http://127.0.0.1:9",
		"http_proxy=http://127.0.0.1:9", "https_proxy=http://127.0.0.1:9",
	)
}

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// TestAccRegistryInstall builds the release archives for this platform (the layout of
// .goreleaser.yml), lays them out as a packed filesystem mirror, and proves that `init` of the
// CLI under test installs the provider from them offline with a plain
// `source = "kazoo-community/kazoo"`, records the archive's hash in the lock file, and that the
// installed binary serves its schema.
func TestAccRegistryInstall(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	cli := cliUnderTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	archive, version := releaseArchive(ctx, t)
	zipBytes, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}

	// Packed layout: <mirror>/<host>/<namespace>/<type>/terraform-provider-<type>_<v>_<os>_<arch>.zip
	mirror := t.TempDir()
	for _, host := range registryHosts {
		dir := filepath.Join(mirror, host, "kazoo-community", "kazoo")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(archive)), zipBytes, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cliConfig := filepath.Join(t.TempDir(), "mirror.tfrc")
	cfg := `provider_installation {
  filesystem_mirror {
    path    = "` + filepath.ToSlash(mirror) + `"
    include = ["registry.terraform.io/kazoo-community/kazoo", "registry.opentofu.org/kazoo-community/kazoo"]
  }
}
`
	if err := os.WriteFile(cliConfig, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}

	work := t.TempDir()
	mainTF := `terraform {
  required_providers {
    kazoo = {
      source = "kazoo-community/kazoo"
    }
  }
}
`
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(mainTF), 0o644); err != nil {
		t.Fatal(err)
	}
	env := offlineEnv(cliConfig)

	host := "registry.terraform.io"
	if strings.Contains(run(t, work, env, cli, "version"), "OpenTofu") {
		host = "registry.opentofu.org"
	}
	addr := host + "/kazoo-community/kazoo"

	out := run(t, work, env, cli, "init", "-input=false", "-no-color")
	if !strings.Contains(out, "kazoo-community/kazoo v"+version) {
		t.Errorf("init did not report installing kazoo-community/kazoo v%s:\n%s", version, out)
	}

	installed := filepath.Join(work, ".terraform", "providers", host, "kazoo-community", "kazoo",
		version, release.Host().String(), release.BinaryName(version, release.Host()))
	if fi, err := os.Stat(installed); err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("installed provider binary %s: %v (mode %v)", installed, err, fi)
	}

	lock, err := os.ReadFile(filepath.Join(work, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`provider "` + regexp.QuoteMeta(addr) + `" \{[^}]*version\s*=\s*"` +
		regexp.QuoteMeta(version) + `"`)
	if !block.Match(lock) {
		t.Errorf("lock file has no %s %s entry:\n%s", addr, version, lock)
	}
	// The lock file pins the hash of exactly this archive's contents ("h1:", the Go dirhash of
	// the files in the zip), so the installed provider is the one the release built.
	h1, err := dirhash.HashZip(archive, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(lock, []byte(`"`+h1+`"`)) {
		t.Errorf("lock file lacks the archive hash %s:\n%s", h1, lock)
	}

	// The installed binary starts and serves the provider's schema over protocol 6.
	schemaJSON := run(t, work, env, cli, "providers", "schema", "-json")
	var schemas struct {
		ProviderSchemas map[string]json.RawMessage `json:"provider_schemas"`
	}
	if err := json.Unmarshal([]byte(schemaJSON), &schemas); err != nil {
		t.Fatalf("providers schema -json: %v\n%s", err, schemaJSON)
	}
	if _, ok := schemas.ProviderSchemas[addr]; !ok {
		t.Errorf("providers schema lacks %s: %s", addr, schemaJSON)
	}
}

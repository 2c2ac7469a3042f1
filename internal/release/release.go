// Package release builds the provider's release archives in the layout the Terraform and OpenTofu
// registries (and a `filesystem_mirror`) expect — the same layout .goreleaser.yml describes:
//
//	terraform-provider-kazoo_<version>_<os>_<arch>.zip   holding terraform-provider-kazoo_v<version>[.exe]
//	                                                     and the commands beside it (kazoo-export[.exe])
//	terraform-provider-kazoo_<version>_SHA256SUMS        "<sha256>  <file>" per zip and the manifest
//	terraform-provider-kazoo_<version>_manifest.json     a copy of terraform-registry-manifest.json
//
// It exists so that the release layout can be built and tested without GoReleaser, whose own build
// costs several CPU-minutes; a test checks that .goreleaser.yml and this package agree. Signing
// (the detached `_SHA256SUMS.sig`) is left to GoReleaser and the release key.
package release

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"
)

// ProjectName is the release name prefix: the registry requires terraform-provider-<type>.
const ProjectName = "terraform-provider-kazoo"

// ManifestFile is the registry manifest at the repository root.
const ManifestFile = "terraform-registry-manifest.json"

// Command is a program shipped in every archive beside the provider.
type Command struct {
	// Name is the executable's name (".exe" is added for Windows).
	Name string
	// Package is its main package, relative to the repository root.
	Package string
}

// Commands are the programs every archive carries beside the provider; .goreleaser.yml builds
// the same ones (a test checks).
var Commands = []Command{{Name: "kazoo-export", Package: "./cmd/kazoo-export"}}

// CommandBinaryName is a command's executable name inside the archive for a target.
func CommandBinaryName(c Command, t Target) string {
	if t.OS == "windows" {
		return c.Name + ".exe"
	}
	return c.Name
}

// Target is one GOOS/GOARCH pair.
type Target struct{ OS, Arch string }

func (t Target) String() string { return t.OS + "_" + t.Arch }

// Targets are the platforms of a release; .goreleaser.yml builds the same set (a test checks).
var Targets = func() []Target {
	var ts []Target
	for _, goos := range []string{"linux", "darwin", "windows", "freebsd"} {
		for _, arch := range []string{"amd64", "arm64", "arm", "386"} {
			// macOS has no 32-bit ports; Go dropped windows/arm (32-bit) in Go 1.26.
			if (goos == "darwin" && (arch == "386" || arch == "arm")) || (goos == "windows" && arch == "arm") {
				continue
			}
			ts = append(ts, Target{goos, arch})
		}
	}
	return ts
}()

// Host is the platform this program runs on.
func Host() Target { return Target{runtime.GOOS, runtime.GOARCH} }

// Options says what to build.
type Options struct {
	// Root is the repository root: the main package and the manifest live there.
	Root string
	// Out is the directory the artifacts are written to; it is created.
	Out string
	// Version is the release version without a leading "v", e.g. 1.2.3.
	Version string
	// Targets to build; all of Targets when empty.
	Targets []Target
	// ModTime stamps the files inside the archives, for reproducible zips (zero: now).
	ModTime time.Time
	// Extra files copied into every archive beside the binary, relative to Root, when they exist
	// (GoReleaser's default adds README and LICENSE files).
	Extra []string
	// Log receives one line per step; nil discards.
	Log io.Writer
}

// Result names the artifacts written.
type Result struct {
	Version   string
	Archives  map[Target]string // absolute paths of the zips
	Checksums string            // absolute path of the SHA256SUMS file
	Manifest  string            // absolute path of the _manifest.json copy
}

// BinaryName is the executable's name inside the archive for a target.
func BinaryName(version string, t Target) string {
	name := ProjectName + "_v" + version
	if t.OS == "windows" {
		name += ".exe"
	}
	return name
}

// ArchiveName is the zip's file name for a target.
func ArchiveName(version string, t Target) string {
	return fmt.Sprintf("%s_%s_%s_%s.zip", ProjectName, version, t.OS, t.Arch)
}

// ChecksumsName is the SHA256SUMS file's name.
func ChecksumsName(version string) string { return ProjectName + "_" + version + "_SHA256SUMS" }

// ManifestName is the name the registry manifest is published under.
func ManifestName(version string) string { return ProjectName + "_" + version + "_manifest.json" }

// Build cross-compiles the provider for each target and writes the release artifacts.
func Build(ctx context.Context, o Options) (*Result, error) {
	if o.Version == "" || strings.HasPrefix(o.Version, "v") {
		return nil, fmt.Errorf("release: version %q must be set and have no leading v", o.Version)
	}
	targets := o.Targets
	if len(targets) == 0 {
		targets = Targets
	}
	if o.ModTime.IsZero() {
		o.ModTime = time.Now()
	}
	logw := o.Log
	if logw == nil {
		logw = io.Discard
	}
	root, err := filepath.Abs(o.Root)
	if err != nil {
		return nil, err
	}
	out, err := filepath.Abs(o.Out)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "kazoo-release-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)

	res := &Result{Version: o.Version, Archives: map[Target]string{}}
	sums := map[string]string{}
	for _, t := range targets {
		bin := filepath.Join(work, t.String(), BinaryName(o.Version, t))
		fmt.Fprintf(logw, "build %s\n", t)
		if err := compile(ctx, root, ".", bin, o.Version, t); err != nil {
			return nil, err
		}
		bins := []string{bin}
		for _, c := range Commands {
			cbin := filepath.Join(work, t.String(), CommandBinaryName(c, t))
			if err := compile(ctx, root, c.Package, cbin, o.Version, t); err != nil {
				return nil, err
			}
			bins = append(bins, cbin)
		}
		zipPath := filepath.Join(out, ArchiveName(o.Version, t))
		if err := writeZip(zipPath, bins, root, o.Extra, o.ModTime); err != nil {
			return nil, err
		}
		res.Archives[t] = zipPath
		if sums[filepath.Base(zipPath)], err = sha256File(zipPath); err != nil {
			return nil, err
		}
		fmt.Fprintf(logw, "wrote %s\n", zipPath)
	}

	manifest, err := os.ReadFile(filepath.Join(root, ManifestFile))
	if err != nil {
		return nil, err
	}
	res.Manifest = filepath.Join(out, ManifestName(o.Version))
	if err := os.WriteFile(res.Manifest, manifest, 0o644); err != nil {
		return nil, err
	}
	if sums[filepath.Base(res.Manifest)], err = sha256File(res.Manifest); err != nil {
		return nil, err
	}

	res.Checksums = filepath.Join(out, ChecksumsName(o.Version))
	if err := os.WriteFile(res.Checksums, []byte(formatSums(sums)), 0o644); err != nil {
		return nil, err
	}
	fmt.Fprintf(logw, "wrote %s\n", res.Checksums)
	return res, nil
}

// compile builds a main package the way .goreleaser.yml does: CGO off, -trimpath, stripped,
// version stamped into main.version.
func compile(ctx context.Context, root, pkg, out, version string, t Target) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath",
		"-ldflags", "-s -w -X main.version="+version, "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+t.OS, "GOARCH="+t.Arch)
	if t.Arch == "arm" {
		cmd.Env = append(cmd.Env, "GOARM=6") // GoReleaser's default
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("release: go build for %s: %w\n%s", t, err, b)
	}
	return nil
}

func writeZip(path string, bins []string, root string, extra []string, mtime time.Time) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	for _, bin := range bins {
		if err := addFile(zw, bin, filepath.Base(bin), 0o755, mtime); err != nil {
			return err
		}
	}
	for _, name := range extra {
		src := filepath.Join(root, name)
		if _, err := os.Stat(src); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err := addFile(zw, src, name, 0o644, mtime); err != nil {
			return err
		}
	}
	return zw.Close()
}

func addFile(zw *zip.Writer, src, name string, mode os.FileMode, mtime time.Time) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: mtime}
	h.SetMode(mode)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, in)
	return err
}

func sha256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// formatSums renders a sha256sum-compatible file, sorted by file name as GoReleaser does.
func formatSums(sums map[string]string) string {
	names := make([]string, 0, len(sums))
	for n := range sums {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s  %s\n", sums[n], n)
	}
	return b.String()
}

// ReadChecksums parses a SHA256SUMS file into file name -> hex SHA-256.
func ReadChecksums(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sums := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != sha256.Size*2 {
			return nil, fmt.Errorf("release: malformed checksum line %q", line)
		}
		sums[name] = sum
	}
	return sums, nil
}

// VerifyFile checks one file against the SHA-256 that sums lists under name.
func VerifyFile(sums map[string]string, name, path string) error {
	want, ok := sums[name]
	if !ok {
		return fmt.Errorf("release: SHA256SUMS does not list %s", name)
	}
	got, err := sha256File(path)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("release: %s: checksum %s, SHA256SUMS says %s", name, got, want)
	}
	return nil
}

// VerifyChecksums checks every line of a SHA256SUMS file against the files beside it and
// returns the names it verified.
func VerifyChecksums(path string) ([]string, error) {
	sums, err := ReadChecksums(path)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(sums))
	for name := range sums {
		if err := VerifyFile(sums, name, filepath.Join(filepath.Dir(path), name)); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names, nil
}

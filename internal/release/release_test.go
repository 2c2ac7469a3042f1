package release

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

const root = "../.."

// testVersion is distinctive enough that finding it in the binary proves the -X stamp.
const testVersion = "7.31.4159"

// TestBuildHostLayout builds a release for this platform and checks every artifact the registry
// needs: names, the archive's contents, the checksums, the manifest and the stamped version.
func TestBuildHostLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles the provider; skipped with -short")
	}
	out := t.TempDir()
	host := Host()
	mtime := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	res, err := Build(context.Background(), Options{
		Root: root, Out: out, Version: testVersion, Targets: []Target{host},
		ModTime: mtime, Extra: []string{"README.md", "LICENSE"},
	})
	if err != nil {
		t.Fatal(err)
	}

	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{
		"terraform-provider-kazoo_" + testVersion + "_SHA256SUMS",
		"terraform-provider-kazoo_" + testVersion + "_" + host.OS + "_" + host.Arch + ".zip",
		"terraform-provider-kazoo_" + testVersion + "_manifest.json",
	}
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("artifacts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	zr, err := zip.OpenReader(res.Archives[host])
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var binary *zip.File
	commands := map[string]*zip.File{}
	for _, f := range zr.File {
		if !f.Modified.Equal(mtime) {
			t.Errorf("%s: modified %v, want %v", f.Name, f.Modified, mtime)
		}
		if f.Name == BinaryName(testVersion, host) {
			binary = f
		} else if isCommand(f.Name, host) {
			commands[f.Name] = f
		} else if f.Name != "README.md" && f.Name != "LICENSE" {
			t.Errorf("unexpected file %q in the archive", f.Name)
		}
	}
	if binary == nil {
		t.Fatalf("archive lacks %s", BinaryName(testVersion, host))
	}
	if binary.Mode()&0o111 == 0 {
		t.Errorf("binary mode %v is not executable", binary.Mode())
	}
	for _, c := range Commands {
		f := commands[CommandBinaryName(c, host)]
		if f == nil {
			t.Errorf("archive lacks the command %s", CommandBinaryName(c, host))
			continue
		}
		if f.Mode()&0o111 == 0 {
			t.Errorf("%s: mode %v is not executable", f.Name, f.Mode())
		}
		cbin := filepath.Join(t.TempDir(), f.Name)
		extract(t, f, cbin)
		if content, err := os.ReadFile(cbin); err != nil || !bytes.Contains(content, []byte(testVersion)) {
			t.Errorf("%s does not contain the version %s stamped with -X main.version (err %v)", f.Name, testVersion, err)
		}
	}

	// The binary carries the version and was built as .goreleaser.yml says (-trimpath keeps
	// -ldflags out of the build info, so look for the stamped string itself).
	bin := filepath.Join(t.TempDir(), binary.Name)
	extract(t, binary, bin)
	if content, err := os.ReadFile(bin); err != nil || !bytes.Contains(content, []byte(testVersion)) {
		t.Errorf("binary does not contain the version %s stamped with -X main.version (err %v)", testVersion, err)
	}
	info, err := exec.Command("go", "version", "-m", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("go version -m: %v\n%s", err, info)
	}
	for _, w := range []string{"CGO_ENABLED=0", "-trimpath=true"} {
		if !bytes.Contains(info, []byte(w)) {
			t.Errorf("build info lacks %q:\n%s", w, info)
		}
	}

	names, err := VerifyChecksums(res.Checksums)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 2 {
		t.Errorf("SHA256SUMS covers %v, want the zip and the manifest", names)
	}

	manifest, err := os.ReadFile(res.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		t.Fatal(err)
	}
	if m.Version != 1 || len(m.Metadata.ProtocolVersions) != 1 || m.Metadata.ProtocolVersions[0] != "6.0" {
		t.Errorf("manifest = %s, want version 1 with protocol 6.0", manifest)
	}
}

func TestVerifyChecksumsDetectsTampering(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.zip"), []byte("original"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := sha256File(filepath.Join(dir, "a.zip"))
	if err != nil {
		t.Fatal(err)
	}
	sums := filepath.Join(dir, "SUMS")
	if err := os.WriteFile(sums, []byte(formatSums(map[string]string{"a.zip": sum})), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyChecksums(sums); err != nil {
		t.Fatalf("untouched file: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.zip"), []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyChecksums(sums); err == nil || !strings.Contains(err.Error(), "a.zip") {
		t.Fatalf("tampered file: err = %v, want a checksum mismatch naming a.zip", err)
	}
}

func TestBuildRejectsBadVersion(t *testing.T) {
	for _, v := range []string{"", "v1.0.0"} {
		if _, err := Build(context.Background(), Options{Root: root, Out: t.TempDir(), Version: v}); err == nil {
			t.Errorf("version %q accepted", v)
		}
	}
}

// goreleaserConfig is the part of .goreleaser.yml this package must agree with.
type goreleaserConfig struct {
	Version     int    `yaml:"version"`
	ProjectName string `yaml:"project_name"`
	Builds      []struct {
		ID      string       `yaml:"id"`
		Main    string       `yaml:"main"`
		Env     []string     `yaml:"env"`
		Flags   []string     `yaml:"flags"`
		Ldflags []string     `yaml:"ldflags"`
		Goos    []string     `yaml:"goos"`
		Goarch  []string     `yaml:"goarch"`
		Ignore  []ignoreRule `yaml:"ignore"`
		Binary  string       `yaml:"binary"`
	} `yaml:"builds"`
	Archives []struct {
		IDs          []string `yaml:"ids"`
		Formats      []string `yaml:"formats"`
		NameTemplate string   `yaml:"name_template"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string      `yaml:"name_template"`
		Algorithm    string      `yaml:"algorithm"`
		ExtraFiles   []extraFile `yaml:"extra_files"`
	} `yaml:"checksum"`
	Signs []struct {
		Artifacts string   `yaml:"artifacts"`
		Args      []string `yaml:"args"`
	} `yaml:"signs"`
	Release struct {
		ExtraFiles []extraFile `yaml:"extra_files"`
	} `yaml:"release"`
}

type extraFile struct {
	Glob         string `yaml:"glob"`
	NameTemplate string `yaml:"name_template"`
}

// render expands the few GoReleaser template fields the names use.
func render(tmpl, version string, t Target) string {
	r := strings.NewReplacer("{{ .ProjectName }}", ProjectName, "{{ .Version }}", version,
		"{{ .Os }}", t.OS, "{{ .Arch }}", t.Arch)
	return r.Replace(tmpl)
}

// TestGoreleaserConfigAgrees checks .goreleaser.yml against this package without building
// GoReleaser: same targets, names, build flags, checksums, manifest and signature step. So the
// archives the registry-install test proves installable are the ones a tagged release publishes.
func TestGoreleaserConfigAgrees(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root, ".goreleaser.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var c goreleaserConfig
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&c); err != nil {
		t.Fatal(err)
	}
	if c.Version != 2 || c.ProjectName != ProjectName {
		t.Errorf("version %d, project_name %q; want 2 and %q", c.Version, c.ProjectName, ProjectName)
	}
	if len(c.Builds) != 1+len(Commands) || len(c.Archives) != 1 || len(c.Signs) != 1 {
		t.Fatalf("want one build for the provider and one per command, one archive and one sign section, got %d, %d, %d",
			len(c.Builds), len(c.Archives), len(c.Signs))
	}
	var ids []string
	for _, b := range c.Builds {
		ids = append(ids, b.ID)
	}
	if strings.Join(c.Archives[0].IDs, " ") != strings.Join(ids, " ") {
		t.Errorf("archive ids %v, want every build %v", c.Archives[0].IDs, ids)
	}
	const v = "9.8.7"
	for i, b := range c.Builds {
		checkBuild(t, b.Env, b.Flags, b.Ldflags, buildTargets(b.Goos, b.Goarch, b.Ignore))
		if i == 0 {
			if b.Main != "" && b.Main != "." {
				t.Errorf("the provider's build has main %q, want the repository root", b.Main)
			}
			for _, tg := range Targets {
				if got, want := render(b.Binary, v, tg), strings.TrimSuffix(BinaryName(v, tg), ".exe"); got != want {
					t.Errorf("binary %q, want %q (GoReleaser adds .exe itself)", got, want)
				}
			}
			continue
		}
		cmd := Commands[i-1]
		if b.ID != cmd.Name || b.Main != cmd.Package || b.Binary != cmd.Name {
			t.Errorf("build %d: id %q, main %q, binary %q; want %q, %q, %q", i, b.ID, b.Main, b.Binary, cmd.Name, cmd.Package, cmd.Name)
		}
	}
	for _, tg := range Targets {
		if got, want := render(c.Archives[0].NameTemplate, v, tg)+".zip", ArchiveName(v, tg); got != want {
			t.Errorf("archive %q, want %q", got, want)
		}
	}
	if len(c.Archives[0].Formats) != 1 || c.Archives[0].Formats[0] != "zip" {
		t.Errorf("archive formats %v, want [zip]", c.Archives[0].Formats)
	}
	if got := render(c.Checksum.NameTemplate, v, Target{}); got != ChecksumsName(v) || c.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum %q (%s), want %q (sha256)", got, c.Checksum.Algorithm, ChecksumsName(v))
	}
	for what, files := range map[string][]extraFile{"checksum": c.Checksum.ExtraFiles, "release": c.Release.ExtraFiles} {
		if len(files) != 1 || files[0].Glob != ManifestFile || render(files[0].NameTemplate, v, Target{}) != ManifestName(v) {
			t.Errorf("%s.extra_files = %+v, want %s as %s", what, files, ManifestFile, ManifestName(v))
		}
	}
	if s := c.Signs[0]; s.Artifacts != "checksum" || !contains(s.Args, "--detach-sign") {
		t.Errorf("signs = %+v, want a detached signature of the checksum file", s)
	}
}

type ignoreRule struct {
	Goos   string `yaml:"goos"`
	Goarch string `yaml:"goarch"`
}

func buildTargets(goosList, goarchList []string, ignore []ignoreRule) []Target {
	var targets []Target
	for _, goos := range goosList {
	arch:
		for _, goarch := range goarchList {
			for _, ig := range ignore {
				if ig.Goos == goos && ig.Goarch == goarch {
					continue arch
				}
			}
			targets = append(targets, Target{goos, goarch})
		}
	}
	return targets
}

// checkBuild checks one GoReleaser build against the way compile builds.
func checkBuild(t *testing.T, env, flags, ldflags []string, targets []Target) {
	t.Helper()
	if !contains(env, "CGO_ENABLED=0") || !contains(flags, "-trimpath") {
		t.Errorf("build env %v, flags %v: want CGO_ENABLED=0 and -trimpath", env, flags)
	}
	if len(ldflags) != 1 || !strings.Contains(ldflags[0], "-X main.version={{ .Version }}") {
		t.Errorf("ldflags %v do not stamp main.version", ldflags)
	}
	if fmtTargets(targets) != fmtTargets(Targets) {
		t.Errorf("goreleaser targets %s, package targets %s", fmtTargets(targets), fmtTargets(Targets))
	}
}

// isCommand reports whether name is one of the Commands' executables.
func isCommand(name string, t Target) bool {
	for _, c := range Commands {
		if CommandBinaryName(c, t) == name {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func fmtTargets(ts []Target) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.String()
	}
	sort.Strings(s)
	return strings.Join(s, " ")
}

func extract(t *testing.T, f *zip.File, to string) {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(rc); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, buf.Bytes(), 0o755); err != nil {
		t.Fatal(err)
	}
}

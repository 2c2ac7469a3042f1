// Command release-snapshot writes the provider's release archives in the registry layout (see
// internal/release) without GoReleaser: the same zips, SHA256SUMS and _manifest.json that
// .goreleaser.yml produces, unsigned.
//
//	go run ./tools/release-snapshot [-out dist] [-version 1.2.3] [-targets host|all|linux_amd64,...]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/release"
)

func main() {
	out := flag.String("out", "dist", "output directory (emptied first)")
	version := flag.String("version", "", "release version without a leading v (default: the next patch after the latest v* tag, or 0.0.1)")
	targets := flag.String("targets", "all", `"all", or a comma-separated list of os_arch and "host"`)
	flag.Parse()

	if *version == "" {
		*version = nextPatch(latestTag())
	}
	ts, err := parseTargets(*targets)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.RemoveAll(*out); err != nil {
		log.Fatal(err)
	}
	res, err := release.Build(context.Background(), release.Options{
		Root: ".", Out: *out, Version: *version, Targets: ts,
		ModTime: commitTime(), Extra: []string{"README.md", "LICENSE"}, Log: os.Stderr,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("release %s: %d archives, %s\n", res.Version, len(res.Archives), res.Checksums)
}

func parseTargets(s string) ([]release.Target, error) {
	if s == "all" {
		return release.Targets, nil
	}
	var ts []release.Target
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "host" {
			ts = append(ts, release.Host())
			continue
		}
		goos, arch, ok := strings.Cut(p, "_")
		if !ok {
			return nil, fmt.Errorf("target %q: want os_arch, e.g. linux_amd64", p)
		}
		ts = append(ts, release.Target{OS: goos, Arch: arch})
	}
	return ts, nil
}

// latestTag is the newest v* tag reachable from HEAD, or "" when there is none.
func latestTag() string {
	b, err := exec.CommandContext(context.Background(), "git", "describe", "--tags", "--abbrev=0", "--match", "v[0-9]*").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// nextPatch mirrors GoReleaser's snapshot template "{{ incpatch .Version }}".
func nextPatch(tag string) string {
	parts := strings.SplitN(strings.TrimPrefix(tag, "v"), ".", 3)
	if len(parts) != 3 {
		return "0.0.1"
	}
	patch, err := strconv.Atoi(strings.SplitN(parts[2], "-", 2)[0])
	if err != nil {
		return "0.0.1"
	}
	return fmt.Sprintf("%s.%s.%d", parts[0], parts[1], patch+1)
}

// commitTime is HEAD's commit time (GoReleaser's mod_timestamp), or now outside git.
func commitTime() time.Time {
	b, err := exec.CommandContext(context.Background(), "git", "log", "-1", "--format=%ct").Output()
	if err != nil {
		return time.Now()
	}
	sec, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return time.Now()
	}
	return time.Unix(sec, 0)
}

package benchacc

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoosim"
)

// Variables of TestAccBenchSuite, the suite `make bench` runs (scripts/bench.sh sets them).
const (
	// EnvSuite turns the suite on: it measures, it asserts nothing, and takes minutes.
	EnvSuite = "KAZOO_BENCH_SUITE"
	// EnvMarkdown is the file whose generated section receives the tables (BENCHMARKS.md).
	EnvMarkdown = "KAZOO_BENCH_MARKDOWN"
	// EnvRestapi is a built binary of the generic REST provider Mastercard/restapi; without
	// it that provider is left out.
	EnvRestapi = "KAZOO_BENCH_RESTAPI_BINARY"
	// EnvSuiteParallelism is Terraform's -parallelism in the suite (default 10).
	EnvSuiteParallelism = "KAZOO_BENCH_PARALLELISM"
	// EnvLatency is the simulator's latency of the latency row (default 20ms).
	EnvLatency = "KAZOO_BENCH_LATENCY"
	// EnvMix = "off" leaves out the realistic mix (4N+2 resources): at N = 1,000 Terraform's
	// own handling of a state of 4,002 such resources takes over an hour on 2 cores.
	EnvMix = "KAZOO_BENCH_MIX"
)

// Markers of the generated section of the Markdown file.
const (
	markBegin = "<!-- make bench: begin -->"
	markEnd   = "<!-- make bench: end -->"
)

// subject is one provider doing one workload: a configuration per phase.
type subject struct {
	name      string
	resources int
	// config returns the configuration; updated renames every object.
	config func(updated bool) string
	// floor marks the terraform_data rows: Terraform alone.
	floor bool
}

// measured is what one Terraform command cost.
type measured struct {
	wall, providerCPU, terraformCPU time.Duration
	rssKiB                          int64
	requests, logins                int
	err                             error
}

// suite runs Terraform commands with the providers as plugin processes (dev_overrides),
// each started through /usr/bin/time so that its CPU and peak memory are known.
type suite struct {
	t           *testing.T
	tfPath      string
	rusage      string // file the wrapped providers append "elapsed user system maxrss" lines to
	parallelism int
}

func (s *suite) command(dir string, sim *kazoosim.Server, cmd func(ctx context.Context, tf *tfexec.Terraform) error) measured {
	s.t.Helper()
	tf, err := tfexec.NewTerraform(dir, s.tfPath)
	if err != nil {
		s.t.Fatal(err)
	}
	var stderr strings.Builder
	tf.SetStderr(&stderr)
	if sim != nil {
		sim.ResetStats()
	}
	_ = os.Truncate(s.rusage, 0)
	var before, after syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &before)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Minute)
	defer cancel()
	start := time.Now()
	err = cmd(ctx, tf)
	m := measured{wall: time.Since(start)}
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &after)
	if err != nil {
		m.err = fmt.Errorf("%v: %s", err, lastLines(stderr.String(), 15))
	}
	children := cpu(after) - cpu(before)
	m.providerCPU, m.rssKiB = readRusage(s.t, s.rusage)
	m.terraformCPU = children - m.providerCPU
	if sim != nil {
		st := sim.Stats()
		m.logins = st.Logins
		m.requests = st.Total - st.Logins
	}
	return m
}

func cpu(r syscall.Rusage) time.Duration {
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

// readRusage sums the CPU of the provider processes of one command and returns the
// largest peak RSS among them.
func readRusage(t *testing.T, path string) (time.Duration, int64) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, 0
	}
	var total time.Duration
	var peak int64
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		f := strings.Fields(line)
		if len(f) != 4 {
			continue // "Command exited with non-zero status" and the like
		}
		u, err1 := strconv.ParseFloat(f[1], 64)
		sy, err2 := strconv.ParseFloat(f[2], 64)
		rss, err3 := strconv.ParseInt(f[3], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			t.Logf("unreadable rusage line %q", line)
			continue
		}
		total += time.Duration((u + sy) * float64(time.Second))
		peak = max(peak, rss)
	}
	return total, peak
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// phases runs apply, a no-change plan, an update of every object and destroy.
func (s *suite) phases(subj subject, sim *kazoosim.Server) map[string]measured {
	s.t.Helper()
	dir := s.t.TempDir()
	write := func(updated bool) {
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(subj.config(updated)), 0o600); err != nil {
			s.t.Fatal(err)
		}
	}
	par := tfexec.Parallelism(s.parallelism)
	out := map[string]measured{}
	write(false)
	out["apply"] = s.command(dir, sim, func(ctx context.Context, tf *tfexec.Terraform) error { return tf.Apply(ctx, par) })
	out["plan"] = s.command(dir, sim, func(ctx context.Context, tf *tfexec.Terraform) error {
		changes, err := tf.Plan(ctx, par)
		if err == nil && changes {
			err = fmt.Errorf("the plan after apply has changes")
		}
		return err
	})
	write(true)
	out["update"] = s.command(dir, sim, func(ctx context.Context, tf *tfexec.Terraform) error { return tf.Apply(ctx, par) })
	out["destroy"] = s.command(dir, sim, func(ctx context.Context, tf *tfexec.Terraform) error { return tf.Destroy(ctx, par) })
	for _, ph := range []string{"apply", "plan", "update", "destroy"} {
		m := out[ph]
		s.t.Logf("%-28s %-8s %7.2fs provider %6.2fs terraform %6.2fs rss %4d MiB requests %d logins %d err %v",
			subj.name, ph, m.wall.Seconds(), m.providerCPU.Seconds(), m.terraformCPU.Seconds(), m.rssKiB/1024, m.requests, m.logins, m.err)
	}
	return out
}

// wrapProvider makes dir/terraform-provider-<name> start binary through /usr/bin/time.
func wrapProvider(t *testing.T, dir, name, binary, rusage string) {
	t.Helper()
	abs, err := filepath.Abs(binary)
	if err != nil {
		t.Fatal(err)
	}
	script := fmt.Sprintf("#!/bin/sh\nexec /usr/bin/time -a -o %q -f '%%e %%U %%S %%M' %q \"$@\"\n", rusage, abs)
	if err := os.WriteFile(filepath.Join(dir, "terraform-provider-"+name), []byte(script), 0o700); err != nil { //nolint:gosec // an executable wrapper
		t.Fatal(err)
	}
}

// TestAccBenchSuite is `make bench`: the provider, Terraform alone (N terraform_data
// resources, the floor) and the generic REST providers do the same work against the
// simulator, side by side in one run; then the apply with latency and with KAZOO's bucket.
// It writes Markdown tables into the generated section of $KAZOO_BENCH_MARKDOWN. It reports;
// it asserts nothing.
func TestAccBenchSuite(t *testing.T) {
	if os.Getenv(EnvSuite) == "" {
		t.Skip("set " + EnvSuite + "=1 (make bench) to run the benchmark suite")
	}
	tfPath := terraformPath(t)
	binary := os.Getenv(EnvProviderBinary)
	if binary == "" {
		t.Fatal(EnvProviderBinary + " must name a built provider (make bench builds one)")
	}
	if _, err := os.Stat("/usr/bin/time"); err != nil {
		t.Fatal("the suite measures the providers' CPU and memory with /usr/bin/time (Debian: apt-get install time)")
	}
	n := envInt(t, EnvN, 100)
	s := &suite{t: t, tfPath: tfPath, rusage: filepath.Join(t.TempDir(), "rusage"), parallelism: envInt(t, EnvSuiteParallelism, 10)}

	// One plugin directory with every provider, wrapped; dev_overrides make Terraform use it
	// without init.
	plugins := t.TempDir()
	wrapProvider(t, plugins, "kazoo", binary, s.rusage)
	overrides := fmt.Sprintf("    %q = %q\n", "registry.terraform.io/kazoo-community/kazoo", plugins)
	restapi := os.Getenv(EnvRestapi)
	if restapi != "" {
		wrapProvider(t, plugins, "restapi", restapi, s.rusage)
		overrides += fmt.Sprintf("    %q = %q\n", "registry.terraform.io/mastercard/restapi", plugins)
	}
	rc := filepath.Join(t.TempDir(), "bench.tfrc")
	if err := os.WriteFile(rc, []byte("provider_installation {\n  dev_overrides {\n"+overrides+"  }\n  direct {}\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TF_CLI_CONFIG_FILE", rc)
	t.Setenv("CHECKPOINT_DISABLE", "1")

	start := time.Now()
	r := &suiteReport{n: n, parallelism: s.parallelism}

	// Devices: the provider, the floor and the generic providers, with KAZOO's bucket off
	// and the provider's limit off, so that only CPU and the simulator set the pace.
	sim := startSimulator(t, 0)
	m := sim.srv.Master()
	providerEnv(t, sim.ts.URL, m.AccountID, m.APIKey)
	t.Setenv("KAZOO_REQUESTS_PER_SECOND", "0")
	token := tokenFrom(t, sim.srv)
	base := sim.ts.URL + "/v2/accounts/" + m.AccountID
	subjects := []subject{
		{name: "terraform_data (floor)", resources: n, config: floorConfig(n), floor: true},
		{name: "kazoo", resources: n, config: kazooDevices(n)},
	}
	if restapi != "" {
		subjects = append(subjects, subject{name: "Mastercard/restapi", resources: n, config: restapiDevices(n, base, token)})
	} else {
		r.missing = append(r.missing, "Mastercard/restapi")
	}
	for _, subj := range subjects {
		simFor := sim.srv
		if subj.floor {
			simFor = nil
		}
		r.add("devices", subj, s.phases(subj, simFor))
	}
	// The realistic mix: users, devices, voicemail boxes, callflows, a group, in a sub-account.
	mix := 4*n + 2
	mixes := []subject{
		{name: "terraform_data (floor)", resources: mix, config: floorConfig(mix), floor: true},
		{name: "kazoo", resources: mix, config: func(updated bool) string { return mixConfig(n, updated) }},
	}
	if os.Getenv(EnvMix) == "off" {
		mixes = nil
		r.skipped = append(r.skipped, fmt.Sprintf("the mix (%d resources; %s=off)", mix, EnvMix))
	}
	for _, subj := range mixes {
		simFor := sim.srv
		if subj.floor {
			simFor = nil
		}
		r.add(fmt.Sprintf("mix (%d users, devices, boxes, callflows + account, group)", n), subj, s.phases(subj, simFor))
	}

	// The same device apply with latency, against N × latency / parallelism + the floor.
	latency := 20 * time.Millisecond
	if v := os.Getenv(EnvLatency); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("%s=%q: %v", EnvLatency, v, err)
		}
		latency = d
	}
	slow, err := kazoosim.New(kazoosim.Options{Username: "admin", AccountName: "bench-master", Latency: latency})
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	slowURL := startHTTP(t, slow)
	providerEnv(t, slowURL, slow.Master().AccountID, slow.Master().APIKey)
	t.Setenv("KAZOO_REQUESTS_PER_SECOND", "0")
	r.latency = latency
	r.latencyApply = s.applyOnly(kazooDevices(n), slow)

	// KAZOO's default bucket with the provider's defaults: against (N + 35 × logins − 100) / 10 s.
	bucketed := startSimulator(t, kazooBucket)
	providerEnv(t, bucketed.ts.URL, bucketed.srv.Master().AccountID, bucketed.srv.Master().APIKey)
	r.bucketApply = s.applyOnly(kazooDevices(n), bucketed.srv)

	r.elapsed = time.Since(start)
	md := r.markdown()
	t.Log("\n" + md)
	if out := os.Getenv(EnvMarkdown); out != "" {
		if err := replaceSection(out, md); err != nil {
			t.Fatal(err)
		}
	}
}

// applyOnly applies cfg once in a fresh directory, then destroys it unmeasured.
func (s *suite) applyOnly(cfg func(bool) string, sim *kazoosim.Server) measured {
	s.t.Helper()
	dir := s.t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg(false)), 0o600); err != nil {
		s.t.Fatal(err)
	}
	par := tfexec.Parallelism(s.parallelism)
	m := s.command(dir, sim, func(ctx context.Context, tf *tfexec.Terraform) error { return tf.Apply(ctx, par) })
	s.t.Logf("apply only: %7.2fs provider %6.2fs terraform %6.2fs requests %d logins %d err %v",
		m.wall.Seconds(), m.providerCPU.Seconds(), m.terraformCPU.Seconds(), m.requests, m.logins, m.err)
	return m
}

// replaceSection puts md between the markers of the file at path.
func replaceSection(path, md string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(raw)
	i, j := strings.Index(s, markBegin), strings.Index(s, markEnd)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no %q … %q section", path, markBegin, markEnd)
	}
	s = s[:i+len(markBegin)] + "\n" + md + "\n" + s[j:]
	return os.WriteFile(path, []byte(s), 0o644) //nolint:gosec // a documentation file
}

// machine describes where the figures come from.
func machine() string {
	load := ""
	if raw, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = ", load average " + strings.Join(strings.Fields(string(raw))[:3], " ")
	}
	return fmt.Sprintf("%d CPUs, %s/%s, %s%s", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), load)
}

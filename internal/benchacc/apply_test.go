package benchacc

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
)

// Variables that shape TestAccBenchApply.
const (
	// EnvN is how many users, devices, voicemail boxes and callflows the configuration has
	// (default 10): 4N+2 resources with the sub-account and the group.
	EnvN = "KAZOO_BENCH_N"
	// EnvBucket lists the simulator's rate limit settings to run: "on" (KAZOO's 100 tokens
	// refilled at 10/s) and/or "off". Default "on,off".
	EnvBucket = "KAZOO_BENCH_BUCKET"
	// EnvParallelism lists Terraform -parallelism values (default "10", Terraform's own).
	EnvParallelism = "KAZOO_BENCH_PARALLELISM"
	// EnvRPS lists the provider's requests_per_second settings: "default" (KAZOO's 10 a second, burst 100)
	// or a number, 0 meaning no client-side limit. Default "default".
	EnvRPS = "KAZOO_BENCH_RPS"
	// EnvPause is how long each command waits first when the bucket is on: 10s lets an empty
	// bucket fill up. Default 0: the commands run back to back, as a script runs them.
	EnvPause = "KAZOO_BENCH_PAUSE"
	// EnvProviderBinary, when set, is a built provider (go build -o DIR/terraform-provider-kazoo
	// .) that Terraform starts as a plugin process for each graph walk, through a dev_overrides
	// CLI configuration, as for a user. Without it the provider is served in this process
	// (reattach), as terraform-plugin-testing does, which saves the process starts.
	EnvProviderBinary = "KAZOO_BENCH_PROVIDER_BINARY"
	// EnvOut, when set, is a file each run appends one JSON line of figures to.
	EnvOut = "KAZOO_BENCH_OUT"
)

// kazooBucket is KAZOO's default token bucket: 100 tokens refilled at 10 a second.
const kazooBucket = 100

// benchCase is one cell of the matrix.
type benchCase struct {
	N           int
	Bucket      bool
	Parallelism int
	RPS         string        // "default" or the provider's requests_per_second
	Pause       time.Duration // wait before each command when the bucket is on
}

func (c benchCase) name() string {
	b := "off"
	if c.Bucket {
		b = "on"
	}
	if c.Bucket && c.Pause > 0 {
		b += "-pause-" + c.Pause.String()
	}
	return fmt.Sprintf("n=%d/bucket=%s/parallelism=%d/rps=%s", c.N, b, c.Parallelism, c.RPS)
}

// phase is what one Terraform command cost.
type phase struct {
	Name        string         `json:"name"`
	Seconds     float64        `json:"seconds"`
	Requests    map[string]int `json:"requests"`       // "METHOD /route" → requests, as /sim/stats counts them (429s included)
	ByMethod    map[string]int `json:"by_method"`      // method → requests other than logins
	Logins      int            `json:"logins"`         // logins KAZOO accepted
	LoginTries  int            `json:"login_attempts"` // logins, 429s included (what /sim/stats counts)
	Configures  int64          `json:"configures"`     // ConfigureProvider calls: Terraform's graph walks that configured the provider (-1: unknown)
	WalkLoad    []int          `json:"walk_requests"`  // requests other than logins made by each of those walks
	TooMany     map[string]int `json:"too_many"`       // 429 answers by route
	Errors      int            `json:"errors"`         // other answers >= 400
	MaxInFlight int            `json:"max_in_flight"`
	ServerBusy  float64        `json:"server_busy_seconds"` // summed time the simulator spent answering
	PerSecond   float64        `json:"requests_per_second"` // requests (logins included) / wall time
	Failed      bool           `json:"failed,omitempty"`    // the command failed
}

// TestAccBenchApply applies 1 sub-account, N users, N devices, N voicemail boxes, N callflows
// and a group with the real Terraform CLI against a simulator with KAZOO's rate limit on and
// off, then plans without changes, renames every device and destroys. It reports each phase's
// wall time and requests, and fails when the provider spends more than one request per resource
// and operation, more than one login per provider configuration, or lets a 429 through as an
// error.
func TestAccBenchApply(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run the apply benchmark (it drives the Terraform CLI)")
	}
	tfPath := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tfPath == "" {
		p, err := exec.LookPath("terraform")
		if err != nil {
			t.Fatal("TF_ACC_TERRAFORM_PATH is not set and no terraform is on PATH")
		}
		tfPath = p
	}
	if err := acctest.EnsureCLIConfig(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	n := envInt(t, EnvN, 10)
	var pause time.Duration
	if v := os.Getenv(EnvPause); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			t.Fatalf("%s=%q: want a duration such as 10s", EnvPause, v)
		}
		pause = d
	}
	var cases []benchCase
	for _, b := range envList(EnvBucket, "on,off") {
		if b != "on" && b != "off" {
			t.Fatalf("%s: %q is neither on nor off", EnvBucket, b)
		}
		for _, p := range envList(EnvParallelism, "10") {
			par, err := strconv.Atoi(p)
			if err != nil || par < 1 {
				t.Fatalf("%s: %q is not a positive number", EnvParallelism, p)
			}
			for _, rps := range envList(EnvRPS, "default") {
				if _, err := strconv.ParseFloat(rps, 64); rps != "default" && err != nil {
					t.Fatalf("%s: %q is neither default nor a number", EnvRPS, rps)
				}
				cases = append(cases, benchCase{N: n, Bucket: b == "on", Parallelism: par, RPS: rps, Pause: pause})
			}
		}
	}
	for _, c := range cases {
		t.Run(c.name(), func(t *testing.T) { runBench(t, tfPath, c) })
	}
}

func runBench(t *testing.T, tfPath string, c benchCase) {
	bucket := 0
	if c.Bucket {
		bucket = kazooBucket
	}
	sim := startSimulator(t, bucket)
	m := sim.srv.Master()
	t.Setenv(acctest.EnvURL, sim.ts.URL)
	t.Setenv(acctest.EnvAccountID, m.AccountID)
	t.Setenv(acctest.EnvAPIKey, m.APIKey)
	for _, k := range []string{acctest.EnvUsername, acctest.EnvPassword, acctest.EnvAccountName,
		acctest.EnvAccountRealm, acctest.EnvPhoneNumber, acctest.EnvAuthToken} {
		t.Setenv(k, "")
	}
	rps := ""
	if c.RPS != "default" {
		rps = c.RPS
	}
	t.Setenv("KAZOO_REQUESTS_PER_SECOND", rps)

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(benchConfig(c.N, acctest.RandomName("bench"))), 0o600); err != nil {
		t.Fatal(err)
	}
	tf, err := tfexec.NewTerraform(dir, tfPath)
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	tf.SetStderr(&stderr)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Minute)
	defer cancel()

	binary := os.Getenv(EnvProviderBinary)
	if binary != "" {
		useProviderBinary(t, binary)
	}
	configures := &walks{wire: sim.wire}
	// run measures one Terraform command against the simulator's counters. Unless a provider
	// binary is used, it serves a fresh provider in this process for the command, as a plugin
	// process would be started for it.
	run := func(name string, cmd func(tfexec.ReattachInfo) error) phase {
		t.Helper()
		if c.Bucket {
			time.Sleep(c.Pause)
		}
		var info tfexec.ReattachInfo
		stop := func() {}
		if binary == "" {
			info, stop = serveProvider(t, configures)
		}
		sim.reset()
		configures.reset()
		stderr.Reset()
		start := time.Now()
		err := cmd(info)
		wall := time.Since(start)
		stop()
		walkLoad := configures.requests()
		n := int64(len(walkLoad))
		if binary != "" {
			n, walkLoad = -1, nil // unknown: the plugin processes are Terraform's
		}
		p := sim.measure(t, name, wall, n)
		p.WalkLoad = walkLoad
		if err != nil {
			// What the failed command cost is part of the evidence.
			p.Failed = true
			t.Logf("%s: %s", c.name(), p.summary())
			report(t, c, []phase{p})
			t.Fatalf("terraform %s: %v\n%s", name, err, stderr.String())
		}
		return p
	}
	// with adds the reattach option when the provider is served here.
	with := func(info tfexec.ReattachInfo) []*tfexec.ReattachOption {
		if info == nil {
			return nil
		}
		return []*tfexec.ReattachOption{tfexec.Reattach(info)}
	}

	if binary == "" { // dev_overrides need no init
		if err := func() error {
			info, stop := serveProvider(t, configures)
			defer stop()
			return tf.Init(ctx, tfexec.Reattach(info))
		}(); err != nil {
			t.Fatalf("terraform init: %v\n%s", err, stderr.String())
		}
	}

	par := tfexec.Parallelism(c.Parallelism)
	apply := run("apply", func(info tfexec.ReattachInfo) error {
		opts := []tfexec.ApplyOption{par}
		for _, o := range with(info) {
			opts = append(opts, o)
		}
		return tf.Apply(ctx, opts...)
	})
	var changes bool
	refresh := run("plan", func(info tfexec.ReattachInfo) error {
		opts := []tfexec.PlanOption{par}
		for _, o := range with(info) {
			opts = append(opts, o)
		}
		var err error
		changes, err = tf.Plan(ctx, opts...)
		return err
	})
	// An update of one attribute of every device: the refresh's GETs and one PATCH each.
	update := run("update", func(info tfexec.ReattachInfo) error {
		opts := []tfexec.ApplyOption{par, tfexec.Var("device_suffix= (renamed)")}
		for _, o := range with(info) {
			opts = append(opts, o)
		}
		return tf.Apply(ctx, opts...)
	})
	destroy := run("destroy", func(info tfexec.ReattachInfo) error {
		opts := []tfexec.DestroyOption{par, tfexec.Var("device_suffix= (renamed)")}
		for _, o := range with(info) {
			opts = append(opts, o)
		}
		return tf.Destroy(ctx, opts...)
	})

	phases := []phase{apply, refresh, update, destroy}
	for _, p := range phases {
		t.Logf("%s: %s", c.name(), p.summary())
	}
	report(t, c, phases)

	// The invariants. Each type's item route, and how many resources of it there are.
	counts := map[string]int{
		"/v2/accounts/{ACCOUNT_ID}":                1,
		"/v2/accounts/{ACCOUNT_ID}/users/{ID}":     c.N,
		"/v2/accounts/{ACCOUNT_ID}/devices/{ID}":   c.N,
		"/v2/accounts/{ACCOUNT_ID}/vmboxes/{ID}":   c.N,
		"/v2/accounts/{ACCOUNT_ID}/callflows/{ID}": c.N,
		"/v2/accounts/{ACCOUNT_ID}/groups/{ID}":    1,
	}
	// A create is a PUT to the collection (to the parent account for an account).
	creates := map[string]int{"PUT /v2/accounts/{ACCOUNT_ID}": 1}
	reads, deletes := map[string]int{}, map[string]int{}
	updates := map[string]int{"PATCH /v2/accounts/{ACCOUNT_ID}/devices/{ID}": c.N}
	for route, k := range counts {
		if route != "/v2/accounts/{ACCOUNT_ID}" {
			creates["PUT "+strings.TrimSuffix(route, "/{ID}")] = k
		}
		reads["GET "+route] = k
		updates["GET "+route] = k
		deletes["GET "+route] = k
		deletes["DELETE "+route] = k
	}
	if changes {
		t.Errorf("the plan after apply has changes: %s", stderr.String())
	}
	expectRequests(t, apply, creates)
	expectRequests(t, refresh, reads)
	expectRequests(t, update, updates)
	expectRequests(t, destroy, deletes)
	for _, p := range phases {
		// One login per provider configuration: the client's token serves every request.
		// Terraform configures the provider once per graph walk: a plan is one walk, an apply
		// two (plan, apply), a destroy three (refresh, plan, apply).
		if p.Configures >= 0 && int64(p.Logins) != p.Configures {
			t.Errorf("%s: %d logins for %d provider configurations", p.Name, p.Logins, p.Configures)
		}
		if p.Logins > 3 {
			t.Errorf("%s: %d logins for one Terraform command", p.Name, p.Logins)
		}
		// 429s are allowed (the commands succeeded, so they were retried); other errors are not.
		if p.Errors > 0 {
			t.Errorf("%s: %d error answers other than 429", p.Name, p.Errors)
		}
	}
	// A plan is one graph walk: exactly one login.
	if refresh.Logins != 1 || (refresh.Configures >= 0 && refresh.Configures != 1) {
		t.Errorf("plan: %d logins, %d configurations; want 1", refresh.Logins, refresh.Configures)
	}
}

// useProviderBinary makes Terraform start the provider binary at path for the rest of the
// test, through a CLI configuration with dev_overrides.
func useProviderBinary(t *testing.T, path string) {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatalf("%s: %v", EnvProviderBinary, err)
	}
	dir := filepath.Dir(abs)
	if filepath.Base(abs) != "terraform-provider-kazoo" {
		// Terraform looks for the plugin by its conventional name.
		dir = t.TempDir()
		if err := os.Symlink(abs, filepath.Join(dir, "terraform-provider-kazoo")); err != nil {
			t.Fatal(err)
		}
	}
	rc := filepath.Join(t.TempDir(), "dev.tfrc")
	cfg := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"registry.terraform.io/kazoo-community/kazoo\" = %q\n  }\n  direct {}\n}\n", dir)
	if err := os.WriteFile(rc, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(acctest.EnvCLIConfig, rc)
}

// measure reads the counters of the phase that just ended.
func (s *simulator) measure(t *testing.T, name string, wall time.Duration, configures int64) phase {
	t.Helper()
	st := s.srv.Stats()
	byStatus, maxIn, busy := s.wire.snapshot()
	p := phase{Name: name, Seconds: wall.Seconds(), Requests: st.Requests, ByMethod: map[string]int{},
		LoginTries: st.Logins, Configures: configures, TooMany: map[string]int{}, MaxInFlight: maxIn, ServerBusy: busy.Seconds()}
	total := 0
	for route, n := range st.Requests {
		total += n
		if !isLogin(route) {
			p.ByMethod[strings.Fields(route)[0]] += n
		}
		// The wire counter must see the same routes as the simulator, or routeOf is wrong.
		seen := 0
		for _, k := range byStatus[route] {
			seen += k
		}
		if seen != n {
			t.Errorf("%s: the simulator counted %d %q, the wire %d", name, n, route, seen)
		}
	}
	for route, statuses := range byStatus {
		if _, ok := st.Requests[route]; !ok {
			t.Errorf("%s: the wire counted %q the simulator did not: %v", name, route, statuses)
		}
		for code, k := range statuses {
			switch {
			case isLogin(route) && code < 300:
				p.Logins += k
			}
			switch {
			case code == 429:
				p.TooMany[route] += k
			case code >= 400:
				p.Errors += k
			}
		}
	}
	if wall > 0 {
		p.PerSecond = float64(total) / wall.Seconds()
	}
	// Requests answered 429 were sent again: they are not the provider's own.
	for route, statuses := range byStatus {
		if k := statuses[429]; k > 0 {
			p.Requests[route] -= k
			if !isLogin(route) {
				p.ByMethod[strings.Fields(route)[0]] -= k
			}
		}
	}
	return p
}

// isLogin reports whether a "METHOD /route" is a login (a token exchange).
func isLogin(route string) bool {
	return strings.HasSuffix(route, "/v2/api_auth") || strings.HasSuffix(route, "/v2/user_auth")
}

// expectRequests fails unless the phase's requests, logins and 429s aside, are exactly want.
func expectRequests(t *testing.T, p phase, want map[string]int) {
	t.Helper()
	got := map[string]int{}
	for route, n := range p.Requests {
		if n > 0 && !isLogin(route) {
			got[route] = n
		}
	}
	var diffs []string
	for route, n := range want {
		if got[route] != n {
			diffs = append(diffs, fmt.Sprintf("%s: %d, want %d", route, got[route], n))
		}
	}
	for route, n := range got {
		if _, ok := want[route]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: %d, want none", route, n))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("%s requests (429s not counted):\n  %s", p.Name, strings.Join(diffs, "\n  "))
	}
}

func (p phase) summary() string {
	methods := make([]string, 0, len(p.ByMethod))
	for m, n := range p.ByMethod {
		if n > 0 {
			methods = append(methods, fmt.Sprintf("%s=%d", m, n))
		}
	}
	sort.Strings(methods)
	var tooMany []string
	for route, n := range p.TooMany {
		tooMany = append(tooMany, fmt.Sprintf("%s=%d", route, n))
	}
	sort.Strings(tooMany)
	name := p.Name
	if p.Failed {
		name += " FAILED"
	}
	return fmt.Sprintf("%-7s %7.2fs  %s  logins=%d (attempts=%d, configures=%d, requests per walk %v)  429s=[%s]  max-in-flight=%d  %.1f req/s  server busy %.2fs",
		name, p.Seconds, strings.Join(methods, " "), p.Logins, p.LoginTries, p.Configures, p.WalkLoad, strings.Join(tooMany, " "),
		p.MaxInFlight, p.PerSecond, p.ServerBusy)
}

// report appends the run's figures to $KAZOO_BENCH_OUT as one JSON line.
func report(t *testing.T, c benchCase, phases []phase) {
	t.Helper()
	out := os.Getenv(EnvOut)
	if out == "" {
		return
	}
	tfv := os.Getenv("TF_ACC_TERRAFORM_PATH")
	line, err := json.Marshal(map[string]any{
		"case": c, "resources": 4*c.N + 2, "phases": phases, "terraform": tfv,
		"time": time.Now().UTC().Format(time.RFC3339),
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(append(line, '\n')); err != nil {
		t.Fatal(err)
	}
}

// benchConfig is a small company times N in a sub-account: each user has a desk phone, a
// voicemail box and an extension callflow that rings the user then goes to voicemail; one
// group holds every user. The references make Terraform create users first, then devices,
// boxes and callflows, as a real configuration would.
func benchConfig(n int, name string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    # Fully qualified, so that OpenTofu (whose default registry differs) finds the same provider.
    kazoo = { source = "registry.terraform.io/kazoo-community/kazoo" }
  }
}

provider "kazoo" {}

variable "device_suffix" {
  type    = string
  default = ""
}

locals {
  n = %[1]d
}

resource "kazoo_account" "sub" {
  name  = %[2]q
  realm = "%[2]s.sip.example.com"
}

resource "kazoo_user" "u" {
  count      = local.n
  account_id = kazoo_account.sub.id
  first_name = "User"
  last_name  = format("%%05d", count.index)
  username   = "user${count.index}@%[2]s.example.com"
  email      = "user${count.index}@%[2]s.example.com"
  password   = "bench-Passw0rd-${count.index}"
  timezone   = "America/Los_Angeles"
}

resource "kazoo_device" "d" {
  count       = local.n
  account_id  = kazoo_account.sub.id
  name        = "Desk phone ${count.index}${var.device_suffix}"
  device_type = "sip_device"
  owner_id    = kazoo_user.u[count.index].id
  sip = {
    username = "desk${count.index}"
    password = "bench-Sip-Passw0rd-${count.index}"
  }
}

resource "kazoo_vmbox" "v" {
  count      = local.n
  account_id = kazoo_account.sub.id
  name       = "Voicemail ${count.index}"
  mailbox    = tostring(10000 + count.index)
  owner_id   = kazoo_user.u[count.index].id
}

resource "kazoo_callflow" "c" {
  count      = local.n
  account_id = kazoo_account.sub.id
  name       = "Extension ${10000 + count.index}"
  numbers    = [tostring(10000 + count.index)]
  flow = jsonencode({
    module = "user"
    data   = { id = kazoo_user.u[count.index].id, timeout = 20 }
    children = {
      "_" = { module = "voicemail", data = { id = kazoo_vmbox.v[count.index].id } }
    }
  })
}

resource "kazoo_group" "everyone" {
  account_id = kazoo_account.sub.id
  name       = "Everyone"
  endpoints  = { for u in kazoo_user.u : u.id => { type = "user" } }
}
`, n, name)
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

func envList(name, def string) []string {
	v := os.Getenv(name)
	if v == "" {
		v = def
	}
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

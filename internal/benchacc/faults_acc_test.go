package benchacc

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoosim"
)

// simProcess is the simulator binary (cmd/kazoosim) running as its own process, so that a
// test can kill it as a server dies and start it again on the same address and data file.
type simProcess struct {
	t      *testing.T
	bin    string
	data   string
	addr   string
	extra  []string
	cmd    *exec.Cmd
	banner struct {
		URL       string `json:"url"`
		AccountID string `json:"account_id"`
		APIKey    string `json:"api_key"`
	}
}

// buildSimulator compiles cmd/kazoosim once per test binary.
func buildSimulator(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kazoosim")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/kazoo-community/terraform-provider-kazoo/cmd/kazoosim").CombinedOutput()
	if err != nil {
		t.Fatalf("building the simulator: %v\n%s", err, out)
	}
	return bin
}

func startSimProcess(t *testing.T, extra ...string) *simProcess {
	t.Helper()
	s := &simProcess{t: t, bin: buildSimulator(t), data: filepath.Join(t.TempDir(), "sim.db"), addr: "127.0.0.1:0", extra: extra}
	s.start()
	t.Cleanup(s.kill)
	return s
}

// start runs the simulator and reads its banner; a restart keeps the address and data.
func (s *simProcess) start() {
	s.t.Helper()
	args := append([]string{"-addr", s.addr, "-data", s.data}, s.extra...)
	s.cmd = exec.Command(s.bin, args...)
	s.cmd.Stderr = os.Stderr
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		s.t.Fatalf("reading the simulator's banner: %v", err)
	}
	if err := json.Unmarshal([]byte(line), &s.banner); err != nil {
		s.t.Fatalf("the simulator's banner %q: %v", line, err)
	}
	s.addr = strings.TrimPrefix(s.banner.URL, "http://")
}

// kill ends the simulator at once (SIGKILL): connections are refused from then on.
func (s *simProcess) kill() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
		s.cmd = nil
	}
}

// simStats reads a simulator's /sim/stats (master token). It logs in once; the login is
// counted by the simulator like any other.
type simStats struct {
	url, apiKey, token string
	hc                 http.Client
}

func (s *simStats) get() (kazoosim.Stats, error) {
	var st kazoosim.Stats
	if s.token == "" {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPut, s.url+"/v2/api_auth",
			strings.NewReader(`{"data":{"api_key":"`+s.apiKey+`"}}`))
		if err != nil {
			return st, err
		}
		res, err := s.hc.Do(req)
		if err != nil {
			return st, err
		}
		var env struct {
			AuthToken string `json:"auth_token"`
		}
		err = json.NewDecoder(res.Body).Decode(&env)
		res.Body.Close()
		if err != nil || env.AuthToken == "" {
			return st, fmt.Errorf("no token from the simulator: %v", err)
		}
		s.token = env.AuthToken
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, s.url+"/sim/stats", nil)
	if err != nil {
		return st, err
	}
	req.Header.Set("X-Auth-Token", s.token)
	res, err := s.hc.Do(req)
	if err != nil {
		return st, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return st, fmt.Errorf("/sim/stats: HTTP %d", res.StatusCode)
	}
	err = json.NewDecoder(res.Body).Decode(&st)
	return st, err
}

func (s *simProcess) stats() *simStats {
	return &simStats{url: s.banner.URL, apiKey: s.banner.APIKey, hc: http.Client{Timeout: 5 * time.Second}}
}

// afterCreates runs action once the simulator has answered k device creates, and sends
// the time on the channel it returns. It polls /sim/stats until the test ends.
func (s *simProcess) afterCreates(t *testing.T, k int, action func()) <-chan time.Time {
	watcher := s.stats()
	at := make(chan time.Time, 1)
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
			st, err := watcher.get()
			if err == nil && st.Requests["PUT /v2/accounts/{ACCOUNT_ID}/devices"] >= k {
				action()
				at <- time.Now()
				return
			}
		}
	}()
	return at
}

func (s *simProcess) client() *client.Client {
	s.t.Helper()
	c, err := client.New(client.Config{URL: s.banner.URL, APIKey: s.banner.APIKey, RequestsPerSecond: -1, MaxRetries: -1})
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// devicesConfig is n independent devices in the provider's account.
func devicesConfig(n int) string {
	return providerBlock + fmt.Sprintf(`
resource "kazoo_device" "d" {
  count       = %d
  name        = "Fault desk ${count.index}"
  device_type = "sip_device"
  sip = {
    username = "fault${count.index}"
    password = "fault-Sip-Passw0rd-${count.index}"
  }
}
`, n)
}

// flatten undoes Terraform's wrapping of diagnostics: one space between words.
func flatten(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "│", " ")), " ")
}

var errorLine = regexp.MustCompile(`(?m)^│?\s*Error: `)

// TestAccDeadServer_basic kills the simulator in the middle of an apply of many
// devices. The apply must end within 30 s of the kill, every error must say what happened
// (connection refused or closed) and none may call it a timeout; after the simulator comes
// back on the same address and data, the next apply converges with no device created twice,
// and a plan is empty. Once the server is gone again, a plan fails with one error. Creates in
// flight at the kill have an unknown outcome: before Terraform 1.16 they stay in the state,
// tainted; on 1.16 their ids go to the journal of pending creates in the user's cache
// directory (the test's own here) and the next apply reuses them.
func TestAccDeadServer_basic(t *testing.T) {
	terraformPath(t)
	const n = 60
	sim := startSimProcess(t, "-bucket-size", "0", "-latency", "150ms")
	providerEnv(t, sim.banner.URL, sim.banner.AccountID, sim.banner.APIKey)
	t.Setenv("KAZOO_REQUESTS_PER_SECOND", "0")
	w := newWorkdir(t, devicesConfig(n))

	// Kill the server once a quarter of the devices were sent.
	killed := sim.afterCreates(t, n/4, sim.kill)
	err := w.apply()
	end := time.Now()
	out := w.stderr.String()
	var at time.Time
	select {
	case at = <-killed:
	default:
		t.Fatalf("the apply ended before the simulator was killed: %v\n%s", err, out)
	}
	if err == nil {
		t.Fatal("the apply succeeded although the server died")
	}
	errs := errorLine.FindAllStringIndex(out, -1)
	t.Logf("the apply ended %v after the kill with %d errors", end.Sub(at).Round(time.Millisecond), len(errs))
	if testing.Verbose() {
		t.Logf("first errors:\n%.3000s", out)
	}
	if d := end.Sub(at); d > 30*time.Second {
		t.Errorf("the apply went on for %v after the server died", d)
	}
	if strings.Contains(strings.ToLower(out), "timeout") {
		t.Errorf("an error calls a refused connection a timeout:\n%s", out)
	}
	// Connections in flight at the kill were closed; later ones were refused.
	if flat := flatten(out); !strings.Contains(flat, "connection refused") && !strings.Contains(flat, "closed without an answer") ||
		!strings.Contains(out, sim.banner.URL) {
		t.Errorf("no error names the URL and the refused or closed connection:\n%s", out)
	}
	// Every error is about the dead server, worded the same way.
	details := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?:cannot reach KAZOO|KAZOO at \S+ stopped answering).*?To fix`).FindAllString(flatten(out), -1) {
		details[m] = true
	}
	if len(errs) > 0 && len(details) == 0 {
		t.Errorf("errors that do not explain the dead server:\n%s", out)
	}
	if len(details) > 3 {
		t.Errorf("%d different explanations of one dead server:\n%v", len(details), details)
	}
	// Creates the provider held back once the server was known dead say that nothing changed.
	if !strings.Contains(flatten(out), "Nothing was sent: KAZOO could not be reached, so nothing changed for this resource") {
		t.Errorf("no error says which creates were never sent:\n%s", out)
	}

	// The server returns: the next apply converges without a duplicate.
	sim.start()
	w.mustSucceed("apply after the restart", w.apply())
	c := sim.client()
	names := map[string]int{}
	for item, err := range c.List(context.Background(), client.AccountPath(sim.banner.AccountID, "devices"), nil) {
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(item, &d); err != nil {
			t.Fatal(err)
		}
		names[d.Name]++
	}
	if len(names) != n {
		t.Errorf("%d distinct devices on the server, want %d", len(names), n)
	}
	for name, k := range names {
		if k > 1 {
			t.Errorf("device %q exists %d times", name, k)
		}
	}
	// This plan also fills the token cache, for the last step.
	t.Setenv("KAZOO_TOKEN_CACHE", "1")
	changes, err := w.plan()
	w.mustSucceed("plan", err)
	if changes {
		t.Errorf("the plan after the re-apply has changes:\n%s", w.stderr.String())
	}

	// Gone before a command starts: one error, from the provider's configuration, not one
	// per resource in the state, even though the provider holds a cached token and so has
	// no login to make.
	sim.kill()
	start := time.Now()
	_, err = w.plan()
	out = w.stderr.String()
	if err == nil {
		t.Fatal("the plan succeeded although the server is gone")
	}
	if k := len(errorLine.FindAllStringIndex(out, -1)); k != 1 || !strings.Contains(out, "Cannot reach the KAZOO server") {
		t.Errorf("%d errors for a server gone before the plan, want one saying it cannot be reached:\n%s", k, out)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("the plan took %v to find the server gone", d)
	}
}

// TestAccStalledServer_basic stops the simulator (SIGSTOP: connections are accepted,
// nothing answers) during an apply with a 2 s timeout: the apply ends quickly and says the
// server gave no answer within the timeout.
func TestAccStalledServer_basic(t *testing.T) {
	terraformPath(t)
	const n = 30
	sim := startSimProcess(t, "-bucket-size", "0", "-latency", "100ms")
	providerEnv(t, sim.banner.URL, sim.banner.AccountID, sim.banner.APIKey)
	t.Setenv("KAZOO_REQUESTS_PER_SECOND", "0")
	t.Setenv("KAZOO_TIMEOUT", "2s")
	w := newWorkdir(t, devicesConfig(n))
	stopped := sim.afterCreates(t, n/3, func() { _ = sim.cmd.Process.Signal(syscall.SIGSTOP) })
	t.Cleanup(func() {
		if sim.cmd != nil {
			_ = sim.cmd.Process.Signal(syscall.SIGCONT)
		}
	})
	err := w.apply()
	end := time.Now()
	out := w.stderr.String()
	var at time.Time
	select {
	case at = <-stopped:
	default:
		t.Fatalf("the apply ended before the simulator was stopped: %v\n%s", err, out)
	}
	if err == nil {
		t.Fatal("the apply succeeded although the server stalled")
	}
	t.Logf("the apply ended %v after the stall with %d errors", end.Sub(at).Round(time.Millisecond), len(errorLine.FindAllStringIndex(out, -1)))
	if d := end.Sub(at); d > 30*time.Second {
		t.Errorf("the apply went on for %v after the server stalled", d)
	}
	if !strings.Contains(flatten(out), "no answer within 2s (timeout)") {
		t.Errorf("no error says the server did not answer within the timeout:\n%s", out)
	}
	if strings.Contains(out, "connection refused") {
		t.Errorf("a stalled server is worded as a refused connection:\n%s", out)
	}
}

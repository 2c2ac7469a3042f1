package benchacc

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoosim"
)

var jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)

// TestAccTokenCache runs apply, plan and destroy with token_cache on: one login for the
// three commands (five provider configurations), a cache file only its owner can read and
// that holds no credential; then a cached token the server refuses costs exactly one new
// login, and with Terraform and the provider logging at TRACE no token appears in the logs.
//
// It sets process environment variables, so it must not run in parallel.
func TestAccTokenCache(t *testing.T) {
	terraformPath(t)
	sim := startSimulator(t, 0)
	m := sim.srv.Master()
	providerEnv(t, sim.ts.URL, m.AccountID, m.APIKey)
	cacheHome := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cacheHome)
	t.Setenv("KAZOO_TOKEN_CACHE", "1")
	w := newWorkdir(t, devicesConfig(3))

	sim.reset()
	w.mustSucceed("apply", w.apply())
	changes, err := w.plan()
	w.mustSucceed("plan", err)
	if changes {
		t.Fatalf("the plan after the apply has changes:\n%s", w.stderr.String())
	}
	w.mustSucceed("destroy", w.destroy())
	if logins := sim.srv.Stats().Logins; logins != 1 {
		t.Fatalf("%d logins for apply, plan and destroy, want 1", logins)
	}

	files, _ := filepath.Glob(filepath.Join(cacheHome, "kazoo-tf", "tokens", "*"))
	if len(files) != 1 {
		t.Fatalf("token cache files: %v", files)
	}
	st, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("token cache file mode %v, want 0600", st.Mode().Perm())
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), m.APIKey) {
		t.Fatal("the API key is in the token cache")
	}
	var cached map[string]any
	if err := json.Unmarshal(raw, &cached); err != nil {
		t.Fatal(err)
	}
	oldToken, _ := cached["token"].(string)

	// The server no longer accepts the cached token: a token of the same account signed
	// by another server stands for one that was revoked.
	other, err := kazoosim.New(kazoosim.Options{AccountID: m.AccountID, APIKey: m.APIKey})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	revoked := tokenFrom(t, other)
	cached["token"] = revoked
	raw, _ = json.Marshal(cached)
	if err := os.WriteFile(files[0], raw, 0o600); err != nil {
		t.Fatal(err)
	}

	tfLog := filepath.Join(t.TempDir(), "terraform.log")
	providerLog := filepath.Join(t.TempDir(), "provider.log")
	if err := w.tf.SetLog("TRACE"); err != nil {
		t.Fatal(err)
	}
	if err := w.tf.SetLogPath(tfLog); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TF_ACC_LOG_PATH", providerLog)
	t.Setenv("TF_ACC_LOG", "TRACE")
	sim.reset()
	w.mustSucceed("apply with a revoked cached token", w.apply())
	if logins := sim.srv.Stats().Logins; logins != 1 {
		t.Fatalf("%d logins after the cached token was revoked, want 1", logins)
	}
	raw, _ = os.ReadFile(files[0])
	_ = json.Unmarshal(raw, &cached)
	newToken, _ := cached["token"].(string)
	if newToken == "" || newToken == revoked {
		after, _ := filepath.Glob(filepath.Join(cacheHome, "kazoo-tf", "tokens", "*"))
		t.Fatalf("the new token was not cached (cache files %v; terraform said:\n%s)", after, w.stderr.String())
	}
	var logs strings.Builder
	for _, f := range []string{tfLog, providerLog} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		logs.Write(b)
	}
	if !strings.Contains(logs.String(), "KAZOO request") {
		t.Fatal("the provider's TRACE log is missing: the check below would prove nothing")
	}
	for name, tok := range map[string]string{"first": oldToken, "revoked": revoked, "new": newToken} {
		if tok != "" && strings.Contains(logs.String(), tok) {
			t.Errorf("the %s token appears in the TRACE logs", name)
		}
	}
	if jwt := jwtPattern.FindString(logs.String()); jwt != "" {
		t.Errorf("a token appears in the TRACE logs: %.24s…", jwt)
	}
}

// tokenFrom logs in to an in-process simulator and returns the token.
func tokenFrom(t *testing.T, srv *kazoosim.Server) string {
	t.Helper()
	ts := startHTTP(t, srv)
	s := &simStats{url: ts, apiKey: srv.Master().APIKey}
	if _, err := s.get(); err != nil {
		t.Fatal(err)
	}
	return s.token
}

// TestAccBucketModelAtParallelism50 applies and plans about a hundred resources with
// KAZOO's default bucket (100 tokens, 10 a second) and Terraform's -parallelism=50 with
// the provider's defaults: no resource may fail; the 429s the simulator answered, if any,
// were absorbed by the client.
func TestAccBucketModelAtParallelism50(t *testing.T) {
	terraformPath(t)
	const n = 25
	sim := startSimulator(t, kazooBucket)
	m := sim.srv.Master()
	providerEnv(t, sim.ts.URL, m.AccountID, m.APIKey)
	w := newWorkdir(t, benchConfig(n, acctest.RandomName("bucket")))
	par := tfexec.Parallelism(50)

	sim.reset()
	start := time.Now()
	w.mustSucceed("apply at -parallelism=50", w.apply(par))
	apply := sim.measure(t, "apply", time.Since(start), -1)
	sim.reset()
	start = time.Now()
	changes, err := w.plan(tfexec.Parallelism(50))
	w.mustSucceed("plan at -parallelism=50", err)
	plan := sim.measure(t, "plan", time.Since(start), -1)
	if changes {
		t.Errorf("the plan after the apply has changes:\n%s", w.stderr.String())
	}
	for _, p := range []phase{apply, plan} {
		t.Logf("%s", p.summary())
		if p.Errors > 0 {
			t.Errorf("%s: %d error answers other than 429", p.Name, p.Errors)
		}
	}
	// The apply's creates fit the burst and the refill: the model sends no request KAZOO refuses.
	if k := sumValues(apply.TooMany); k > 0 {
		t.Errorf("apply: %d requests refused with 429; the bucket model sent more than KAZOO's bucket allows", k)
	}
}

func sumValues(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// startHTTP serves h on a loopback port until the test ends and returns its URL.
func startHTTP(t *testing.T, h http.Handler) string {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

// Package acctest is the harness of the provider's acceptance tests.
//
// A test binary calls Main from its TestMain. When KAZOO_URL is not set, Main starts one
// in-process Crossbar simulator (internal/kazoosim) on 127.0.0.1 and exports KAZOO_URL,
// KAZOO_ACCOUNT_ID and KAZOO_API_KEY, so that test configurations need only
// `provider "kazoo" {}` and the provider's environment fallbacks do the rest. With KAZOO_URL
// and credentials set, the very same tests run against a real KAZOO.
//
// The in-process simulator has no rate limit, latency or faults unless KAZOOSIM_BUCKET_SIZE,
// KAZOOSIM_BUCKET_RATE, KAZOOSIM_LATENCY, KAZOOSIM_FAULT_RATE or KAZOOSIM_FAULT_SEED say
// otherwise, so the suite can also be run under KAZOO's real bucket or with injected faults.
package acctest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoosim"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider"
)

// Environment variables the provider reads when its configuration leaves a value out.
const (
	EnvURL          = "KAZOO_URL"
	EnvAccountID    = "KAZOO_ACCOUNT_ID"
	EnvAPIKey       = "KAZOO_API_KEY"
	EnvUsername     = "KAZOO_USERNAME"
	EnvPassword     = "KAZOO_PASSWORD"
	EnvAccountName  = "KAZOO_ACCOUNT_NAME"
	EnvAccountRealm = "KAZOO_ACCOUNT_REALM"
	EnvPhoneNumber  = "KAZOO_PHONE_NUMBER"
	EnvAuthToken    = "KAZOO_AUTH_TOKEN"
	// EnvCLIConfig is the Terraform/OpenTofu CLI configuration file variable.
	EnvCLIConfig = "TF_CLI_CONFIG_FILE"
)

// ProtoV6ProviderFactories serves the provider in-process to the Terraform CLI that
// terraform-plugin-testing drives.
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"kazoo": providerserver.NewProtocol6WithError(provider.New("test")()),
}

var (
	simMu  sync.Mutex
	sim    *kazoosim.Server
	simTS  *httptest.Server
	tmpDir string
)

// Main sets up the environment (Setup), runs the tests and tears the simulator down. Use it
// as a package's TestMain:
//
//	func TestMain(m *testing.M) { acctest.Main(m) }
func Main(m *testing.M) {
	teardown, err := Setup()
	if err != nil {
		fmt.Fprintln(os.Stderr, "acctest:", err)
		os.Exit(1)
	}
	code := m.Run()
	teardown()
	os.Exit(code)
}

// Setup starts the in-process simulator unless KAZOO_URL is set, exports the KAZOO_*
// variables for it, and makes sure TF_CLI_CONFIG_FILE names an existing file. The returned
// function stops the simulator and removes temporary files.
func Setup() (func(), error) {
	simMu.Lock()
	defer simMu.Unlock()
	dir, err := os.MkdirTemp("", "kazoo-acctest-")
	if err != nil {
		return nil, err
	}
	tmpDir = dir
	if err := EnsureCLIConfig(dir); err != nil {
		return nil, err
	}
	if os.Getenv(EnvURL) == "" {
		opts, err := simOptionsFromEnv()
		if err != nil {
			return nil, err
		}
		srv, err := kazoosim.New(opts)
		if err != nil {
			return nil, err
		}
		ts := httptest.NewServer(srv)
		sim, simTS = srv, ts
		m := srv.Master()
		for k, v := range map[string]string{
			EnvURL:       ts.URL,
			EnvAccountID: m.AccountID,
			EnvAPIKey:    m.APIKey,
		} {
			if err := os.Setenv(k, v); err != nil {
				return nil, err
			}
		}
		// Other credential variables would make the provider see two login methods.
		for _, k := range []string{EnvUsername, EnvPassword, EnvAccountName, EnvAccountRealm, EnvPhoneNumber, EnvAuthToken} {
			_ = os.Unsetenv(k)
		}
	}
	return teardown, nil
}

// Variables that tune the in-process simulator, for runs of the acceptance suite under
// KAZOO's rate limit, with latency, or with injected faults.
const (
	EnvSimBucketSize = "KAZOOSIM_BUCKET_SIZE"
	EnvSimBucketRate = "KAZOOSIM_BUCKET_RATE"
	EnvSimLatency    = "KAZOOSIM_LATENCY"
	EnvSimFaultRate  = "KAZOOSIM_FAULT_RATE"
	EnvSimFaultSeed  = "KAZOOSIM_FAULT_SEED"
)

// simOptionsFromEnv: no rate limit, latency or faults unless the KAZOOSIM_* variables ask.
func simOptionsFromEnv() (kazoosim.Options, error) {
	// Every module the provider manages is loaded, the optional ones (lists, cccps) included.
	opts := kazoosim.Options{Username: "admin", AccountName: "acctest-master", ExtraModules: kazoosim.OptionalModules()}
	var err error
	parse := func(name string, set func(string) error) {
		if v := os.Getenv(name); v != "" && err == nil {
			if e := set(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", name, v, e)
			}
		}
	}
	parse(EnvSimBucketSize, func(v string) (e error) { opts.BucketSize, e = strconv.Atoi(v); return })
	parse(EnvSimBucketRate, func(v string) (e error) { opts.BucketRate, e = strconv.ParseFloat(v, 64); return })
	parse(EnvSimLatency, func(v string) (e error) { opts.Latency, e = time.ParseDuration(v); return })
	parse(EnvSimFaultRate, func(v string) (e error) { opts.FaultRate, e = strconv.ParseFloat(v, 64); return })
	parse(EnvSimFaultSeed, func(v string) (e error) { opts.FaultSeed, e = strconv.ParseInt(v, 10, 64); return })
	return opts, err
}

func teardown() {
	simMu.Lock()
	defer simMu.Unlock()
	if simTS != nil {
		simTS.Close()
		simTS = nil
	}
	if sim != nil {
		_ = sim.Close()
		sim = nil
	}
	if tmpDir != "" {
		_ = os.RemoveAll(tmpDir)
		tmpDir = ""
	}
}

// EnsureCLIConfig points TF_CLI_CONFIG_FILE at an empty CLI configuration written in dir
// unless it already names an existing file. OpenTofu prints a warning on stdout for a missing
// file, which breaks terraform-plugin-testing's version detection; an empty file also keeps a
// developer's own ~/.terraformrc (dev_overrides) out of the tests.
func EnsureCLIConfig(dir string) error {
	if p := os.Getenv(EnvCLIConfig); p != "" {
		if _, err := os.Stat(p); err == nil {
			return nil
		}
	}
	p := filepath.Join(dir, "terraform.rc")
	if err := os.WriteFile(p, []byte("# written by internal/acctest: no overrides\n"), 0o600); err != nil {
		return err
	}
	return os.Setenv(EnvCLIConfig, p)
}

// PreCheck fails the test when no KAZOO is configured: the package's TestMain must call Main.
func PreCheck(t testing.TB) {
	t.Helper()
	if os.Getenv(EnvURL) == "" {
		t.Fatalf("%s is not set: call acctest.Main from TestMain, or export KAZOO_URL and credentials", EnvURL)
	}
	if os.Getenv(EnvAPIKey) == "" && os.Getenv(EnvAuthToken) == "" &&
		(os.Getenv(EnvUsername) == "" || os.Getenv(EnvPassword) == "") {
		t.Fatalf("no KAZOO credentials: set %s, %s, or %s and %s", EnvAPIKey, EnvAuthToken, EnvUsername, EnvPassword)
	}
}

// Simulator returns the in-process simulator, or nil when the tests run against another
// server.
func Simulator() *kazoosim.Server {
	simMu.Lock()
	defer simMu.Unlock()
	return sim
}

var (
	clientMu sync.Mutex
	shared   *client.Client
)

// ConfigFromEnv is the client configuration the provider would build from KAZOO_*.
func ConfigFromEnv() client.Config {
	return client.Config{
		URL:          os.Getenv(EnvURL),
		AccountID:    os.Getenv(EnvAccountID),
		APIKey:       os.Getenv(EnvAPIKey),
		Username:     os.Getenv(EnvUsername),
		Password:     os.Getenv(EnvPassword),
		AccountName:  os.Getenv(EnvAccountName),
		AccountRealm: os.Getenv(EnvAccountRealm),
		PhoneNumber:  os.Getenv(EnvPhoneNumber),
		AuthToken:    os.Getenv(EnvAuthToken),
		UserAgent:    "terraform-provider-kazoo-acctest",
	}
}

// Client returns a logged-in client for changes behind Terraform's back (drift tests) and for
// CheckDestroy functions. It is shared by the test binary and logs in once.
func Client(t testing.TB) *client.Client {
	t.Helper()
	PreCheck(t)
	clientMu.Lock()
	defer clientMu.Unlock()
	if shared != nil {
		return shared
	}
	c, err := client.New(ConfigFromEnv())
	if err != nil {
		t.Fatalf("acctest client: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Login(ctx); err != nil {
		t.Fatalf("acctest client login: %v", err)
	}
	shared = c
	return c
}

// RandomName returns prefix, a dash and 10 random lowercase hex characters: unique enough
// for names that KAZOO requires to be unique (account names, realms, usernames).
func RandomName(prefix string) string {
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	if prefix == "" {
		prefix = "tf-acc"
	}
	return prefix + "-" + hex.EncodeToString(b)
}

// SimStats returns the simulator's request counts by "METHOD /route/pattern" and its number
// of logins. ok is false when the tests do not run on a simulator (a real KAZOO), where
// request counts cannot be asserted.
func SimStats(t testing.TB) (stats kazoosim.Stats, ok bool) {
	t.Helper()
	if s := Simulator(); s != nil {
		return s.Stats(), true
	}
	body, status := simRequest(t, http.MethodGet, "/sim/stats")
	if status != http.StatusOK {
		return kazoosim.Stats{}, false
	}
	if err := json.Unmarshal(body, &stats); err != nil {
		t.Fatalf("decoding /sim/stats: %v", err)
	}
	return stats, true
}

// ResetSimStats clears the simulator's request counts; it does nothing on a real KAZOO.
func ResetSimStats(t testing.TB) {
	t.Helper()
	if s := Simulator(); s != nil {
		s.ResetStats()
		return
	}
	simRequest(t, http.MethodPost, "/sim/stats/reset")
}

// Requests returns how many requests matched "METHOD pattern" in stats; pattern uses the
// simulator's placeholders, e.g. "PATCH /v2/accounts/{ACCOUNT_ID}/devices/{ID}".
func Requests(stats kazoosim.Stats, methodAndPattern string) int {
	return stats.Requests[methodAndPattern]
}

// simRequest calls an external kazoosim's /sim endpoint with a master token obtained from
// KAZOO_API_KEY; it answers status 0 when that is not possible.
func simRequest(t testing.TB, method, path string) ([]byte, int) {
	t.Helper()
	base := strings.TrimSuffix(strings.TrimSuffix(os.Getenv(EnvURL), "/"), "/v2")
	key := os.Getenv(EnvAPIKey)
	if base == "" || key == "" {
		return nil, 0
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	res, err := hc.Do(mustRequest(http.MethodPut, base+"/v2/api_auth", `{"data":{"api_key":"`+key+`"}}`, ""))
	if err != nil {
		return nil, 0
	}
	var env struct {
		AuthToken string `json:"auth_token"`
	}
	_ = json.NewDecoder(res.Body).Decode(&env)
	res.Body.Close()
	if env.AuthToken == "" {
		return nil, 0
	}
	res, err = hc.Do(mustRequest(method, base+path, "", env.AuthToken))
	if err != nil {
		return nil, 0
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, 0
	}
	return b, res.StatusCode
}

func mustRequest(method, url, body, token string) *http.Request {
	var r *http.Request
	var err error
	if body != "" {
		r, err = http.NewRequestWithContext(context.Background(), method, url, strings.NewReader(body))
	} else {
		r, err = http.NewRequestWithContext(context.Background(), method, url, nil)
	}
	if err != nil {
		panic(err)
	}
	if token != "" {
		r.Header.Set("X-Auth-Token", token)
	}
	return r
}

// CLIBelow reports whether the Terraform CLI under test (TF_ACC_TERRAFORM_PATH) is older than
// major.minor; without that variable it reports false. OpenTofu counts as its own version
// number, which is above every Terraform it forked from.
func CLIBelow(major, minor int) func() (bool, error) {
	return func() (bool, error) {
		bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
		if bin == "" {
			return false, nil
		}
		out, err := exec.CommandContext(context.Background(), bin, "version", "-json").Output()
		if err != nil {
			return false, err
		}
		var v struct {
			Version string `json:"terraform_version"`
		}
		if err := json.Unmarshal(out, &v); err != nil {
			return false, err
		}
		var ma, mi int
		if _, err := fmt.Sscanf(v.Version, "%d.%d", &ma, &mi); err != nil {
			return false, err
		}
		return ma < major || (ma == major && mi < minor), nil
	}
}

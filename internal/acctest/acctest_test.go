package acctest

import (
	"context"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

func TestMain(m *testing.M) { Main(m) }

func TestSetupExportsSimulator(t *testing.T) {
	if Simulator() == nil {
		t.Skip("KAZOO_URL was set: running against an external server")
	}
	m := Simulator().Master()
	if os.Getenv(EnvAccountID) != m.AccountID || os.Getenv(EnvAPIKey) != m.APIKey {
		t.Fatalf("KAZOO_* not exported: %q %q", os.Getenv(EnvAccountID), os.Getenv(EnvAPIKey))
	}
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`).MatchString(os.Getenv(EnvURL)) {
		t.Fatalf("simulator not on loopback: %s", os.Getenv(EnvURL))
	}
	if _, err := os.Stat(os.Getenv(EnvCLIConfig)); err != nil {
		t.Fatalf("TF_CLI_CONFIG_FILE does not exist: %v", err)
	}
}

func TestClientAndSimStats(t *testing.T) {
	c := Client(t)
	if c2 := Client(t); c2 != c {
		t.Fatal("Client is not shared")
	}
	ResetSimStats(t)
	if _, err := c.Get(context.Background(), "/v2/accounts/"+c.AccountID(), nil); err != nil {
		t.Fatal(err)
	}
	stats, ok := SimStats(t)
	if !ok {
		t.Skip("not on the simulator")
	}
	if got := Requests(stats, "GET /v2/accounts/{ACCOUNT_ID}"); got != 1 {
		t.Fatalf("GET account counted %d times: %v", got, stats.Requests)
	}
	if stats.Logins != 0 {
		t.Fatalf("the shared client logged in again: %d", stats.Logins)
	}
}

func TestRandomName(t *testing.T) {
	a, b := RandomName("acct"), RandomName("acct")
	if a == b || !regexp.MustCompile(`^acct-[0-9a-f]{10}$`).MatchString(a) {
		t.Fatalf("RandomName: %q %q", a, b)
	}
}

func TestEnsureCLIConfigKeepsExistingFile(t *testing.T) {
	dir := t.TempDir()
	existing := dir + "/mine.rc"
	if err := os.WriteFile(existing, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvCLIConfig, existing)
	if err := EnsureCLIConfig(dir); err != nil || os.Getenv(EnvCLIConfig) != existing {
		t.Fatalf("existing file replaced: %v %q", err, os.Getenv(EnvCLIConfig))
	}
	t.Setenv(EnvCLIConfig, dir+"/missing.rc")
	if err := EnsureCLIConfig(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(os.Getenv(EnvCLIConfig)); err != nil {
		t.Fatalf("missing file not replaced: %v", err)
	}
}

// TestAccProviderConfiguresFromEnvironment runs the real Terraform CLI with an empty provider
// block: everything comes from the variables Main exported.
func TestAccProviderConfiguresFromEnvironment(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { PreCheck(t) },
		ProtoV6ProviderFactories: ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `provider "kazoo" {}
output "ok" { value = "configured" }`,
		}},
	})
}

func TestSimOptionsFromEnv(t *testing.T) {
	t.Setenv(EnvSimBucketSize, "100")
	t.Setenv(EnvSimLatency, "5ms")
	t.Setenv(EnvSimFaultRate, "0.1")
	t.Setenv(EnvSimFaultSeed, "9")
	o, err := simOptionsFromEnv()
	if err != nil || o.BucketSize != 100 || o.Latency != 5*time.Millisecond || o.FaultRate != 0.1 || o.FaultSeed != 9 {
		t.Fatalf("options %+v: %v", o, err)
	}
	t.Setenv(EnvSimBucketSize, "lots")
	if _, err := simOptionsFromEnv(); err == nil {
		t.Fatal("a bad value was accepted")
	}
	t.Setenv(EnvSimBucketSize, "")
	o, _ = simOptionsFromEnv()
	if o.BucketSize != 0 {
		t.Fatal("rate limiting must be off by default")
	}
}

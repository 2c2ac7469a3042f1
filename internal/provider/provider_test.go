package provider

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoosim"
)

// Simulator credentials for the configuration tests.
const (
	simAccountID = "4f5c6e1a9b8d7c6e5f4a3b2c1d0e9f8a"
	simAPIKey    = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	simUser      = "admin"
	simPassword  = "correct-horse-battery"
	simAccount   = "master"
	simRealm     = "master.sip.example.com"
)

func TestSchemaDescriptionsNameTheirVariable(t *testing.T) {
	var resp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &resp)
	if len(resp.Schema.Attributes) != 17 {
		t.Fatalf("%d attributes, want the 15 of the issue and burst and token_cache of issue 12", len(resp.Schema.Attributes))
	}
	for name, attr := range resp.Schema.Attributes {
		env := "KAZOO_" + strings.ToUpper(name)
		if !strings.Contains(attr.GetDescription(), "`"+env+"`") {
			t.Errorf("%s: description does not name %s", name, env)
		}
		if !attr.IsOptional() {
			t.Errorf("%s is not optional: the environment must be able to supply it", name)
		}
	}
	for _, name := range []string{"api_key", "password", "auth_token"} {
		if !resp.Schema.Attributes[name].IsSensitive() {
			t.Errorf("%s is not sensitive", name)
		}
	}
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestEnvironmentIsUsedOnlyWhenTheSettingIsNull(t *testing.T) {
	m := providerModel{URL: types.StringValue("http://config:8000"), AccountID: types.StringNull(),
		APIKey: types.StringNull(), Username: types.StringNull(), Password: types.StringNull(),
		AccountName: types.StringNull(), AccountRealm: types.StringNull(), PhoneNumber: types.StringNull(),
		AuthToken: types.StringNull(), Timeout: types.StringNull(), MaxRetries: types.Int64Value(2),
		RequestsPerSecond: types.Float64Null(), InsecureSkipVerify: types.BoolNull(), CACertFile: types.StringNull(),
		AcceptCharges: types.BoolNull()}
	r := resolve(m, env(map[string]string{
		envURL: "http://env:8000", envAccountID: simAccountID, envAPIKey: simAPIKey, envMaxRetries: "9",
		envRequestsPerSecond: "3.5", envAcceptCharges: "true", envTimeout: "10s",
		envAccountName: "ignored-for-api-keys",
	}))
	cfg, diags := r.check(true)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if cfg.URL != "http://config:8000" || cfg.AccountID != simAccountID || cfg.APIKey != simAPIKey || cfg.MaxRetries != 2 ||
		cfg.RequestsPerSecond != 3.5 || !cfg.AcceptCharges || cfg.Timeout != 10*time.Second || cfg.AccountName != "" {
		t.Fatalf("cfg = %+v", cfg)
	}

	// Credentials written in the configuration hide credential variables.
	m.Username, m.Password, m.AccountName = types.StringValue("u"), types.StringValue("p"), types.StringValue("acct")
	r = resolve(m, env(map[string]string{envAPIKey: simAPIKey, envAuthToken: "tok"}))
	cfg, diags = r.check(true)
	if diags.HasError() || cfg.APIKey != "" || cfg.AuthToken != "" || cfg.Username != "u" {
		t.Fatalf("cfg = %+v diags = %v", cfg, diags)
	}
}

func TestAccProviderPlanTimeValidation(t *testing.T) {
	cases := map[string]struct {
		hcl     string
		env     map[string]string
		message string
	}{
		"two credential methods": {`api_key = "` + simAPIKey + `"
			auth_token = "abc"`, nil, "Conflicting KAZOO credentials"},
		"credential methods from the environment": {``, map[string]string{envAPIKey: simAPIKey, envUsername: "u", envPassword: "p", envAccountName: "a"},
			"KAZOO_API_KEY \\(environment\\)"},
		"account id not hex":        {`account_id = "not-an-id"`, nil, "Invalid KAZOO account ID"},
		"account id upper case":     {`account_id = "4F5C6E1A9B8D7C6E5F4A3B2C1D0E9F8A"`, nil, "KAZOO account IDs are lower case"},
		"account id from env":       {``, map[string]string{envAccountID: "123"}, "KAZOO_ACCOUNT_ID"},
		"url without scheme":        {`url = "kazoo.example.com:8000"`, nil, "Invalid KAZOO URL"},
		"url without host":          {`url = "http:///v2"`, nil, "has no host"},
		"two account selectors":     {`username = "u"` + "\n" + `password = "p"` + "\n" + `account_name = "a"` + "\n" + `account_realm = "r"`, nil, "Conflicting account selectors"},
		"selector with an api key":  {`api_key = "` + simAPIKey + `"` + "\n" + `phone_number = "+15551234567"`, nil, "only applies to a username and password"},
		"password without username": {`password = "p"`, nil, "Missing username"},
		"bad timeout":               {`timeout = "soon"`, nil, "Invalid timeout"},
		"negative rate":             {`requests_per_second = -1`, nil, "Invalid requests_per_second"},
		"zero burst":                {`burst = 0`, nil, "Invalid burst"},
		"token cache from env":      {``, map[string]string{envTokenCache: "maybe"}, "KAZOO_TOKEN_CACHE"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(tc.env),
				Steps: []resource.TestStep{{
					Config:      "provider \"kazoo\" {\n" + tc.hcl + "\n}\n" + probeConfig,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.message),
				}},
			})
		})
	}
}

// startSim runs the simulator with the test credentials.
func startSim(t *testing.T, ttl time.Duration) *httptest.Server {
	t.Helper()
	sim, err := kazoosim.New(kazoosim.Options{AccountID: simAccountID, APIKey: simAPIKey, Username: simUser,
		Password: simPassword, AccountName: simAccount, AccountRealm: simRealm, TokenTTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(sim)
	t.Cleanup(func() { ts.Close(); _ = sim.Close() })
	return ts
}

// TestConfigureLogsInWithEachMethod runs Terraform against the simulator with
// each way of logging in and checks the account the provider ends up in.
func TestAccProviderLogsInWithEachMethod(t *testing.T) {
	ts := startSim(t, time.Hour)
	token := simToken(t, ts.URL)
	cases := map[string]struct {
		hcl string
		env map[string]string
	}{
		"api key":                     {`api_key = "` + simAPIKey + `"`, nil},
		"api key, url ending in /v2":  {`api_key = "` + simAPIKey + `"`, map[string]string{envURL: ts.URL + "/v2/"}},
		"api key from the env":        {``, map[string]string{envAPIKey: simAPIKey, envAccountID: simAccountID}},
		"username with account name":  {`username = "` + simUser + `"` + "\n" + `password = "` + simPassword + `"` + "\n" + `account_name = "` + simAccount + `"`, nil},
		"username with account realm": {``, map[string]string{envUsername: simUser, envPassword: simPassword, envAccountRealm: simRealm}},
		"pre-made token":              {`auth_token = "` + token + `"`, nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := map[string]string{envURL: ts.URL}
			for k, v := range tc.env {
				e[k] = v
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(e),
				Steps: []resource.TestStep{{
					Config: "provider \"kazoo\" {\n" + tc.hcl + "\n}\n" + probeConfig,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.kazoo_provider_probe.this", tfjsonpath.New("account_id"), knownvalue.StringExact(simAccountID)),
					},
				}},
			})
		})
	}
}

// TestConfigureMisconfigurations shows that each way of getting the
// configuration wrong ends with its own diagnostic.
func TestAccProviderMisconfigurations(t *testing.T) {
	ts := startSim(t, time.Hour)
	notCrossbar := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<html><body>Welcome to nginx</body></html>"))
	}))
	t.Cleanup(notCrossbar.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadURL := "http://" + ln.Addr().String()
	_ = ln.Close()
	expired := expiredToken()

	cases := map[string]struct {
		hcl     string
		message string
	}{
		"nothing listens at the url": {`url = "` + deadURL + `"` + "\n" + `api_key = "` + simAPIKey + `"`,
			`Cannot reach the KAZOO server(.|\n)*` + regexp.QuoteMeta(deadURL)},
		"the url is not crossbar": {`url = "` + notCrossbar.URL + `"` + "\n" + `api_key = "` + simAPIKey + `"`,
			`The URL is not a Crossbar API`},
		"unknown api key": {`url = "` + ts.URL + `"` + "\n" + `api_key = "` + strings.Repeat("f", 64) + `"`,
			`KAZOO rejected the API key`},
		"wrong password": {`url = "` + ts.URL + `"` + "\n" + `username = "` + simUser + `"` + "\n" + `password = "wrong"` + "\n" + `account_name = "` + simAccount + `"`,
			`KAZOO rejected the username and password`},
		"another account": {`url = "` + ts.URL + `"` + "\n" + `api_key = "` + simAPIKey + `"` + "\n" + `account_id = "` + strings.Repeat("ab", 16) + `"`,
			`KAZOO credentials belong to another account(.|\n)*` + simAccountID},
		"expired token": {`url = "` + ts.URL + `"` + "\n" + `auth_token = "` + expired + `"`,
			`KAZOO auth token expired`},
		"no credentials": {`url = "` + ts.URL + `"`, `Missing KAZOO credentials`},
		"no url":         {`api_key = "` + simAPIKey + `"`, `Missing KAZOO URL`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config:      "provider \"kazoo\" {\n" + tc.hcl + "\n}\n" + probeConfig,
					ExpectError: regexp.MustCompile(tc.message),
				}},
			})
		})
	}
}

// TestConfigureLogsInOncePerRun counts the simulator's logins across a plan
// and apply with several data sources reading through the provider.
func TestAccProviderLogsInOncePerRun(t *testing.T) {
	sim, err := kazoosim.New(kazoosim.Options{AccountID: simAccountID, APIKey: simAPIKey, TokenTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(sim)
	t.Cleanup(func() { ts.Close(); _ = sim.Close() })
	probeMu.Lock()
	probeClients = nil
	probeMu.Unlock()
	configureCalls.Store(0)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(map[string]string{envURL: ts.URL, envAPIKey: simAPIKey}),
		Steps: []resource.TestStep{{
			Config: probeConfig + `
data "kazoo_provider_probe" "a" {}
data "kazoo_provider_probe" "b" {}
`,
		}},
	})
	probeMu.Lock()
	defer probeMu.Unlock()
	if len(probeClients) == 0 {
		t.Fatal("the probe never saw a client")
	}
	for _, c := range probeClients {
		if s := c.Stats(); s.Logins != 1 {
			t.Fatalf("a provider process logged in %d times, want 1", s.Logins)
		}
	}
	// Terraform configures the provider once per command (plan, apply, the
	// plans and refreshes of the test step): one login each, never more.
	if logins, configures := sim.Stats().Logins, configureCalls.Load(); int64(logins) != configures {
		t.Fatalf("simulator saw %d logins for %d Configure calls", logins, configures)
	}
	t.Logf("%d Configure calls, %d logins", configureCalls.Load(), sim.Stats().Logins)
}

// simToken logs in to the simulator outside Terraform, for the token test.
func simToken(t *testing.T, url string) string {
	t.Helper()
	c, err := client.New(client.Config{URL: url, APIKey: simAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	env, err := c.Put(context.Background(), "/v2/api_auth", map[string]any{"api_key": simAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	return env.AuthToken
}

// expiredToken is a JWT-shaped token whose exp has passed.
func expiredToken() string {
	return "eyJhbGciOiJSUzI1NiJ9." +
		"eyJhY2NvdW50X2lkIjoiNGY1YzZlMWE5YjhkN2M2ZTVmNGEzYjJjMWQwZTlmOGEiLCJleHAiOjE3MDAwMDAwMDB9.c2ln"
}

// ---- test-only plumbing ----

// probeConfig declares the test-only data source, so that Terraform needs
// the provider and calls Configure.
const probeConfig = `
data "kazoo_provider_probe" "this" {}
`

var (
	probeMu      sync.Mutex
	probeClients []*client.Client
)

// factories serves the provider with a fixed environment (the process's
// KAZOO_* variables are ignored) plus the probe data source.
func factories(e map[string]string) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"kazoo": providerserver.NewProtocol6WithError(&probeProvider{
			kazooProvider: &kazooProvider{version: "test", getenv: env(e)},
		}),
	}
}

// probeProvider is the real provider with one extra, test-only data source.
type probeProvider struct{ *kazooProvider }

// configureCalls counts successful Configure calls of probe providers.
var configureCalls atomic.Int64

func (p *probeProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	p.kazooProvider.Configure(ctx, req, resp)
	if !resp.Diagnostics.HasError() {
		configureCalls.Add(1)
	}
}

func (p *probeProvider) DataSources(ctx context.Context) []func() datasource.DataSource {
	return append(p.kazooProvider.DataSources(ctx), func() datasource.DataSource { return &probeDataSource{} })
}

// probeDataSource reports the account of the client handed over by Configure.
type probeDataSource struct{ client *client.Client }

func (d *probeDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provider_probe"
}

func (d *probeDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dsschema.Schema{Attributes: map[string]dsschema.Attribute{
		"account_id": dsschema.StringAttribute{Computed: true},
	}}
}

func (d *probeDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	c, ok := req.ProviderData.(*client.Client)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data", "want *client.Client")
		return
	}
	d.client = c
	probeMu.Lock()
	probeClients = append(probeClients, c)
	probeMu.Unlock()
}

func (d *probeDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	// One real request through the shared client.
	if _, err := d.client.Get(ctx, client.AccountPath(d.client.AccountID()), nil); err != nil {
		resp.Diagnostics.AddError("probe read failed", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account_id"), d.client.AccountID())...)
}

var _ provider.Provider = (*probeProvider)(nil)

// TestValidationLeavesMissingSettingsToConfigure: at plan-time validation an
// empty provider block is fine (terraform validate runs without
// credentials), while conflicts and malformed values are errors already.
func TestValidationLeavesMissingSettingsToConfigure(t *testing.T) {
	null := providerModel{URL: types.StringNull(), AccountID: types.StringNull(), APIKey: types.StringNull(),
		Username: types.StringNull(), Password: types.StringNull(), AccountName: types.StringNull(),
		AccountRealm: types.StringNull(), PhoneNumber: types.StringNull(), AuthToken: types.StringNull(),
		Timeout: types.StringNull(), MaxRetries: types.Int64Null(), RequestsPerSecond: types.Float64Null(),
		InsecureSkipVerify: types.BoolNull(), CACertFile: types.StringNull(), AcceptCharges: types.BoolNull()}
	r := resolve(null, env(nil))
	if _, diags := r.check(false); diags.HasError() {
		t.Fatalf("validation of an empty block: %v", diags)
	}
	if _, diags := r.check(true); diags.ErrorsCount() != 2 {
		t.Fatalf("Configure of an empty block: %v, want missing URL and missing credentials", diags)
	}
	conflicting := null
	conflicting.APIKey, conflicting.AuthToken = types.StringValue(simAPIKey), types.StringValue("t")
	r = resolve(conflicting, env(nil))
	if _, diags := r.check(false); !diags.HasError() {
		t.Fatal("two credential methods passed validation")
	}
	// A value known only after apply is not judged yet.
	unknown := null
	unknown.APIKey, unknown.AccountID = types.StringUnknown(), types.StringUnknown()
	r = resolve(unknown, env(nil))
	if _, diags := r.check(false); diags.HasError() {
		t.Fatalf("unknown values: %v", diags)
	}
}

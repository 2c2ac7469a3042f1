package provider_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoosim"
)

// ownSimulator starts a simulator with special options for one test, and returns a provider
// block pointing at it.
func ownSimulator(t *testing.T, opts kazoosim.Options) (string, client.Config, *kazoosim.Server) {
	t.Helper()
	if acctest.Simulator() == nil {
		t.Skip("needs the in-process simulator: this run targets another KAZOO")
	}
	srv, err := kazoosim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	m := srv.Master()
	return fmt.Sprintf("provider \"kazoo\" {\n  url         = %q\n  account_id  = %q\n  api_key     = %q\n  max_retries = 8\n}\n",
			ts.URL, m.AccountID, m.APIKey),
		client.Config{URL: ts.URL, AccountID: m.AccountID, APIKey: m.APIKey, MaxRetries: 10}, srv
}

// KAZOO's 402 "accept charges" is answered by the resource's accept_charges (or the
// provider's), and explained when neither accepts.
func TestAccDevice_acceptCharges(t *testing.T) {
	provider, _, _ := ownSimulator(t, kazoosim.Options{RequireAcceptCharges: true})
	device := func(accept string) string {
		return provider + "resource \"kazoo_device\" \"billable\" {\n  name = \"Billable phone\"\n" + accept + "}\n"
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: device(""), ExpectError: regexp.MustCompile(`(?s)Error creating kazoo_device.*accept_charges = true`)},
			{Config: device("  accept_charges = true\n")},
		},
	})
}

// With a fifth of the requests failing (some after KAZOO applied them), an apply still
// converges: the client retries, and a create whose first attempt went through is adopted
// instead of duplicated.
func TestAccFaultyServerCreatesNoDuplicates(t *testing.T) {
	provider, cc, srv := ownSimulator(t, kazoosim.Options{FaultRate: 0.2, FaultSeed: 7})
	var cfg strings.Builder
	cfg.WriteString(provider)
	const n = 20
	for i := 0; i < n; i++ {
		fmt.Fprintf(&cfg, "resource \"kazoo_device\" \"d%d\" {\n  name = \"Faulty %d\"\n  sip = { username = \"faulty%d\" }\n}\n", i, i, i)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:           cfg.String(),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check: func(*terraform.State) error {
				c, err := client.New(cc)
				if err != nil {
					return err
				}
				count := 0
				for _, err := range c.List(context.Background(), client.AccountPath(cc.AccountID, "devices"), nil) {
					if err != nil {
						return err
					}
					count++
				}
				if count != n {
					return fmt.Errorf("%d devices in KAZOO for %d resources", count, n)
				}
				// More PUTs than devices means some creates were sent again and adopted.
				t.Logf("%d device PUTs for %d devices", srv.Stats().Requests["PUT /v2/accounts/{ACCOUNT_ID}/devices"], n)
				return nil
			},
		}},
	})
}

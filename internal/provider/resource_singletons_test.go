package provider_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
)

// importByAccount is a singleton's import id: the account's id.
func importByAccount(a map[string]string) string { return a["account_id"] }

// absent asserts that destroy gave the keys back to KAZOO (removed from the document).
func absent(keys ...string) func(map[string]any) error {
	return func(d map[string]any) error {
		for _, k := range keys {
			if v, ok := lookupKey(d, k); ok {
				return fmt.Errorf("%s is still %v after destroy", k, v)
			}
		}
		return nil
	}
}

func TestAccLimits_basic(t *testing.T) {
	addr := "kazoo_limits.test"
	lifecycle{
		Type:       "kazoo_limits",
		Collection: "limits",
		Singleton:  true,
		NoPatch:    true,
		Create: `
  calls          = 10
  inbound_trunks = 2`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("calls"), knownvalue.Int64Exact(10)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("allow_prepay"), knownvalue.Bool(true)),
			statecheck.CompareValuePairs(addr, tfjsonpath.New("id"), addr, tfjsonpath.New("account_id"), compareSame),
		},
		DataSource: `data "kazoo_limits" "mine" { depends_on = [kazoo_limits.test] }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.kazoo_limits.mine", tfjsonpath.New("inbound_trunks"), knownvalue.Int64Exact(2)),
		},
		Update: `
  calls           = 20
  inbound_trunks  = 4
  outbound_trunks = 2
  allow_prepay    = false`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("outbound_trunks"), knownvalue.Int64Exact(2)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("allow_prepay"), knownvalue.Bool(false)),
		},
		Drift: map[string]any{"calls": 5, "allow_prepay": true},
		Removed: `
  calls = 20`,
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("inbound_trunks"), knownvalue.Null()),
			// Back to KAZOO's default.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("allow_prepay"), knownvalue.Bool(true)),
		},
		RemovedKeys:  []string{"inbound_trunks", "outbound_trunks"},
		Invalid:      `calls = -1`,
		InvalidError: regexp.MustCompile(`(?s)calls.*at least 0`),
		ImportID:     importByAccount,
		// KAZOO cannot delete limits: a change behind Terraform's back is written again.
		BehindBack:       func(map[string]any) map[string]any { return map[string]any{"calls": 99} },
		BehindBackAction: plancheck.ResourceActionUpdate,
		DestroyCheck:     absent("calls", "inbound_trunks", "outbound_trunks"),
		ApplyInvalid: `
resource "kazoo_limits" "dup" {
  calls = length(kazoo_limits.test.id) - 100
}`,
		ApplyInvalidError: regexp.MustCompile(`(?s)kazoo_limits.dup.*calls.*value must be at least 0`),
	}.run(t)
}

func TestAccWhitelabel_basic(t *testing.T) {
	addr := "kazoo_whitelabel.test"
	domain := fmt.Sprintf("https://portal%s.example.com", randomDigits(6))
	lifecycle{
		Type:       "kazoo_whitelabel",
		Collection: "whitelabel",
		Singleton:  true,
		NoPatch:    true,
		Create: fmt.Sprintf(`
  company_name = "Example Telecom"
  domain       = %q`, domain),
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("hide_powered"), knownvalue.Bool(false)),
		},
		DataSource: `data "kazoo_whitelabel" "mine" { depends_on = [kazoo_whitelabel.test] }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.kazoo_whitelabel.mine", tfjsonpath.New("company_name"), knownvalue.StringExact("Example Telecom")),
		},
		Update: fmt.Sprintf(`
  company_name = "Example Telecom Ltd"
  domain       = %q
  hide_powered = true`, domain),
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("hide_powered"), knownvalue.Bool(true)),
		},
		Drift: map[string]any{"company_name": "Someone else"},
		Removed: fmt.Sprintf(`
  domain = %q`, domain),
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("company_name"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("hide_powered"), knownvalue.Bool(false)),
		},
		RemovedKeys:  []string{"company_name"},
		Invalid:      `hide_powered = "sometimes"`,
		InvalidError: regexp.MustCompile(`(?s)hide_powered|bool`),
		ImportID:     importByAccount,
		DestroyCheck: absent("company_name", "domain"),
		// KAZOO refuses a domain another account's branding already has, on the attribute.
		Duplicate: fmt.Sprintf(`
resource "kazoo_account" "other" {
  name  = "Other reseller %[1]s"
  realm = "other-%[1]s.sip.example.com"
}
resource "kazoo_whitelabel" "dup" {
  account_id = kazoo_account.other.id
  domain     = %[2]q
}`, randomDigits(6), domain),
		DuplicateError: regexp.MustCompile(`(?s)Error creating kazoo_whitelabel.*KAZOO rejected the value of "domain"`),
	}.run(t)
}

func TestAccMetaflows_basic(t *testing.T) {
	addr := "kazoo_metaflows.test"
	lifecycle{
		Type:       "kazoo_metaflows",
		Collection: "metaflows",
		Singleton:  true,
		NoPatch:    true,
		Create: `
  binding_digit = "*"
  digit_timeout = 2000`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("digit_timeout"), knownvalue.Int64Exact(2000)),
		},
		DataSource: `data "kazoo_metaflows" "mine" { depends_on = [kazoo_metaflows.test] }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.kazoo_metaflows.mine", tfjsonpath.New("digit_timeout"), knownvalue.Int64Exact(2000)),
		},
		Update: `
  binding_digit = "#"
  digit_timeout = 3000
  listen_on     = "self"`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("listen_on"), knownvalue.StringExact("self")),
		},
		Drift: map[string]any{"listen_on": "both"},
		Removed: `
  binding_digit = "#"`,
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("listen_on"), knownvalue.Null()),
		},
		RemovedKeys:  []string{"listen_on", "digit_timeout"},
		Invalid:      `binding_digit = "x"`,
		InvalidError: regexp.MustCompile(`(?s)binding_digit.*value must be one of`),
		ImportID:     importByAccount,
		// Deleting the metaflows leaves none: the next apply writes them again.
		ApplyInvalid: `
resource "kazoo_metaflows" "dup" {
  digit_timeout = length(kazoo_metaflows.test.id) - 100
}`,
		ApplyInvalidError: regexp.MustCompile(`(?s)kazoo_metaflows.dup.*digit_timeout.*value must be at least 0`),
		BehindBack:        func(map[string]any) map[string]any { return map[string]any{"binding_digit": "*"} },
		BehindBackAction:  plancheck.ResourceActionUpdate,
		DestroyCheck: func(d map[string]any) error {
			if v, ok := d["binding_digit"]; ok && v != "*" {
				return fmt.Errorf("binding_digit is %v after destroy, not KAZOO's default *", v)
			}
			return absent("digit_timeout", "listen_on")(d)
		},
	}.run(t)
}

func TestAccAccountSecurity_basic(t *testing.T) {
	addr := "kazoo_account_security.test"
	lifecycle{
		Type:       "kazoo_account_security",
		Collection: "security",
		Singleton:  true,
		DocKey:     "account",
		Create: `
  auth_modules = {
    cb_user_auth = {
      enabled             = true
      token_auth_expiry_s = 7200
    }
  }`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("auth_modules").AtMapKey("cb_user_auth").AtMapKey("token_auth_expiry_s"), knownvalue.Int64Exact(7200)),
		},
		DataSource: `data "kazoo_account_security" "mine" { depends_on = [kazoo_account_security.test] }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.kazoo_account_security.mine",
				tfjsonpath.New("auth_modules").AtMapKey("cb_user_auth").AtMapKey("token_auth_expiry_s"), knownvalue.Int64Exact(7200)),
		},
		Update: `
  auth_modules = {
    cb_user_auth = {
      enabled                 = true
      token_auth_expiry_s     = 3600
      log_successful_attempts = false
    }
    cb_api_auth = {
      token_auth_expiry_s = 900
    }
  }`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("auth_modules").AtMapKey("cb_api_auth").AtMapKey("token_auth_expiry_s"), knownvalue.Int64Exact(900)),
		},
		Drift: map[string]any{"auth_modules": map[string]any{"cb_user_auth": map[string]any{"token_auth_expiry_s": 60}}},
		Removed: `
  auth_modules = {
    cb_user_auth = {
      token_auth_expiry_s = 3600
    }
  }`,
		RemovedKeys:  []string{"auth_modules.cb_api_auth.token_auth_expiry_s", "auth_modules.cb_user_auth.enabled"},
		Invalid:      `auth_modules = { cb_user_auth = { token_auth_expiry_s = "soon" } }`,
		InvalidError: regexp.MustCompile(`(?s)token_auth_expiry_s|number`),
		ImportID:     importByAccount,
		// DELETE removes the account's own settings; GET then answers none, planned again in place.
		BehindBackAction: plancheck.ResourceActionUpdate,
		DestroyCheck:     absent("auth_modules.cb_user_auth.token_auth_expiry_s", "auth_modules.cb_api_auth"),
	}.run(t)
}

// The logo and icon are uploaded from local files, byte for byte, and again when a file's
// content changes.
func TestAccWhitelabel_logoAndIcon(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	png := func(tag string) []byte { return append([]byte("\x89PNG\r\n\x1a\n"), []byte(tag+randomDigits(32))...) }
	logo1, icon := png("logo-1"), append([]byte{0, 0, 1, 0}, []byte(randomDigits(40))...)
	logoPath, iconPath := write("logo.png", logo1), write("favicon.ico", icon)
	config := providerBlock + fmt.Sprintf(`resource "kazoo_whitelabel" "brand" {
  company_name = "Example Telecom"
  logo_file    = %q
  icon_file    = %q
}`, logoPath, iconPath)
	download := func(part string, want []byte) resource.TestCheckFunc {
		return func(*terraform.State) error {
			c := acctest.Client(t)
			env, err := c.Do(context.Background(), client.Request{Method: "GET", Path: client.AccountPath(c.AccountID(), "whitelabel", part), Accept: "*/*"})
			if err != nil {
				return fmt.Errorf("downloading the %s: %w", part, err)
			}
			if !bytes.Equal(env.Raw, want) {
				return fmt.Errorf("KAZOO holds %d bytes of %s, not the %d bytes of the file", len(env.Raw), part, len(want))
			}
			return nil
		}
	}
	var logo2 []byte
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  resource.ComposeTestCheckFunc(download("logo", logo1), download("icon", icon)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				PreConfig: func() { logo2 = png("logo-2"); write("logo.png", logo2) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("kazoo_whitelabel.brand", plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(s *terraform.State) error { return download("logo", logo2)(s) },
			},
		},
	})
}

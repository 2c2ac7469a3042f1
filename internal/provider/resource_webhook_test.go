package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccWebhook_basic(t *testing.T) {
	addr := "kazoo_webhook.test"
	lifecycle{
		Type:       "kazoo_webhook",
		Collection: "webhooks",
		Create: `
  name = "Call starts"
  uri  = "https://hooks.example.com/kazoo/calls"
  hook = "channel_create"
  custom_data = {
    source = "terraform"
  }`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_data"), knownvalue.MapExact(map[string]knownvalue.Check{"source": knownvalue.StringExact("terraform")})),
			// Defaults KAZOO fills in are mirrored.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("http_verb"), knownvalue.StringExact("post")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("format"), knownvalue.StringExact("form-data")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("retries"), knownvalue.Int64Exact(2)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
		},
		DataSource: `data "kazoo_webhook" "by_name" { name = kazoo_webhook.test.name }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_webhook.by_name", tfjsonpath.New("id"), addr, tfjsonpath.New("id"), compareSame),
			statecheck.CompareValuePairs("data.kazoo_webhook.by_name", tfjsonpath.New("custom_data"), addr, tfjsonpath.New("custom_data"), compareSame),
		},
		Update: `
  name                = "Call answered"
  uri                 = "https://hooks.example.com/kazoo/answered"
  hook                = "channel_answer"
  format              = "json"
  retries             = 3
  include_subaccounts = true
  enabled             = true
  custom_data = {
    source = "terraform"
    team   = "ops"
  }`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("hook"), knownvalue.StringExact("channel_answer")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_data"), knownvalue.MapSizeExact(2)),
		},
		// KAZOO turning a failing hook off is set back too.
		Drift: map[string]any{"enabled": false, "retries": 0},
		// A value of custom_data changed elsewhere is set back by one PATCH.
		MapDrift: func(map[string]any) map[string]any {
			return map[string]any{"custom_data": map[string]any{"team": "dev"}}
		},
		Removed: `
  name = "Call answered"
  uri  = "https://hooks.example.com/kazoo/answered"
  hook = "channel_answer"
  custom_data = {
    source = "terraform"
  }`,
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_data"), knownvalue.MapSizeExact(1)),
			// Removed fields go back to KAZOO's defaults, or are gone.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("format"), knownvalue.StringExact("form-data")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("retries"), knownvalue.Int64Exact(2)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("include_subaccounts"), knownvalue.Null()),
		},
		RemovedKeys:  []string{"custom_data.team", "include_subaccounts"},
		Invalid:      "name = \"x\"\nuri = \"https://example.com\"\nhook = \"all\"\nretries = 5",
		InvalidError: regexp.MustCompile(`(?s)retries.*value must be between 0 and 4`),
		// KAZOO refuses URLs it would call on itself.
		Duplicate: `
resource "kazoo_webhook" "dup" {
  name = "Loopback"
  uri  = "http://127.0.0.1/hook"
  hook = "channel_create"
}`,
		DuplicateError: regexp.MustCompile(`(?s)Error creating kazoo_webhook.*with kazoo_webhook.dup.*uri.*KAZOO rejected the value of "uri"`),
	}.run(t)
}

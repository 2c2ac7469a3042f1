package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccClicktocall_basic(t *testing.T) {
	addr := "kazoo_clicktocall.test"
	lifecycle{
		Type:       "kazoo_clicktocall",
		Collection: "clicktocall",
		Create: `
  name          = "Sales call-me button"
  extension     = "2000"
  auth_required = false
  custom_application_vars = {
    campaign = "spring"
  }`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("auth_required"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_application_vars").AtMapKey("campaign"), knownvalue.StringExact("spring")),
		},
		DataSource: `data "kazoo_clicktocall" "by_name" { name = kazoo_clicktocall.test.name }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_clicktocall.by_name", tfjsonpath.New("id"), addr, tfjsonpath.New("id"), compareSame),
			statecheck.ExpectKnownValue("data.kazoo_clicktocall.by_name", tfjsonpath.New("extension"), knownvalue.StringExact("2000")),
		},
		Update: `
  name             = "Sales call-me button (web)"
  extension        = "2001"
  auth_required    = false
  dial_first       = "contact"
  timeout          = 30
  caller_id_number = "+12025550100"
  whitelist        = ["^\\+1"]
  custom_application_vars = {
    campaign = "spring"
    channel  = "web"
  }`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("dial_first"), knownvalue.StringExact("contact")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_application_vars"), knownvalue.MapSizeExact(2)),
		},
		Drift: map[string]any{"extension": "9999", "timeout": 5},
		// A variable changed elsewhere is set back by one PATCH.
		MapDrift: func(map[string]any) map[string]any {
			return map[string]any{"custom_application_vars": map[string]any{"campaign": "autumn"}}
		},
		Removed: `
  name          = "Sales call-me button (web)"
  extension     = "2001"
  auth_required = false
  custom_application_vars = {
    campaign = "spring"
  }`,
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("dial_first"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("whitelist"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_application_vars"), knownvalue.MapSizeExact(1)),
		},
		RemovedKeys:  []string{"dial_first", "timeout", "caller_id_number", "whitelist", "custom_application_vars.channel"},
		Invalid:      "name = \"x\"\nextension = \"1\"\ndial_first = \"nobody\"",
		InvalidError: regexp.MustCompile(`(?s)dial_first.*value must be one of`),
		// KAZOO checks click to calls against their schema only; a value only known at apply is
		// refused before it is sent.
		ApplyInvalid: `
resource "kazoo_clicktocall" "dup" {
  name      = substr(kazoo_clicktocall.test.id, 0, 0)
  extension = "2002"
}`,
		ApplyInvalidError: regexp.MustCompile(`(?s)kazoo_clicktocall.dup.*name.*string length must be between 1 and 128`),
	}.run(t)
}

package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccCarrier_basic(t *testing.T) {
	addr := "kazoo_carrier.test"
	lifecycle{
		Type:       "kazoo_carrier",
		Collection: "resources",
		Create: `
  name        = "Example Telecom"
  weight_cost = 40
  rules       = ["^\\+1(\\d{10})$"]
  gateways = [{
    server   = "sip1.carrier.example.com"
    realm    = "carrier.example.com"
    username = "acme"
    password = "s3cret-trunk"
  }]
  classifiers = {
    tollfree_us = { weight_cost = 20 }
  }`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("gateways").AtSliceIndex(0).AtMapKey("server"), knownvalue.StringExact("sip1.carrier.example.com")),
			// Defaults KAZOO fills in are mirrored, inside gateways too.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("gateways").AtSliceIndex(0).AtMapKey("port"), knownvalue.Int64Exact(5060)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("gateways").AtSliceIndex(0).AtMapKey("invite_format"), knownvalue.StringExact("route")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("grace_period"), knownvalue.Int64Exact(5)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("classifiers").AtMapKey("tollfree_us").AtMapKey("weight_cost"), knownvalue.Int64Exact(20)),
			statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("gateways").AtSliceIndex(0).AtMapKey("password")),
		},
		DataSource: `data "kazoo_carrier" "by_name" { name = kazoo_carrier.test.name }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_carrier.by_name", tfjsonpath.New("id"), addr, tfjsonpath.New("id"), compareSame),
			statecheck.ExpectKnownValue("data.kazoo_carrier.by_name", tfjsonpath.New("gateways"), knownvalue.ListSizeExact(1)),
		},
		Update: `
  name             = "Example Telecom (two gateways)"
  weight_cost      = 30
  rules            = ["^\\+1(\\d{10})$"]
  gateway_strategy = "sequential"
  gateways = [
    {
      server   = "sip1.carrier.example.com"
      realm    = "carrier.example.com"
      username = "acme"
      password = "s3cret-trunk"
    },
    {
      server        = "sip2.carrier.example.com"
      port          = 5080
      invite_format = "e164"
      codecs        = ["PCMU", "PCMA"]
    },
  ]
  classifiers = {
    tollfree_us   = { weight_cost = 20 }
    international = { enabled = false }
  }
  caller_id_options = { type = "external" }`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("gateways"), knownvalue.ListSizeExact(2)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("gateways").AtSliceIndex(1).AtMapKey("port"), knownvalue.Int64Exact(5080)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("classifiers").AtMapKey("international").AtMapKey("enabled"), knownvalue.Bool(false)),
		},
		Drift: map[string]any{"weight_cost": 99, "caller_id_options": map[string]any{"type": "internal"}},
		// A classifier's preference changed elsewhere is set back by one PATCH.
		MapDrift: func(map[string]any) map[string]any {
			return map[string]any{"classifiers": map[string]any{"tollfree_us": map[string]any{"weight_cost": 80}}}
		},
		// A prefix another tool adds to a configured classifier is mirrored and kept.
		MapAdded: func(map[string]any) map[string]any {
			return map[string]any{"classifiers": map[string]any{"tollfree_us": map[string]any{"prefix": "9"}}}
		},
		MapKept: func(doc map[string]any) error {
			cl, _ := doc["classifiers"].(map[string]any)
			if m, _ := cl["tollfree_us"].(map[string]any); len(cl) != 1 || m["prefix"] != "9" {
				return fmt.Errorf("classifiers = %v, want only tollfree_us with the prefix set elsewhere", cl)
			}
			return nil
		},
		Removed: `
  name  = "Example Telecom (two gateways)"
  rules = ["^\\+1(\\d{10})$"]
  gateways = [{
    server   = "sip1.carrier.example.com"
    username = "acme"
    password = "s3cret-trunk"
  }]
  classifiers = {
    tollfree_us = { weight_cost = 20 }
  }`,
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("gateways"), knownvalue.ListSizeExact(1)),
			// The realm the gateway no longer sets is gone from it.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("gateways").AtSliceIndex(0).AtMapKey("realm"), knownvalue.Null()),
			// Removed fields go back to KAZOO's defaults, or are gone.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("weight_cost"), knownvalue.Int64Exact(50)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("gateway_strategy"), knownvalue.Null()),
		},
		RemovedKeys:  []string{"classifiers.international", "gateway_strategy", "caller_id_options.type"},
		Invalid:      `name = "x"` + "\n" + `gateways = [{ server = "sip.example.com", invite_format = "sip" }]`,
		InvalidError: regexp.MustCompile(`(?s)gateways\[0\].invite_format.*value must be one of`),
		// KAZOO checks carriers against their schema only; a value only known at apply is
		// refused before it is sent.
		ApplyInvalid: `
resource "kazoo_carrier" "dup" {
  name     = "Copy"
  gateways = [{ server = substr(kazoo_carrier.test.id, 0, 0) }]
}`,
		ApplyInvalidError: regexp.MustCompile(`(?s)kazoo_carrier.dup.*gateways\[0\].server.*string length must be between 1 and 128`),
	}.run(t)
}

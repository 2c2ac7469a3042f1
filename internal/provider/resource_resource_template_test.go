package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccResourceTemplate_basic(t *testing.T) {
	addr := "kazoo_resource_template.test"
	lifecycle{
		Type:       "kazoo_resource_template",
		Collection: "resource_templates",
		// A template needs no carrier name nor gateways.
		Create: `
  template_name = "Example Telecom (template)"
  rules         = ["^\\+1(\\d{10})$"]`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("template_name"), knownvalue.StringExact("Example Telecom (template)")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.Null()),
			// None of the carriers' defaults is planned or filled in.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("weight_cost"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("enabled"), knownvalue.Null()),
		},
		DataSource: `data "kazoo_resource_template" "by_name" { template_name = kazoo_resource_template.test.template_name }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_resource_template.by_name", tfjsonpath.New("id"), addr, tfjsonpath.New("id"), compareSame),
		},
		Update: `
  template_name = "Example Telecom (template)"
  name          = "Example Telecom"
  rules         = ["^\\+1(\\d{10})$"]
  weight_cost   = 40
  gateways = [{
    server        = "sip.carrier.example.com"
    invite_format = "e164"
  }]
  classifiers = {
    tollfree_us = { weight_cost = 20 }
  }`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("gateways"), knownvalue.ListSizeExact(1)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("weight_cost"), knownvalue.Int64Exact(40)),
		},
		Drift: map[string]any{"weight_cost": 99, "name": "Changed elsewhere"},
		Removed: `
  template_name = "Example Telecom (template)"
  name          = "Example Telecom"`,
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("gateways"), knownvalue.Null()),
			// KAZOO applies no carrier defaults to a template: removed fields are gone.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("weight_cost"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("rules"), knownvalue.Null()),
		},
		RemovedKeys:  []string{"gateways", "classifiers", "weight_cost", "rules"},
		Invalid:      `template_name = ""`,
		InvalidError: regexp.MustCompile(`(?s)template_name.*string length must be at least 1`),
		// KAZOO checks only the template name; a value only known at apply is refused before
		// it is sent.
		ApplyInvalid: `
resource "kazoo_resource_template" "dup" {
  template_name = substr(kazoo_resource_template.test.id, 0, 0)
}`,
		ApplyInvalidError: regexp.MustCompile(`(?s)kazoo_resource_template.dup.*template_name.*string length must be at least 1`),
	}.run(t)
}

package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccTemporalRuleSet_basic(t *testing.T) {
	addr := "kazoo_temporal_rule_set.test"
	lifecycle{
		Type:       "kazoo_temporal_rule_set",
		Collection: "temporal_rules_sets",
		Deps: `
resource "kazoo_temporal_rule" "new_year" {
  name  = "New Year's Day"
  cycle = "yearly"
  month = 1
  days  = [1]
}
resource "kazoo_temporal_rule" "christmas" {
  name  = "Christmas Day"
  cycle = "yearly"
  month = 12
  days  = [25]
}
`,
		Create: `
  name           = "Holidays"
  temporal_rules = [kazoo_temporal_rule.new_year.id]`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.CompareValueCollection(addr, []tfjsonpath.Path{tfjsonpath.New("temporal_rules")}, "kazoo_temporal_rule.new_year", tfjsonpath.New("id"), compareSame),
		},
		DataSource: `data "kazoo_temporal_rule_set" "by_name" { name = kazoo_temporal_rule_set.test.name }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.kazoo_temporal_rule_set.by_name", tfjsonpath.New("name"), knownvalue.StringExact("Holidays")),
		},
		Update: `
  name           = "Public holidays"
  temporal_rules = [kazoo_temporal_rule.new_year.id, kazoo_temporal_rule.christmas.id]
  flags          = ["holidays"]`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("temporal_rules"), knownvalue.ListSizeExact(2)),
		},
		Drift: map[string]any{"temporal_rules": []any{"0123456789abcdef0123456789abcdef"}},
		Removed: `
  name           = "Public holidays"
  temporal_rules = [kazoo_temporal_rule.new_year.id, kazoo_temporal_rule.christmas.id]`,
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("flags"), knownvalue.Null()),
		},
		RemovedKeys:  []string{"flags"},
		Invalid:      `name = "x"` + "\n" + `temporal_rules = []`,
		InvalidError: regexp.MustCompile(`(?s)temporal_rules.*list must contain at least 1 elements`),
		// KAZOO checks sets against their schema only; a value only known at apply is
		// refused before it is sent.
		ApplyInvalid: `
resource "kazoo_temporal_rule_set" "dup" {
  name           = "Copy"
  temporal_rules = [for r in [kazoo_temporal_rule.christmas.id] : r if length(r) > 100]
}`,
		ApplyInvalidError: regexp.MustCompile(`(?s)kazoo_temporal_rule_set.dup.*temporal_rules.*at least 1`),
	}.run(t)
}

package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccList_basic(t *testing.T) {
	addr := "kazoo_list.test"
	lifecycle{
		Type:       "kazoo_list",
		Collection: "lists",
		Create: `
  name        = "Blocked callers"
  description = "Numbers refused at the main line"`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("Numbers refused at the main line")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("org"), knownvalue.Null()),
		},
		DataSource: `data "kazoo_list" "by_name" { name = kazoo_list.test.name }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.kazoo_list.by_name", tfjsonpath.New("name"), knownvalue.StringExact("Blocked callers")),
		},
		Update: `
  name        = "Blocked callers (all lines)"
  description = "Numbers refused on every line"
  org         = "Example Corp"`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("org"), knownvalue.StringExact("Example Corp")),
		},
		Drift: map[string]any{"description": "Changed elsewhere"},
		Removed: `
  name = "Blocked callers (all lines)"`,
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("org"), knownvalue.Null()),
		},
		RemovedKeys:  []string{"description", "org"},
		Invalid:      `name = ""`,
		InvalidError: regexp.MustCompile(`(?s)name.*string length must be between 1 and 128`),
		// KAZOO checks lists against their schema only; a value only known at apply is
		// refused before it is sent.
		ApplyInvalid: `
resource "kazoo_list" "dup" {
  name        = "Copy"
  description = substr(kazoo_list.test.id, 0, 0)
}`,
		ApplyInvalidError: regexp.MustCompile(`(?s)kazoo_list.dup.*description.*string length must be between 1 and 128`),
	}.run(t)
}

package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccDirectory_basic(t *testing.T) {
	addr := "kazoo_directory.test"
	lifecycle{
		Type:       "kazoo_directory",
		Collection: "directories",
		Create: `
  name     = "Staff"
  min_dtmf = 2`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("min_dtmf"), knownvalue.Int64Exact(2)),
			// Defaults KAZOO fills in are mirrored.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("sort_by"), knownvalue.StringExact("last_name")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("confirm_match"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("users"), knownvalue.StringExact("[]")),
		},
		DataSource: `data "kazoo_directory" "by_name" { name = kazoo_directory.test.name }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.kazoo_directory.by_name", tfjsonpath.New("name"), knownvalue.StringExact("Staff")),
		},
		Update: `
  name          = "Staff by first name"
  min_dtmf      = 3
  max_dtmf      = 8
  sort_by       = "first_name"
  confirm_match = false`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("sort_by"), knownvalue.StringExact("first_name")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("max_dtmf"), knownvalue.Int64Exact(8)),
		},
		Drift: map[string]any{"sort_by": "last_name", "max_dtmf": 0},
		Removed: `
  name = "Staff by first name"`,
		RemovedChecks: []statecheck.StateCheck{
			// Removed fields go back to KAZOO's defaults.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("sort_by"), knownvalue.StringExact("last_name")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("min_dtmf"), knownvalue.Int64Exact(3)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("confirm_match"), knownvalue.Bool(true)),
		},
		Invalid:      `name = "x"` + "\n" + `sort_by = "extension"`,
		InvalidError: regexp.MustCompile(`(?s)sort_by.*value must be one of`),
		ApplyInvalid: `
resource "kazoo_directory" "source" {
  name = "Source"
}
resource "kazoo_directory" "dup" {
  name     = "Copy"
  min_dtmf = length(kazoo_directory.source.id) - 32
}`,
		ApplyInvalidError: regexp.MustCompile(`(?s)kazoo_directory.dup.*min_dtmf.*value must be at least 1`),
	}.run(t)
}

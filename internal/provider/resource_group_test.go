package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccGroup_basic(t *testing.T) {
	addr := "kazoo_group.test"
	lifecycle{
		Type:       "kazoo_group",
		Collection: "groups",
		Deps: `
resource "kazoo_user" "member" {
  first_name = "Group"
  last_name  = "Member"
}
resource "kazoo_device" "member" {
  name = "Group phone"
}
`,
		Create: `
  name      = "Sales"
  endpoints = jsonencode({ (kazoo_user.member.id) = { type = "user" } })
  flags     = ["sales"]`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Sales")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("music_on_hold"), knownvalue.NotNull()),
		},
		DataSource: `data "kazoo_group" "by_id" { id = kazoo_group.test.id }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_group.by_id", tfjsonpath.New("endpoints"), addr, tfjsonpath.New("endpoints"), compareSame),
		},
		Update: `
  name      = "Sales team"
  endpoints = jsonencode({
    (kazoo_user.member.id)   = { type = "user" }
    (kazoo_device.member.id) = { type = "device" }
  })
  flags = ["sales", "ring-all"]`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Sales team")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("flags"), knownvalue.ListSizeExact(2)),
		},
		Drift: map[string]any{"name": "Renamed elsewhere", "endpoints": map[string]any{"0123456789abcdef0123456789abcdef": map[string]any{"type": "device"}}},
		Removed: `
  name      = "Sales team"
  endpoints = jsonencode({
    (kazoo_user.member.id)   = { type = "user" }
    (kazoo_device.member.id) = { type = "device" }
  })`,
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("flags"), knownvalue.Null()),
		},
		RemovedKeys:  []string{"flags"},
		Invalid:      `name = ""`,
		InvalidError: regexp.MustCompile(`(?s)name.*string length must be between 1 and 128`),
	}.run(t)
}

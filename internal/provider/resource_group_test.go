package provider_test

import (
	"fmt"
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
  endpoints = { (kazoo_user.member.id) = { type = "user" } }
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
  endpoints = {
    (kazoo_user.member.id)   = { type = "user" }
    (kazoo_device.member.id) = { type = "device" }
  }
  flags = ["sales", "ring-all"]`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Sales team")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("flags"), knownvalue.ListSizeExact(2)),
		},
		Drift: map[string]any{"name": "Renamed elsewhere", "endpoints": map[string]any{"0123456789abcdef0123456789abcdef": map[string]any{"type": "device"}}},
		Removed: `
  name      = "Sales team"
  endpoints = {
    (kazoo_user.member.id) = { type = "user" }
  }`,
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("flags"), knownvalue.Null()),
		},
		RemovedKeys: []string{"flags"},
		// The device member's type changed elsewhere is set back by one PATCH.
		MapDrift: func(doc map[string]any) map[string]any {
			return map[string]any{"endpoints": map[string]any{memberOfType(doc, "device"): map[string]any{"type": "user"}}}
		},
		// A weight and a key the resource does not model, set elsewhere on the user member, are
		// mirrored and survive the removal of the device member.
		MapAdded: func(doc map[string]any) map[string]any {
			return map[string]any{"endpoints": map[string]any{memberOfType(doc, "user"): map[string]any{"weight": 5, "delay": 3}}}
		},
		MapKept: func(doc map[string]any) error {
			eps, _ := doc["endpoints"].(map[string]any)
			if len(eps) != 1 {
				return fmt.Errorf("endpoints = %v, want only the user member", eps)
			}
			for _, v := range eps {
				if m := v.(map[string]any); fmt.Sprint(m["weight"], m["delay"]) != "5 3" {
					return fmt.Errorf("the user member lost what was set elsewhere: %v", m)
				}
			}
			return nil
		},
		Invalid:      `name = "Sales"` + "\n" + `endpoints = { "0123456789abcdef0123456789abcdef" = { type = "phone" } }`,
		InvalidError: regexp.MustCompile(`(?s)endpoints\["0123456789abcdef0123456789abcdef"\]\.type value must be.*one of`),
	}.run(t)
}

// memberOfType returns the id of the first member of a group document with the given type.
func memberOfType(doc map[string]any, typ string) string {
	eps, _ := doc["endpoints"].(map[string]any)
	for id, v := range eps {
		if m, _ := v.(map[string]any); m["type"] == typ {
			return id
		}
	}
	return ""
}

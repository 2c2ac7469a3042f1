package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccBlacklist_basic(t *testing.T) {
	first, second := "+1"+nanpNumber(), "+1"+nanpNumber()
	addr := "kazoo_blacklist.test"
	lifecycle{
		Type:       "kazoo_blacklist",
		Collection: "blacklists",
		Create: fmt.Sprintf(`
  name                   = "Nuisance callers"
  numbers                = [%q]
  should_block_anonymous = true`, first),
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("numbers"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(first)})),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("should_block_anonymous"), knownvalue.Bool(true)),
		},
		DataSource: `data "kazoo_blacklist" "by_name" { name = kazoo_blacklist.test.name }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_blacklist.by_name", tfjsonpath.New("numbers"), addr, tfjsonpath.New("numbers"), compareSame),
		},
		Update: fmt.Sprintf(`
  name                   = "Nuisance callers (all lines)"
  numbers                = [%q, %q]
  should_block_anonymous = true
  flags                  = ["nuisance"]`, first, second),
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("numbers"), knownvalue.SetSizeExact(2)),
		},
		Drift: map[string]any{"should_block_anonymous": false},
		// A member removed and another added elsewhere are set back by one PATCH.
		MapDrift: func(map[string]any) map[string]any {
			return map[string]any{"numbers": map[string]any{first: nil, "+14155550199": map[string]any{}}}
		},
		// What another tool keeps inside a member is left alone, and survives the removal of
		// the other member.
		MapAdded: func(map[string]any) map[string]any {
			return map[string]any{"numbers": map[string]any{first: map[string]any{"reason": "robocalls"}}}
		},
		MapKept: func(doc map[string]any) error {
			nums, _ := doc["numbers"].(map[string]any)
			if m, _ := nums[first].(map[string]any); len(nums) != 1 || m["reason"] != "robocalls" {
				return fmt.Errorf("numbers = %v, want only %s with what was set elsewhere", nums, first)
			}
			return nil
		},
		Removed: fmt.Sprintf(`
  name    = "Nuisance callers (all lines)"
  numbers = [%q]`, first),
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("numbers"), knownvalue.SetSizeExact(1)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("should_block_anonymous"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("flags"), knownvalue.Null()),
		},
		RemovedKeys: []string{"numbers." + second, "should_block_anonymous", "flags"},
		// KAZOO would store 2025550100 as +12025550100: the plan would never settle.
		Invalid:      `name = "x"` + "\n" + `numbers = ["2025550100"]`,
		InvalidError: regexp.MustCompile(`(?s)numbers.*KAZOO stores "2025550100" as "\+12025550100"`),
		// KAZOO checks blacklists against their schema only; a value only known at apply is
		// refused before it is sent.
		ApplyInvalid: `
resource "kazoo_blacklist" "dup" {
  name = substr(kazoo_blacklist.test.id, 0, 0)
}`,
		ApplyInvalidError: regexp.MustCompile(`(?s)kazoo_blacklist.dup.*name.*string length must be between 1 and 128`),
	}.run(t)
}

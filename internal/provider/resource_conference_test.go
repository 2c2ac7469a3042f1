package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccConference_basic(t *testing.T) {
	number := randomDigits(5)
	addr := "kazoo_conference.test"
	lifecycle{
		Type:       "kazoo_conference",
		Collection: "conferences",
		// KAZOO answers a GET of a deleted conference with an ad-hoc one.
		MadeUpWithoutRevision: true,
		Deps: `
resource "kazoo_user" "host" {
  first_name = "Conference"
  last_name  = "Host"
}
`,
		Create: fmt.Sprintf(`
  name               = "Weekly sales call"
  conference_numbers = [%q]
  owner_id           = kazoo_user.host.id
  member = {
    pins = ["1111", "2222"]
  }
  moderator = {
    pins = ["9999"]
  }
  profile = {
    max_members = 20
  }`, number),
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("profile").AtMapKey("max_members"), knownvalue.Int64Exact(20)),
			// Defaults KAZOO fills in are mirrored, inside configured objects too.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("member").AtMapKey("join_muted"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("moderator").AtMapKey("join_muted"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("play_name"), knownvalue.Bool(false)),
			statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("member").AtMapKey("pins")),
		},
		DataSource: `data "kazoo_conference" "by_name" { name = kazoo_conference.test.name }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_conference.by_name", tfjsonpath.New("conference_numbers"), addr, tfjsonpath.New("conference_numbers"), compareSame),
		},
		Update: fmt.Sprintf(`
  name               = "Weekly sales and support call"
  conference_numbers = [%q]
  owner_id           = kazoo_user.host.id
  play_name          = true
  play_entry_tone    = false
  member = {
    pins       = ["1111", "3333"]
    join_muted = false
  }
  moderator = {
    pins = ["9999"]
  }
  profile = {
    max_members  = 30
    energy_level = 200
  }
  controls = jsonencode({ mute = "0" })`, number),
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("member").AtMapKey("join_muted"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("play_entry_tone"), knownvalue.StringExact("false")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("profile").AtMapKey("energy_level"), knownvalue.Int64Exact(200)),
		},
		Drift: map[string]any{"member": map[string]any{"pins": []any{"0000"}}, "profile": map[string]any{"max-members": 2}},
		Removed: fmt.Sprintf(`
  name               = "Weekly sales and support call"
  conference_numbers = [%q]
  member = {
    pins = ["1111", "3333"]
  }`, number),
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("owner_id"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("play_name"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("member").AtMapKey("join_muted"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("moderator").AtMapKey("pins"), knownvalue.ListSizeExact(0)),
		},
		RemovedKeys:  []string{"owner_id", "play_entry_tone", "controls", "profile.max-members", "profile.energy-level"},
		Invalid:      `name = "x"` + "\n" + `profile = { rate = 11025 }`,
		InvalidError: regexp.MustCompile(`(?s)profile.rate.*value must be one of`),
		// A number another conference already has.
		Duplicate: fmt.Sprintf(`
resource "kazoo_conference" "dup" {
  name               = "Copy"
  conference_numbers = [%q]
}`, number),
		DuplicateError: regexp.MustCompile(`(?s)Error creating kazoo_conference.*with kazoo_conference.dup.*conference_numbers.*KAZOO rejected the value of "numbers".*Numbers already in use`),
	}.run(t)
}

package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccCCCP_basic(t *testing.T) {
	cid := "+1" + nanpNumber()
	pin := randomDigits(8)
	addr := "kazoo_cccp.test"
	lifecycle{
		Type:       "kazoo_cccp",
		Collection: "cccps",
		NoPatch:    true,
		Deps: `
resource "kazoo_user" "traveller" {
  first_name = "Road"
  last_name  = "Warrior"
}
`,
		Create: fmt.Sprintf(`
  cid     = %q
  user_id = kazoo_user.traveller.id
  active  = true`, cid),
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("cid"), knownvalue.StringExact(cid)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(true)),
		},
		DataSource: `data "kazoo_cccp" "by_cid" { cid = kazoo_cccp.test.cid }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_cccp.by_cid", tfjsonpath.New("id"), addr, tfjsonpath.New("id"), compareSame),
			statecheck.CompareValuePairs("data.kazoo_cccp.by_cid", tfjsonpath.New("user_id"), "kazoo_user.traveller", tfjsonpath.New("id"), compareSame),
		},
		Update: fmt.Sprintf(`
  cid        = %q
  pin        = %q
  user_id    = kazoo_user.traveller.id
  active     = true
  retain_cid = true
  comment    = "Sales team, travelling"`, cid, pin),
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("retain_cid"), knownvalue.Bool(true)),
			statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("pin")),
		},
		Drift: map[string]any{"active": false, "comment": "Changed elsewhere"},
		Removed: fmt.Sprintf(`
  cid     = %q
  user_id = kazoo_user.traveller.id`, cid),
		RemovedChecks: []statecheck.StateCheck{
			// A removed flag goes back to KAZOO's default; the others are gone.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("pin"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("comment"), knownvalue.Null()),
		},
		RemovedKeys:  []string{"pin", "comment", "retain_cid"},
		Invalid:      `user_id = "not-an-id"`,
		InvalidError: regexp.MustCompile(`(?s)user_id.*string length must be between 32 and 32`),
		// A caller ID another entry has.
		Duplicate: fmt.Sprintf(`
resource "kazoo_cccp" "dup" {
  cid = %q
}`, cid),
		DuplicateError: regexp.MustCompile(`(?s)Error creating kazoo_cccp.*with kazoo_cccp.dup.*cid.*KAZOO rejected the value of "(cccp|cid)"`),
	}.run(t)
}

package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccConnectivity_basic(t *testing.T) {
	main, second := "+1"+nanpNumber(), "+1"+nanpNumber()
	addr := "kazoo_connectivity.test"
	lifecycle{
		Type:       "kazoo_connectivity",
		Collection: "connectivity",
		// The numbers routed to the PBX must be the account's.
		Deps: fmt.Sprintf(`
resource "kazoo_phone_number" "main" {
  number = %q
}
resource "kazoo_phone_number" "second" {
  number = %q
}
`, main, second),
		Create: `
  name = "Office PBX trunk"
  servers = [{
    name = "pbx1"
    auth = {
      auth_method   = "password"
      auth_user     = "pbx1"
      auth_password = "trunk-secret-1"
    }
    dids = {
      (kazoo_phone_number.main.number) = {}
    }
  }]`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("servers").AtSliceIndex(0).AtMapKey("dids"), knownvalue.MapSizeExact(1)),
			statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("servers").AtSliceIndex(0).AtMapKey("auth").AtMapKey("auth_password")),
		},
		DataSource: `data "kazoo_connectivity" "by_id" { id = kazoo_connectivity.test.id }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.kazoo_connectivity.by_id", tfjsonpath.New("name"), knownvalue.StringExact("Office PBX trunk")),
		},
		Update: `
  name = "Office PBX trunk"
  account = {
    trunks    = 4
    caller_id = { cid_name = "Example Corp", cid_number = "+12025550100" }
  }
  servers = [{
    name = "pbx1"
    auth = {
      auth_method   = "password"
      auth_user     = "pbx1"
      auth_password = "trunk-secret-1"
    }
    options = {
      inbound_format = "e164"
      enabled        = true
    }
    dids = {
      (kazoo_phone_number.main.number)   = {}
      (kazoo_phone_number.second.number) = { failover = { e164 = "+12025550199" } }
    }
  }]`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("account").AtMapKey("trunks"), knownvalue.Int64Exact(4)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("servers").AtSliceIndex(0).AtMapKey("dids"), knownvalue.MapSizeExact(2)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("servers").AtSliceIndex(0).AtMapKey("options").AtMapKey("inbound_format"), knownvalue.StringExact("e164")),
		},
		Drift: map[string]any{"name": "Changed elsewhere", "account": map[string]any{"trunks": 1}},
		Removed: `
  name = "Office PBX trunk"
  servers = [{
    name = "pbx1"
    auth = {
      auth_method   = "password"
      auth_user     = "pbx1"
      auth_password = "trunk-secret-1"
    }
    dids = {
      (kazoo_phone_number.main.number) = {}
    }
  }]`,
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("servers").AtSliceIndex(0).AtMapKey("dids"), knownvalue.MapSizeExact(1)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("account").AtMapKey("trunks"), knownvalue.Null()),
		},
		RemovedKeys:  []string{"account.trunks", "account.caller_id.cid_name"},
		Invalid:      `servers = [{ name = "pbx", options = { inbound_format = "international" } }]`,
		InvalidError: regexp.MustCompile(`(?s)servers\[0\].options.inbound_format.*value must be one of`),
		// KAZOO checks trunks against their schema (and number ownership) only; a value only
		// known at apply is refused before it is sent.
		ApplyInvalid: `
resource "kazoo_connectivity" "dup" {
  servers = [{ name = substr(kazoo_connectivity.test.id, 0, 0) }]
}`,
		ApplyInvalidError: regexp.MustCompile(`(?s)kazoo_connectivity.dup.*servers\[0\].name.*string length must be at least 1`),
	}.run(t)
}

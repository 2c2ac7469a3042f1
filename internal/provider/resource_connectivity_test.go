package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
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
			// The options the server no longer sets are gone with it (KAZOO has no default).
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("servers").AtSliceIndex(0).AtMapKey("options"), knownvalue.Null()),
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

// servers is not computed (so that each server can hold a write-only password): left out of
// the configuration, the servers KAZOO holds are neither in the state nor touched by updates.
func TestAccConnectivity_serversLeftOutAreKept(t *testing.T) {
	addr := "kazoo_connectivity.test"
	c := acctest.Client(t)
	ctx := context.Background()
	var id string
	docPath := func() string { return client.AccountPath(c.AccountID(), "connectivity", id) }
	elsewhere := []any{map[string]any{"name": "set elsewhere", "auth": map[string]any{"auth_method": "IP", "ip": "192.0.2.10"}}}
	config := func(name string) string {
		return providerBlock + fmt.Sprintf("resource \"kazoo_connectivity\" \"test\" {\n  name = %q\n}\n", name)
	}
	nullServers := []statecheck.StateCheck{statecheck.ExpectKnownValue(addr, tfjsonpath.New("servers"), knownvalue.Null())}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config("Trunk without servers"),
				ConfigStateChecks: nullServers,
				Check: resource.TestCheckResourceAttrWith(addr, "id", func(v string) error {
					id = v
					return nil
				}),
			},
			{
				// Another tool adds a server; refreshing shows no change, and an update of the
				// name leaves the server alone.
				PreConfig: func() {
					if _, err := c.Patch(ctx, docPath(), map[string]any{"servers": elsewhere}); err != nil {
						t.Fatalf("adding a server behind Terraform's back: %v", err)
					}
				},
				Config: config("Trunk renamed"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: nullServers,
				Check: func(*terraform.State) error {
					env, err := c.Get(ctx, docPath(), nil)
					if err != nil {
						return err
					}
					var doc struct {
						Name    string           `json:"name"`
						Servers []map[string]any `json:"servers"`
					}
					if err := json.Unmarshal(env.Data, &doc); err != nil {
						return err
					}
					if doc.Name != "Trunk renamed" || len(doc.Servers) != 1 || doc.Servers[0]["name"] != "set elsewhere" {
						return fmt.Errorf("KAZOO holds name %q and servers %v; want the new name and the server set elsewhere", doc.Name, doc.Servers)
					}
					return nil
				},
			},
			// An import reads the servers (the first plan of such a configuration would then
			// remove them, as for every attribute an imported document holds).
			{
				ResourceName: addr, ImportState: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["servers.#"] != "1" || states[0].Attributes["servers.0.name"] != "set elsewhere" {
						return fmt.Errorf("the imported state does not hold KAZOO's server: %v", states)
					}
					return nil
				},
			},
		},
	})
}

package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
)

// KAZOO replaces a list of objects whole. When the configuration removes one address and adds
// another, the address that stays keeps what the configuration never set in it: its types
// (modelled, set by another tool) and a key another tool keeps there (not modelled at all).
// What the configuration set in an address and no longer sets is removed.
func TestAccUser_listItemKeepsUnmanagedKeys(t *testing.T) {
	addr := "kazoo_user.test"
	c := acctest.Client(t)
	ctx := context.Background()
	var id string
	docPath := func() string { return client.AccountPath(c.AccountID(), "users", id) }
	addresses := func() ([]map[string]any, error) {
		env, err := c.Get(ctx, docPath(), nil)
		if err != nil {
			return nil, err
		}
		var doc struct {
			Profile struct {
				Addresses []map[string]any `json:"addresses"`
			} `json:"profile"`
		}
		err = json.Unmarshal(env.Data, &doc)
		return doc.Profile.Addresses, err
	}
	addressesPath := tfjsonpath.New("profile").AtMapKey("addresses")
	config := func(addresses string) string {
		return providerBlock + fmt.Sprintf(`
resource "kazoo_user" "test" {
  first_name = "List"
  last_name  = "Items"
  profile = {
    addresses = [%s]
  }
}`, addresses)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(`{ address = "1 Main St", types = ["home"] }, { address = "2 Side St" }`),
				Check: resource.TestCheckResourceAttrWith(addr, "id", func(v string) error {
					id = v
					return nil
				}),
			},
			{
				// Another tool annotates the second address and sets its types; the
				// configuration then drops the first address and adds a third.
				PreConfig: func() {
					_, err := c.Patch(ctx, docPath(), map[string]any{"profile": map[string]any{"addresses": []any{
						map[string]any{"address": "1 Main St", "types": []any{"home"}},
						map[string]any{"address": "2 Side St", "types": []any{"work"}, "note": "kept by another tool"},
					}}})
					if err != nil {
						t.Fatalf("annotating the address behind Terraform's back: %v", err)
					}
				},
				Config: config(`{ address = "2 Side St" }, { address = "3 New St", types = ["postal"] }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					got, err := addresses()
					if err != nil {
						return err
					}
					if len(got) != 2 || got[0]["address"] != "2 Side St" || got[1]["address"] != "3 New St" {
						return fmt.Errorf("addresses = %v", got)
					}
					if got[0]["note"] != "kept by another tool" || fmt.Sprint(got[0]["types"]) != "[work]" {
						return fmt.Errorf("the address that stayed lost what the configuration does not set: %v", got[0])
					}
					return nil
				},
			},
			{
				// The configuration stops setting the types of the third address: they are
				// removed, and the second address keeps what it never set.
				Config: config(`{ address = "2 Side St" }, { address = "3 New St" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, addressesPath.AtSliceIndex(1).AtMapKey("types"), knownvalue.Null()),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					got, err := addresses()
					if err != nil {
						return err
					}
					if len(got) != 2 || got[1]["types"] != nil {
						return fmt.Errorf("the types the configuration no longer sets are still there: %v", got)
					}
					if got[0]["note"] != "kept by another tool" || fmt.Sprint(got[0]["types"]) != "[work]" {
						return fmt.Errorf("the address that stayed lost what the configuration does not set: %v", got[0])
					}
					return nil
				},
			},
		},
	})
}

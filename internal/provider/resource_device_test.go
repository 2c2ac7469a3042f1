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

func TestAccDevice_basic(t *testing.T) {
	user := acctest.RandomName("dev")
	addr := "kazoo_device.test"
	withCallRestriction(lifecycle{
		Type:       "kazoo_device",
		Collection: "devices",
		Create: fmt.Sprintf(`
  name  = "Front desk"
  flags = ["lobby"]
  sip = {
    username = %q
    password = "s3cret-pass"
  }
  call_forward = {
    enabled = true
    number  = "2025550100"
  }
  mac_address = "AA-BB-CC-00-11-22"`, user),
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Front desk")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("sip").AtMapKey("username"), knownvalue.StringExact(user)),
			// Defaults KAZOO fills in are mirrored, not diffed.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("sip").AtMapKey("expire_seconds"), knownvalue.Int64Exact(300)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("call_forward").AtMapKey("keep_caller_id"), knownvalue.Bool(true)),
			// The configured spelling stays in state although KAZOO normalises it.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("mac_address"), knownvalue.StringExact("AA-BB-CC-00-11-22")),
		},
		DataSource: fmt.Sprintf(`
data "kazoo_device" "by_name" { name = kazoo_device.test.name }
data "kazoo_device" "by_sip" { sip_username = kazoo_device.test.sip.username }
data "kazoo_device" "by_id" { id = kazoo_device.test.id }
`),
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_device.by_name", tfjsonpath.New("id"), addr, tfjsonpath.New("id"), compareSame),
			statecheck.CompareValuePairs("data.kazoo_device.by_sip", tfjsonpath.New("id"), addr, tfjsonpath.New("id"), compareSame),
			statecheck.ExpectKnownValue("data.kazoo_device.by_id", tfjsonpath.New("sip").AtMapKey("username"), knownvalue.StringExact(user)),
			statecheck.ExpectKnownValue("data.kazoo_device.by_id", tfjsonpath.New("mac_address"), knownvalue.StringExact("aabbcc001122")),
		},
		Update: fmt.Sprintf(`
  name  = "Front desk 2"
  flags = ["lobby", "ground"]
  sip = {
    username = %q
    password = "s3cret-pass-2"
  }
  call_forward = {
    enabled = true
    number  = "2025550199"
  }
  mac_address = "AA-BB-CC-00-11-22"`, user),
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Front desk 2")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("call_forward").AtMapKey("number"), knownvalue.StringExact("2025550199")),
			statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("sip").AtMapKey("password")),
		},
		Drift: map[string]any{"name": "Renamed in MonsterUI", "sip": map[string]any{"password": "changed-elsewhere"}},
		Removed: fmt.Sprintf(`
  name = "Front desk 2"
  sip = {
    username = %q
  }`, user),
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("flags"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("sip").AtMapKey("password"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("mac_address"), knownvalue.Null()),
			// An object the configuration no longer sets, left with nothing of its own, is gone.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("call_forward"), knownvalue.Null()),
		},
		// Import reads KAZOO's spelling of the MAC address; the configuration's is equal to it.
		ImportIgnore: []string{"mac_address"},
		RemovedKeys:  []string{"flags", "sip.password", "mac_address", "call_forward.number"},
		Invalid:      `name = "x"` + "\n" + `sip = { invite_format = "carrier-pigeon" }`,
		InvalidError: regexp.MustCompile(`(?s)sip\.invite_format.*value must be one of`),
		Duplicate: fmt.Sprintf(`
resource "kazoo_device" "dup" {
  name = "Copy"
  sip  = { username = %q }
}`, user),
		DuplicateError: regexp.MustCompile(`(?s)Error creating kazoo_device.*KAZOO rejected the value of "sip.username"`),
	}).run(t)
}

// Resources live in sub-accounts through account_id; when the sub-account is replaced (a new
// id known only at apply), the device in it is replaced too.
func TestAccDevice_inSubAccount(t *testing.T) {
	name := acctest.RandomName("sub")
	config := func(parent string) string {
		return providerBlock + fmt.Sprintf(`
resource "kazoo_account" "p1" { name = "%[1]s-p1" }
resource "kazoo_account" "p2" { name = "%[1]s-p2" }
resource "kazoo_account" "sub" {
  name      = "%[1]s"
  parent_id = kazoo_account.%[2]s.id
}
resource "kazoo_device" "d" {
  account_id = kazoo_account.sub.id
  name       = "Sub-account phone"
}
`, name, parent)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("p1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs("kazoo_device.d", tfjsonpath.New("account_id"), "kazoo_account.sub", tfjsonpath.New("id"), compareSame),
				},
			},
			{
				Config: config("p2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("kazoo_account.sub", plancheck.ResourceActionDestroyBeforeCreate),
						plancheck.ExpectResourceAction("kazoo_device.d", plancheck.ResourceActionDestroyBeforeCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs("kazoo_device.d", tfjsonpath.New("account_id"), "kazoo_account.sub", tfjsonpath.New("id"), compareSame),
					statecheck.CompareValuePairs("kazoo_account.sub", tfjsonpath.New("parent_id"), "kazoo_account.p2", tfjsonpath.New("id"), compareSame),
				},
			},
		},
	})
}

// KAZOO drops a device's sip.realm when it equals the account's realm; the configured value
// stays and plans nothing.
func TestAccDevice_realmOfTheAccount(t *testing.T) {
	name := acctest.RandomName("realm")
	realm := name + ".sip.example.com"
	config := providerBlock + fmt.Sprintf(`
resource "kazoo_account" "a" {
  name  = %[1]q
  realm = %[2]q
}
resource "kazoo_device" "d" {
  account_id = kazoo_account.a.id
  name       = "Realm phone"
  sip = {
    username = "realm-phone"
    realm    = %[2]q
  }
}
`, name, realm)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("kazoo_device.d", tfjsonpath.New("sip").AtMapKey("realm"), knownvalue.StringExact(realm)),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

// Nothing Terraform does not manage is lost, even inside an object it manages: with only
// sip.username configured, a sip.invite_format and a vendor key set by another tool survive an
// update of sip.username. An update KAZOO rejects leaves the state as KAZOO has the document.
func TestAccDevice_nestedSiblingsAndRejectedUpdate(t *testing.T) {
	first, second, taken := acctest.RandomName("nest"), acctest.RandomName("nest"), acctest.RandomName("taken")
	addr := "kazoo_device.d"
	c := acctest.Client(t)
	ctx := context.Background()
	var id string
	config := func(username string) string {
		return providerBlock + fmt.Sprintf(`
resource "kazoo_device" "other" {
  name = "Holds a SIP username"
  sip  = { username = %q }
}
resource "kazoo_device" "d" {
  name = "Nested siblings"
  sip  = { username = %q }
}
`, taken, username)
	}
	sip := func() (map[string]any, error) {
		env, err := c.Get(ctx, client.AccountPath(c.AccountID(), "devices", id), nil)
		if err != nil {
			return nil, err
		}
		var d struct {
			SIP map[string]any `json:"sip"`
		}
		return d.SIP, json.Unmarshal(env.Data, &d)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(first),
				Check: resource.TestCheckResourceAttrWith(addr, "id", func(v string) error {
					id = v
					return nil
				}),
			},
			{
				PreConfig: func() {
					change := map[string]any{"sip": map[string]any{"invite_format": "npan", "x_vendor_key": "kept"}}
					if _, err := c.Patch(ctx, client.AccountPath(c.AccountID(), "devices", id), change); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					s, err := sip()
					if err != nil {
						return err
					}
					if s["username"] != second || s["invite_format"] != "npan" || s["x_vendor_key"] != "kept" {
						return fmt.Errorf("sip after the update: %v", s)
					}
					return nil
				},
			},
			// KAZOO refuses a SIP username another device has (400 on sip.username).
			{Config: config(taken), ExpectError: regexp.MustCompile(`(?s)Error updating kazoo_device.*KAZOO rejected the value of "sip.username"`)},
			// The state still says what KAZOO holds: the previous configuration plans nothing.
			{
				Config: config(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("sip").AtMapKey("username"), knownvalue.StringExact(second)),
				},
			},
		},
	})
}

// Combo keys are a map of JSON values (KAZOO allows several shapes per key): each is written
// with jsonencode, read back without a diff, imported as is, and checked against KAZOO's
// schema at plan time on its own key.
func TestAccDevice_comboKeys(t *testing.T) {
	addr := "kazoo_device.keys"
	config := func(keys string) string {
		return providerBlock + fmt.Sprintf(`
resource "kazoo_device" "keys" {
  name      = "Key phone"
  provision = { combo_keys = { %s } }
}`, keys)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config(`"1" = jsonencode({ type = "speeddial" })`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`KAZOO would reject "provision\.combo_keys\.1"`),
			},
			{
				Config: config(`"1" = jsonencode({ type = "line", value = "1" })` + "\n" + `"2" = jsonencode({ type = "speed_dial", value = { label = "Desk", value = "1001" } })`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("provision").AtMapKey("combo_keys"), knownvalue.MapSizeExact(2)),
				},
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"accept_charges", "extra_json"}},
			{
				Config: config(`"1" = jsonencode({ type = "line", value = "2" })`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("provision").AtMapKey("combo_keys"), knownvalue.MapSizeExact(1)),
				},
			},
		},
	})
}

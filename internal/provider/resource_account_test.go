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

func TestAccAccount_basic(t *testing.T) {
	name := acctest.RandomName("acct")
	realm := name + ".sip.example.com"
	addr := "kazoo_account.test"
	withCallRestriction(lifecycle{
		Type: "kazoo_account",
		Create: fmt.Sprintf(`
  name     = %q
  realm    = %q
  timezone = "America/New_York"
  language = "en-us"
  caller_id = {
    external = { name = "Acme Corp", number = "+12025550100" }
  }`, name, realm),
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("parent_id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
		},
		DataSource: `
data "kazoo_account" "by_name" { name = kazoo_account.test.name }
data "kazoo_account" "by_id" { id = kazoo_account.test.id }
`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_account.by_name", tfjsonpath.New("id"), addr, tfjsonpath.New("id"), compareSame),
			statecheck.ExpectKnownValue("data.kazoo_account.by_id", tfjsonpath.New("realm"), knownvalue.StringExact(realm)),
		},
		Update: fmt.Sprintf(`
  name     = "%s-renamed"
  realm    = %q
  timezone = "America/Chicago"
  language = "en-us"
  caller_id = {
    external = { name = "Acme Corporation", number = "+12025550100" }
  }`, name, realm),
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("timezone"), knownvalue.StringExact("America/Chicago")),
		},
		Drift: map[string]any{"timezone": "Europe/London"},
		Removed: fmt.Sprintf(`
  name     = "%s-renamed"
  realm    = %q
  timezone = "America/Chicago"`, name, realm),
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("language"), knownvalue.Null()),
			// An object the configuration no longer sets, left with nothing of its own, is gone.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("caller_id"), knownvalue.Null()),
		},
		RemovedKeys:  []string{"language", "caller_id.external.name", "caller_id.external.number"},
		Invalid:      `name = "x"` + "\n" + `realm = "not a realm!"`,
		InvalidError: regexp.MustCompile(`(?s)realm.*must match the pattern`),
		Duplicate: fmt.Sprintf(`
resource "kazoo_account" "dup" {
  name  = "%s-copy"
  realm = %q
}`, name, realm),
		DuplicateError: regexp.MustCompile(`(?s)Error creating kazoo_account.*KAZOO rejected the value of "realm"`),
	}).run(t)
}

// Accounts nest through parent_id, and KAZOO refuses to delete an account that still has
// sub-accounts: the error says so and what to do.
func TestAccAccount_withChildren(t *testing.T) {
	c := acctest.Client(t)
	ctx := context.Background()
	name := acctest.RandomName("parent")
	parentOnly := providerBlock + fmt.Sprintf("resource \"kazoo_account\" \"parent\" {\n  name = %q\n}\n", name)
	withChild := parentOnly + fmt.Sprintf(`
resource "kazoo_account" "child" {
  name      = "%s-child"
  parent_id = kazoo_account.parent.id
}
`, name)
	var parentID, strayID string
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: withChild,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs("kazoo_account.child", tfjsonpath.New("parent_id"), "kazoo_account.parent", tfjsonpath.New("id"), compareSame),
				},
				Check: resource.TestCheckResourceAttrWith("kazoo_account.parent", "id", func(v string) error {
					parentID = v
					return nil
				}),
			},
			// Importing the child by its id alone finds its real parent (not the provider's
			// account), so the configuration's parent_id plans no replacement.
			{
				ResourceName:      "kazoo_account.child",
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return s.RootModule().Resources["kazoo_account.child"].Primary.ID, nil
				},
				ImportStateVerifyIgnore: []string{"accept_charges", "extra_json"},
			},
			{Config: parentOnly},
			{
				// A sub-account made outside Terraform blocks the parent's deletion.
				PreConfig: func() {
					env, err := c.Put(ctx, client.Path("accounts", parentID), map[string]any{"name": name + "-stray"})
					if err != nil {
						t.Fatalf("creating a sub-account behind Terraform's back: %v", err)
					}
					var doc struct {
						ID string `json:"id"`
					}
					if err := json.Unmarshal(env.Data, &doc); err != nil || doc.ID == "" {
						t.Fatalf("reading the new sub-account's id: %v", err)
					}
					strayID = doc.ID
				},
				Config:      parentOnly,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Error deleting kazoo_account.*sub-accounts`),
			},
			{
				PreConfig: func() {
					if _, err := c.Delete(ctx, client.Path("accounts", strayID)); err != nil {
						t.Fatalf("deleting the stray sub-account: %v", err)
					}
				},
				Config: parentOnly,
			},
		},
	})
}

// Removing the realm and the timezone from the configuration stops managing them: KAZOO
// chose or keeps them itself (a new realm would break every registration of the account), so
// the account keeps both, nothing is sent for them, and the plan after the apply is empty.
func TestAccAccount_serverChosenValuesRemoved(t *testing.T) {
	name := acctest.RandomName("realm")
	realm := name + ".sip.example.com"
	with := providerBlock + fmt.Sprintf(`resource "kazoo_account" "a" {
  name     = %q
  realm    = %q
  timezone = "Europe/Paris"
}`, name, realm)
	without := providerBlock + fmt.Sprintf(`resource "kazoo_account" "a" {
  name = %q
}`, name)
	onServer := func(s *terraform.State) error {
		id := s.RootModule().Resources["kazoo_account.a"].Primary.ID
		env, err := acctest.Client(t).Get(context.Background(), client.AccountPath(id), nil)
		if err != nil {
			return err
		}
		var doc struct {
			Realm    string `json:"realm"`
			Timezone string `json:"timezone"`
		}
		if err := json.Unmarshal(env.Data, &doc); err != nil {
			return err
		}
		if doc.Realm != realm || doc.Timezone != "Europe/Paris" {
			return fmt.Errorf("KAZOO holds realm %q and timezone %q, want %q and Europe/Paris", doc.Realm, doc.Timezone, realm)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: with, Check: onServer},
			{
				Config: without,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("kazoo_account.a", tfjsonpath.New("realm"), knownvalue.StringExact(realm)),
					statecheck.ExpectKnownValue("kazoo_account.a", tfjsonpath.New("timezone"), knownvalue.StringExact("Europe/Paris")),
				},
				Check: onServer,
			},
		},
	})
}

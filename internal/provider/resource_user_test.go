package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
)

func TestAccUser_basic(t *testing.T) {
	// KAZOO lower-cases usernames; the configuration's spelling stays in state.
	username := "Alice." + strings.ToUpper(acctest.RandomName("u"))
	addr := "kazoo_user.test"
	withCallRestriction(lifecycle{
		Type:       "kazoo_user",
		Collection: "users",
		Create: fmt.Sprintf(`
  first_name = "Alice"
  last_name  = "Liddell"
  username   = %q
  password   = "Rabbit-Hole-1"
  email      = "alice@example.com"
  caller_id = {
    internal = { name = "Alice", number = "1001" }
  }`, username),
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("username"), knownvalue.StringExact(username)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("priv_level"), knownvalue.StringExact("user")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("vm_to_email_enabled"), knownvalue.Bool(true)),
			statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("password")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("password"), knownvalue.StringExact("Rabbit-Hole-1")),
		},
		DataSource: `
data "kazoo_user" "by_username" { username = kazoo_user.test.username }
`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_user.by_username", tfjsonpath.New("id"), addr, tfjsonpath.New("id"), compareSame),
			statecheck.ExpectKnownValue("data.kazoo_user.by_username", tfjsonpath.New("email"), knownvalue.StringExact("alice@example.com")),
		},
		Update: fmt.Sprintf(`
  first_name = "Alice"
  last_name  = "Kingsleigh"
  username   = %q
  password   = "Rabbit-Hole-2"
  email      = "alice@example.com"
  priv_level = "admin"
  caller_id = {
    internal = { name = "Alice K", number = "1001" }
  }
  profile = {
    title     = "Explorer"
    addresses = [{ address = "1 Rabbit Hole Lane", types = ["home", "postal"] }]
  }`, username),
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("last_name"), knownvalue.StringExact("Kingsleigh")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("priv_level"), knownvalue.StringExact("admin")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("caller_id").AtMapKey("internal").AtMapKey("name"), knownvalue.StringExact("Alice K")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("profile").AtMapKey("addresses").AtSliceIndex(0).AtMapKey("types"),
				knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("home"), knownvalue.StringExact("postal")})),
		},
		Drift: map[string]any{"last_name": "Hatter"},
		// KAZOO requires a password with every new username, so the password stays (its
		// removal is exercised by kazoo_device's sip.password).
		Removed: fmt.Sprintf(`
  first_name = "Alice"
  last_name  = "Kingsleigh"
  username   = %q
  password   = "Rabbit-Hole-2"`, username),
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("priv_level"), knownvalue.StringExact("user")),
			// An object the configuration no longer sets, left with nothing of its own, is gone.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("caller_id"), knownvalue.Null()),
		},
		RemovedKeys:  []string{"email", "caller_id.internal.name", "caller_id.internal.number", "profile.addresses", "profile.title"},
		Invalid:      `first_name = "A"` + "\n" + `last_name = "B"` + "\n" + `priv_level = "root"`,
		InvalidError: regexp.MustCompile(`(?s)priv_level.*value must be one of`),
		Duplicate: fmt.Sprintf(`
resource "kazoo_user" "dup" {
  first_name = "Other"
  last_name  = "Alice"
  username   = %q
}`, strings.ToLower(username)),
		DuplicateError: regexp.MustCompile(`(?s)Error creating kazoo_user.*KAZOO rejected the value of "username"`),
		// KAZOO never returns the password; import cannot know it. It does return the
		// lower-cased username.
		ImportIgnore: []string{"password", "username"},
	}).run(t)
}

// The write-only password is sent on create and whenever its version changes, and never
// stored in the state.
func TestAccUser_writeOnlyPassword(t *testing.T) {
	addr := "kazoo_user.wo"
	config := func(password string, version int) string {
		return providerBlock + fmt.Sprintf(`
resource "kazoo_user" "wo" {
  first_name          = "Write"
  last_name           = "Only"
  username            = %q
  password_wo         = %q
  password_wo_version = %d
}`, "wo-user-"+suffix, password, version)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: config("First-Secret-1", 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("password_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("password"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("password_wo_version"), knownvalue.Int64Exact(1)),
				},
				Check: checkLogin(t, "wo-user-"+suffix, "First-Secret-1"),
			},
			{
				// A new value without a new version is not sent: nothing to plan.
				Config:           config("Second-Secret-2", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            checkLogin(t, "wo-user-"+suffix, "First-Secret-1"),
			},
			{
				Config: config("Second-Secret-2", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkLogin(t, "wo-user-"+suffix, "Second-Secret-2"),
			},
		},
	})
}

var suffix = strings.TrimPrefix(acctest.RandomName("x"), "x-")

// KAZOO hashes the password with the username, so it accepts a new username only with the
// password: renaming a user whose password is unchanged sends the configured password (or the
// write-only one) along, and the user can log in under the new name.
func TestAccUser_renameKeepsPassword(t *testing.T) {
	before, after := "rename-a-"+suffix, "rename-b-"+suffix
	config := func(username string) string {
		return providerBlock + fmt.Sprintf(`
resource "kazoo_user" "plain" {
  first_name = "Plain"
  last_name  = "Rename"
  username   = %q
  password   = "Plain-Secret-1"
}`, username+"-p")
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config(before), Check: checkLogin(t, before+"-p", "Plain-Secret-1")},
			{
				Config: config(after),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("kazoo_user.plain", plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkLogin(t, after+"-p", "Plain-Secret-1"),
			},
			// Removing the username sends no password: with one, KAZOO would make up a username.
			{
				Config: strings.Replace(config(after), fmt.Sprintf("  username   = %q\n", after+"-p"), "", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("kazoo_user.plain", tfjsonpath.New("username"), knownvalue.Null()),
				},
			},
		},
	})
}

func TestAccUser_renameKeepsWriteOnlyPassword(t *testing.T) {
	before, after := "rename-a-"+suffix, "rename-b-"+suffix
	config := func(username string) string {
		return providerBlock + fmt.Sprintf(`
resource "kazoo_user" "wo" {
  first_name          = "Write"
  last_name           = "Rename"
  username            = %q
  password_wo         = "WO-Secret-1"
  password_wo_version = 1
}`, username+"-wo")
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{Config: config(before), Check: checkLogin(t, before+"-wo", "WO-Secret-1")},
			{
				Config: config(after),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkLogin(t, after+"-wo", "WO-Secret-1"),
			},
		},
	})
}

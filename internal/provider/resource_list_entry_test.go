package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
)

const listEntryDeps = `
resource "kazoo_list" "blocked" {
  name = "Blocked callers"
}
resource "kazoo_list" "vip" {
  name = "VIP callers"
}
`

func TestAccListEntry_basic(t *testing.T) {
	addr := "kazoo_list_entry.test"
	lifecycle{
		Type:             "kazoo_list_entry",
		Collection:       "entries",
		ParentAttr:       "list_id",
		ParentCollection: "lists",
		Deps:             listEntryDeps,
		Create: `
  list_id     = kazoo_list.blocked.id
  number      = "+12025550111"
  displayname = "Spam caller"`,
		CreateChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs(addr, tfjsonpath.New("list_id"), "kazoo_list.blocked", tfjsonpath.New("id"), compareSame),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("number"), knownvalue.StringExact("+12025550111")),
		},
		DataSource: `data "kazoo_list_entry" "by_id" {
  list_id = kazoo_list.blocked.id
  id      = kazoo_list_entry.test.id
}`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.kazoo_list_entry.by_id", tfjsonpath.New("displayname"), knownvalue.StringExact("Spam caller")),
		},
		Update: `
  list_id     = kazoo_list.blocked.id
  number      = "+12025550112"
  displayname = "Spam caller (second line)"
  firstname   = "Robo"
  lastname    = "Caller"
  profile = {
    title     = "Telemarketer"
    nicknames = ["robo"]
  }`,
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("number"), knownvalue.StringExact("+12025550112")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("profile").AtMapKey("nicknames"), knownvalue.ListSizeExact(1)),
		},
		Drift: map[string]any{"number": "+12025550999", "profile": map[string]any{"title": "Changed elsewhere"}},
		Removed: `
  list_id = kazoo_list.blocked.id
  number  = "+12025550112"`,
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("firstname"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("profile").AtMapKey("title"), knownvalue.Null()),
		},
		RemovedKeys:  []string{"displayname", "firstname", "lastname", "profile.title", "profile.nicknames"},
		Invalid:      "list_id = \"x\"\ndisplayname = \"\"",
		InvalidError: regexp.MustCompile(`(?s)displayname.*string length must be between 1 and 128`),
		ApplyInvalid: `
resource "kazoo_list_entry" "dup" {
  list_id = kazoo_list.vip.id
  type    = substr(kazoo_list.vip.id, 0, 0)
}`,
		ApplyInvalidError: regexp.MustCompile(`(?s)kazoo_list_entry.dup.*type.*string length must be between 1 and 128`),
	}.run(t)
}

// Moving an entry to another list creates it there and deletes it from the first; an import
// id without the list is refused with the form to use.
func TestAccListEntry_moveAndImportForms(t *testing.T) {
	entry := func(list string) string {
		return providerBlock + listEntryDeps + `
resource "kazoo_list_entry" "x" {
  list_id = kazoo_list.` + list + `.id
  pattern = "^\\+1900"
}`
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: entry("blocked")},
			{
				Config: entry("vip"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("kazoo_list_entry.x", plancheck.ResourceActionReplace)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs("kazoo_list_entry.x", tfjsonpath.New("list_id"), "kazoo_list.vip", tfjsonpath.New("id"), compareSame),
				},
			},
			{
				Config: entry("vip"), ResourceName: "kazoo_list_entry.x", ImportState: true,
				ImportStateId: "0123456789abcdef0123456789abcdef",
				ExpectError:   regexp.MustCompile(`(?s)use\s+"<list_id>/<id>"`),
			},
		},
	})
}

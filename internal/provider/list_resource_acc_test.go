package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

// TestAccListResources runs `terraform query` on the list resource of every registered type:
// objects created behind Terraform's back are found, a filter_<key> narrows the list on the
// server to the one object asked for, and include_resource carries the whole document.
func TestAccListResources(t *testing.T) {
	for _, ts := range registeredTypes(t) {
		t.Run(ts.typeName(), func(t *testing.T) {
			acctest.PreCheck(t)
			prefix := acctest.RandomName("list")
			a := ts.createOutOfBand(t, prefix+"-a")
			var b created
			if ts.Scope != engine.ScopeSingleton {
				b = ts.createOutOfBand(t, prefix+"-b")
			}
			typ := ts.typeName()
			identity := func(o created) map[string]knownvalue.Check {
				out := map[string]knownvalue.Check{}
				for k, v := range ts.identityOf(o) {
					out[k] = knownvalue.StringExact(v)
				}
				return out
			}
			all, _ := ts.listArgs(created{})
			query := fmt.Sprintf(`
provider "kazoo" {}

list %[1]q "all" {
  provider         = kazoo
  include_resource = true
  config {
    %[2]s = %[3]q
    %[4]s
  }
}
`, typ, ownerArg(ts), a.owner, all)
			checks := []querycheck.QueryResultCheck{
				querycheck.ExpectIdentity(typ+".all", identity(a)),
			}
			if ts.Scope != engine.ScopeSingleton {
				checks = append(checks, querycheck.ExpectIdentity(typ+".all", identity(b)))
			}
			if one, filtered := ts.listArgs(b); filtered {
				query += fmt.Sprintf(`
list %[1]q "one" {
  provider = kazoo
  config {
    %[2]s
  }
}
`, typ, one)
				byB := queryfilter.ByResourceIdentity(identity(b))
				checks = append(checks,
					querycheck.ExpectLength(typ+".one", 1),
					querycheck.ExpectIdentity(typ+".one", identity(b)),
				)
				if ts.nameAttr != "" {
					checks = append(checks, querycheck.ExpectResourceKnownValues(typ+".all", byB, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New(ts.nameAttr), KnownValue: knownvalue.StringExact(b.name)},
					}))
				}
				if ts.nameAttr == "name" {
					checks = append(checks, querycheck.ExpectResourceDisplayName(typ+".one", byB, knownvalue.StringExact(b.name)))
				}
			} else if ts.Scope == engine.ScopeSingleton {
				checks = append(checks, querycheck.ExpectLength(typ+".all", 1))
			}
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: queryBase},
					{Query: true, Config: query, QueryResultChecks: checks},
				},
			})
		})
	}
}

// TestAccListResource_badFilter: a list of an account that does not exist fails with KAZOO's
// answer, not with an empty list.
func TestAccListResource_unknownAccount(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: queryBase},
			{
				Query: true,
				Config: `
provider "kazoo" {}

list "kazoo_device" "none" {
  provider = kazoo
  config {
    account_id = "0123456789abcdef0123456789abcdef"
  }
}
`,
				ExpectError: regexp.MustCompile(`(?i)kazoo_device`),
			},
		},
	})
}

// queryBase is the configuration a Query step needs before it: terraform-plugin-testing adds the
// required_providers block; the provider block is in the query file.
const queryBase = "# the provider is configured in the query file\n"

// ownerArg is the list configuration's account argument: parent_id for accounts.
func ownerArg(ts typeSpec) string {
	if ts.Scope == engine.ScopeAccounts {
		return "parent_id"
	}
	return "account_id"
}

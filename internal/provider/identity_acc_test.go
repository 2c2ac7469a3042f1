package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

// TestAccResourceIdentity checks, for every registered resource type, that the identity is
// written on create, stays the same through an in-place update, and imports the object with
// an import block that gives only the identity (no import id).
func TestAccResourceIdentity(t *testing.T) {
	for _, ts := range registeredTypes(t) {
		t.Run(ts.typeName(), func(t *testing.T) {
			acctest.PreCheck(t)
			addr := ts.typeName() + ".test"
			name := acctest.RandomName("ident")
			body := ts.fx.hcl(name)
			config := func(body string) string {
				return providerBlock + fmt.Sprintf("\nresource %q \"test\" {\n%s}\n", ts.typeName(), body)
			}
			updated := body
			if ts.nameAttr != "" {
				updated = strings.Replace(body, fmt.Sprintf("%q", name), fmt.Sprintf("%q", name+"-renamed"), 1)
			}
			owner := acctest.Client(t).AccountID()
			idAttrs := identityChecks(ts, owner)
			sameID := statecheck.CompareValue(compare.ValuesSame())
			steps := []resource.TestStep{
				{
					Config: config(body),
					ConfigStateChecks: append([]statecheck.StateCheck{
						statecheck.ExpectIdentity(addr, idAttrs),
						sameID.AddStateValue(addr, tfjsonpath.New("id")),
					}, identityMatchesState(ts, addr)...),
				},
				{
					Config:           config(updated),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, updateAction(ts, body, updated))}},
					ConfigStateChecks: append([]statecheck.StateCheck{
						statecheck.ExpectIdentity(addr, idAttrs),
						sameID.AddStateValue(addr, tfjsonpath.New("id")),
					}, identityMatchesState(ts, addr)...),
				},
				{
					ResourceName:    addr,
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithResourceIdentity,
					// A FreeForm document (kazoo_document) is imported without knowing which of
					// its keys the configuration manages (data), so its import plans taking them
					// over; the identity is still checked.
					ExpectNonEmptyPlan: ts.FreeForm != nil,
				},
			}
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps:                    steps,
			})
		})
	}
}

func updateAction(ts typeSpec, before, after string) plancheck.ResourceActionType {
	if before == after {
		return plancheck.ResourceActionNoop
	}
	return plancheck.ResourceActionUpdate
}

// identityChecks are the identity values expected of an object of the type in account owner.
func identityChecks(ts typeSpec, owner string) map[string]knownvalue.Check {
	id := knownvalue.StringRegexp(hex32)
	if ts.FreeForm != nil {
		return map[string]knownvalue.Check{"account_id": knownvalue.StringExact(owner), ts.FreeForm.CollectionAttr: knownvalue.StringExact(ts.fx.collection), "id": id}
	}
	if ts.Parent != nil {
		return map[string]knownvalue.Check{"account_id": knownvalue.StringExact(owner), ts.Parent.Attr: knownvalue.StringExact(ts.parent), "id": id}
	}
	switch ts.Scope {
	case engine.ScopeAccounts:
		return map[string]knownvalue.Check{"parent_id": knownvalue.StringExact(owner), "id": id}
	case engine.ScopeKeyed:
		return map[string]knownvalue.Check{"account_id": knownvalue.StringExact(owner), ts.KeyAttr: knownvalue.NotNull()}
	case engine.ScopeSingleton:
		return map[string]knownvalue.Check{"account_id": knownvalue.StringExact(owner)}
	}
	return map[string]knownvalue.Check{"account_id": knownvalue.StringExact(owner), "id": id}
}

// identityMatchesState checks each identity attribute against the state attribute of the
// same name.
func identityMatchesState(ts typeSpec, addr string) []statecheck.StateCheck {
	var out []statecheck.StateCheck
	for name := range ts.identityOf(created{}) {
		out = append(out, statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New(name)))
	}
	return out
}

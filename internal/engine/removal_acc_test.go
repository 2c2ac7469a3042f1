package engine_test

import (
	"fmt"
	"testing"

	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

// Removing something from the configuration plans its removal wherever it is: a key inside an
// item of a list of objects, a key inside a map value, a whole nested object. What KAZOO holds
// afterwards is what the plan showed, and the next plan is empty.

// docAt returns the decoded value at a path of keys and list indexes in a stored document.
func docAt(doc map[string]any, path ...any) (any, bool) {
	var cur any = doc
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			if cur, ok = m[k]; !ok {
				return nil, false
			}
		case int:
			l, ok := cur.([]any)
			if !ok || k >= len(l) {
				return nil, false
			}
			cur = l[k]
		}
	}
	return cur, true
}

// holds is a check that the stored document has want at path (absent when want is nil).
func holds(b *memBackend, id *string, want any, path ...any) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		got, ok := docAt(b.doc(*id), path...)
		if want == nil {
			if ok {
				return fmt.Errorf("%v is still in KAZOO's document: %v", path, got)
			}
			return nil
		}
		if !ok || fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("%v = %v (present %v), want %v", path, got, ok, want)
		}
		return nil
	}
}

// patchingBackend is a memBackend with PATCH, and a check that captures the id of the resource
// at addr.
func patchingBackend(schema, addr string, id *string) (*memBackend, tfresource.TestCheckFunc) {
	b := newMemBackend(schema)
	b.patch = true
	return b, tfresource.TestCheckResourceAttrWith(addr, "id", func(v string) error { *id = v; return nil })
}

var emptyPlan = []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}

var carrierSpec = engine.Spec{TypeName: "carrier", Description: "test", Collection: "resources", Schema: "resources", Patch: true}

func TestAccRemovalInsideListItems(t *testing.T) {
	var id string
	addr := "kazoo_carrier.c"
	b, capture := patchingBackend("resources", addr, &id)
	cfg := func(gateways string) string {
		return fmt.Sprintf("resource \"kazoo_carrier\" \"c\" {\n  name = \"Carrier\"\n  gateways = [%s]\n}", gateways)
	}
	gw := tfjsonpath.New("gateways")
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(b, carrierSpec),
		Steps: []tfresource.TestStep{
			{
				Config: cfg(`{ server = "a.example.com", prefix = "1", realm = "r.example.com", port = 5080 },
  { server = "b.example.com", suffix = "9" }`),
				Check:            capture,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PostApplyPostRefresh: emptyPlan},
			},
			{
				// Another tool sets a key the configuration never set (username) and one the
				// resource does not model (note): both survive.
				PreConfig: func() {
					gws, _ := b.doc(id)["gateways"].([]any)
					g0, _ := gws[0].(map[string]any)
					g0["username"], g0["note"] = "other-tool", "kept"
				},
				Config: cfg(`{ server = "a.example.com", port = 5080 }, { server = "b.example.com" }`),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, gw.AtSliceIndex(0).AtMapKey("prefix"), knownvalue.Null()),
						plancheck.ExpectKnownValue(addr, gw.AtSliceIndex(0).AtMapKey("realm"), knownvalue.Null()),
						plancheck.ExpectKnownValue(addr, gw.AtSliceIndex(0).AtMapKey("port"), knownvalue.Int64Exact(5080)),
						plancheck.ExpectKnownValue(addr, gw.AtSliceIndex(0).AtMapKey("username"), knownvalue.StringExact("other-tool")),
						plancheck.ExpectKnownValue(addr, gw.AtSliceIndex(1).AtMapKey("suffix"), knownvalue.Null()),
					},
					PostApplyPostRefresh: emptyPlan,
				},
				Check: tfresource.ComposeTestCheckFunc(
					holds(b, &id, nil, "gateways", 0, "prefix"),
					holds(b, &id, nil, "gateways", 0, "realm"),
					holds(b, &id, nil, "gateways", 1, "suffix"),
					holds(b, &id, "other-tool", "gateways", 0, "username"),
					holds(b, &id, "kept", "gateways", 0, "note"),
				),
			},
			{
				// Items that move keep the record of what they set: the gateways swap places
				// and the first one stops setting its port (back to KAZOO's default).
				Config: cfg(`{ server = "b.example.com" }, { server = "a.example.com" }`),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(addr, gw.AtSliceIndex(1).AtMapKey("port"), knownvalue.Int64Exact(5060)),
						plancheck.ExpectKnownValue(addr, gw.AtSliceIndex(1).AtMapKey("username"), knownvalue.StringExact("other-tool")),
						plancheck.ExpectKnownValue(addr, gw.AtSliceIndex(0).AtMapKey("port"), knownvalue.Int64Exact(5060)),
					},
					PostApplyPostRefresh: emptyPlan,
				},
				Check: tfresource.ComposeTestCheckFunc(
					holds(b, &id, 5060, "gateways", 1, "port"),
					// The key the resource does not model moves with its gateway.
					holds(b, &id, "kept", "gateways", 1, "note"),
					holds(b, &id, nil, "gateways", 0, "note"),
				),
			},
		},
	})
}

var deviceSpec = engine.Spec{TypeName: "device", Description: "test", Collection: "devices", Schema: "devices", Patch: true}

func TestAccRemovalInsideMapValues(t *testing.T) {
	var id string
	addr := "kazoo_device.d"
	b, capture := patchingBackend("devices", addr, &id)
	cfg := func(restrictions string) string {
		return fmt.Sprintf("resource \"kazoo_device\" \"d\" {\n  name = \"Desk\"\n  call_restriction = {%s}\n}", restrictions)
	}
	cr := tfjsonpath.New("call_restriction")
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(b, deviceSpec),
		Steps: []tfresource.TestStep{
			{
				Config:           cfg(`closed_groups = { action = "deny" }, tollfree_us = { action = "inherit" }`),
				Check:            capture,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PostApplyPostRefresh: emptyPlan},
			},
			{
				Config: cfg(`closed_groups = {}, tollfree_us = { action = "inherit" }`),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, cr.AtMapKey("closed_groups").AtMapKey("action"), knownvalue.Null()),
						plancheck.ExpectKnownValue(addr, cr.AtMapKey("tollfree_us").AtMapKey("action"), knownvalue.StringExact("inherit")),
					},
					PostApplyPostRefresh: emptyPlan,
				},
				Check: tfresource.ComposeTestCheckFunc(
					holds(b, &id, nil, "call_restriction", "closed_groups", "action"),
					holds(b, &id, "inherit", "call_restriction", "tollfree_us", "action"),
				),
			},
		},
	})
}

func TestAccRemovalOfNestedObjects(t *testing.T) {
	var id string
	addr := "kazoo_device.d"
	b, capture := patchingBackend("devices", addr, &id)
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(b, deviceSpec),
		Steps: []tfresource.TestStep{
			{
				Config: `resource "kazoo_device" "d" {
  name = "Desk"
  media = {
    fax_option = true
    audio = { codecs = ["PCMU"] }
  }
  sip = {
    expire_seconds = 600
    invite_format  = "username"
  }
  music_on_hold = { media_id = "abc" }
}`,
				Check:            capture,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PostApplyPostRefresh: emptyPlan},
			},
			{
				Config: `resource "kazoo_device" "d" { name = "Desk" }`,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("media"), knownvalue.Null()),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("sip").AtMapKey("expire_seconds"), knownvalue.Int64Exact(300)),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("sip").AtMapKey("invite_format"), knownvalue.StringExact("contact")),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("music_on_hold").AtMapKey("media_id"), knownvalue.Null()),
					},
					PostApplyPostRefresh: emptyPlan,
				},
				Check: tfresource.ComposeTestCheckFunc(
					holds(b, &id, nil, "media"),
					holds(b, &id, 300, "sip", "expire_seconds"),
					holds(b, &id, map[string]any{}, "music_on_hold"),
				),
			},
		},
	})
}

// An imported document has no record of what the configuration set: what its items and map
// values hold beyond KAZOO's defaults counts as set, so the plan that imports it already
// removes what the configuration leaves out there, and keeps KAZOO's defaults quiet.
func TestAccRemovalInsideItemsAfterImport(t *testing.T) {
	b := newMemBackend("resources")
	b.patch = true
	id := "0000000000000000000000000000c0de"
	if err := b.store(id, map[string]any{"name": "Carrier", "gateways": []any{
		map[string]any{"server": "a.example.com", "prefix": "1", "port": 5080},
		map[string]any{"server": "b.example.com", "suffix": "9"},
	}}); err != nil {
		t.Fatal(err)
	}
	addr := "kazoo_carrier.c"
	gw := tfjsonpath.New("gateways")
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(b, carrierSpec),
		Steps: []tfresource.TestStep{{
			Config: fmt.Sprintf(`import {
  to = %s
  id = %q
}
resource "kazoo_carrier" "c" {
  name     = "Carrier"
  gateways = [{ server = "a.example.com", port = 5080 }, { server = "b.example.com", suffix = "9" }]
}`, addr, id),
			ConfigPlanChecks: tfresource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, gw.AtSliceIndex(0).AtMapKey("prefix"), knownvalue.Null()),
					plancheck.ExpectKnownValue(addr, gw.AtSliceIndex(0).AtMapKey("port"), knownvalue.Int64Exact(5080)),
					plancheck.ExpectKnownValue(addr, gw.AtSliceIndex(1).AtMapKey("suffix"), knownvalue.StringExact("9")),
					plancheck.ExpectKnownValue(addr, gw.AtSliceIndex(1).AtMapKey("invite_format"), knownvalue.StringExact("route")),
				},
				PostApplyPostRefresh: emptyPlan,
			},
			Check: tfresource.ComposeTestCheckFunc(
				holds(b, &id, nil, "gateways", 0, "prefix"),
				holds(b, &id, "9", "gateways", 1, "suffix"),
			),
		}},
	})
}

// A configured item with a value known only at apply may continue another prior item at apply
// than at plan time: what the items leave out is then known only at apply, and the apply
// succeeds (no "inconsistent final plan") with each item continuing its own gateway.
func TestAccItemsKnownOnlyAtApply(t *testing.T) {
	var id string
	addr := "kazoo_carrier.c"
	b, capture := patchingBackend("resources", addr, &id)
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(b, carrierSpec),
		Steps: []tfresource.TestStep{
			{
				Config: `resource "kazoo_carrier" "c" {
  name     = "Carrier"
  gateways = [{ server = "a.example.com" }, { server = "b.example.com" }]
}`,
				Check: capture,
			},
			{
				// Another tool names each gateway's user; the gateways then swap places, one
				// of them named by a value known only at apply.
				PreConfig: func() {
					gws, _ := b.doc(id)["gateways"].([]any)
					gws[0].(map[string]any)["username"] = "user-a"
					gws[1].(map[string]any)["username"] = "user-b"
				},
				Config: `resource "terraform_data" "server" { input = "b.example.com" }
resource "kazoo_carrier" "c" {
  name     = "Carrier"
  gateways = [{ server = terraform_data.server.output }, { server = "a.example.com" }]
}`,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("gateways").AtSliceIndex(1).AtMapKey("username")),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("gateways").AtSliceIndex(1).AtMapKey("server"), knownvalue.StringExact("a.example.com")),
					},
					PostApplyPostRefresh: emptyPlan,
				},
				Check: tfresource.ComposeTestCheckFunc(
					holds(b, &id, "b.example.com", "gateways", 0, "server"),
					holds(b, &id, "user-b", "gateways", 0, "username"),
					holds(b, &id, "user-a", "gateways", 1, "username"),
				),
			},
		},
	})
}

package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
)

// Plans made by the engine itself (ModifyPlan): what they show, and what they refuse.

// onlyUnknown is a plan check: every planned value of the resource is known, except at the
// listed attributes (dotted paths; "sip.realm"). It is what "no (known after apply) beyond
// what really changes" means.
type onlyUnknown struct {
	addr    string
	allowed []string
}

func (c onlyUnknown) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr {
			continue
		}
		var unknown []string
		collectUnknown(rc.Change.AfterUnknown, "", &unknown)
		var extra []string
		for _, p := range unknown {
			if !containsString(c.allowed, p) {
				extra = append(extra, p)
			}
		}
		if len(extra) > 0 {
			sort.Strings(extra)
			resp.Error = fmt.Errorf("%s: planned as (known after apply) without reason: %s", c.addr, strings.Join(extra, ", "))
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", c.addr)
}

// collectUnknown lists the dotted paths Terraform's plan JSON marks unknown (after_unknown).
func collectUnknown(v any, prefix string, out *[]string) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch x := v.(type) {
	case bool:
		if x {
			*out = append(*out, prefix)
		}
	case map[string]any:
		for k, sub := range x {
			collectUnknown(sub, join(k), out)
		}
	case []any:
		for i, sub := range x {
			collectUnknown(sub, join(fmt.Sprint(i)), out)
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Renaming an account plans the new name and nothing else: the attributes KAZOO computes keep
// their values.
func TestAccEnginePlan_accountRenameIsQuiet(t *testing.T) {
	name := acctest.RandomName("quiet")
	addr := "kazoo_account.test"
	config := func(n string) string {
		return providerBlock + fmt.Sprintf(`
resource "kazoo_account" "test" {
  name  = %q
  realm = "%s.sip.example.com"
}
`, n, strings.ToLower(name))
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(name),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// Only what KAZOO decides itself is unknown on create.
					onlyUnknown{addr, []string{"id", "billing_mode", "created", "is_reseller", "reseller_id",
						"superduper_admin", "timezone", "wnm_allow_additions"}},
					// Schema defaults are shown as what they are.
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				}},
			},
			{
				Config: config(name + " renamed"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						onlyUnknown{addr, nil},
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(name+" renamed")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// Creating a device plans what the configuration says and what KAZOO will default, not a
// screen of unknowns.
func TestAccEnginePlan_deviceCreateIsQuiet(t *testing.T) {
	addr := "kazoo_device.test"
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock + fmt.Sprintf(`
resource "kazoo_device" "test" {
  name        = "Quiet desk"
  device_type = "sip_device"
  sip = {
    username = %q
    password = "a-long-random-secret"
  }
}
`, strings.ToLower(acctest.RandomName("quiet"))),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					onlyUnknown{addr, []string{"id"}},
					// KAZOO's defaults, inside a configured object and outside.
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("sip").AtMapKey("method"), knownvalue.StringExact("password")),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("sip").AtMapKey("expire_seconds"), knownvalue.Int64Exact(300)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					// Nothing where KAZOO has no default.
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("call_forward"), knownvalue.Null()),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("owner_id"), knownvalue.Null()),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

// A callflow's metadata follows the documents its flow names: a change that keeps them keeps
// the metadata; a new id makes it unknown until KAZOO answers.
func TestAccEnginePlan_callflowMetadataFollowsIds(t *testing.T) {
	addr := "kazoo_callflow.test"
	number := randomDigits(6)
	config := func(user string, timeout int) string {
		return providerBlock + fmt.Sprintf(`
resource "kazoo_user" "a" {
  first_name = "Meta"
  last_name  = "One"
}
resource "kazoo_user" "b" {
  first_name = "Meta"
  last_name  = "Two"
}
resource "kazoo_callflow" "test" {
  numbers = [%q]
  flow = jsonencode({
    module = "user"
    data   = { id = kazoo_user.%s.id, timeout = %d }
  })
}
`, number, user, timeout)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config("a", 20)},
			{
				Config: config("a", 30),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						onlyUnknown{addr, nil},
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("metadata"), knownvalue.StringRegexp(regexp.MustCompile(`Meta One`))),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config: config("b", 30),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						onlyUnknown{addr, []string{"metadata"}},
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// A callflow's flow is checked node by node at plan time, against the module schemas of
// KAZOO 4.3: the error names the node's path and is reported on the flow attribute. A flow
// only known at apply (it names a user not created yet) is not refused at plan time; it is
// checked once known, before any request.
func TestAccEnginePlan_flowCheckedAtPlan(t *testing.T) {
	number := randomDigits(6)
	flow := func(child string) string {
		return providerBlock + fmt.Sprintf(`
resource "kazoo_callflow" "test" {
  numbers = [%q]
  flow = jsonencode({
    module   = "voicemail"
    data     = {}
    children = { "_" = %s }
  })
}
`, number, child)
	}
	withUser := func(timeout string) string {
		return providerBlock + fmt.Sprintf(`
resource "kazoo_user" "later" {
  first_name = "Not"
  last_name  = "Yet"
}
resource "kazoo_callflow" "test" {
  numbers = [%q]
  flow = jsonencode({
    module = "user"
    data   = { id = kazoo_user.later.id, timeout = %s }
  })
}
`, number, timeout)
	}
	onFlow := `(?s)with kazoo_callflow\.test,.*flow = jsonencode`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// A typo of a module: refused, with the module it probably means.
			{
				Config: flow(`{ module = "ringgroup", data = {} }`), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)"flow\.children\._\.module":\s+unable\s+to\s+find\s+callflow\s+schema\s+for\s+module\s+ringgroup.*Did\s+you\s+mean\s+"ring_group"\?`),
			},
			// A module KAZOO has no schema for at all.
			{
				Config: flow(`{ module = "no_such_module_here", data = {} }`), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)"flow\.children\._\.module":\s+unable\s+to\s+find\s+callflow\s+schema\s+for\s+module\s+no_such_module_here`),
			},
			// Data of the wrong type for the node's module, reported on the flow attribute.
			{
				Config: flow(`{ module = "ring_group", data = { endpoints = [], timeout = "twenty" } }`), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)"flow\.children\._\.data\.timeout":\s+Value\s+did\s+not\s+match\s+type\(s\):\s+integer`),
			},
			{
				Config: flow(`{ module = "ring_group", data = { endpoints = [], timeout = "twenty" } }`), PlanOnly: true,
				ExpectError: regexp.MustCompile(onFlow),
			},
			// Unknown at plan time: planned, not refused.
			{Config: withUser(`"twenty"`), PlanOnly: true, ExpectNonEmptyPlan: true},
			// ... and refused once known, before the callflow is sent.
			{Config: withUser(`"twenty"`), ExpectError: regexp.MustCompile(`(?s)"flow\.data\.timeout":\s+Value\s+did\s+not\s+match\s+type`)},
			// A number written as a string is refused too: KAZOO would store the number, which
			// Terraform would see as a different value.
			{
				Config: flow(`{ module = "ring_group", data = { endpoints = [], timeout = "20" } }`), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)"flow\.children\._\.data\.timeout".*Write\s+20\s+without\s+quotes\.`),
			},
			// A valid flow is accepted.
			{Config: withUser(`20`)},
		},
	})
}

// An error on a nested attribute carries its full path, so that Terraform shows the line of
// the nested attribute itself. Terraform finds that line inside an object only from 1.15 on;
// older CLIs show the resource's first line, with the path in the message.
func TestAccEnginePlan_nestedErrorOnItsLine(t *testing.T) {
	config := providerBlock + `
resource "kazoo_device" "test" {
  name = "Nested error"
  sip = {
    username = "nested-error"
    method   = "digest"
  }
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config, PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)Attribute\s+sip\.method\s+value\s+must\s+be\s+one\s+of`),
			},
			{
				SkipFunc: cliBelow(1, 15),
				Config:   config, PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)line \d+, in resource "kazoo_device" "test":\s+\d+:\s+method\s+=\s+"digest"`),
			},
		},
	})
}

// After an import (the command, or an import block), an attribute the configuration leaves
// out is planned for removal on the first plan: Terraform manages what it imported.
func TestAccEnginePlan_removalAfterImport(t *testing.T) {
	acctest.PreCheck(t)
	c := acctest.Client(t)
	ctx := context.Background()
	addr := "kazoo_device.test"
	var ids []string
	create := func() string {
		env, err := c.Put(ctx, client.AccountPath(c.AccountID(), "devices"), map[string]any{
			"name": acctest.RandomName("imported"), "language": "fr-fr",
			"call_forward": map[string]any{"enabled": true, "number": "2025550123"},
		})
		if err != nil {
			t.Fatalf("creating a device outside Terraform: %v", err)
		}
		var d struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		if err := json.Unmarshal(env.Data, &d); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID, d.Name)
		return d.ID
	}
	held := func(id, key string) func() (any, bool) {
		return func() (any, bool) {
			env, err := c.Get(ctx, client.AccountPath(c.AccountID(), "devices", id), nil)
			if err != nil {
				t.Fatalf("reading %s: %v", id, err)
			}
			var d map[string]any
			_ = json.Unmarshal(env.Data, &d)
			return lookupKey(d, key)
		}
	}
	// The configuration keeps the name and call forwarding, and leaves out the language.
	config := func(id, name string, withImport bool) string {
		imp := ""
		if withImport {
			imp = fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", addr, id)
		}
		return providerBlock + imp + fmt.Sprintf(`
resource "kazoo_device" "test" {
  name = %q
  call_forward = {
    enabled = true
    number  = "2025550123"
  }
}
`, name)
	}
	removal := func(id string) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("language"), knownvalue.Null()),
				// What the configuration keeps, and KAZOO's defaults, stay.
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("call_forward").AtMapKey("number"), knownvalue.StringExact("2025550123")),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
			},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		}
	}
	gone := func(id string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if v, ok := held(id, "language")(); ok {
				return fmt.Errorf("language is still in KAZOO's document: %v", v)
			}
			if v, _ := held(id, "call_forward.number")(); v != "2025550123" {
				return fmt.Errorf("call_forward.number = %v, want it kept", v)
			}
			return nil
		}
	}

	// An import block: the plan that imports the device already removes the language.
	first := create()
	firstName := ids[1]
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:           config(first, firstName, true),
			ConfigPlanChecks: removal(first),
			Check:            gone(first),
		}},
	})

	// terraform import: the first plan after it removes the language.
	second := create()
	secondName := ids[3]
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(second, secondName, false), ResourceName: addr,
				ImportState: true, ImportStateId: second, ImportStatePersist: true,
			},
			{
				Config:           config(second, secondName, false),
				ConfigPlanChecks: removal(second),
				Check:            gone(second),
			},
		},
	})
}

package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
)

// writeOnlyListCase is a secret inside the items of a list of objects, set through the
// write-only twin in each item.
type writeOnlyListCase struct {
	typ, collection string
	// body is the resource block's body without the list.
	body string
	// list is the list attribute and JSON key ("gateways"), twin the twin's name in the item
	// without its suffix ("password"), keys the secret's JSON keys from the item.
	list, twin string
	keys       []string
	// plain is the plain secret's attribute as set in an item's HCL, and plainAt the text it
	// is put before (inside auth for a connectivity).
	plain, plainAt string
	// item is the HCL of an item named name without its secret; tag makes its names unique
	// to the test run.
	item func(name, tag string) string
}

// Secrets inside list items (a carrier's or a carrier template's gateway passwords, a
// connectivity's server passwords) set write-only, item by item: the secret reaches KAZOO when
// its item is created and when the item's version changes, KAZOO keeps every other item's
// stored secret however the list changes, and the secret is never in a plan or the state.
// TestAccSecretsNeverLogged checks the trace log.
func TestAccWriteOnlyListSecrets(t *testing.T) {
	cases := map[string]writeOnlyListCase{
		"carrier gateways[].password": {
			typ: "kazoo_carrier", collection: "resources", list: "gateways", twin: "password", keys: []string{"password"},
			body: `name = "Write-only carrier"`, plain: "password", plainAt: "realm = ",
			item: func(name, tag string) string {
				return fmt.Sprintf("server = %q\nrealm = \"carrier.example.com\"\nusername = %q", name+".carrier.example.com", name+tag)
			},
		},
		"resource template gateways[].password": {
			typ: "kazoo_resource_template", collection: "resource_templates", list: "gateways", twin: "password", keys: []string{"password"},
			body: `template_name = "Write-only template"`, plain: "password", plainAt: "realm = ",
			item: func(name, tag string) string {
				return fmt.Sprintf("server = %q\nrealm = \"carrier.example.com\"\nusername = %q", name+".template.example.com", name+tag)
			},
		},
		"connectivity servers[].auth.auth_password": {
			typ: "kazoo_connectivity", collection: "connectivity", list: "servers", twin: "auth_password",
			keys: []string{"auth", "auth_password"}, body: `name = "Write-only trunk"`, plain: "auth_password", plainAt: "auth_user = ",
			item: func(name, tag string) string {
				return fmt.Sprintf("name = %q\nauth = { auth_method = \"password\", auth_user = %q }", name, name+tag)
			},
		},
	}
	for name, wc := range cases {
		t.Run(name, func(t *testing.T) { wc.run(t) })
	}
}

// woItem is one configured item: its name, write-only secret and version.
type woItem struct {
	name, secret string
	version      int
}

func (wc writeOnlyListCase) run(t *testing.T) {
	addr := wc.typ + ".test"
	tag := acctest.RandomName("-wo")
	config := func(items ...woItem) string {
		var b strings.Builder
		for _, it := range items {
			fmt.Fprintf(&b, "  {\n%s\n%s_wo = %q\n%s_wo_version = %d\n  },\n", wc.item(it.name, tag), wc.twin, it.secret, wc.twin, it.version)
		}
		return providerBlock + fmt.Sprintf("resource %q \"test\" {\n%s\n%s = [\n%s]\n}\n", wc.typ, wc.body, wc.list, b.String())
	}
	// onServer checks the secret KAZOO holds in each item, in order.
	onServer := func(want ...string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			id := s.RootModule().Resources[addr].Primary.ID
			c := acctest.Client(t)
			env, err := c.Get(context.Background(), (lifecycle{Collection: wc.collection}).docPath(c.AccountID(), "", id), nil)
			if err != nil {
				return err
			}
			var doc map[string]any
			if err := json.Unmarshal(env.Data, &doc); err != nil {
				return err
			}
			items, _ := doc[wc.list].([]any)
			if len(items) != len(want) {
				return fmt.Errorf("KAZOO's %s has %d items, want %d", wc.list, len(items), len(want))
			}
			for i, it := range items {
				m, _ := it.(map[string]any)
				got, _ := lookupKey(m, strings.Join(wc.keys, "."))
				if got != want[i] {
					// The values are the test's own; naming which one is there says what went wrong.
					return fmt.Errorf("KAZOO's %s[%d].%s is %v, want %s", wc.list, i, strings.Join(wc.keys, "."), got, want[i])
				}
			}
			return nil
		}
	}
	plain := func(i int) tfjsonpath.Path {
		p := tfjsonpath.New(wc.list).AtSliceIndex(i)
		for _, k := range wc.keys {
			p = p.AtMapKey(k)
		}
		return p
	}
	stateChecks := func(versions ...int64) []statecheck.StateCheck {
		var out []statecheck.StateCheck
		for i, v := range versions {
			item := tfjsonpath.New(wc.list).AtSliceIndex(i)
			out = append(out,
				statecheck.ExpectKnownValue(addr, item.AtMapKey(wc.twin+"_wo"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, item.AtMapKey(wc.twin+"_wo_version"), knownvalue.Int64Exact(v)),
				statecheck.ExpectKnownValue(addr, plain(i), knownvalue.Null()))
		}
		return out
	}
	s1, s1b, s1c, s2, s2b, s3 := "w1"+randomDigits(6), "x1"+randomDigits(6), "y1"+randomDigits(6), "w2"+randomDigits(6), "x2"+randomDigits(6), "w3"+randomDigits(6)
	step := func(action plancheck.ResourceActionType, secrets []string, versions []int64, server []string, items ...woItem) resource.TestStep {
		var notIn []plancheck.PlanCheck
		var notStored []resource.TestCheckFunc
		for _, s := range secrets {
			notIn = append(notIn, notInPlan{s})
			notStored = append(notStored, notInState(s))
		}
		return resource.TestStep{
			Config: config(items...),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             append([]plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, action)}, notIn...),
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: stateChecks(versions...),
			Check:             resource.ComposeTestCheckFunc(append(notStored, onServer(server...))...),
		}
	}
	all := []string{s1, s1b, s1c, s2, s2b, s3}
	importStep := wc.importStep(addr)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		// Write-only attributes exist from Terraform/OpenTofu 1.11 on.
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			// The plain secret and its twin exclude each other; a version needs a value.
			{
				Config:      strings.Replace(config(woItem{"one", s1, 1}), wc.plainAt, wc.plain+" = \"plain\", "+wc.plainAt, 1),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*` + wc.list + `\[0\]`),
			},
			{
				Config:      strings.Replace(config(woItem{"one", s1, 1}), fmt.Sprintf("%s_wo = %q\n", wc.twin, s1), "", 1),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*` + wc.twin + `_wo`),
			},
			// Create sends the secret.
			step(plancheck.ResourceActionCreate, all, []int64{1}, []string{s1}, woItem{"one", s1, 1}),
			// A new write-only value without a new version is not sent, and adding an item
			// (the list is sent whole) keeps the first item's stored secret.
			step(plancheck.ResourceActionUpdate, all, []int64{1, 1}, []string{s1, s2}, woItem{"one", s1b, 1}, woItem{"two", s2, 1}),
			// A new version sends the item's secret again; the other item keeps its own.
			step(plancheck.ResourceActionUpdate, all, []int64{2, 1}, []string{s1c, s2}, woItem{"one", s1c, 2}, woItem{"two", s2b, 1}),
			// Removing the first item keeps the second's secret, and so does a new item put
			// before it (which sends its own).
			step(plancheck.ResourceActionUpdate, all, []int64{1}, []string{s2}, woItem{"two", s2b, 1}),
			step(plancheck.ResourceActionUpdate, all, []int64{1, 1}, []string{s3, s2}, woItem{"three", s3, 1}, woItem{"two", s2b, 1}),
			// An import reads the secrets KAZOO holds (sensitive) and knows no versions.
			importStep,
			// The second item stops using its twin: KAZOO keeps its secret, which the state
			// then mirrors (sensitive) as for any secret the configuration leaves out.
			{
				Config: strings.Replace(config(woItem{"three", s3, 1}, woItem{"two", s2b, 1}),
					fmt.Sprintf("%s_wo = %q\n%s_wo_version = 1\n", wc.twin, s2b, wc.twin), "", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), notInPlan{s3}},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, plain(0), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New(wc.list).AtSliceIndex(1).AtMapKey(wc.twin+"_wo_version"), knownvalue.Null()),
					statecheck.ExpectSensitiveValue(addr, plain(1)),
				},
				Check: resource.ComposeTestCheckFunc(notInState(s3), onServer(s3, s2)),
			},
		},
	})
}

// importStep is the import of a list's owner: the secrets KAZOO holds are read (sensitive)
// and no versions are known.
func (wc writeOnlyListCase) importStep(addr string) resource.TestStep {
	secret := strings.Join(wc.keys, ".")
	return resource.TestStep{
		ResourceName:      addr,
		ImportState:       true,
		ImportStateVerify: true,
		ImportStateVerifyIgnore: []string{
			wc.list + ".0." + secret, wc.list + ".1." + secret,
			wc.list + ".0." + wc.twin + "_wo_version", wc.list + ".1." + wc.twin + "_wo_version",
		},
	}
}

package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
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

// writeOnlyCase is one secret set through its write-only twin.
type writeOnlyCase struct {
	typ, collection string
	// body is the resource block's body without the secret.
	body string
	// twin names the twin without its suffix ("sip_password": sip_password_wo and
	// sip_password_wo_version).
	twin string
	// plain is the secret's own attribute, which stays null in the state.
	plain tfjsonpath.Path
	// key is the secret's dotted key in KAZOO's document; onServer replaces the check for a
	// secret KAZOO never returns.
	key      string
	onServer func(secret string) resource.TestCheckFunc
	// list is true for a list of secrets (conference PINs): the twin is set to [secret].
	list bool
}

// Every write-only twin (of the core resources and of those on the engine since): the secret reaches KAZOO on create and when the
// version changes, and is neither in the plan nor in the state (TestAccSecretsNeverLogged
// checks the trace log).
func TestAccWriteOnlySecrets(t *testing.T) {
	username := acctest.RandomName("wo")
	cases := map[string]writeOnlyCase{
		"user password": {
			typ: "kazoo_user", collection: "users", twin: "password", plain: tfjsonpath.New("password"),
			body:     fmt.Sprintf("first_name = \"Write\"\nlast_name = \"Only\"\nusername = %q", username),
			onServer: func(secret string) resource.TestCheckFunc { return checkLogin(t, username, secret) },
		},
		"user hotdesk.pin": {
			typ: "kazoo_user", collection: "users", twin: "hotdesk_pin", key: "hotdesk.pin",
			plain: tfjsonpath.New("hotdesk").AtMapKey("pin"),
			body:  "first_name = \"Hot\"\nlast_name = \"Desk\"\nhotdesk = { enabled = true }",
		},
		"device sip.password": {
			typ: "kazoo_device", collection: "devices", twin: "sip_password", key: "sip.password",
			plain: tfjsonpath.New("sip").AtMapKey("password"),
			body:  fmt.Sprintf("name = \"Write-only phone\"\nsip = { username = %q }", acctest.RandomName("wo")),
		},
		"cccp pin": {
			typ: "kazoo_cccp", collection: "cccps", twin: "pin", key: "pin", plain: tfjsonpath.New("pin"),
			body: "comment = \"Write-only calling card PIN\"",
		},
		"vmbox pin": {
			typ: "kazoo_vmbox", collection: "vmboxes", twin: "pin", key: "pin", plain: tfjsonpath.New("pin"),
			body: fmt.Sprintf("name = \"Write-only box\"\nmailbox = %q", randomDigits(5)),
		},
		"conference bridge_password": {
			typ: "kazoo_conference", collection: "conferences", twin: "bridge_password", key: "bridge_password",
			plain: tfjsonpath.New("bridge_password"), body: `name = "Write-only bridge"`,
		},
		"conference member.pins": {
			typ: "kazoo_conference", collection: "conferences", twin: "member_pins", key: "member.pins", list: true,
			plain: tfjsonpath.New("member").AtMapKey("pins"), body: `name = "Write-only members"`,
		},
		"conference moderator.pins": {
			typ: "kazoo_conference", collection: "conferences", twin: "moderator_pins", key: "moderator.pins", list: true,
			plain: tfjsonpath.New("moderator").AtMapKey("pins"), body: `name = "Write-only moderators"`,
		},
		"menu record_pin": {
			typ: "kazoo_menu", collection: "menus", twin: "record_pin", key: "record_pin",
			plain: tfjsonpath.New("record_pin"), body: `name = "Write-only menu"`,
		},
	}
	for name, wc := range cases {
		t.Run(name, func(t *testing.T) { wc.run(t) })
	}
}

func (wc writeOnlyCase) run(t *testing.T) {
	addr := wc.typ + ".test"
	// Six digits: a PIN as well as a password.
	first, second := "83"+randomDigits(4), "94"+randomDigits(4)
	config := func(secret string, version int) string {
		value := fmt.Sprintf("%q", secret)
		if wc.list {
			value = "[" + value + "]"
		}
		return providerBlock + fmt.Sprintf("resource %q \"test\" {\n%s\n%s_wo = %s\n%s_wo_version = %d\n}\n",
			wc.typ, wc.body, wc.twin, value, wc.twin, version)
	}
	var id string
	onServer := func(secret string) resource.TestCheckFunc {
		if wc.onServer != nil {
			return wc.onServer(secret)
		}
		return func(s *terraform.State) error {
			id = s.RootModule().Resources[addr].Primary.ID
			c := acctest.Client(t)
			env, err := c.Get(context.Background(), (lifecycle{Collection: wc.collection}).docPath(c.AccountID(), "", id), nil)
			if err != nil {
				return err
			}
			var doc map[string]any
			if err := json.Unmarshal(env.Data, &doc); err != nil {
				return err
			}
			want := any(secret)
			if wc.list {
				want = fmt.Sprint([]any{secret})
			}
			if got, _ := lookupKey(doc, wc.key); got != want && fmt.Sprint(got) != want {
				return fmt.Errorf("KAZOO's %s is %v, not the write-only value", wc.key, got)
			}
			return nil
		}
	}
	stateChecks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New(wc.twin+"_wo"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, wc.plain, knownvalue.Null()),
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		// Write-only attributes exist from Terraform/OpenTofu 1.11 on.
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: config(first, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{notInPlan{first}},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: stateChecks,
				Check:             resource.ComposeTestCheckFunc(onServer(first), notInState(first)),
			},
			{
				Config: config(second, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), notInPlan{second}},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: stateChecks,
				Check:             resource.ComposeTestCheckFunc(onServer(second), notInState(second), notInState(first)),
			},
		},
	})
}

// notInPlan fails when the secret appears in what the plan holds of resources: their changes,
// planned values and prior state. (The plan's copy of the configuration holds the literal the
// test writes; a real configuration takes the value from a variable or an ephemeral resource.)
type notInPlan struct{ secret string }

func (n notInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal([]any{req.Plan.ResourceChanges, req.Plan.PlannedValues, req.Plan.PriorState, req.Plan.OutputChanges})
	if err != nil {
		resp.Error = err
		return
	}
	if strings.Contains(string(b), n.secret) {
		resp.Error = fmt.Errorf("the write-only secret appears in the plan")
	}
}

// notInState fails when the secret is the value of any attribute of the state.
func notInState(secret string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for addr, rs := range s.RootModule().Resources {
			for k, v := range rs.Primary.Attributes {
				if strings.Contains(v, secret) {
					return fmt.Errorf("the write-only secret is in the state, at %s.%s", addr, k)
				}
			}
		}
		return nil
	}
}

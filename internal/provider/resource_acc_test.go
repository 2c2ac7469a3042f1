package provider_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// lifecycle describes one resource's acceptance test; steps turns it into the same sequence of
// test steps for every resource, so that each behaviour is asserted the same way everywhere.
type lifecycle struct {
	// Type is the resource type ("kazoo_device"); the resource under test is named "test".
	Type string
	// Collection is the KAZOO collection ("devices"); empty for kazoo_account.
	Collection string
	// ParentAttr and ParentCollection are set for a collection nested below another document
	// (list entries): the attribute holding the parent's id ("list_id") and the parent's
	// collection ("lists"). Documents are then at {ParentCollection}/{parent}/{Collection}/{id},
	// and imported as "<parent>/<id>" and "<account_id>/<parent>/<id>".
	ParentAttr, ParentCollection string
	// Deps is configuration the resource refers to (other resources), present in every step.
	Deps string
	// Create, Update and Removed are the bodies of the resource block: Update changes fields
	// of Create in place, Removed leaves out managed fields of Update.
	Create, Update, Removed string
	// ...Checks assert the state after each.
	CreateChecks, UpdateChecks, RemovedChecks []statecheck.StateCheck
	// DataSource is a data source block reading the created resource (by a lookup).
	DataSource string
	// DataSourceChecks assert the data source's state.
	DataSourceChecks []statecheck.StateCheck
	// RemovedKeys are dotted keys KAZOO's document must no longer hold after Removed.
	RemovedKeys []string
	// Drift is a change made behind Terraform's back to a managed field of Update.
	Drift map[string]any
	// Invalid is a resource body that plan-time validation rejects with InvalidError.
	Invalid      string
	InvalidError *regexp.Regexp
	// Duplicate is a second resource block (full HCL) that KAZOO's validation rejects, with
	// DuplicateError matching the attribute error it maps to.
	Duplicate      string
	DuplicateError *regexp.Regexp
	// ApplyInvalid is a second resource block (full HCL) with a value only known at apply
	// (derived from another object) that breaks KAZOO's schema: Terraform validates it again
	// once known, and it is refused on the attribute before any request, with
	// ApplyInvalidError. Collections whose only server-side checks are their schema's have no
	// Duplicate: every value KAZOO could refuse is refused here first.
	ApplyInvalid      string
	ApplyInvalidError *regexp.Regexp
	// MadeUpWithoutRevision is set for collections whose GET of a missing id answers a document
	// KAZOO makes up, without a revision (conferences): such an answer counts as gone.
	MadeUpWithoutRevision bool
	// ImportIgnore lists attributes KAZOO cannot give back on import.
	ImportIgnore []string
	// NoPatch is true for collections without PATCH (media): changes behind Terraform's back
	// are then made with GET, overlay and POST.
	NoPatch bool
	// ImportID, when set, is the one import id form of the resource (kazoo_document's
	// "<account_id>/<collection>/<id>"), used instead of "<id>" and "<account_id>/<id>"; the
	// configuration generated from an import is then not checked (the managed keys are only
	// known from a configuration).
	ImportID func(attrs map[string]string) string
	// Singleton is true for one-document-per-account resources (limits, whitelabel): the
	// document is /v2/accounts/{account_id}/{Collection}, it is imported by account id, and
	// destroy gives the managed fields back to KAZOO (DestroyCheck asserts the document then).
	Singleton bool
	// DocKey names the key of a GET answer holding the document (/security wraps it in "account").
	DocKey       string
	DestroyCheck func(doc map[string]any) error
	// BehindBack, when set, replaces the deletion behind Terraform's back: it changes the
	// document so that the plan is BehindBackAction (a singleton KAZOO cannot delete, or whose
	// deletion leaves an empty document, is written again in place).
	BehindBack       func(doc map[string]any) map[string]any
	BehindBackAction plancheck.ResourceActionType
	// CreateCheck and UpdateCheck assert more after the create and the update, given the
	// document's id (bytes uploaded, for example).
	CreateCheck, UpdateCheck func(id string) error

	// Typed maps (nil when the resource has none; Create and Update configure the map, so
	// import verifies it). MapDrift returns, from KAZOO's document after Update, a change made
	// behind Terraform's back inside one configured key: one PATCH must set it back. MapAdded
	// returns a change inside a configured value that the configuration does not set: it is
	// mirrored, so the plan stays empty, and MapKept finds it still in KAZOO's document after
	// Removed, which must drop another key of the map (named in RemovedKeys).
	MapDrift, MapAdded func(doc map[string]any) map[string]any
	MapKept            func(doc map[string]any) error
}

const providerBlock = "provider \"kazoo\" {}\n"

func (l lifecycle) addr() string { return l.Type + ".test" }

func (l lifecycle) config(body string, extra ...string) string {
	return providerBlock + l.Deps + "\nresource \"" + l.Type + "\" \"test\" {\n" + body + "\n}\n" + strings.Join(extra, "\n")
}

// docPath is the KAZOO path of the document with the given id (below parent, for a nested
// collection).
func (l lifecycle) docPath(accountID, parent, id string) string {
	switch {
	case l.Singleton:
		return client.AccountPath(accountID, l.Collection)
	case l.Collection == "":
		return client.Path("accounts", id)
	case l.ParentAttr != "":
		return client.AccountPath(accountID, l.ParentCollection, parent, l.Collection, id)
	}
	return client.AccountPath(accountID, l.Collection, id)
}

// importID builds the import id of the resource under test from its state: its id (below its
// parent, for a nested collection), prefixed with its owner when withOwner is set.
func (l lifecycle) importID(withOwner bool) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		rs := s.RootModule().Resources[l.addr()]
		id := rs.Primary.ID
		if l.ParentAttr != "" {
			id = rs.Primary.Attributes[l.ParentAttr] + "/" + id
		}
		if !withOwner {
			return id, nil
		}
		owner := rs.Primary.Attributes["account_id"]
		if l.Collection == "" {
			owner = rs.Primary.Attributes["parent_id"]
		}
		return owner + "/" + id, nil
	}
}

// run builds and runs the test case.
func (l lifecycle) run(t *testing.T) {
	t.Helper()
	acctest.PreCheck(t)
	c := acctest.Client(t)
	ctx := context.Background()
	var id, parent string
	captureID := resource.ComposeTestCheckFunc(
		resource.TestCheckResourceAttrWith(l.addr(), "id", func(v string) error {
			id = v
			return nil
		}),
		func(s *terraform.State) error {
			if l.ParentAttr != "" {
				parent = s.RootModule().Resources[l.addr()].Primary.Attributes[l.ParentAttr]
			}
			return nil
		},
	)
	doc := func() (map[string]any, error) {
		env, err := c.Get(ctx, l.docPath(c.AccountID(), parent, id), nil)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(env.Data, &m); err != nil || l.DocKey == "" {
			return m, err
		}
		inner, _ := m[l.DocKey].(map[string]any)
		return inner, nil
	}
	patch := func(change map[string]any) {
		if l.NoPatch {
			d, err := doc()
			if err == nil {
				for k, v := range change {
					d[k] = v
				}
				delete(d, "_read_only")
				_, err = c.Post(ctx, l.docPath(c.AccountID(), parent, id), d)
			}
			if err != nil {
				t.Fatalf("changing %s behind Terraform's back: %v", id, err)
			}
			return
		}
		if _, err := c.Patch(ctx, l.docPath(c.AccountID(), parent, id), change); err != nil {
			t.Fatalf("changing %s behind Terraform's back: %v", id, err)
		}
	}
	extra := func(check func(id string) error) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if check == nil {
				return nil
			}
			return check(id)
		}
	}
	action := func(a plancheck.ResourceActionType) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(l.addr(), a)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		}
	}
	uiMetadata := map[string]any{"origin": "acctest", "version": "4.3"}

	steps := []resource.TestStep{
		// Plan-time validation fails on the attribute, before any request.
		{Config: l.config(l.Invalid), PlanOnly: true, ExpectError: l.InvalidError},
		// Create, and the matching data source.
		{
			Config:            l.config(l.Create, l.DataSource),
			ConfigPlanChecks:  action(plancheck.ResourceActionCreate),
			ConfigStateChecks: append(append([]statecheck.StateCheck{}, l.CreateChecks...), l.DataSourceChecks...),
			Check:             resource.ComposeTestCheckFunc(captureID, extra(l.CreateCheck)),
		},
	}
	importSteps := []resource.TestStep{
		// Import by "<id>" and by "<account_id>/<id>" gives the same state.
		{
			ResourceName: l.addr(), ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: l.importIgnore(),
			ImportStateIdFunc: l.importID(false),
		},
		{
			ResourceName: l.addr(), ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: l.importIgnore(),
			ImportStateIdFunc: l.importID(true),
		},
		// terraform plan -generate-config-out writes configuration that plans no change.
		// (Terraform 1.5's experimental generator leaves nested "id" attributes out; OpenTofu
		// 1.12 writes map keys that start with a digit, such as KAZOO ids, unquoted, which it
		// cannot parse back: "Missing key/value separator".)
		{
			SkipFunc:     generateConfigUnsupported(t, l.Type),
			Config:       providerBlock + l.Deps,
			ResourceName: l.addr(), ImportState: true, ImportStateKind: resource.ImportBlockWithID, GenerateConfig: true,
			ImportStateIdFunc: l.importID(false),
			ImportPlanChecks:  resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(l.Type+".generated", plancheck.ResourceActionNoop)}},
		},
	}
	if l.ImportID != nil {
		importSteps = []resource.TestStep{
			// Import by the resource's own id form gives the same state.
			{
				ResourceName: l.addr(), ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: l.importIgnore(),
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return l.ImportID(s.RootModule().Resources[l.addr()].Primary.Attributes), nil
				},
			},
		}
	}
	steps = append(steps, importSteps...)
	steps = append(steps, []resource.TestStep{
		// In-place update (PATCH); a key another tool keeps in the document survives it.
		{
			PreConfig:         func() { patch(map[string]any{"ui_metadata": uiMetadata}) },
			Config:            l.config(l.Update),
			ConfigPlanChecks:  action(plancheck.ResourceActionUpdate),
			ConfigStateChecks: l.UpdateChecks,
			Check: resource.ComposeTestCheckFunc(func(*terraform.State) error {
				d, err := doc()
				if err != nil {
					return err
				}
				if fmt.Sprint(d["ui_metadata"]) != fmt.Sprint(uiMetadata) {
					return fmt.Errorf("ui_metadata did not survive the update: %v", d["ui_metadata"])
				}
				return nil
			}, extra(l.UpdateCheck)),
		},
		// Drift of a managed field shows as an update and is fixed.
		{
			PreConfig:         func() { patch(l.Drift) },
			Config:            l.config(l.Update),
			ConfigPlanChecks:  action(plancheck.ResourceActionUpdate),
			ConfigStateChecks: l.UpdateChecks,
		},
	}...)
	// patchFrom changes the document behind Terraform's back with what change makes of it.
	patchFrom := func(change func(map[string]any) map[string]any) {
		d, err := doc()
		if err != nil {
			t.Fatal(err)
		}
		patch(change(d))
	}
	if l.MapDrift != nil {
		steps = append(steps, resource.TestStep{
			PreConfig: func() {
				patchFrom(l.MapDrift)
				acctest.ResetSimStats(t)
			},
			Config:            l.config(l.Update),
			ConfigPlanChecks:  action(plancheck.ResourceActionUpdate),
			ConfigStateChecks: l.UpdateChecks,
			Check:             expectOneWrite(t, l.writeMethod()),
		})
	}
	if l.MapAdded != nil {
		steps = append(steps, resource.TestStep{
			PreConfig: func() { patchFrom(l.MapAdded) },
			Config:    l.config(l.Update),
			PlanOnly:  true,
		})
	}
	steps = append(steps,
		// Removing managed fields from the configuration removes them from KAZOO.
		resource.TestStep{
			Config:            l.config(l.Removed),
			ConfigPlanChecks:  action(plancheck.ResourceActionUpdate),
			ConfigStateChecks: l.RemovedChecks,
			Check: func(*terraform.State) error {
				d, err := doc()
				if err != nil {
					return err
				}
				for _, k := range l.RemovedKeys {
					if v, ok := lookupKey(d, k); ok {
						return fmt.Errorf("%s is still in KAZOO's document: %v", k, v)
					}
				}
				if fmt.Sprint(d["ui_metadata"]) != fmt.Sprint(uiMetadata) {
					return fmt.Errorf("ui_metadata did not survive the update: %v", d["ui_metadata"])
				}
				if l.MapKept != nil {
					return l.MapKept(d)
				}
				return nil
			},
		},
	)
	if l.Duplicate != "" {
		// KAZOO's own validation error comes back on the attribute.
		steps = append(steps, resource.TestStep{Config: l.config(l.Removed, l.Duplicate), ExpectError: l.DuplicateError})
	}
	if l.ApplyInvalid != "" {
		steps = append(steps, resource.TestStep{Config: l.config(l.Removed, l.ApplyInvalid), ExpectError: l.ApplyInvalidError})
	}
	behindBack := resource.TestStep{
		// A document deleted behind Terraform's back is planned for creation again.
		PreConfig: func() {
			if _, err := c.Delete(ctx, l.docPath(c.AccountID(), parent, id)); err != nil {
				t.Fatalf("deleting %s behind Terraform's back: %v", id, err)
			}
		},
		Config:           l.config(l.Removed),
		ConfigPlanChecks: action(plancheck.ResourceActionCreate),
		Check:            captureID,
	}
	if l.BehindBack != nil {
		behindBack.PreConfig = func() { patchFrom(l.BehindBack) }
	}
	if l.BehindBackAction != "" {
		behindBack.ConfigPlanChecks = action(l.BehindBackAction)
	}
	steps = append(steps, behindBack, resource.TestStep{Config: l.config(l.Removed), PlanOnly: true})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    steps,
		CheckDestroy: func(*terraform.State) error {
			if id == "" {
				return nil // nothing was created
			}
			if l.DestroyCheck != nil {
				d, err := doc()
				if err != nil && !errors.Is(err, client.ErrNotFound) {
					return err
				}
				return l.DestroyCheck(d)
			}
			env, err := c.Get(ctx, l.docPath(c.AccountID(), parent, id), nil)
			if l.MadeUpWithoutRevision && err == nil && env.Revision == "" {
				return nil // KAZOO's made-up stand-in for a document it does not have
			}
			if !errors.Is(err, client.ErrNotFound) {
				return fmt.Errorf("%s %s still exists after destroy (err %v)", l.Type, id, err)
			}
			return nil
		},
	})
}

// withCallRestriction adds the typed-map steps for call_restriction (accounts, users, devices)
// to a lifecycle: Create restricts international calls, Update adds caribbean and tollfree_us,
// Removed drops caribbean again and the action of tollfree_us (gone from KAZOO's value too);
// caribbean changed elsewhere is set back by one write, and a key another tool sets inside
// international is mirrored and kept.
func withCallRestriction(l lifecycle) lifecycle {
	l.Create += "\n  call_restriction = { international = { action = \"deny\" } }"
	l.Update += "\n  call_restriction = {\n    international = { action = \"deny\" }\n    caribbean     = { action = \"deny\" }\n    tollfree_us   = { action = \"inherit\" }\n  }"
	// Removed drops one key of the map and the action inside another.
	l.Removed += "\n  call_restriction = {\n    international = { action = \"deny\" }\n    tollfree_us   = {}\n  }"
	l.CreateChecks = append(l.CreateChecks, statecheck.ExpectKnownValue(l.addr(),
		tfjsonpath.New("call_restriction").AtMapKey("international").AtMapKey("action"), knownvalue.StringExact("deny")))
	l.UpdateChecks = append(l.UpdateChecks, statecheck.ExpectKnownValue(l.addr(),
		tfjsonpath.New("call_restriction").AtMapKey("caribbean").AtMapKey("action"), knownvalue.StringExact("deny")))
	l.RemovedChecks = append(l.RemovedChecks,
		statecheck.ExpectKnownValue(l.addr(), tfjsonpath.New("call_restriction"), knownvalue.MapSizeExact(2)),
		statecheck.ExpectKnownValue(l.addr(), tfjsonpath.New("call_restriction").AtMapKey("tollfree_us").AtMapKey("action"), knownvalue.Null()))
	l.RemovedKeys = append(l.RemovedKeys, "call_restriction.caribbean", "call_restriction.tollfree_us.action")
	l.MapDrift = func(map[string]any) map[string]any {
		return map[string]any{"call_restriction": map[string]any{"caribbean": map[string]any{"action": "inherit"}}}
	}
	l.MapAdded = func(map[string]any) map[string]any {
		return map[string]any{"call_restriction": map[string]any{"international": map[string]any{"note": "set elsewhere"}}}
	}
	l.MapKept = func(doc map[string]any) error {
		if v, _ := lookupKey(doc, "call_restriction.international"); fmt.Sprint(v) != "map[action:deny note:set elsewhere]" {
			return fmt.Errorf("call_restriction.international = %v, want the configured action and the note set elsewhere", v)
		}
		return nil
	}
	return l
}

// writeMethod is how the provider updates the resource's documents.
func (l lifecycle) writeMethod() string {
	if l.NoPatch {
		return "POST"
	}
	return "PATCH"
}

// expectOneWrite asserts, through the simulator's request counters reset before the step, that
// the step's apply wrote the document with exactly one request of the given method and nothing
// else. Against another KAZOO, which has no counters, it logs that the count was not checked.
func expectOneWrite(t *testing.T, method string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		stats, ok := acctest.SimStats(t)
		if !ok {
			t.Log("request counts not checked: this KAZOO has no /sim/stats")
			return nil
		}
		writes := map[string]int{}
		for k, c := range stats.Requests {
			if m := strings.Fields(k)[0]; m != "GET" && !strings.Contains(k, "_auth") {
				writes[m] += c
			}
		}
		if writes[method] != 1 || len(writes) != 1 {
			return fmt.Errorf("writes %v, want exactly one %s", writes, method)
		}
		return nil
	}
}

func (l lifecycle) importIgnore() []string {
	return append([]string{"accept_charges", "extra_json"}, l.ImportIgnore...)
}

// generateConfigUnsupported skips the generated-configuration step where the CLI cannot
// generate this resource's configuration, and says why in the test log.
func generateConfigUnsupported(t *testing.T, typeName string) func() (bool, error) {
	return func() (bool, error) {
		if old, err := cliBelow(1, 6)(); err != nil || old {
			if old {
				t.Log("generated configuration step skipped: Terraform 1.5's generator leaves nested id attributes out")
			}
			return old, err
		}
		if !cliIsOpenTofu() {
			return false, nil
		}
		if name, ok := mapAttribute(provider.ResourceSchema(strings.TrimPrefix(typeName, "kazoo_")).Attributes, ""); ok {
			t.Logf("generated configuration step skipped: OpenTofu writes the keys of map %s unquoted, which it cannot parse back when they are not identifiers (a leading digit or +)", name)
			return true, nil
		}
		return false, nil
	}
}

// mapAttribute returns the path of a map attribute among attrs, nested ones included (a
// connectivity server's dids).
func mapAttribute(attrs map[string]rschema.Attribute, prefix string) (string, bool) {
	for name, a := range attrs {
		var nested map[string]rschema.Attribute
		switch n := a.(type) {
		case rschema.MapAttribute, rschema.MapNestedAttribute:
			return prefix + name, true
		case rschema.SingleNestedAttribute:
			nested = n.Attributes
		case rschema.ListNestedAttribute:
			nested = n.NestedObject.Attributes
		}
		if p, ok := mapAttribute(nested, prefix+name+"."); ok {
			return p, true
		}
	}
	return "", false
}

// cliIsOpenTofu reports whether the CLI under test is OpenTofu.
func cliIsOpenTofu() bool {
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		return false
	}
	out, err := exec.Command(bin, "version").Output()
	return err == nil && strings.HasPrefix(strings.TrimSpace(string(out)), "OpenTofu")
}

// cliBelow is acctest.CLIBelow.
func cliBelow(major, minor int) func() (bool, error) { return acctest.CLIBelow(major, minor) }

// lookupKey reads a dotted key of a document.
func lookupKey(doc map[string]any, key string) (any, bool) {
	var cur any = doc
	for _, seg := range strings.Split(key, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[seg]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// randomDigits returns n random decimal digits, the first not 0 or 1.
func randomDigits(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		lo := int64(0)
		if i == 0 {
			lo = 2
		}
		d, _ := rand.Int(rand.Reader, big.NewInt(10-lo))
		b.WriteString(fmt.Sprint(d.Int64() + lo))
	}
	return b.String()
}

// compareSame asserts two values are equal.
var compareSame = compare.ValuesSame()

// checkLogin asserts KAZOO accepts the username and password in the provider's account: the
// proof that a password Terraform sent reached KAZOO.
func checkLogin(t *testing.T, username, password string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		admin := acctest.Client(t)
		env, err := admin.Get(ctx, client.Path("accounts", admin.AccountID()), nil)
		if err != nil {
			return err
		}
		var acct struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(env.Data, &acct); err != nil {
			return err
		}
		cfg := acctest.ConfigFromEnv()
		cfg.APIKey, cfg.AuthToken = "", ""
		cfg.Username, cfg.Password, cfg.AccountName, cfg.AccountRealm, cfg.PhoneNumber = username, password, acct.Name, "", ""
		c, err := client.New(cfg)
		if err != nil {
			return err
		}
		if err := c.Login(ctx); err != nil {
			return fmt.Errorf("logging in as %s with the password Terraform sent: %w", username, err)
		}
		return nil
	}
}

// nanpNumber returns a random 10-digit North American number (NPA-NXX-XXXX).
func nanpNumber() string { return randomDigits(3) + randomDigits(7) }

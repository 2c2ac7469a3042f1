package engine

import (
	"context"
	"reflect"
	"sort"
	"testing"

	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Every password and PIN of KAZOO's schemas is found by name; those outside lists get a twin.
func TestSecretsFoundByName(t *testing.T) {
	cases := map[string]struct {
		spec          Spec
		twins, nested []string
	}{
		"users":        {testSpecs[1], []string{"hotdesk_pin", "password"}, nil},
		"devices":      {testSpecs[2], []string{"sip_password"}, nil},
		"vmboxes":      {testSpecs[4], []string{"pin"}, nil},
		"conferences":  {Spec{TypeName: "conference", Schema: "conferences"}, []string{"bridge_password", "member_pins", "moderator_pins"}, nil},
		"menus":        {Spec{TypeName: "menu", Schema: "menus"}, []string{"record_pin"}, nil},
		"cccps":        {Spec{TypeName: "cccp", Schema: "cccps"}, []string{"pin"}, nil},
		"resources":    {Spec{TypeName: "carrier", Schema: "resources"}, nil, []string{"gateways.password"}},
		"connectivity": {Spec{TypeName: "connectivity", Schema: "connectivity"}, nil, []string{"servers.auth.auth_password"}},
	}
	for name, c := range cases {
		e := mustEngine(t, c.spec)
		var twins []string
		for _, s := range e.secrets {
			twins = append(twins, s.twin)
		}
		sort.Strings(twins)
		if !reflect.DeepEqual(twins, c.twins) {
			t.Errorf("%s: twins %v, want %v", name, twins, c.twins)
		}
		var secretPaths []string
		e.root.eachDescendant(func(f *field) {
			if f.secret {
				secretPaths = append(secretPaths, f.path)
			}
		})
		for _, p := range c.nested {
			found := false
			for _, s := range secretPaths {
				found = found || s == p
			}
			if !found {
				t.Errorf("%s: %s inside a list is not marked secret (%v)", name, p, secretPaths)
			}
		}
	}
	// Booleans about PINs are no secrets.
	if f := mustEngine(t, testSpecs[4]).fieldAt("require_pin"); f.secret {
		t.Error("vmboxes require_pin is no secret")
	}
}

func TestSecretSchema(t *testing.T) {
	ctx := context.Background()
	rs := deviceEngine(t).resourceSchema()
	if diags := rs.ValidateImplementation(ctx); diags.HasError() {
		t.Fatal(diags)
	}
	wo, ok := rs.Attributes["sip_password_wo"].(rschema.StringAttribute)
	if !ok || !wo.WriteOnly || !wo.Sensitive {
		t.Errorf("sip_password_wo is a sensitive write-only string: %#v", rs.Attributes["sip_password_wo"])
	}
	if _, ok := rs.Attributes["sip_password_wo_version"].(rschema.Int64Attribute); !ok {
		t.Error("sip_password_wo_version is a number")
	}
	sip := rs.Attributes["sip"].(rschema.SingleNestedAttribute)
	if !sip.Attributes["password"].IsSensitive() {
		t.Error("sip.password is sensitive")
	}
	c := mustEngine(t, Spec{TypeName: "conference", Schema: "conferences"}).resourceSchema()
	if l, ok := c.Attributes["member_pins_wo"].(rschema.ListAttribute); !ok || !l.WriteOnly {
		t.Errorf("member_pins_wo is a write-only list: %#v", c.Attributes["member_pins_wo"])
	}
	if _, err := New(Spec{TypeName: "user", Schema: "users", WriteOnlySecrets: []string{"first_name_typo"}}, Options{}); err == nil {
		t.Error("a WriteOnlySecrets name that is no attribute is refused")
	}
}

// With the twin in use, the secret is planned and stored as null, sent on create and when the
// version changes, and never removed because its attribute is null.
func TestSecretTwinLifecycle(t *testing.T) {
	e := deviceEngine(t)
	typ := resourceType(e)
	withTwin := func(v tftypes.Value, secret string, version int64) tftypes.Value {
		v = withAttr(v, "sip_password_wo", tftypes.NewValue(tftypes.String, secret))
		return withAttr(v, "sip_password_wo_version", tftypes.NewValue(tftypes.Number, version))
	}
	cfg := withTwin(objectValue(t, e, `{"name":"d","sip":{"username":"u"}}`, nil), "s3cret-1", 1)

	// Plan: the twin and the secret are null.
	pl := &planner{}
	plan := pl.object(e.root, cfg, tftypes.NewValue(typ, nil), false, typ, "")
	plan = withAttr(plan, "sip_password_wo_version", getAttr(cfg, "sip_password_wo_version"))
	plan = e.planSecrets(cfg, plan)
	if v := getAttr(plan, "sip_password_wo"); !v.IsNull() {
		t.Errorf("planned sip_password_wo = %v, want null", v)
	}
	if v := getAttr(getAttr(plan, "sip"), "password"); !v.IsNull() {
		t.Errorf("planned sip.password = %v, want null", v)
	}

	// Create sends the write-only value.
	doc, err := objectToJSON(e.root, plan)
	if err != nil {
		t.Fatal(err)
	}
	e.secretsToSend(doc, cfg, tftypes.NewValue(typ, nil), plan)
	if got, _ := lookupPath(doc, "sip", "password"); got != "s3cret-1" {
		t.Errorf("create sends sip.password %v", got)
	}

	// The answer's secret never reaches the state.
	answer := map[string]any{"name": "d", "sip": map[string]any{"username": "u", "password": "s3cret-1"}}
	e.blankTwinnedSecrets(answer, plan)
	if _, ok := lookupPath(answer, "sip", "password"); ok {
		t.Error("the secret KAZOO returns is blanked before the state is built")
	}

	// Update with the same version: nothing about the secret is sent.
	prior := withTwin(objectValue(t, e, `{"name":"d","sip":{"username":"u"}}`, nil), "", 1)
	prior = withAttr(prior, "sip_password_wo", tftypes.NewValue(tftypes.String, nil))
	next := withAttr(prior, "name", tftypes.NewValue(tftypes.String, "d2"))
	patch, _ := patchObject(e.root, prior, next)
	e.secretsToSend(patch, withTwin(next, "s3cret-1", 1), prior, next)
	if !reflect.DeepEqual(patch, map[string]any{"name": "d2"}) {
		t.Errorf("patch without a new version = %#v", patch)
	}
	// A new version sends the new secret.
	bumped := withAttr(next, "sip_password_wo_version", tftypes.NewValue(tftypes.Number, 2))
	patch, _ = patchObject(e.root, prior, bumped)
	e.secretsToSend(patch, withTwin(bumped, "s3cret-2", 2), prior, bumped)
	if got, _ := lookupPath(patch, "sip", "password"); got != "s3cret-2" {
		t.Errorf("a new version sends the new secret, patch = %#v", patch)
	}

	// Switching from the plain attribute to the twin is no removal of the secret.
	plainPrior := objectValue(t, e, `{"name":"d","sip":{"username":"u","password":"old"}}`, nil)
	switched := e.planSecrets(cfg, withAttr(plainPrior, "sip_password_wo_version", getAttr(cfg, "sip_password_wo_version")))
	patch, _ = patchObject(e.root, plainPrior, switched)
	e.secretsToSend(patch, cfg, plainPrior, switched)
	if got, _ := lookupPath(patch, "sip", "password"); got != "s3cret-1" {
		t.Errorf("switching to the twin sends its value, patch = %#v", patch)
	}
}

func TestDropNullAt(t *testing.T) {
	patch := map[string]any{"sip": map[string]any{"password": nil}, "name": "x"}
	dropNullAt(patch, []string{"sip", "password"})
	if !reflect.DeepEqual(patch, map[string]any{"name": "x"}) {
		t.Errorf("patch = %#v", patch)
	}
	kept := map[string]any{"sip": map[string]any{"password": "p"}}
	dropNullAt(kept, []string{"sip", "password"})
	if kept["sip"].(map[string]any)["password"] != "p" {
		t.Error("a value that is no removal stays")
	}
}

func lookupPath(doc map[string]any, keys ...string) (any, bool) {
	var cur any = doc
	for _, k := range keys {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

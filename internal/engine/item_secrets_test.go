package engine

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var (
	carrierTestSpec      = Spec{TypeName: "carrier", Schema: "resources", Patch: true}
	connectivityTestSpec = Spec{TypeName: "connectivity", Schema: "connectivity", Patch: true,
		Overrides: map[string]Override{"servers": {NotComputed: true}}}
)

func TestItemTwinName(t *testing.T) {
	for names, want := range map[string]string{
		"password":           "password",
		"auth auth_password": "auth_password",
		"sip password":       "sip_password",
		"a b c_pin":          "a_b_c_pin",
		"a a_b a_b_pin":      "a_b_pin",
	} {
		if got := itemTwinName(strings.Fields(names)); got != want {
			t.Errorf("itemTwinName(%q) = %q, want %q", names, got, want)
		}
	}
}

// Secrets in the items of a list that is not computed get a twin in the item; the framework
// accepts the schema. A computed list (a connectivity's servers without NotComputed, resource
// templates' optional gateways) keeps its secrets Sensitive only.
func TestItemSecretTwins(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		spec       Spec
		list, twin string
	}{
		"carrier":                  {carrierTestSpec, "gateways", "password"},
		"connectivity":             {connectivityTestSpec, "servers", "auth_password"},
		"connectivity computed":    {Spec{TypeName: "connectivity", Schema: "connectivity"}, "", ""},
		"template (optional list)": {Spec{TypeName: "resource_template", Schema: "resources", Overrides: map[string]Override{"gateways": {Optional: true}}}, "", ""},
	}
	for name, c := range cases {
		e := mustEngine(t, c.spec)
		rs := e.resourceSchema()
		if diags := rs.ValidateImplementation(ctx); diags.HasError() {
			t.Fatalf("%s: %v", name, diags)
		}
		if c.list == "" {
			if len(e.itemSecrets) != 0 {
				t.Errorf("%s: a computed list has item twins %v", name, e.itemSecrets)
			}
			continue
		}
		if len(e.itemSecrets) != 1 || e.itemSecrets[0].twin != c.twin {
			t.Fatalf("%s: item secrets %v, want the twin %s", name, e.itemSecrets, c.twin)
		}
		list := rs.Attributes[c.list].(rschema.ListNestedAttribute)
		if list.Computed {
			t.Errorf("%s: %s is computed", name, c.list)
		}
		item := list.NestedObject.Attributes
		if wo, ok := item[c.twin+"_wo"].(rschema.StringAttribute); !ok || !wo.WriteOnly || !wo.Sensitive || !wo.Optional {
			t.Errorf("%s: %s_wo is an optional sensitive write-only string: %#v", name, c.twin, item[c.twin+"_wo"])
		}
		if v, ok := item[c.twin+"_wo_version"].(rschema.Int64Attribute); !ok || v.Computed {
			t.Errorf("%s: %s_wo_version is a number the configuration alone sets", name, c.twin)
		}
	}
}

// withItemTwins sets the twin of each item of a list: a secret and version per item (a nil
// secret leaves the item without one).
func withItemTwins(v tftypes.Value, list, twin string, secrets []any, versions []any) tftypes.Value {
	return withListElems(v, list, func(j int, el tftypes.Value) tftypes.Value {
		el = withAttr(el, twin+"_wo", tftypes.NewValue(tftypes.String, secrets[j]))
		return withAttr(el, twin+"_wo_version", tftypes.NewValue(tftypes.Number, versions[j]))
	})
}

func itemSecretAt(t *testing.T, doc map[string]any, list string, j int, keys ...string) any {
	t.Helper()
	items := objectItems(doc[list])
	if j >= len(items) {
		t.Fatalf("%s has %d items, want item %d: %#v", list, len(items), j, doc)
	}
	v, _ := lookupPath(items[j], keys...)
	return v
}

// The life of a gateway password set write-only: planned and stored as null, sent on create,
// kept (carried from KAZOO's document) when the list changes around it, sent again when its
// version changes or a new item takes the place of another.
func TestItemSecretLifecycle(t *testing.T) {
	e := mustEngine(t, carrierTestSpec)
	typ := resourceType(e)
	null := tftypes.NewValue(typ, nil)
	plan := func(cfg, prior tftypes.Value) tftypes.Value {
		pl := &planner{was: map[string]bool{}}
		return e.planSecrets(cfg, pl.object(e.root, cfg, prior, !prior.IsNull(), typ, ""))
	}
	cfg := withItemTwins(objectValue(t, e, `{"name":"c","gateways":[{"server":"a"},{"server":"b"}]}`, nil),
		"gateways", "password", []any{"pa", "pb"}, []any{1, 1})

	planned := plan(cfg, null)
	for j, el := range listElems(getAttr(planned, "gateways")) {
		if !getAttr(el, "password_wo").IsNull() || !getAttr(el, "password").IsNull() {
			t.Errorf("planned gateway %d holds a secret: %v", j, el)
		}
		if getAttr(el, "password_wo_version").IsNull() {
			t.Errorf("planned gateway %d lost its version", j)
		}
	}

	// Create sends every item's secret.
	doc, err := objectToJSON(e.root, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.secretsToSend(doc, cfg, null, planned)
	if a, b := itemSecretAt(t, doc, "gateways", 0, "password"), itemSecretAt(t, doc, "gateways", 1, "password"); a != "pa" || b != "pb" {
		t.Errorf("create sends %v and %v", a, b)
	}

	// KAZOO's answer: the secrets are blanked, the versions kept.
	answer := map[string]any{"name": "c", "gateways": []any{
		map[string]any{"server": "a", "password": "pa"}, map[string]any{"server": "b", "password": "pb", "note": "elsewhere"}}}
	stored := func(answer map[string]any, base tftypes.Value, written bool) tftypes.Value {
		doc := copyDoc(t, answer)
		links := e.itemTwinLinks(doc, base, written)
		v, err := docToValue(e.root, doc, typ, nil)
		if err != nil {
			t.Fatal(err)
		}
		return e.itemTwinState(v, base, links)
	}
	prior := stored(answer, planned, true)
	for j, el := range listElems(getAttr(prior, "gateways")) {
		if !getAttr(el, "password").IsNull() || !getAttr(el, "password_wo").IsNull() {
			t.Errorf("stored gateway %d holds a secret: %v", j, el)
		}
		if !getAttr(el, "password_wo_version").Equal(tftypes.NewValue(tftypes.Number, 1)) {
			t.Errorf("stored gateway %d has version %v", j, getAttr(el, "password_wo_version"))
		}
	}
	// A document read without a base (an import) holds the secrets and no version.
	imported := stored(answer, null, false)
	if el := listElems(getAttr(imported, "gateways"))[1]; stringValue(getAttr(el, "password")) != "pb" || !getAttr(el, "password_wo_version").IsNull() {
		t.Errorf("imported gateway = %v", el)
	}

	// Gateway a removed, b kept with a new write-only value but the same version, c added in
	// front: only c's secret is sent, b keeps KAZOO's.
	next := withItemTwins(objectValue(t, e, `{"name":"c","gateways":[{"server":"c"},{"server":"b"}]}`, nil),
		"gateways", "password", []any{"pc", "pb-ignored"}, []any{1, 1})
	planned = plan(next, prior)
	patch, err := patchObject(e.root, prior, planned)
	if err != nil {
		t.Fatal(err)
	}
	e.secretsToSend(patch, next, prior, planned)
	if got := itemSecretAt(t, patch, "gateways", 0, "password"); got != "pc" {
		t.Errorf("the new gateway's secret = %v", got)
	}
	if got := itemSecretAt(t, patch, "gateways", 1, "password"); got != (storedSecret{}) {
		t.Errorf("the kept gateway's secret is sent again without a new version: %v", got)
	}
	if _, err := json.Marshal(patch); err == nil {
		t.Error("a patch holding a stored secret KAZOO's document did not resolve can be sent")
	}
	carryUnmodelled(e.root, patch, copyDoc(t, answer), lineage{})
	if got := itemSecretAt(t, patch, "gateways", 1, "password"); got != "pb" {
		t.Errorf("the kept gateway does not carry KAZOO's secret: %v (patch %#v)", got, patch)
	}
	if got := itemSecretAt(t, patch, "gateways", 0, "password"); got != "pc" {
		t.Errorf("carrying overwrote the secret being sent: %v", got)
	}

	// A kept gateway KAZOO no longer has is sent without a secret.
	patch, _ = patchObject(e.root, prior, planned)
	e.secretsToSend(patch, next, prior, planned)
	carryUnmodelled(e.root, patch, map[string]any{"gateways": []any{}}, lineage{})
	if _, ok := lookupPath(objectItems(patch["gateways"])[1], "password"); ok {
		t.Errorf("a stored secret KAZOO does not have is sent: %#v", patch)
	}

	// The twin dropped from gateway b: KAZOO's secret stays; the state after the write holds
	// null as planned (the next read mirrors KAZOO's).
	dropped := withItemTwins(objectValue(t, e, `{"name":"c","gateways":[{"server":"a"},{"server":"b"}]}`, nil),
		"gateways", "password", []any{"pa", nil}, []any{1, nil})
	planned = plan(dropped, prior)
	patch, _ = patchObject(e.root, prior, planned)
	e.secretsToSend(patch, dropped, prior, planned)
	carryUnmodelled(e.root, patch, copyDoc(t, answer), lineage{})
	if got := itemSecretAt(t, patch, "gateways", 1, "password"); got != "pb" {
		t.Errorf("dropping the twin lost KAZOO's secret: %v", got)
	}
	after := stored(answer, planned, true)
	if el := listElems(getAttr(after, "gateways"))[1]; !getAttr(el, "password").IsNull() {
		t.Errorf("the write's state holds the secret the plan has as null: %v", el)
	}

	// A plain secret the configuration removes (no twin, planned null) is not carried.
	plainPrior := objectValue(t, e, `{"name":"c","gateways":[{"server":"a","password":"pa"}]}`, nil)
	removed := objectValue(t, e, `{"name":"c","gateways":[{"server":"a"}]}`, nil)
	patch, _ = patchObject(e.root, plainPrior, removed)
	e.secretsToSend(patch, removed, plainPrior, removed)
	carryUnmodelled(e.root, patch, map[string]any{"gateways": []any{map[string]any{"server": "a", "password": "pa"}}}, lineage{})
	if _, ok := lookupPath(objectItems(patch["gateways"])[0], "password"); ok {
		t.Errorf("a removed plain secret is carried back: %#v", patch)
	}

	// A new version sends b's secret; a gateway that took another's place sends its own.
	bumped := withItemTwins(objectValue(t, e, `{"name":"c","gateways":[{"server":"a"},{"server":"d"}]}`, nil),
		"gateways", "password", []any{"pa2", "pd"}, []any{2, 1})
	planned = plan(bumped, prior)
	patch, _ = patchObject(e.root, prior, planned)
	e.secretsToSend(patch, bumped, prior, planned)
	if a, d := itemSecretAt(t, patch, "gateways", 0, "password"), itemSecretAt(t, patch, "gateways", 1, "password"); a != "pa2" || d != "pd" {
		t.Errorf("a new version and a new gateway send %v and %v", a, d)
	}

	// Only a version changed: the list is sent, with that item's secret.
	onlyVersion := withItemTwins(objectValue(t, e, `{"name":"c","gateways":[{"server":"a"},{"server":"b"}]}`, nil),
		"gateways", "password", []any{"pa3", "pb"}, []any{3, 1})
	planned = plan(onlyVersion, prior)
	patch, _ = patchObject(e.root, prior, planned)
	e.secretsToSend(patch, onlyVersion, prior, planned)
	if a, b := itemSecretAt(t, patch, "gateways", 0, "password"), itemSecretAt(t, patch, "gateways", 1, "password"); a != "pa3" || b != (storedSecret{}) {
		t.Errorf("a version change alone sends %v and %v", a, b)
	}
}

// A connectivity's auth_password_wo goes into the item's auth object.
func TestItemSecretInNestedObject(t *testing.T) {
	e := mustEngine(t, connectivityTestSpec)
	typ := resourceType(e)
	cfg := withItemTwins(objectValue(t, e, `{"servers":[{"name":"pbx","auth":{"auth_method":"password","auth_user":"u"}}]}`, nil),
		"servers", "auth_password", []any{"s3cret"}, []any{1})
	planned := e.planSecrets(cfg, (&planner{}).object(e.root, cfg, tftypes.NewValue(typ, nil), false, typ, ""))
	doc, err := objectToJSON(e.root, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.secretsToSend(doc, cfg, tftypes.NewValue(typ, nil), planned)
	if got := itemSecretAt(t, doc, "servers", 0, "auth", "auth_password"); got != "s3cret" {
		t.Errorf("create sends auth.auth_password %v (%#v)", got, doc)
	}
	// KAZOO's stored password is carried into an item that does not send it.
	now := map[string]any{"servers": []any{map[string]any{"name": "pbx", "auth": map[string]any{"auth_method": "password", "auth_password": storedSecret{}}}}}
	carryUnmodelled(e.root, now, map[string]any{"servers": []any{map[string]any{"name": "pbx", "auth": map[string]any{"auth_password": "kept"}}}}, lineage{})
	if got := itemSecretAt(t, now, "servers", 0, "auth", "auth_password"); got != "kept" {
		t.Errorf("carried auth.auth_password = %v", got)
	}
}

// A NotComputed attribute left out of the configuration is planned null and not read, except
// on the first read of an imported document; a state that mirrored it before stops doing so.
func TestNotComputed(t *testing.T) {
	e := mustEngine(t, connectivityTestSpec)
	typ := resourceType(e)
	prior := objectValue(t, e, `{"name":"t","servers":[{"name":"pbx"}]}`, nil)
	cfg := objectValue(t, e, `{"name":"t"}`, nil)
	if got := getAttr((&planner{was: map[string]bool{}}).object(e.root, cfg, prior, true, typ, ""), "servers"); !got.IsNull() {
		t.Errorf("servers left out are planned %v, want null", got)
	}
	withoutServers := withAttr(prior, "servers", tftypes.NewValue(getAttr(prior, "servers").Type(), nil))
	if got := getAttr(e.readBase(withoutServers, nil, false), "servers"); got.IsKnown() {
		t.Errorf("an imported document's servers are not read (base %v)", got)
	}
	if got := getAttr(e.readBase(prior, map[string]bool{"name": true}, true), "servers"); !got.IsNull() {
		t.Errorf("servers the configuration does not manage stay in the state (base %v)", got)
	}
	if got := e.readBase(prior, map[string]bool{"servers": true}, true); !got.Equal(prior) {
		t.Errorf("managed servers are read as before: %v", got)
	}
	doc := map[string]any{"name": "t", "servers": []any{}}
	e.dropNotComputed(doc, withoutServers)
	if !reflect.DeepEqual(doc, map[string]any{"name": "t"}) {
		t.Errorf("a document's servers are dropped when the base has none: %v", doc)
	}
}

// copyDoc copies a JSON document.
func copyDoc(t *testing.T, doc map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	out, err := docFromJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

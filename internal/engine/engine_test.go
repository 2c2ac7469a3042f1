package engine

import (
	"context"
	"encoding/json"
	"math/big"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var testSpecs = []Spec{
	{TypeName: "account", Collection: "accounts", Schema: "accounts", Patch: true, Scope: ScopeAccounts},
	{TypeName: "user", Collection: "users", Schema: "users", Patch: true, WriteOnlySecrets: []string{"password"},
		Overrides: map[string]Override{"username": {Normalize: "lower"}}},
	{TypeName: "device", Collection: "devices", Schema: "devices", Patch: true,
		Overrides: map[string]Override{"sip.password": {Sensitive: true}}, AlwaysSend: []string{"device_type"}},
	{TypeName: "callflow", Collection: "callflows", Schema: "callflows", Patch: true,
		Overrides: map[string]Override{"flow": {JSON: true}}},
	{TypeName: "vmbox", Collection: "vmboxes", Schema: "vmboxes", Patch: true},
	{TypeName: "group", Collection: "groups", Schema: "groups", Patch: true},
}

func mustEngine(t *testing.T, spec Spec) *Engine {
	t.Helper()
	e, err := New(spec, Options{})
	if err != nil {
		t.Fatalf("New(%s): %v", spec.TypeName, err)
	}
	return e
}

func deviceEngine(t *testing.T) *Engine { return mustEngine(t, testSpecs[2]) }

var validName = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// Every schema of the core resources yields a schema the framework accepts, with valid names.
func TestSchemasAreValid(t *testing.T) {
	ctx := context.Background()
	for _, spec := range testSpecs {
		e := mustEngine(t, spec)
		rs := e.resourceSchema()
		if diags := rs.ValidateImplementation(ctx); diags.HasError() {
			t.Errorf("%s resource schema: %v", spec.TypeName, diags)
		}
		ds := e.dataSourceSchema()
		if diags := ds.ValidateImplementation(ctx); diags.HasError() {
			t.Errorf("%s data source schema: %v", spec.TypeName, diags)
		}
		e.root.eachDescendant(func(c *field) {
			if !validName.MatchString(c.name) {
				t.Errorf("%s: %s has invalid name %q", spec.TypeName, c.path, c.name)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	e := deviceEngine(t)
	cases := map[string]kind{
		"name":                     kindString,
		"sip":                      kindObject,
		"sip.expire_seconds":       kindInt,
		"enabled":                  kindBool,
		"flags":                    kindList,
		"call_restriction":         kindObjectMap, // additionalProperties of objects
		"provision.combo_keys":     kindMap,       // patternProperties of oneOf values: map of JSON
		"hotdesk.users":            kindMap,       // patternProperties of free-form objects
		"dial_plan":                kindJSON,      // properties beside additionalProperties
		"formatters":               kindMap,
		"outbound_flags":           kindJSON, // oneOf
		"media.bypass_media":       kindScalar,
		"provision.endpoint_model": kindScalar,
		"sip.custom_sip_headers":   kindJSON, // anyOf
	}
	for p, want := range cases {
		f := e.fieldAt(p)
		if f == nil {
			t.Errorf("%s: no field", p)
			continue
		}
		if f.kind != want {
			t.Errorf("%s: kind %d, want %d", p, f.kind, want)
		}
	}
	u := mustEngine(t, testSpecs[1])
	if f := u.fieldAt("profile.addresses"); f == nil || f.kind != kindObjectList {
		t.Errorf("profile.addresses should be a list of objects: %+v", f)
	}
	if f := u.fieldAt("profile.sort-string"); f == nil || f.name != "sort_string" {
		t.Errorf("profile.sort-string should be renamed sort_string: %+v", f)
	}
	if f := u.fieldAt("first_name"); f == nil || !f.required {
		t.Error("users first_name is required by the schema and has no default")
	}
	if f := u.fieldAt("enabled"); f == nil || f.required {
		t.Error("users enabled is optional")
	}
	c := mustEngine(t, testSpecs[3])
	if f := c.fieldAt("flow"); f == nil || f.kind != kindJSON || len(f.children) != 0 {
		t.Error("callflow flow is overridden to JSON")
	}
}

func (e *Engine) fieldAt(p string) *field {
	cur := e.root
	for _, seg := range strings.Split(p, ".") {
		cur = cur.childByKey(seg)
		if cur == nil {
			return nil
		}
	}
	return cur
}

func TestTerraformName(t *testing.T) {
	for in, want := range map[string]string{
		"sort-string": "sort_string", "Caller.ID": "caller_id", "count": "count_value",
		"provider": "provider_value", "9lives": "_9lives", "account_id": "account_id_value",
	} {
		if got := terraformName(in); got != want {
			t.Errorf("terraformName(%q) = %q, want %q", in, got, want)
		}
	}
	spec := Spec{TypeName: "x", Schema: "devices", Additional: []Additional{{Key: "Name"}}}
	if _, err := New(spec, Options{}); err == nil || !strings.Contains(err.Error(), "both map") {
		t.Errorf("a key renamed onto an existing attribute must fail, got %v", err)
	}
}

func resourceType(e *Engine) tftypes.Object {
	return e.resourceSchema().Type().TerraformType(context.Background()).(tftypes.Object)
}

const deviceDoc = `{
  "id": "0123456789abcdef0123456789abcdef",
  "name": "Desk phone",
  "enabled": true,
  "device_type": "sip_device",
  "flags": ["a", "b"],
  "sip": {"username": "desk", "password": "secret12", "expire_seconds": 300, "invite_format": "contact", "method": "password"},
  "call_restriction": {"tollfree_us": {"action": "deny"}},
  "media": {"bypass_media": "auto", "audio": {"codecs": ["PCMU"]}},
  "provision": {"endpoint_model": 46},
  "ui_metadata": {"origin": "monsterui"}
}`

func TestDocumentRoundTrip(t *testing.T) {
	e := deviceEngine(t)
	doc, err := docFromJSON([]byte(deviceDoc))
	if err != nil {
		t.Fatal(err)
	}
	v, err := docToValue(e.root, doc, resourceType(e), map[string]tftypes.Value{
		attrID: tftypes.NewValue(tftypes.String, "x"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := stringValue(getAttr(getAttr(v, "sip"), "username")); got != "desk" {
		t.Errorf("sip.username = %q", got)
	}
	if got := stringValue(getAttr(getAttr(v, "media"), "bypass_media")); got != "auto" {
		t.Errorf("media.bypass_media = %q", got)
	}
	if got := stringValue(getAttr(getAttr(v, "provision"), "endpoint_model")); got != "46" {
		t.Errorf("provision.endpoint_model = %q", got)
	}
	var exp big.Float
	_ = getAttr(getAttr(v, "sip"), "expire_seconds").As(&exp)
	if n, _ := exp.Int64(); n != 300 {
		t.Errorf("sip.expire_seconds = %v", n)
	}
	back, err := objectToJSON(e.root, v)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := docFromJSON([]byte(deviceDoc))
	delete(want, "id")
	delete(want, "ui_metadata") // not modelled
	if !reflect.DeepEqual(canonicalJSON(back), canonicalJSON(want)) {
		b1, _ := json.Marshal(back)
		b2, _ := json.Marshal(want)
		t.Errorf("round trip:\n got %s\nwant %s", b1, b2)
	}
	// Mixed scalars go back with the JSON type the schema allows.
	if m := back["provision"].(map[string]any); m["endpoint_model"] != json.Number("46") {
		t.Errorf("endpoint_model written back as %#v", m["endpoint_model"])
	}
}

func TestJSONEquivalentAppliesDefaults(t *testing.T) {
	c := mustEngine(t, testSpecs[3])
	flow := c.fieldAt("flow")
	configured := `{"module":"user","children":{"_":{"module":"voicemail","data":{"id":"x"}}}}`
	stored := `{"children":{"_":{"data":{"id":"x"},"module":"voicemail"}},"data":{},"module":"user"}`
	if !jsonEquivalent(flow.node, configured, stored) {
		t.Error("a flow whose only difference is KAZOO's default data {} must be equal")
	}
	nested := `{"module":"user","data":{},"children":{"_":{"module":"voicemail"}}}`
	storedNested := `{"module":"user","data":{},"children":{"_":{"module":"voicemail","data":{}}}}`
	if !jsonEquivalent(flow.node, nested, storedNested) {
		t.Error("defaults apply to recursive children too")
	}
	changed := `{"module":"user","data":{"id":"y"}}`
	if jsonEquivalent(flow.node, configured, changed) {
		t.Error("a changed flow must not be equal")
	}
	if !jsonEquivalent(nil, `{"a": 1, "b": [1,2]}`, `{"b":[1,2],"a":1.0}`) {
		t.Error("whitespace, key order and number spelling must not matter")
	}
}

func TestNormalizedSemanticEquality(t *testing.T) {
	ctx := context.Background()
	v := normValue{StringValue: basetypes.NewStringValue("Alice"), typ: normType{norm: "lower"}}
	eq, _ := v.StringSemanticEquals(ctx, basetypes.NewStringValue("alice"))
	if !eq {
		t.Error("Alice and alice are equal under lower")
	}
	eq, _ = v.StringSemanticEquals(ctx, basetypes.NewStringValue("bob"))
	if eq {
		t.Error("Alice and bob differ")
	}
}

// plan helpers ---------------------------------------------------------------------------------

func objectValue(t *testing.T, e *Engine, js string, specials map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	doc, err := docFromJSON([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	v, err := docToValue(e.root, doc, resourceType(e), specials)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestManagedPaths(t *testing.T) {
	e := deviceEngine(t)
	cfg := objectValue(t, e, `{"name":"d","sip":{"username":"u"},"flags":[]}`, nil)
	got := sortedKeys(managedPaths(e.root, cfg))
	want := []string{"flags", "name", "sip.username"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("managed = %v, want %v", got, want)
	}
}

// Inside lists of objects and maps of objects the record names each item by its position and
// each value by its key, beside the list or map recorded whole.
func TestManagedPathsInsideItemsAndMaps(t *testing.T) {
	u := mustEngine(t, testSpecs[1])
	cfg := objectValue(t, u, `{"first_name":"a","profile":{"addresses":[{"address":"a1"},{"address":"a2","types":["work"]}]},
		"call_restriction":{"closed.groups":{"action":"deny"},"tollfree_us":{}}}`, nil)
	got := sortedKeys(managedPaths(u.root, cfg))
	want := []string{"call_restriction", `call_restriction["closed.groups"].action`, "first_name",
		"profile.addresses", "profile.addresses[0].address", "profile.addresses[1].address", "profile.addresses[1].types"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("managed = %v, want %v", got, want)
	}
	whole := map[string]bool{"call_restriction": true, "first_name": true, "profile.addresses": true}
	for _, p := range got {
		if inElement(p) == whole[p] {
			t.Errorf("inElement(%q) = %v", p, inElement(p))
		}
	}
}

func TestPlanKeepsUnmanagedAndRemovesDropped(t *testing.T) {
	e := deviceEngine(t)
	prior := objectValue(t, e, `{"name":"d","enabled":true,"sip":{"username":"u","realm":"r.example.com","expire_seconds":600,"method":"password"}}`, nil)
	// The user used to manage sip.realm and sip.expire_seconds and removed both.
	cfg := objectValue(t, e, `{"name":"d2","sip":{"username":"u"}}`, nil)
	pl := &planner{was: map[string]bool{"sip.realm": true, "sip.expire_seconds": true}}
	plan := pl.object(e.root, cfg, prior, true, resourceType(e), "")

	sip := getAttr(plan, "sip")
	if v := getAttr(sip, "realm"); !v.IsNull() {
		t.Errorf("removed sip.realm (no default) should plan null, got %v", v)
	}
	var exp big.Float
	if err := getAttr(sip, "expire_seconds").As(&exp); err != nil {
		t.Fatal(err)
	}
	if n, _ := exp.Int64(); n != 300 {
		t.Errorf("removed sip.expire_seconds should plan KAZOO's default 300, got %v", n)
	}
	if got := stringValue(getAttr(sip, "method")); got != "password" {
		t.Errorf("unmanaged sip.method keeps KAZOO's value, got %q", got)
	}
	var enabled bool
	_ = getAttr(plan, "enabled").As(&enabled)
	if !enabled {
		t.Error("unmanaged enabled keeps KAZOO's value")
	}

	patch, err := patchObject(e.root, prior, plan)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"name": "d2", "sip": map[string]any{"realm": nil, "expire_seconds": json.Number("300")}}
	if !reflect.DeepEqual(patch, want) {
		t.Errorf("patch = %#v, want %#v", patch, want)
	}
}

func TestPlanOnCreateFillsDefaults(t *testing.T) {
	e := deviceEngine(t)
	typ := resourceType(e)
	cfg := objectValue(t, e, `{"name":"d","sip":{"username":"u"}}`, nil)
	pl := &planner{}
	plan := pl.object(e.root, cfg, tftypes.NewValue(typ, nil), false, typ, "")
	// What the configuration leaves out is what KAZOO fills in: the schema default...
	if v := getAttr(plan, "enabled"); !v.Equal(tftypes.NewValue(tftypes.Bool, true)) {
		t.Errorf("enabled = %v, want KAZOO's default true", v)
	}
	if got := stringValue(getAttr(getAttr(plan, "sip"), "method")); got != "password" {
		t.Errorf("sip.method = %q, want KAZOO's default", got)
	}
	// ... also inside an object the configuration leaves out whose default is {}.
	if v := getAttr(plan, "music_on_hold"); !v.IsKnown() || v.IsNull() {
		t.Errorf("music_on_hold = %v, want KAZOO's default {}", v)
	}
	// ... or nothing.
	for _, name := range []string{"owner_id", "call_forward", "caller_id"} {
		if v := getAttr(plan, name); !v.IsKnown() || !v.IsNull() {
			t.Errorf("%s = %v, want null: KAZOO has no default", name, v)
		}
	}
	if got := stringValue(getAttr(getAttr(plan, "sip"), "username")); got != "u" {
		t.Errorf("sip.username = %q", got)
	}
	// A ServerDefault attribute is KAZOO's to choose.
	spec := testSpecs[2]
	spec.Overrides = map[string]Override{"name": {ServerDefault: true}}
	sd := mustEngine(t, spec)
	plan = pl.object(sd.root, objectValue(t, sd, `{"sip":{"username":"u"}}`, nil), tftypes.NewValue(typ, nil), false, typ, "")
	if getAttr(plan, "name").IsKnown() {
		t.Error("a ServerDefault attribute left out must be unknown on create")
	}
}

func TestPlanWholeObjectRemoved(t *testing.T) {
	e := deviceEngine(t)
	prior := objectValue(t, e, `{"name":"d","call_forward":{"enabled":true,"number":"5551234","keep_caller_id":true}}`, nil)
	cfg := objectValue(t, e, `{"name":"d"}`, nil)
	pl := &planner{was: map[string]bool{"call_forward.enabled": true, "call_forward.number": true}}
	plan := pl.object(e.root, cfg, prior, true, resourceType(e), "")
	cf := getAttr(plan, "call_forward")
	var enabled bool
	_ = getAttr(cf, "enabled").As(&enabled)
	if enabled {
		t.Error("call_forward.enabled goes back to its default false")
	}
	if !getAttr(cf, "number").IsNull() {
		t.Error("call_forward.number has no default: null")
	}
	var keep bool
	_ = getAttr(cf, "keep_caller_id").As(&keep)
	if !keep {
		t.Error("unmanaged call_forward.keep_caller_id keeps KAZOO's value")
	}
}

func TestMergePatch(t *testing.T) {
	doc := map[string]any{"name": "a", "sip": map[string]any{"username": "u", "realm": "r"}, "ui_metadata": map[string]any{"x": 1}, "flags": []any{"a"}}
	patch := map[string]any{"sip": map[string]any{"realm": nil, "password": "p"}, "flags": []any{"b"}}
	got := mergePatch(doc, patch)
	want := map[string]any{"name": "a", "sip": map[string]any{"username": "u", "password": "p"}, "ui_metadata": map[string]any{"x": 1}, "flags": []any{"b"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("mergePatch = %#v", got)
	}
}

func TestExtraJSON(t *testing.T) {
	plan := tftypes.NewValue(tftypes.String, `{"custom":{"a":1},"kept":"x"}`)
	prior := tftypes.NewValue(tftypes.String, `{"kept":"x","gone":true}`)
	patch := map[string]any{}
	if err := mergeExtra(patch, plan, prior); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"custom": map[string]any{"a": json.Number("1")}, "gone": nil}
	if !reflect.DeepEqual(patch, want) {
		t.Errorf("extra patch = %#v, want %#v", patch, want)
	}
	doc := map[string]any{"custom": map[string]any{"a": json.Number("2")}, "ui_metadata": "keep out"}
	got := extraFromDoc(plan, doc)
	if s := stringValue(got); s != `{"custom":{"a":2}}` {
		t.Errorf("extra read back = %s", s)
	}
	if !extraFromDoc(tftypes.NewValue(tftypes.String, nil), doc).IsNull() {
		t.Error("without extra_json nothing is read back")
	}
}

func TestParseImportID(t *testing.T) {
	id := "0123456789abcdef0123456789abcdef"
	acct := "fedcba9876543210fedcba9876543210"
	if o, i, err := ParseImportID(id, "account_id"); err != nil || o != "" || i != id {
		t.Errorf("<id>: %q %q %v", o, i, err)
	}
	if o, i, err := ParseImportID(acct+"/"+id, "account_id"); err != nil || o != acct || i != id {
		t.Errorf("<account_id>/<id>: %q %q %v", o, i, err)
	}
	for _, bad := range []string{"", "x", id + "/", "/" + id, acct + "/" + id + "/x", strings.ToUpper(id), "nothex" + id[6:]} {
		_, _, err := ParseImportID(bad, "account_id")
		if err == nil {
			t.Errorf("%q should fail", bad)
			continue
		}
		if !strings.Contains(err.Error(), `"<id>"`) || !strings.Contains(err.Error(), `"<account_id>/<id>"`) {
			t.Errorf("error must name both formats: %v", err)
		}
	}
}

func TestAttributePath(t *testing.T) {
	e := deviceEngine(t)
	cases := map[string]path.Path{
		"sip.username":              path.Root("sip").AtName("username"),
		"name":                      path.Root("name"),
		"flags.1":                   path.Root("flags").AtListIndex(1),
		"call_restriction.x.y":      path.Root("call_restriction").AtMapKey("x"),
		"call_restriction.x.action": path.Root("call_restriction").AtMapKey("x").AtName("action"),
		"provision.combo_keys.1":    path.Root("provision").AtName("combo_keys").AtMapKey("1"),
		"sip.custom_sip_headers":    path.Root("sip").AtName("custom_sip_headers"),
	}
	for key, want := range cases {
		got, ok := e.attributePath(key)
		if !ok || !got.Equal(want) {
			t.Errorf("%s -> %v (%v), want %v", key, got, ok, want)
		}
	}
	if _, ok := e.attributePath("not_modelled"); ok {
		t.Error("an unknown key has no attribute")
	}
	u := mustEngine(t, testSpecs[1])
	if got, _ := u.attributePath("profile.addresses.0.address"); !got.Equal(path.Root("profile").AtName("addresses").AtListIndex(0).AtName("address")) {
		t.Errorf("list of objects path = %v", got)
	}
	// KAZOO 4.3's user validation names a nested field as one key with an escaped dot.
	if got, ok := u.attributePath("call_forward%2Enumber"); !ok || !got.Equal(path.Root("call_forward").AtName("number")) {
		t.Errorf("call_forward%%2Enumber -> %v (%v), want call_forward.number", got, ok)
	}
}

func TestValidatorsFromSchema(t *testing.T) {
	ctx := context.Background()
	e := deviceEngine(t)
	rs := e.resourceSchema()
	a, diags := rs.AttributeAtPath(ctx, path.Root("sip").AtName("invite_format"))
	if diags.HasError() {
		t.Fatal(diags)
	}
	if got := len(a.(rschema.StringAttribute).Validators); got == 0 {
		t.Error("sip.invite_format has an enum validator")
	}
	a, _ = rs.AttributeAtPath(ctx, path.Root("sip").AtName("password"))
	if sa := a.(rschema.StringAttribute); !sa.Sensitive || len(sa.Validators) == 0 {
		t.Error("sip.password is sensitive and length-limited")
	}
}

func TestJSONPatchRemovesKeys(t *testing.T) {
	e := mustEngine(t, testSpecs[5]) // groups: endpoints is a JSON object
	prior := objectValue(t, e, `{"name":"g","endpoints":{"a":{"type":"user"},"b":{"type":"device","delay":5}}}`, nil)
	plan := objectValue(t, e, `{"name":"g","endpoints":{"b":{"type":"device"},"c":{"type":"user"}}}`, nil)
	patch, err := patchObject(e.root, prior, plan)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"endpoints": map[string]any{
		"a": nil,
		"b": map[string]any{"delay": nil},
		"c": map[string]any{"type": "user"},
	}}
	if !reflect.DeepEqual(patch, want) {
		t.Errorf("patch = %#v, want %#v", patch, want)
	}
	// Applied with KAZOO's merge semantics it yields exactly the planned object.
	doc := map[string]any{"endpoints": map[string]any{"a": map[string]any{"type": "user"}, "b": map[string]any{"type": "device", "delay": json.Number("5")}}}
	got := mergePatch(doc, patch)
	if !jsonEqual(got["endpoints"], map[string]any{"b": map[string]any{"type": "device"}, "c": map[string]any{"type": "user"}}) {
		t.Errorf("merged = %#v", got)
	}
}

func TestParseImportByScope(t *testing.T) {
	acct := "fedcba9876543210fedcba9876543210"
	keyed := &Spec{Scope: ScopeKeyed, KeyAttr: "number"}
	if o, id, err := keyed.parseImport("+12025550111"); err != nil || o != "" || id != "+12025550111" {
		t.Errorf("keyed <number>: %q %q %v", o, id, err)
	}
	if o, id, err := keyed.parseImport(acct + "/+12025550111"); err != nil || o != acct || id != "+12025550111" {
		t.Errorf("keyed <account_id>/<number>: %q %q %v", o, id, err)
	}
	for _, bad := range []string{"", "nothex/+1202", acct + "/", "a/b/c"} {
		if _, _, err := keyed.parseImport(bad); err == nil || !strings.Contains(err.Error(), `"<account_id>/<number>"`) {
			t.Errorf("keyed %q: %v", bad, err)
		}
	}
	single := &Spec{Scope: ScopeSingleton}
	if o, id, err := single.parseImport(acct); err != nil || o != acct || id != acct {
		t.Errorf("singleton <account_id>: %q %q %v", o, id, err)
	}
	if _, _, err := single.parseImport("x"); err == nil {
		t.Error("singleton import needs an account id")
	}
	if _, err := New(Spec{TypeName: "n", Schema: "phone_numbers", Scope: ScopeKeyed}, Options{}); err == nil {
		t.Error("a keyed spec without KeyAttr must fail")
	}
}

func TestValidateJSONContents(t *testing.T) {
	e := mustEngine(t, testSpecs[3]) // callflows, flow as JSON
	cfg := objectValue(t, e, `{"numbers":["100"],"flow":{"data":{}}}`, nil)
	var diags diag.Diagnostics
	e.validateJSONContents(cfg, &diags)
	if diags.ErrorsCount() != 1 || !strings.Contains(diags.Errors()[0].Detail(), `"flow.module"`) {
		t.Fatalf("a flow without module must fail on flow: %v", diags)
	}
	if p := diags.Errors()[0].(diag.DiagnosticWithPath).Path(); !p.Equal(path.Root("flow")) {
		t.Errorf("error on %v, want flow", p)
	}
	// Unknown until apply: KAZOO checks it then.
	unknown := withAttr(cfg, "flow", tftypes.NewValue(tftypes.String, tftypes.UnknownValue))
	diags = nil
	e.validateJSONContents(unknown, &diags)
	if diags.HasError() {
		t.Errorf("an unknown flow cannot be checked yet: %v", diags)
	}
	g := mustEngine(t, testSpecs[5]) // groups: endpoints required, but has a default
	diags = nil
	g.validateJSONContents(objectValue(t, g, `{"name":"g"}`, nil), &diags)
	if diags.HasError() {
		t.Errorf("endpoints left out is KAZOO's to fill in: %v", diags)
	}
}

// A value of an attribute KAZOO allows as string or integer goes out as a JSON number only
// when KAZOO would give the same spelling back; "042" stays a string (and "+5" is no JSON
// number at all).
func TestScalarFromString(t *testing.T) {
	f := deviceEngine(t).root.child("provision").child("endpoint_model")
	for in, want := range map[string]any{"42": json.Number("42"), "042": "042", "+5": "+5", "T46S": "T46S", "-7": json.Number("-7")} {
		got := scalarFromString(f, in)
		if got != want {
			t.Errorf("%q -> %#v, want %#v", in, got, want)
		}
		if _, err := json.Marshal(got); err != nil {
			t.Errorf("%q -> %#v cannot be sent: %v", in, got, err)
		}
	}
}

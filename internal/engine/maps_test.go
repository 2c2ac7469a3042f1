package engine

import (
	"context"
	"encoding/json"
	"math/big"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// endpointShape is the documented shape of a group's endpoints, as the provider overrides it.
var endpointShape = &kazooschema.Schema{Type: []string{"object"}, AdditionalProperties: &kazooschema.Schema{
	Type: []string{"object"},
	Properties: map[string]*kazooschema.Schema{
		"type":   {Type: []string{"string"}, Enum: []any{"user", "device"}},
		"weight": {Type: []string{"integer"}},
	},
}}

func groupMapEngine(t *testing.T) *Engine {
	return mustEngine(t, Spec{TypeName: "group", Collection: "groups", Schema: "groups", Patch: true,
		Overrides: map[string]Override{"endpoints": {Shape: endpointShape}}})
}

func TestMapKinds(t *testing.T) {
	cases := []struct {
		spec       Spec
		path       string
		kind, elem kind
	}{
		{testSpecs[2], "call_restriction", kindObjectMap, 0},
		{testSpecs[2], "provision.feature_keys", kindMap, kindJSON},
		{testSpecs[3], "metaflow.numbers", kindObjectMap, 0},
		{Spec{TypeName: "webhook", Schema: "webhooks"}, "custom_data", kindMap, kindString},
		{Spec{TypeName: "resource", Schema: "resources"}, "classifiers", kindObjectMap, 0},
		{Spec{TypeName: "blacklist", Schema: "blacklists", Overrides: map[string]Override{"numbers": {KeySet: true}}}, "numbers", kindKeySet, kindString},
	}
	for _, c := range cases {
		e := mustEngine(t, c.spec)
		f := e.fieldAt(c.path)
		if f == nil {
			t.Errorf("%s %s: no field", c.spec.Schema, c.path)
			continue
		}
		if f.kind != c.kind || (c.elem != 0 && f.elem != c.elem) {
			t.Errorf("%s %s: kind %d elem %d, want %d elem %d", c.spec.Schema, c.path, f.kind, f.elem, c.kind, c.elem)
		}
	}
	// A metaflow's children are a tree of metaflows: one JSON attribute, not a map.
	if f := mustEngine(t, testSpecs[3]).fieldAt("metaflow.numbers"); f.child("children") == nil || f.child("children").kind != kindJSON {
		t.Error("metaflow.numbers.*.children is a recursive tree and stays JSON")
	}
	if f := groupMapEngine(t).fieldAt("endpoints"); f.kind != kindObjectMap || f.child("type") == nil || f.child("type").path != "endpoints.*.type" {
		t.Errorf("Shape gives endpoints its documented shape: %+v", f)
	}
}

func TestMapSchemaAttributes(t *testing.T) {
	ctx := context.Background()
	rs := deviceEngine(t).resourceSchema()
	a, diags := rs.AttributeAtPath(ctx, path.Root("call_restriction"))
	if diags.HasError() {
		t.Fatal(diags)
	}
	if _, ok := a.(rschema.MapNestedAttribute); !ok {
		t.Errorf("call_restriction is %T, want a map nested attribute", a)
	}
	a, _ = rs.AttributeAtPath(ctx, path.Root("call_restriction").AtMapKey("x").AtName("action"))
	if sa, ok := a.(rschema.StringAttribute); !ok || len(sa.Validators) == 0 {
		t.Errorf("call_restriction values' action keeps its enum validator: %#v", a)
	}
	a, _ = rs.AttributeAtPath(ctx, path.Root("provision").AtName("combo_keys"))
	ma, ok := a.(rschema.MapAttribute)
	if !ok || len(ma.Validators) == 0 {
		t.Fatalf("provision.combo_keys is a map with a key pattern validator: %#v", a)
	}
	if _, ok := ma.ElementType.(jsonType); !ok {
		t.Errorf("combo_keys values only JSON can hold: %T", ma.ElementType)
	}
}

func TestObjectMapRoundTrip(t *testing.T) {
	e := deviceEngine(t)
	js := `{"name":"d","call_restriction":{"international":{"action":"deny"},"tollfree_us":{"action":"inherit"}},` +
		`"provision":{"combo_keys":{"1":{"type":"line","value":"1"},"2":null}}}`
	v := objectValue(t, e, js, nil)
	cr := getAttr(v, "call_restriction")
	var elems map[string]tftypes.Value
	if err := cr.As(&elems); err != nil || len(elems) != 2 {
		t.Fatalf("call_restriction = %v (%v)", cr, err)
	}
	if got := stringValue(getAttr(elems["international"], "action")); got != "deny" {
		t.Errorf("international.action = %q", got)
	}
	back, err := objectToJSON(e.root, v)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := docFromJSON([]byte(js))
	if !jsonEqual(back, want) {
		b, _ := json.Marshal(back)
		t.Errorf("round trip: %s", b)
	}
}

func TestObjectMapPlanAndPatch(t *testing.T) {
	e := groupMapEngine(t)
	prior := objectValue(t, e, `{"name":"g","endpoints":{"a":{"type":"user","weight":1},"b":{"type":"device","weight":2}}}`, nil)
	// Configured: a's type changes, b is removed, c is new; weights are not configured.
	cfgDoc := `{"name":"g","endpoints":{"a":{"type":"device"},"c":{"type":"user"}}}`
	cfg := objectValue(t, e, cfgDoc, nil)
	pl := &planner{}
	plan := pl.object(e.root, cfg, prior, true, resourceType(e), "")
	var elems map[string]tftypes.Value
	if err := getAttr(plan, "endpoints").As(&elems); err != nil {
		t.Fatal(err)
	}
	if len(elems) != 2 {
		t.Fatalf("planned keys = %v", elems)
	}
	if _, ok := elems["b"]; ok {
		t.Error("a key removed from the configuration is removed from the plan")
	}
	var w big.Float
	if err := getAttr(elems["a"], "weight").As(&w); err != nil || w.Cmp(big.NewFloat(1)) != 0 {
		t.Errorf("a.weight is not configured: it keeps KAZOO's 1, got %v (%v)", w, err)
	}
	if v := getAttr(elems["c"], "weight"); !v.IsKnown() || !v.IsNull() {
		t.Errorf("c is new: its unconfigured weight is what KAZOO fills in (nothing), got %v", v)
	}
	// The weight KAZOO leaves empty is left out of the patch; the rest is a per-key merge patch.
	patch, err := patchObject(e.root, prior, plan)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"endpoints": map[string]any{
		"a": map[string]any{"type": "device"},
		"b": nil,
		"c": map[string]any{"type": "user"},
	}}
	if !reflect.DeepEqual(patch, want) {
		t.Errorf("patch = %#v, want %#v", patch, want)
	}
	// A key KAZOO keeps inside a value that the schema does not model survives the patch.
	doc := map[string]any{"endpoints": map[string]any{
		"a": map[string]any{"type": "user", "weight": json.Number("1"), "delay": json.Number("5")},
		"b": map[string]any{"type": "device"},
	}}
	got := mergePatch(doc, patch)["endpoints"].(map[string]any)
	if a := got["a"].(map[string]any); a["delay"] != json.Number("5") || a["type"] != "device" {
		t.Errorf("a after the patch = %#v", a)
	}
	if _, ok := got["b"]; ok {
		t.Error("b is removed by the patch")
	}
	// Nothing changed: nothing sent.
	same, err := patchObject(e.root, prior, prior)
	if err != nil || len(same) != 0 {
		t.Errorf("unchanged map patch = %#v (%v)", same, err)
	}
}

func TestScalarMapPatch(t *testing.T) {
	e := mustEngine(t, Spec{TypeName: "webhook", Schema: "webhooks"})
	prior := objectValue(t, e, `{"name":"w","custom_data":{"a":"1","b":"2"}}`, nil)
	plan := objectValue(t, e, `{"name":"w","custom_data":{"a":"1","b":"3","c":"4"}}`, nil)
	patch, err := patchObject(e.root, prior, plan)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"custom_data": map[string]any{"b": "3", "c": "4"}}
	if !reflect.DeepEqual(patch, want) {
		t.Errorf("patch = %#v, want %#v", patch, want)
	}
}

func TestJSONMapIgnoresFormatting(t *testing.T) {
	e := deviceEngine(t)
	prior := objectValue(t, e, `{"provision":{"feature_keys":{"1":{"type":"presence","value":"x"}}}}`, nil)
	fk := getAttr(getAttr(prior, "provision"), "feature_keys")
	et := fk.Type().(tftypes.Map).ElementType
	respelled := tftypes.NewValue(fk.Type(), map[string]tftypes.Value{
		"1": tftypes.NewValue(et, `{ "value": "x", "type": "presence" }`),
	})
	plan := withAttr(prior, "provision", withAttr(getAttr(prior, "provision"), "feature_keys", respelled))
	patch, err := patchObject(e.root, prior, plan)
	if err != nil || len(patch) != 0 {
		t.Errorf("a value spelled differently is no change: %#v (%v)", patch, err)
	}
}

func TestKeySet(t *testing.T) {
	e := mustEngine(t, Spec{TypeName: "blacklist", Schema: "blacklists",
		Overrides: map[string]Override{"numbers": {KeySet: true}}})
	prior := objectValue(t, e, `{"name":"b","numbers":{"+15550001":{},"+15550002":{"note":"kept by KAZOO"}}}`, nil)
	var members []tftypes.Value
	if err := getAttr(prior, "numbers").As(&members); err != nil || len(members) != 2 {
		t.Fatalf("numbers = %v (%v)", members, err)
	}
	plan := objectValue(t, e, `{"name":"b","numbers":{"+15550002":{},"+15550003":{}}}`, nil)
	patch, err := patchObject(e.root, prior, plan)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"numbers": map[string]any{"+15550001": nil, "+15550003": map[string]any{}}}
	if !reflect.DeepEqual(patch, want) {
		t.Errorf("patch = %#v, want %#v", patch, want)
	}
	create, err := objectToJSON(e.root, plan)
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(create["numbers"], map[string]any{"+15550002": map[string]any{}, "+15550003": map[string]any{}}) {
		t.Errorf("create numbers = %#v", create["numbers"])
	}
	if _, ok := e.resourceSchema().Attributes["numbers"].(rschema.SetAttribute); !ok {
		t.Error("numbers is a set attribute")
	}
}

// A map's keys are checked against the schema's key pattern at plan time.
func TestMapKeyValidation(t *testing.T) {
	e := deviceEngine(t)
	f := e.fieldAt("provision.combo_keys")
	if re := keyRegexp(f); re == nil || re.MatchString("a") || !re.MatchString("12") {
		t.Errorf("combo_keys keys are digits: %v", re)
	}
	if re := keyRegexp(mustEngine(t, Spec{TypeName: "resource", Schema: "resources"}).fieldAt("classifiers")); re != nil {
		t.Error("a .+ pattern needs no validator")
	}
}

// A JSON value of a map is checked against KAZOO's schema at plan time, on its own key.
func TestJSONMapValuesValidated(t *testing.T) {
	e := deviceEngine(t)
	cfg := objectValue(t, e, `{"name":"d","provision":{"combo_keys":{"1":{"type":"bogus"},"2":{"type":"line","value":"1"}}}}`, nil)
	var diags diag.Diagnostics
	e.validateJSONContents(cfg, &diags)
	if len(diags) != 1 {
		t.Fatalf("diagnostics = %v, want one on combo_keys[\"1\"]", diags)
	}
	want := path.Root("provision").AtName("combo_keys").AtMapKey("1")
	if d, ok := diags[0].(diag.DiagnosticWithPath); !ok || !d.Path().Equal(want) {
		t.Errorf("diagnostic %v is not on %s", diags[0], want)
	}
}

package engine

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// An imported document has no record of what the configuration manages: what KAZOO holds
// beyond its defaults counts as managed, secrets and values KAZOO chose itself excepted.
func TestHeldPathsOfAnImport(t *testing.T) {
	spec := testSpecs[2] // devices
	spec.Overrides = map[string]Override{"sip.password": {Sensitive: true}, "language": {ServerDefault: true}}
	e := mustEngine(t, spec)
	state := objectValue(t, e, `{"name":"d","enabled":true,"language":"fr-fr","mwi_unsolicited_updates":false,
		"sip":{"username":"u","password":"secret","method":"password","expire_seconds":600}}`, nil)
	held := map[string]bool{}
	e.heldPaths(e.root, state, "", held)
	got := sortedKeys(held)
	// enabled and sip.method hold their defaults; password is a secret; language KAZOO's choice.
	want := []string{"mwi_unsolicited_updates", "name", "sip.expire_seconds", "sip.username"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("held = %v, want %v", got, want)
	}
}

// A read-only attribute keeps its value on an update unless what it follows changes.
func TestMayRecompute(t *testing.T) {
	digest := func(doc map[string]any) any {
		flow, _ := doc["flow"].(map[string]any)
		data, _ := flow["data"].(map[string]any)
		return data["id"]
	}
	spec := testSpecs[3] // callflows
	spec.Overrides = map[string]Override{"flow": {JSON: true}}
	e := mustEngine(t, spec)
	rc := &Recompute{From: []string{"flow"}, Digest: digest}
	prior := objectValue(t, e, `{"numbers":["1"],"flow":{"module":"user","data":{"id":"a","timeout":20}}}`, nil)
	for _, tc := range []struct {
		name string
		plan tftypes.Value
		want bool
	}{
		{"same ids, other data", objectValue(t, e, `{"numbers":["1"],"flow":{"module":"user","data":{"id":"a","timeout":30}}}`, nil), false},
		{"another id", objectValue(t, e, `{"numbers":["1"],"flow":{"module":"user","data":{"id":"b","timeout":20}}}`, nil), true},
		{"flow known at apply only", withAttr(prior, "flow", tftypes.NewValue(tftypes.String, tftypes.UnknownValue)), true},
		{"numbers changed", objectValue(t, e, `{"numbers":["2"],"flow":{"module":"user","data":{"id":"a","timeout":20}}}`, nil), false},
	} {
		if got := e.mayRecompute(rc, prior, tc.plan); got != tc.want {
			t.Errorf("%s: mayRecompute = %v, want %v", tc.name, got, tc.want)
		}
	}
	// Without From, a change of any document attribute counts.
	all := &Recompute{}
	if e.mayRecompute(all, prior, prior) {
		t.Error("nothing changed")
	}
	if !e.mayRecompute(all, prior, objectValue(t, e, `{"numbers":["2"],"flow":{"module":"user","data":{"id":"a","timeout":20}}}`, nil)) {
		t.Error("numbers changed")
	}
	// Without a digest, any change of a From attribute counts.
	whole := &Recompute{From: []string{"numbers"}}
	if e.mayRecompute(whole, prior, prior) {
		t.Error("nothing changed")
	}
	if !e.mayRecompute(whole, prior, withAttr(prior, "numbers", tftypes.NewValue(getAttr(prior, "numbers").Type(), nil))) {
		t.Error("numbers changed")
	}
}

// After a write, a read-only value KAZOO returns only on reads keeps its planned value; after a
// read its absence is the truth.
func TestKeepAbsentComputedAfterWrite(t *testing.T) {
	spec := testSpecs[3]
	spec.Additional = []Additional{{Key: "metadata", Schema: &kazooschema.Schema{Type: []string{"object"}},
		Override: Override{ComputedOnly: true, JSON: true}}}
	e := mustEngine(t, spec)
	base := objectValue(t, e, `{"numbers":["1"],"metadata":{"a":{"name":"A"}}}`, nil)
	for _, written := range []bool{true, false} {
		doc := map[string]any{"numbers": []any{"1"}}
		e.keepAbsent(doc, base, written)
		_, kept := doc["metadata"]
		if kept != written {
			t.Errorf("written=%v: metadata kept = %v", written, kept)
		}
	}
	doc := map[string]any{"numbers": []any{"1"}, "metadata": map[string]any{"b": map[string]any{}}}
	e.keepAbsent(doc, base, true)
	if b, _ := json.Marshal(doc["metadata"]); string(b) != `{"b":{}}` {
		t.Errorf("what KAZOO answers wins: %s", b)
	}
}

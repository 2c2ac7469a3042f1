package export

import (
	"encoding/json"
	"testing"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Alice Liddell":                     "alice_liddell",
		"  Mad  Hatter's   tea-party!! ":    "mad_hatters_tea_party",
		"Zoë Ångström":                      "zoe_angstrom",
		"Reception (lobby) – 2nd floor":     "reception_lobby_2nd_floor",
		"東京":                                "",
		"+14155550100":                      "14155550100",
		"Alice Liddell SmartPBX's Callflow": "alice_liddell_smartpbxs_callflow",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func obj(typ, id string, a *Account, doc map[string]any) *Object {
	raw, _ := json.Marshal(doc)
	return &Object{Spec: engine.Spec{TypeName: typ}, ID: id, Account: a, Doc: raw}
}

func TestAssignLabelsIsStableAndUnique(t *testing.T) {
	root := &Account{ID: "r", Name: "Wonderland"}
	sub := &Account{ID: "s", Name: "Tea Party", Depth: 1}
	order := map[*Account]int{root: 0, sub: 1}
	build := func() []*Object {
		return []*Object{
			obj("user", "b2", sub, map[string]any{"first_name": "Alice", "last_name": "Liddell"}),
			obj("user", "a1", root, map[string]any{"first_name": "Alice", "last_name": "Liddell"}),
			obj("user", "c3", root, map[string]any{"first_name": "Alice", "last_name": "Liddell"}),
			obj("user", "d4", root, map[string]any{"username": "dodo"}),
			obj("callflow", "e5", root, map[string]any{"numbers": []any{"+14155550100"}}),
			obj("device", "f6", root, map[string]any{}),
			obj("device", "f7", sub, map[string]any{"name": "device"}),
		}
	}
	want := map[string]string{"a1": "alice_liddell", "c3": "alice_liddell_2", "b2": "tea_party_alice_liddell",
		"d4": "dodo", "e5": "callflow_14155550100", "f6": "device", "f7": "tea_party_device"}
	for i := 0; i < 2; i++ {
		objs := build()
		if i == 1 { // the order objects arrive in does not matter
			objs[0], objs[2] = objs[2], objs[0]
		}
		assignLabels(objs, order)
		for _, o := range objs {
			if o.Label != want[o.ID] {
				t.Errorf("%s: label %q, want %q", o.ID, o.Label, want[o.ID])
			}
		}
	}
}

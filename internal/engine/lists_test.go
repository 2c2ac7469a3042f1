package engine

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestMatchItems(t *testing.T) {
	old := []map[string]any{
		{"address": "a1", "types": []any{"home"}},
		{"address": "a2", "types": []any{"work"}},
	}
	cases := []struct {
		name string
		now  []map[string]any
		want []int
	}{
		{"unchanged", []map[string]any{{"address": "a1"}, {"address": "a2"}}, []int{0, 1}},
		{"first removed", []map[string]any{{"address": "a2"}}, []int{1}},
		{"reordered", []map[string]any{{"address": "a2"}, {"address": "a1"}}, []int{1, 0}},
		{"appended", []map[string]any{{"address": "a1"}, {"address": "a2"}, {"address": "a3"}}, []int{0, 1, -1}},
		// An item whose configured value changed continues the item at its position.
		{"changed in place", []map[string]any{{"address": "a1"}, {"address": "b2"}}, []int{0, 1}},
		{"nothing before", []map[string]any{{"address": "a1"}}, []int{0}},
	}
	for _, c := range cases {
		got := matchItems(c.now, old)
		if c.name == "nothing before" {
			got = matchItems(c.now, nil)
			c.want = []int{-1}
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// Keys KAZOO keeps in an item that the resource does not model survive a change of the list.
func TestCarryUnmodelled(t *testing.T) {
	u := mustEngine(t, testSpecs[1])
	cur := map[string]any{"profile": map[string]any{"addresses": []any{
		map[string]any{"address": "a1", "types": []any{"home"}, "note": "kept by another tool"},
		map[string]any{"address": "a2", "geo": map[string]any{"lat": json.Number("1")}},
	}}}
	// The first address is removed, a third appended.
	patch := map[string]any{"profile": map[string]any{"addresses": []any{
		map[string]any{"address": "a2"},
		map[string]any{"address": "a3"},
	}}}
	if !touchesObjectList(u.root, patch) {
		t.Fatal("the patch replaces profile.addresses")
	}
	carryUnmodelled(u.root, patch, cur, lineage{})
	got := patch["profile"].(map[string]any)["addresses"].([]any)
	want := []any{
		map[string]any{"address": "a2", "geo": map[string]any{"lat": json.Number("1")}},
		map[string]any{"address": "a3"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("addresses = %#v, want %#v", got, want)
	}
	if touchesObjectList(u.root, map[string]any{"first_name": "x"}) {
		t.Error("a patch without lists of objects needs no read")
	}
}

// A configured list of objects keeps, for what an item leaves out, the values of the item it
// continues, even when an earlier item was removed.
func TestPlanObjectListFollowsItems(t *testing.T) {
	u := mustEngine(t, testSpecs[1])
	prior := objectValue(t, u, `{"first_name":"a","last_name":"b","profile":{"addresses":[{"address":"a1","types":["home"]},{"address":"a2","types":["work"]}]}}`, nil)
	cfg := objectValue(t, u, `{"first_name":"a","last_name":"b","profile":{"addresses":[{"address":"a2"}]}}`, nil)
	plan := (&planner{}).object(u.root, cfg, prior, true, resourceType(u), "")
	doc, err := objectToJSON(u.root, plan)
	if err != nil {
		t.Fatal(err)
	}
	want := []any{map[string]any{"address": "a2", "types": []any{"work"}}}
	if got := doc["profile"].(map[string]any)["addresses"]; !reflect.DeepEqual(got, want) {
		t.Errorf("planned addresses = %#v, want %#v", got, want)
	}
}

// The keys KAZOO holds in an item that the resource does not model follow the item the plan
// paired it with, even when what is sent of it no longer agrees with KAZOO's copy (its types
// changed) and the items swapped places.
func TestCarryUnmodelledFollowsThePlan(t *testing.T) {
	u := mustEngine(t, testSpecs[1])
	cur := map[string]any{"profile": map[string]any{"addresses": []any{
		map[string]any{"address": "a1", "types": []any{"home"}, "note": "of a1"},
		map[string]any{"address": "a2"},
	}}}
	prior := objectValue(t, u, `{"profile":{"addresses":[{"address":"a1","types":["home"]},{"address":"a2"}]}}`, nil)
	cfg := objectValue(t, u, `{"profile":{"addresses":[{"address":"a2"},{"address":"a1"}]}}`, nil)
	patch := map[string]any{"profile": map[string]any{"addresses": []any{
		map[string]any{"address": "a2"},
		map[string]any{"address": "a1", "types": []any{"work"}},
	}}}
	carryUnmodelled(u.root, patch, cur, lineage{cfg, prior})
	items := patch["profile"].(map[string]any)["addresses"].([]any)
	if note := items[1].(map[string]any)["note"]; note != "of a1" {
		t.Errorf("a1 = %v, want its note", items[1])
	}
	if _, ok := items[0].(map[string]any)["note"]; ok {
		t.Errorf("a2 = %v, took a1's note", items[0])
	}
}

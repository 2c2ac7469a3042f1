package engine

import (
	"encoding/json"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Patches: an update sends the JSON merge patch from the prior state to the plan.

// sortedKeys returns the keys of a map in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// jsonEqual reports whether two decoded JSON values are the same, key order aside.
func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(canonicalJSON(a))
	y, _ := json.Marshal(canonicalJSON(b))
	return string(x) == string(y)
}

// patchObject returns the JSON merge patch that turns prior into plan: changed leaves with
// their planned value, nested objects merged, lists replaced whole, null for removed leaves.
// Unknown planned values (attributes KAZOO computes) are left out.
func patchObject(f *field, prior, plan tftypes.Value) (map[string]any, error) {
	m := map[string]any{}
	for _, c := range f.children {
		if c.ov.ComputedOnly {
			continue
		}
		pv, nv := getAttr(prior, c.name), getAttr(plan, c.name)
		if !nv.IsKnown() {
			continue
		}
		if c.kind == kindObject && pv.IsKnown() && !pv.IsNull() && !nv.IsNull() {
			sub, err := patchObject(c, pv, nv)
			if err != nil {
				return nil, err
			}
			if len(sub) > 0 {
				m[c.key] = sub
			}
			continue
		}
		if sameValue(c, pv, nv) {
			continue
		}
		if isMapKind(c.kind) && pv.IsKnown() && !pv.IsNull() && !nv.IsNull() {
			x, changed, err := mapPatch(c, pv, nv)
			if err != nil {
				return nil, err
			}
			if changed {
				m[c.key] = x
			}
			continue
		}
		x, _, err := valueToJSON(c, nv)
		if err != nil {
			return nil, err
		}
		if c.kind == kindJSON && pv.IsKnown() && !pv.IsNull() && x != nil {
			// KAZOO merges objects, so a key left out of a JSON object must be sent as null.
			if old, _, err := valueToJSON(c, pv); err == nil {
				x = mergeDiff(old, x)
			}
		}
		m[c.key] = x
	}
	return m, nil
}

func sameValue(f *field, a, b tftypes.Value) bool {
	if a.Equal(b) {
		return true
	}
	if f.kind == kindJSON && a.IsKnown() && b.IsKnown() && !a.IsNull() && !b.IsNull() {
		return jsonEquivalent(f.node, stringValue(a), stringValue(b))
	}
	return false
}

// mergeDiff returns the JSON merge patch that turns old into new: for two objects, the keys
// whose values differ (recursively), and null for keys new no longer has; otherwise new.
func mergeDiff(old, new any) any {
	om, ok1 := old.(map[string]any)
	nm, ok2 := new.(map[string]any)
	if !ok1 || !ok2 {
		return new
	}
	out := map[string]any{}
	for k, nv := range nm {
		ov, had := om[k]
		if !had {
			out[k] = nv
			continue
		}
		if jsonEqual(ov, nv) {
			continue
		}
		out[k] = mergeDiff(ov, nv)
	}
	for k := range om {
		if _, keep := nm[k]; !keep {
			out[k] = nil
		}
	}
	return out
}

// mergePatch applies a JSON merge patch to a document: objects merge recursively, anything
// else replaces, and null deletes the key (KAZOO's PATCH semantics, used to build a POST).
func mergePatch(doc map[string]any, patch map[string]any) map[string]any {
	for k, v := range patch {
		if v == nil {
			delete(doc, k)
			continue
		}
		if pm, ok := v.(map[string]any); ok {
			if dm, ok := doc[k].(map[string]any); ok {
				doc[k] = mergePatch(dm, pm)
				continue
			}
			doc[k] = mergePatch(map[string]any{}, pm)
			continue
		}
		doc[k] = v
	}
	return doc
}

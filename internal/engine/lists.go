package engine

import (
	"context"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Lists of objects -----------------------------------------------------------------------------
//
// KAZOO replaces a list whole, so an update that changes a list of objects (carrier gateways,
// connectivity servers, a user's profile.addresses) must send every item complete. What the
// configuration leaves out of an item keeps the value of the item it continues, and keys the
// resource does not model are copied from KAZOO's current item, so neither is lost when the list
// changes. An item continues the existing item that agrees with everything it sets, or else the
// one at its position; the update copies from the item the plan chose (lineage).

// matchItems pairs each new item with an old one: the first unused old item that agrees with
// every value the new item has (subsetEqual), or else the unused old item at the same position.
// -1 marks a new item without a predecessor.
func matchItems(now, old []map[string]any) []int {
	used := make([]bool, len(old))
	match := make([]int, len(now))
	for j := range match {
		match[j] = -1
	}
	for j, n := range now {
		for i, o := range old {
			if !used[i] && o != nil && subsetEqual(n, o) {
				match[j], used[i] = i, true
				break
			}
		}
	}
	for j := range now {
		if match[j] < 0 && j < len(old) && !used[j] && old[j] != nil {
			match[j], used[j] = j, true
		}
	}
	return match
}

// subsetEqual reports whether every key of object a has the same value in b (recursively for
// objects); other values compare as JSON.
func subsetEqual(a, b any) bool {
	am, ok := a.(map[string]any)
	if !ok {
		return jsonEqual(a, b)
	}
	bm, ok := b.(map[string]any)
	if !ok {
		return false
	}
	for k, v := range am {
		if _, stored := v.(storedSecret); stored {
			continue // KAZOO's own value, whatever it is
		}
		if !subsetEqual(v, bm[k]) {
			return false
		}
	}
	return true
}

// touchesObjectList reports whether a patch replaces a list of objects (anywhere in nested
// objects).
func touchesObjectList(f *field, patch map[string]any) bool {
	for _, c := range f.children {
		v, ok := patch[c.key]
		if !ok || v == nil {
			continue
		}
		switch c.kind {
		case kindObjectList:
			return true
		case kindObject:
			if m, ok := v.(map[string]any); ok && touchesObjectList(c, m) {
				return true
			}
		}
	}
	return false
}

// carryUnmodelled copies into the lists of objects a patch replaces the keys that KAZOO's
// current document (cur) keeps in the matching items and that the resource does not model.
// from tells which prior item each configured item continues, as the plan did.
func carryUnmodelled(f *field, patch, cur map[string]any, from lineage) {
	for _, c := range f.children {
		v, ok := patch[c.key]
		if !ok || v == nil {
			continue
		}
		switch c.kind {
		case kindObject:
			pm, _ := v.(map[string]any)
			cm, _ := cur[c.key].(map[string]any)
			if pm != nil && cm != nil {
				carryUnmodelled(c, pm, cm, from.at(c.name))
			}
		case kindObjectList:
			carryIntoItems(c, v, cur[c.key], from.at(c.name))
		}
	}
}

func carryIntoItems(c *field, items, current any, from lineage) {
	now, old := objectItems(items), objectItems(current)
	match, elems := from.items(c, now, old)
	for j, i := range match {
		if now[j] == nil {
			continue
		}
		if i < 0 {
			carrySecrets(c, now[j], nil)
			continue
		}
		for k, v := range old[i] {
			if _, set := now[j][k]; !set && c.childByKey(k) == nil {
				now[j][k] = v
			}
		}
		carrySecrets(c, now[j], old[i])
		carryUnmodelled(c, now[j], old[i], elems(j, i))
	}
}

// lineage is the configuration and the prior state at one place of the document, from which
// the items of a list a patch sends are paired with KAZOO's current items exactly as the plan
// paired them: each configured item with the prior item it continues (matchItems), KAZOO's
// current items being the prior ones. The zero lineage (a create, a singleton's reset) pairs
// the items by their values instead.
type lineage struct{ cfg, prior tftypes.Value }

// at is the lineage of the attribute name of an object.
func (l lineage) at(name string) lineage {
	return lineage{getAttr(l.cfg, name), getAttr(l.prior, name)}
}

// items pairs the items of a list a patch sends (now) with KAZOO's current items (old), and
// returns the lineage of each pair. The plan's pairing holds while the configuration has one
// item for each sent and KAZOO still has the items of the prior state.
func (l lineage) items(c *field, now, old []map[string]any) ([]int, func(j, i int) lineage) {
	cfg, prior := listElems(l.cfg), listElems(l.prior)
	if cfg == nil || len(cfg) != len(now) || prior == nil || len(prior) != len(old) {
		return matchItems(now, old), func(int, int) lineage { return lineage{} }
	}
	return matchItems(itemsJSON(c, cfg), itemsJSON(c, prior)), func(j, i int) lineage { return lineage{cfg[j], prior[i]} }
}

// itemsJSON converts the elements of a list of objects to JSON objects of their known values
// (nil for an element that is null or unknown).
func itemsJSON(c *field, elems []tftypes.Value) []map[string]any {
	out := make([]map[string]any, len(elems))
	for i, e := range elems {
		if e.IsKnown() && !e.IsNull() {
			out[i], _ = objectToJSON(c, e)
		}
	}
	return out
}

// objectItems returns the items of a JSON array as objects (nil for items that are not).
func objectItems(v any) []map[string]any {
	list, _ := v.([]any)
	out := make([]map[string]any, len(list))
	for i, it := range list {
		out[i], _ = it.(map[string]any)
	}
	return out
}

// keepUnmodelledItemKeys prepares a PATCH that replaces a list of objects: it reads KAZOO's
// current document and carries the keys its items hold that the resource does not model.
// Patches that replace no such list cost no request.
func (r *Resource) keepUnmodelledItemKeys(ctx context.Context, item string, patch map[string]any, from lineage) error {
	if !touchesObjectList(r.e.root, patch) {
		return nil
	}
	raw, err := r.backend.Get(ctx, item)
	if err != nil {
		return err
	}
	var cur map[string]any
	if cur, err = docFromJSON(raw); err != nil {
		return err
	}
	carryUnmodelled(r.e.root, patch, cur, from)
	return nil
}

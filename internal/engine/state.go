package engine

import (
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// stateFromDoc builds the state from a KAZOO document. base (the plan after a write, the prior
// state after a read) supplies what KAZOO does not return: the engine's own attributes and
// write-only secrets. After a write, read-only values KAZOO adds only when a document is read
// (callflow metadata) keep their planned value.
func (r *Resource) stateFromDoc(raw json.RawMessage, base tftypes.Value, id, owner string, written bool) (tftypes.Value, error) {
	e := r.e
	doc, err := docFromJSON(raw)
	if err != nil {
		return tftypes.Value{}, err
	}
	if got, ok := doc["id"].(string); ok && got != "" && e.spec.clientChosenID() {
		id = got
	}
	e.keepAbsent(doc, base, written)
	e.dropNotComputed(doc, base)
	e.blankTwinnedSecrets(doc, base)
	links := e.itemTwinLinks(doc, base, written)
	typ := base.Type().(tftypes.Object)
	specials := map[string]tftypes.Value{
		attrID:               tftypes.NewValue(tftypes.String, id),
		r.e.spec.ownerAttr(): tftypes.NewValue(tftypes.String, owner),
		attrAcceptCharges:    knownOrNull(getAttr(base, attrAcceptCharges)),
		e.extraAttr():        extraFromDoc(getAttr(base, e.extraAttr()), doc),
	}
	if e.spec.KeyAttr != "" {
		specials[e.spec.KeyAttr] = tftypes.NewValue(tftypes.String, id)
	}
	e.localSpecials(specials, base)
	e.freeFormSpecials(specials, base, doc)
	e.twinSpecials(specials, base)
	state, err := docToValue(r.e.root, doc, typ, specials)
	if err != nil {
		return state, err
	}
	return e.itemTwinState(state, base, links), nil
}

// keepAbsent fills into doc the base values of KeepWhenAbsent attributes KAZOO left out, and
// after a write those of ComputedOnly attributes.
func (e *Engine) keepAbsent(doc map[string]any, base tftypes.Value, written bool) {
	var walk func(f *field, m map[string]any, v tftypes.Value)
	walk = func(f *field, m map[string]any, v tftypes.Value) {
		for _, c := range f.children {
			cv := getAttr(v, c.name)
			if !cv.IsKnown() || cv.IsNull() {
				continue
			}
			if c.kind == kindObject {
				sub, ok := m[c.key].(map[string]any)
				if !ok {
					continue // the whole object is gone: that is drift, not a dropped default
				}
				walk(c, sub, cv)
				continue
			}
			if _, present := m[c.key]; present || !(c.ov.KeepWhenAbsent || written && c.ov.ComputedOnly) {
				continue
			}
			if x, known, err := valueToJSON(c, cv); err == nil && known && x != nil {
				m[c.key] = x
			}
		}
	}
	walk(e.root, doc, base)
}

// dropNotComputed removes from a KAZOO document the NotComputed attributes that base (plan or
// prior state) holds as null: the configuration leaves them out, so the state does not hold
// them either. Read whole (base unknown: just imported), an empty value is KAZOO's way of
// holding nothing (connectivity `servers = []`) and is read as null, which is what a
// configuration that leaves the attribute out plans.
func (e *Engine) dropNotComputed(doc map[string]any, base tftypes.Value) {
	for _, c := range e.root.children {
		if !c.ov.NotComputed {
			continue
		}
		if v := getAttr(base, c.name); v.IsNull() || !v.IsKnown() && emptyJSON(doc[c.key]) {
			delete(doc, c.key)
		}
	}
}

// emptyJSON reports whether a JSON value is an empty array or object.
func emptyJSON(v any) bool {
	switch t := v.(type) {
	case []any:
		return len(t) == 0
	case map[string]any:
		return len(t) == 0
	}
	return false
}

// readBase is the base of a read: the prior state, with its NotComputed attributes unknown
// where they are to be read from KAZOO (a document just imported, without a record of what the
// configuration manages, is read whole) and null where the configuration does not manage them
// (a state written before the attribute was NotComputed mirrored them).
func (e *Engine) readBase(prior tftypes.Value, managed map[string]bool, recorded bool) tftypes.Value {
	for _, c := range e.root.children {
		if !c.ov.NotComputed {
			continue
		}
		v := getAttr(prior, c.name)
		switch {
		case !recorded && v.IsNull():
			prior = withAttr(prior, c.name, tftypes.NewValue(v.Type(), tftypes.UnknownValue))
		case recorded && !managed[c.path]:
			prior = withAttr(prior, c.name, tftypes.NewValue(v.Type(), nil))
		}
	}
	return prior
}

// withSpecials returns prior with the engine's own attributes taken from plan.
func (r *Resource) withSpecials(prior, plan tftypes.Value) tftypes.Value {
	out := withAttr(prior, attrAcceptCharges, getAttr(plan, attrAcceptCharges))
	for _, s := range r.e.secrets {
		out = withAttr(out, s.version(), getAttr(plan, s.version()))
	}
	for _, l := range r.e.spec.Locals {
		out = withAttr(out, l.Name, getAttr(plan, l.Name))
	}
	return out
}

func knownOrNull(v tftypes.Value) tftypes.Value {
	if !v.IsKnown() {
		return tftypes.NewValue(v.Type(), nil)
	}
	return v
}

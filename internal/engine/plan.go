package engine

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// The planned document: configured values are managed; others keep KAZOO's value, or, where
// KAZOO has none yet (a create, a new nested object or list item), are planned as KAZOO will
// fill them in: their schema default, or nothing. Managed values removed from the
// configuration are planned as KAZOO will hold them after the update. Only what KAZOO computes
// itself (Override.ServerDefault, ComputedOnly on create, Override.Recompute) is unknown.

// planner computes the planned document attributes from the configuration and prior state.
type planner struct {
	// removed holds the managed paths of the prior apply that the configuration no longer sets.
	removed map[string]bool
}

func (p *planner) removedUnder(prefix string) bool {
	for r := range p.removed {
		if r == prefix || strings.HasPrefix(r, prefix+".") {
			return true
		}
	}
	return false
}

// object plans the attributes of an object field. priorExists is false when the object did not
// exist before (create, or a nested object KAZOO did not have): what the configuration leaves
// out is then what KAZOO fills in.
func (p *planner) object(f *field, cfg, prior tftypes.Value, priorExists bool, typ tftypes.Type) tftypes.Value {
	ot := typ.(tftypes.Object)
	attrs := make(map[string]tftypes.Value, len(ot.AttributeTypes))
	for name := range ot.AttributeTypes {
		attrs[name] = getAttr(cfg, name)
	}
	for _, c := range f.children {
		at := ot.AttributeTypes[c.name]
		cv := getAttr(cfg, c.name)
		var pv tftypes.Value
		if priorExists {
			pv = getAttr(prior, c.name)
		}
		attrs[c.name] = p.field(c, cv, pv, priorExists, at)
	}
	return tftypes.NewValue(ot, attrs)
}

func (p *planner) field(c *field, cv, pv tftypes.Value, priorExists bool, typ tftypes.Type) tftypes.Value {
	unknown := tftypes.NewValue(typ, tftypes.UnknownValue)
	if c.ov.ComputedOnly {
		if priorExists {
			return pv
		}
		return unknown
	}
	if c.ov.NotComputed && cv.IsNull() {
		return cv // left out: neither KAZOO's value nor a default (Terraform wants null)
	}
	switch {
	case c.kind == kindObject:
		if !cv.IsKnown() {
			return cv
		}
		if !cv.IsNull() {
			exists := priorExists && pv.IsKnown() && !pv.IsNull()
			return p.object(c, cv, pv, exists, typ)
		}
		if !priorExists {
			return filledIn(c, typ)
		}
		if pv.IsNull() || !pv.IsKnown() || !p.removedUnder(c.path) {
			return pv
		}
		if c.node != nil && len(c.node.Required) > 0 {
			// An object with required keys cannot be emptied key by key (KAZOO would reject
			// what is left): removing it from the configuration removes it whole.
			return tftypes.NewValue(typ, nil)
		}
		return p.object(c, tftypes.NewValue(typ, nil), pv, true, typ)
	case c.kind == kindObjectList && cv.IsKnown() && !cv.IsNull():
		return p.objectList(c, cv, pv, priorExists, typ)
	case c.kind == kindObjectMap && cv.IsKnown() && !cv.IsNull():
		return p.objectMap(c, cv, pv, priorExists, typ)
	case !cv.IsNull():
		return cv
	case p.removed[c.path]:
		return defaultOrNull(c, typ)
	case !priorExists:
		return filledIn(c, typ)
	default:
		return pv
	}
}

// objectList plans a configured list of objects element by element: what an element leaves
// out keeps the value KAZOO has at the same position, or is unknown for a new element.
func (p *planner) objectList(c *field, cv, pv tftypes.Value, priorExists bool, typ tftypes.Type) tftypes.Value {
	et := typ.(tftypes.List).ElementType
	var cfgElems, priorElems []tftypes.Value
	_ = cv.As(&cfgElems)
	if priorExists && pv.IsKnown() && !pv.IsNull() {
		_ = pv.As(&priorElems)
	}
	inner := &planner{} // nothing inside a list is tracked on its own
	match := matchItems(itemsJSON(c, cfgElems), itemsJSON(c, priorElems))
	out := make([]tftypes.Value, len(cfgElems))
	for i, ce := range cfgElems {
		if !ce.IsKnown() || ce.IsNull() {
			out[i] = ce
			continue
		}
		var pe tftypes.Value
		exists := match[i] >= 0
		if exists {
			pe = priorElems[match[i]]
		}
		out[i] = inner.object(c, ce, pe, exists, et)
	}
	return tftypes.NewValue(typ, out)
}

// filledIn is what KAZOO holds for a field the configuration leaves out where KAZOO had no
// value: its schema default, or nothing; unknown where KAZOO chooses the value itself.
func filledIn(f *field, typ tftypes.Type) tftypes.Value {
	if f.ov.ServerDefault {
		return tftypes.NewValue(typ, tftypes.UnknownValue)
	}
	return defaultOrNull(f, typ)
}

// defaultOrNull is what KAZOO holds once a field is removed: the schema default it re-applies
// on write, with the defaults nested in it, or nothing.
func defaultOrNull(f *field, typ tftypes.Type) tftypes.Value {
	if f.node == nil {
		return tftypes.NewValue(typ, nil)
	}
	def := defaultValue(f.node)
	if def == nil {
		return tftypes.NewValue(typ, nil)
	}
	kazooschema.FillDefaults(f.node, def)
	v, err := toValue(f, def, typ)
	if err != nil {
		return tftypes.NewValue(typ, nil)
	}
	return v
}

// planRecomputed plans the top-level ComputedOnly attributes of an update: each keeps its prior
// value, unless its Recompute says the change can alter it; it is then unknown until KAZOO
// answers.
func (e *Engine) planRecomputed(prior, plan tftypes.Value) tftypes.Value {
	for _, c := range e.root.children {
		if !c.ov.ComputedOnly || c.ov.Recompute == nil || !e.mayRecompute(c.ov.Recompute, prior, plan) {
			continue
		}
		at := plan.Type().(tftypes.Object).AttributeTypes[c.name]
		plan = withAttr(plan, c.name, tftypes.NewValue(at, tftypes.UnknownValue))
	}
	return plan
}

// mayRecompute reports whether what a computed attribute follows differs between the prior
// state and the plan, or is only known at apply.
func (e *Engine) mayRecompute(rc *Recompute, prior, plan tftypes.Value) bool {
	from := rc.From
	if len(from) == 0 {
		for _, c := range e.root.children {
			if !c.ov.ComputedOnly {
				from = append(from, c.name)
			}
		}
	}
	before, after := map[string]any{}, map[string]any{}
	for _, name := range from {
		pv, nv := getAttr(prior, name), getAttr(plan, name)
		if !nv.IsFullyKnown() {
			return true
		}
		if rc.Digest == nil {
			if !pv.Equal(nv) {
				return true
			}
			continue
		}
		f := e.root.child(name)
		if f == nil {
			return true // a digest reads document attributes only
		}
		b, _, err1 := valueToJSON(f, pv)
		a, _, err2 := valueToJSON(f, nv)
		if err1 != nil || err2 != nil {
			return true
		}
		before[f.key], after[f.key] = b, a
	}
	return rc.Digest != nil && !jsonEqual(rc.Digest(before), rc.Digest(after))
}

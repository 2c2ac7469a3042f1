package engine

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// The planned document: configured values are managed; others keep KAZOO's value, or, where
// KAZOO has none yet (a create, a new nested object or list item), are planned as KAZOO will
// fill them in: their schema default, or nothing. Managed values removed from the
// configuration are planned as KAZOO will hold them after the update, except values KAZOO
// refills itself (Override.RefilledWhenRemoved: an account's realm), which keep their value and
// are no longer managed. Only what KAZOO computes itself (Override.ServerDefault, ComputedOnly
// on create, Override.Recompute) is unknown.

// planner computes the planned document attributes from the configuration and prior state.
// Each value is planned at its record path (managed.go) in the prior state: where the prior
// apply's configuration set something the configuration no longer sets, KAZOO loses it.
type planner struct {
	// was holds the record paths the prior apply's configuration set (or, for a document just
	// imported, the ones it holds beyond KAZOO's defaults).
	was map[string]bool
}

// wasUnder reports whether the prior configuration set at or below the record path at.
func (p *planner) wasUnder(at string) bool {
	for r := range p.was {
		if r == at || strings.HasPrefix(r, at) && (r[len(at)] == '.' || r[len(at)] == '[') {
			return true
		}
	}
	return false
}

// object plans the attributes of an object field whose prior value is at record path at.
// priorExists is false when the object did not exist before (create, or a nested object KAZOO
// did not have): what the configuration leaves out is then what KAZOO fills in.
func (p *planner) object(f *field, cfg, prior tftypes.Value, priorExists bool, typ tftypes.Type, at string) tftypes.Value {
	ot := typ.(tftypes.Object)
	attrs := make(map[string]tftypes.Value, len(ot.AttributeTypes))
	for name := range ot.AttributeTypes {
		attrs[name] = getAttr(cfg, name)
	}
	for _, c := range f.children {
		at := childPath(at, c.key)
		cv := getAttr(cfg, c.name)
		var pv tftypes.Value
		if priorExists {
			pv = getAttr(prior, c.name)
		}
		attrs[c.name] = p.field(c, cv, pv, priorExists, ot.AttributeTypes[c.name], at)
	}
	return tftypes.NewValue(ot, attrs)
}

func (p *planner) field(c *field, cv, pv tftypes.Value, priorExists bool, typ tftypes.Type, at string) tftypes.Value {
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
			return p.object(c, cv, pv, exists, typ, at)
		}
		if !priorExists {
			return filledIn(c, typ)
		}
		if pv.IsNull() || !pv.IsKnown() || !p.wasUnder(at) {
			return pv
		}
		return p.removedObject(c, pv, typ, at)
	case c.kind == kindObjectList && cv.IsKnown() && !cv.IsNull():
		return p.objectList(c, cv, pv, priorExists, typ, at)
	case c.kind == kindObjectMap && cv.IsKnown() && !cv.IsNull():
		return p.objectMap(c, cv, pv, priorExists, typ, at)
	case !cv.IsNull():
		return cv
	case p.was[at] && !c.ov.RefilledWhenRemoved:
		return defaultOrNull(c, typ)
	case !priorExists:
		return filledIn(c, typ)
	default:
		return pv
	}
}

// removedObject plans an object the configuration set something in and now leaves out: what
// it set goes back to KAZOO's defaults, what others set in it stays. An object left with
// nothing but what KAZOO fills into an empty one is removed whole (keys the resource does not
// model inside it too: kept, they would make KAZOO's answer differ from the plan), and planned
// as KAZOO holds it then: its schema default, or nothing (not one KAZOO writes into itself,
// ServerDefault). So
// is an object with required keys (KAZOO would reject what is left once they are removed).
func (p *planner) removedObject(c *field, pv tftypes.Value, typ tftypes.Type, at string) tftypes.Value {
	if c.node != nil && len(c.node.Required) > 0 {
		return tftypes.NewValue(typ, nil)
	}
	rest := p.object(c, tftypes.NewValue(typ, nil), pv, true, typ, at)
	if !c.ov.ServerDefault && onlyFilledIn(c, rest) {
		return defaultOrNull(c, typ)
	}
	return rest
}

// onlyFilledIn reports whether an object holds exactly what KAZOO fills into an empty one.
func onlyFilledIn(c *field, v tftypes.Value) bool {
	got, err := objectToJSON(c, v)
	if err != nil || !v.IsFullyKnown() {
		return false
	}
	empty := map[string]any{}
	kazooschema.FillDefaults(c.node, empty)
	return jsonEqual(got, empty)
}

// objectList plans a configured list of objects element by element: what an element leaves
// out keeps the value of the prior item it continues (matchItems), or is what KAZOO fills into
// a new item; what that prior item's configuration set and the element no longer does goes
// back to KAZOO's default.
func (p *planner) objectList(c *field, cv, pv tftypes.Value, priorExists bool, typ tftypes.Type, at string) tftypes.Value {
	et := typ.(tftypes.List).ElementType
	var cfgElems, priorElems []tftypes.Value
	_ = cv.As(&cfgElems)
	if priorExists && pv.IsKnown() && !pv.IsNull() {
		_ = pv.As(&priorElems)
	}
	match := matchItems(itemsJSON(c, cfgElems), itemsJSON(c, priorElems))
	settled := true
	for _, ce := range cfgElems {
		settled = settled && (len(priorElems) == 0 || ce.IsFullyKnown())
	}
	out := make([]tftypes.Value, len(cfgElems))
	for i, ce := range cfgElems {
		if !ce.IsKnown() || ce.IsNull() {
			out[i] = ce
			continue
		}
		if !settled {
			out[i] = unsettled(c, ce, et)
			continue
		}
		var pe tftypes.Value
		exists := match[i] >= 0
		if exists {
			pe = priorElems[match[i]]
		}
		out[i] = p.object(c, ce, pe, exists, et, itemPath(at, match[i]))
	}
	return tftypes.NewValue(typ, out)
}

// unsettled plans an item whose configuration sets a value known only at apply: which prior
// item each item of its list continues may change once it is known, so what the item leaves
// out is unknown too until then.
func unsettled(f *field, cfg tftypes.Value, typ tftypes.Type) tftypes.Value {
	if !cfg.IsKnown() || cfg.IsNull() {
		return cfg
	}
	ot := typ.(tftypes.Object)
	attrs := make(map[string]tftypes.Value, len(ot.AttributeTypes))
	for name := range ot.AttributeTypes {
		attrs[name] = getAttr(cfg, name)
	}
	for _, c := range f.children {
		cv, at := attrs[c.name], ot.AttributeTypes[c.name]
		switch {
		case cv.IsNull():
			attrs[c.name] = tftypes.NewValue(at, tftypes.UnknownValue)
		case !cv.IsKnown():
		case c.kind == kindObject:
			attrs[c.name] = unsettled(c, cv, at)
		case c.kind == kindObjectList:
			var elems []tftypes.Value
			_ = cv.As(&elems)
			for i := range elems {
				elems[i] = unsettled(c, elems[i], at.(tftypes.List).ElementType)
			}
			attrs[c.name] = tftypes.NewValue(at, elems)
		case c.kind == kindObjectMap:
			var elems map[string]tftypes.Value
			_ = cv.As(&elems)
			for k := range elems {
				elems[k] = unsettled(c, elems[k], at.(tftypes.Map).ElementType)
			}
			attrs[c.name] = tftypes.NewValue(at, elems)
		}
	}
	return tftypes.NewValue(ot, attrs)
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

package engine

import (
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Managed paths ------------------------------------------------------------------------------
//
// What the configuration sets is managed; what it leaves out is mirrored from KAZOO. The
// dotted JSON paths of the managed leaves (scalars, lists, JSON attributes, lists of objects,
// each as a whole) are kept in private state, so that a leaf removed from the configuration
// is planned for removal instead of silently kept at its last value.

// privateManagedKey is the private state key holding the managed paths.
const privateManagedKey = "managed"

// managedPaths returns the paths of the document leaves the configuration sets.
func managedPaths(root *field, cfg tftypes.Value) map[string]bool {
	out := map[string]bool{}
	collectManaged(root, cfg, out)
	return out
}

func collectManaged(f *field, cfg tftypes.Value, out map[string]bool) {
	if cfg.IsNull() {
		return
	}
	for _, c := range f.children {
		if c.ov.ComputedOnly {
			continue
		}
		v := getAttr(cfg, c.name)
		if v.IsNull() {
			continue
		}
		if c.kind == kindObject && v.IsKnown() {
			collectManaged(c, v, out)
			continue
		}
		out[c.path] = true
	}
}

func sortedPaths(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

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
// out is then unknown until KAZOO answers.
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
			return unknown
		}
		if pv.IsNull() || !pv.IsKnown() || !p.removedUnder(c.path) {
			return pv
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
		return unknown
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
	out := make([]tftypes.Value, len(cfgElems))
	for i, ce := range cfgElems {
		if !ce.IsKnown() || ce.IsNull() {
			out[i] = ce
			continue
		}
		var pe tftypes.Value
		exists := i < len(priorElems) && priorElems[i].IsKnown() && !priorElems[i].IsNull()
		if exists {
			pe = priorElems[i]
		}
		out[i] = inner.object(c, ce, pe, exists, et)
	}
	return tftypes.NewValue(typ, out)
}

// defaultOrNull is what KAZOO holds once a field is removed: the schema default it re-applies
// on write, or nothing.
func defaultOrNull(f *field, typ tftypes.Type) tftypes.Value {
	def := defaultValue(f.node)
	if def == nil {
		return tftypes.NewValue(typ, nil)
	}
	v, err := toValue(f, def, typ)
	if err != nil {
		return tftypes.NewValue(typ, nil)
	}
	return v
}

// docChanged reports whether any document attribute other than computed-only ones differs
// between prior state and plan.
func docChanged(root *field, prior, plan tftypes.Value) bool {
	for _, c := range root.children {
		if c.ov.ComputedOnly {
			continue
		}
		if !getAttr(prior, c.name).Equal(getAttr(plan, c.name)) {
			return true
		}
	}
	return false
}

// markComputedOnlyUnknown sets computed-only attributes to unknown: KAZOO recomputes them on
// every write (callflow metadata follows the flow).
func markComputedOnlyUnknown(root *field, plan tftypes.Value) tftypes.Value {
	for _, c := range root.children {
		if c.ov.ComputedOnly {
			at := plan.Type().(tftypes.Object).AttributeTypes[c.name]
			plan = withAttr(plan, c.name, tftypes.NewValue(at, tftypes.UnknownValue))
		}
	}
	return plan
}

// Patches ------------------------------------------------------------------------------------

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

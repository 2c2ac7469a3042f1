package engine

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Managed paths: what the configuration sets is managed; what it leaves out is mirrored from
// KAZOO. The paths of the managed leaves (scalars, lists, JSON attributes, lists of objects and
// maps, each as a whole) are kept in private state, so that a leaf removed from the
// configuration is planned for removal instead of silently kept at its last value. Inside lists
// of objects and maps of objects the record goes on with what each item or value sets, the
// item named by its position ("gateways[0].prefix") and the value by its key
// ("call_restriction[\"closed_groups\"].action"): positions are those of the list Terraform
// sent, which is the list KAZOO holds afterwards, so the next plan finds the record of the item
// each configured item continues (matchItems).

// privateManagedKey is the private state key holding the managed paths.
const privateManagedKey = "managed"

// childPath is the record path of a field's child below the record path at.
func childPath(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

// itemPath is the record path of the item at position i of the list at path at.
func itemPath(at string, i int) string { return at + "[" + strconv.Itoa(i) + "]" }

// keyPath is the record path of the value under key k of the map at path at.
func keyPath(at, k string) string { return at + "[" + strconv.Quote(k) + "]" }

// managedPaths returns the paths of the document leaves the configuration sets.
func managedPaths(root *field, cfg tftypes.Value) map[string]bool {
	out := map[string]bool{}
	collectManaged(root, cfg, "", out)
	return out
}

func collectManaged(f *field, cfg tftypes.Value, at string, out map[string]bool) {
	if cfg.IsNull() || !cfg.IsKnown() {
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
		p := childPath(at, c.key)
		if c.kind == kindObject && v.IsKnown() {
			collectManaged(c, v, p, out)
			continue
		}
		out[p] = true
		eachElem(c, v, p, func(elem tftypes.Value, ep string) { collectManaged(c, elem, ep, out) })
	}
}

// eachElem calls fn with each known, non-null item of a list of objects or value of a map of
// objects, and its record path.
func eachElem(c *field, v tftypes.Value, at string, fn func(elem tftypes.Value, at string)) {
	if !v.IsKnown() || v.IsNull() {
		return
	}
	switch c.kind {
	case kindObjectList:
		var elems []tftypes.Value
		_ = v.As(&elems)
		for i, el := range elems {
			if el.IsKnown() && !el.IsNull() {
				fn(el, itemPath(at, i))
			}
		}
	case kindObjectMap:
		var elems map[string]tftypes.Value
		_ = v.As(&elems)
		for _, k := range sortedKeys(elems) {
			if el := elems[k]; el.IsKnown() && !el.IsNull() {
				fn(el, keyPath(at, k))
			}
		}
	}
}

// readManaged returns the managed paths recorded in private state, and whether any were
// recorded: a document just imported has no record.
func readManaged(ctx context.Context, p interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}) (map[string]bool, bool, diag.Diagnostics) {
	out := map[string]bool{}
	b, diags := p.GetKey(ctx, privateManagedKey)
	if len(b) == 0 {
		return out, false, diags
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return out, false, diags
	}
	for _, s := range list {
		out[s] = true
	}
	return out, true, diags
}

// heldPaths returns the paths Terraform takes over with an imported document, before any
// apply has recorded what the configuration manages: the leaves KAZOO holds with a value other
// than its default, inside list items and map values too, so that one the configuration leaves
// out is planned for removal from the first plan on. Secrets are left out (Terraform never
// writes them into the configuration it generates for an import), and so are values KAZOO
// chose itself (ServerDefault: removing an account's realm would make KAZOO choose a new one).
func (e *Engine) heldPaths(f *field, state tftypes.Value, at string, out map[string]bool) {
	if !state.IsKnown() || state.IsNull() {
		return
	}
	for _, c := range f.children {
		v := getAttr(state, c.name)
		if c.ov.ComputedOnly || c.ov.ServerDefault || c.ov.Sensitive || c.secret || !v.IsKnown() || v.IsNull() {
			continue
		}
		p := childPath(at, c.key)
		if c.kind == kindObject {
			e.heldPaths(c, v, p, out)
			continue
		}
		if !sameValue(c, v, defaultOrNull(c, v.Type())) {
			out[p] = true
		}
		eachElem(c, v, p, func(elem tftypes.Value, ep string) { e.heldPaths(c, elem, ep, out) })
	}
}

// encodeManaged is the private state form of managed paths.
func encodeManaged(m map[string]bool) []byte {
	b, _ := json.Marshal(sortedKeys(m))
	return b
}

// inElement reports whether a record path lies inside a list item or a map value.
func inElement(p string) bool { return strings.Contains(p, "[") }

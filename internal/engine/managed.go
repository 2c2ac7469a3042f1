package engine

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Managed paths: what the configuration sets is managed; what it leaves out is mirrored from
// KAZOO. The dotted JSON paths of the managed leaves (scalars, lists, JSON attributes, lists of
// objects, each as a whole) are kept in private state, so that a leaf removed from the
// configuration is planned for removal instead of silently kept at its last value.

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
// than its default, so that one the configuration leaves out is planned for removal from the
// first plan on. Secrets are left out (Terraform never writes them into the configuration it
// generates for an import), and so are values KAZOO chose itself (ServerDefault: removing an
// account's realm would make KAZOO choose a new one).
func (e *Engine) heldPaths(f *field, state tftypes.Value, out map[string]bool) {
	if !state.IsKnown() || state.IsNull() {
		return
	}
	for _, c := range f.children {
		v := getAttr(state, c.name)
		if c.ov.ComputedOnly || c.ov.ServerDefault || c.ov.Sensitive || c.secret || !v.IsKnown() || v.IsNull() {
			continue
		}
		if c.kind == kindObject {
			e.heldPaths(c, v, out)
			continue
		}
		if !sameValue(c, v, defaultOrNull(c, v.Type())) {
			out[c.path] = true
		}
	}
}

// encodeManaged is the private state form of managed paths.
func encodeManaged(m map[string]bool) []byte {
	b, _ := json.Marshal(sortedKeys(m))
	return b
}

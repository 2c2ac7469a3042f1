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

// readManaged returns the managed paths recorded in private state.
func readManaged(ctx context.Context, p interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}) (map[string]bool, diag.Diagnostics) {
	out := map[string]bool{}
	b, diags := p.GetKey(ctx, privateManagedKey)
	if len(b) == 0 {
		return out, diags
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return out, diags
	}
	for _, s := range list {
		out[s] = true
	}
	return out, diags
}

// encodeManaged is the private state form of managed paths.
func encodeManaged(m map[string]bool) []byte {
	b, _ := json.Marshal(sortedKeys(m))
	return b
}

package engine

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Singletons (ScopeSingleton) are one document per account that Terraform does not create or
// delete: it writes the fields it manages, and on destroy gives them back to KAZOO's defaults.

// upsertSingleton writes a singleton's configured fields: laid over the current document and
// POSTed, or PUT when the account has none yet (whitelabel answers 404 until its first PUT;
// limits answer their defaults).
func (r *Resource) upsertSingleton(ctx context.Context, item string, doc map[string]any, opts WriteOptions) (json.RawMessage, error) {
	raw, err := r.overlayAndPost(ctx, item, doc, opts)
	if isNotFound(err) {
		return r.backend.Put(ctx, item, doc, opts)
	}
	return raw, err
}

// resetSingleton gives the fields the resource managed back to KAZOO: each managed path is
// removed from the document (null in a merge patch), so KAZOO's defaults apply again, and the
// fields other tools set stay.
func (r *Resource) resetSingleton(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	managed, _, diags := readManaged(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	patch := map[string]any{}
	for p := range managed {
		if inElement(p) {
			continue // inside a list or map, which is recorded and removed whole
		}
		nullAt(patch, strings.Split(p, "."))
	}
	if extra := getAttr(req.State.Raw, r.e.extraAttr()); extra.IsKnown() && !extra.IsNull() {
		_ = mergeExtra(patch, tftypes.NewValue(tftypes.String, nil), extra)
	}
	if len(patch) == 0 {
		return
	}
	prior := req.State.Raw
	item := r.at(prior).itemPath(r.owner(prior), stringValue(getAttr(prior, attrID)))
	err := retry(ctx, func() (bool, error) {
		_, err := r.write(ctx, item, patch, WriteOptions{})
		return transient(err) || apiStatus(err) == 409, err
	})
	if err != nil && !isNotFound(err) {
		r.e.addAPIError(&resp.Diagnostics, opDelete, r.typeName(), err)
	}
}

// nullAt sets the dotted path to null in a merge patch.
func nullAt(m map[string]any, segs []string) {
	for len(segs) > 1 {
		sub, ok := m[segs[0]].(map[string]any)
		if !ok {
			if _, isNull := m[segs[0]]; isNull {
				return // an ancestor is already removed
			}
			sub = map[string]any{}
			m[segs[0]] = sub
		}
		m, segs = sub, segs[1:]
	}
	m[segs[0]] = nil
}

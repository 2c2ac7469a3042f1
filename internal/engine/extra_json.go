package engine

import (
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// extraFromDoc reads back the keys extra_json names, from the document.
func extraFromDoc(named tftypes.Value, doc map[string]any) tftypes.Value {
	if !named.IsKnown() || named.IsNull() {
		return tftypes.NewValue(tftypes.String, nil)
	}
	var want map[string]any
	if decodeJSON([]byte(stringValue(named)), &want) != nil {
		return named
	}
	got := map[string]any{}
	for k := range want {
		if v, ok := doc[k]; ok {
			got[k] = v
		}
	}
	b, err := json.Marshal(got)
	if err != nil {
		return named
	}
	return tftypes.NewValue(tftypes.String, string(b))
}

// mergeExtra adds extra_json's keys to a document or patch; keys the prior extra_json named
// and the planned one no longer does are removed (null).
func mergeExtra(doc map[string]any, plan, prior tftypes.Value) error {
	var want, had map[string]any
	if plan.IsKnown() && !plan.IsNull() {
		if err := decodeJSON([]byte(stringValue(plan)), &want); err != nil {
			return fmt.Errorf("extra_json: %w", err)
		}
	}
	if prior.IsKnown() && !prior.IsNull() {
		_ = decodeJSON([]byte(stringValue(prior)), &had)
	}
	for k, v := range want {
		old, ok := had[k]
		switch {
		case !ok:
			doc[k] = v
		case !jsonEqual(old, v):
			doc[k] = mergeDiff(old, v)
		}
	}
	for k := range had {
		if _, ok := want[k]; !ok {
			doc[k] = nil
		}
	}
	return nil
}

// validateExtraJSON refuses extra_json keys that an attribute models, and private keys KAZOO
// would drop.
func (r *Resource) validateExtraJSON(extra tftypes.Value, diags *diag.Diagnostics) {
	if !extra.IsKnown() || extra.IsNull() {
		return
	}
	var doc map[string]any
	if err := decodeJSON([]byte(stringValue(extra)), &doc); err != nil {
		return // the attribute's type reports malformed JSON
	}
	for _, k := range sortedKeys(doc) {
		switch {
		case k == "id" || r.e.modelled(k):
			diags.AddAttributeError(path.Root(r.e.extraAttr()), "Key modelled by an attribute",
				fmt.Sprintf("extra_json sets %q, which %s manages through its own attribute; set it there instead.", k, r.typeName()))
		case len(k) > 0 && k[0] == '_' || len(k) > 4 && k[:4] == "pvt_":
			diags.AddAttributeError(path.Root(r.e.extraAttr()), "Private key in extra_json",
				fmt.Sprintf("KAZOO drops keys starting with \"_\" or \"pvt_\" from requests, so %q cannot be managed.", k))
		}
	}
}

// extraChanged reports whether a JSON string attribute differs between prior state and plan,
// formatting aside.
func extraChanged(prior, plan tftypes.Value, name string) bool {
	a, b := getAttr(prior, name), getAttr(plan, name)
	if a.Equal(b) {
		return false
	}
	if !b.IsKnown() || a.IsNull() || b.IsNull() {
		return true
	}
	return !jsonEquivalent(nil, stringValue(a), stringValue(b))
}

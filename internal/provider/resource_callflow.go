package provider

import (
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// callflowSpec is kazoo_callflow. The flow is a tree of nodes of the same shape, so it is one
// JSON attribute (written with jsonencode); KAZOO's defaults inside it (data = {}) never show
// as changes. KAZOO 4.3's schema lacks name and ringback, which KAZOO still stores and the
// UIs use; they are modelled here with the facts of KAZOO's later schema.
var callflowSpec = engine.Spec{
	TypeName: "callflow",
	Description: "A callflow: the numbers and patterns that start it, and the tree of steps (`flow`) KAZOO runs " +
		"for calls to them. Write `flow` with `jsonencode`; every node of it is checked at plan time against KAZOO 4.3's " +
		"schema of its module (an unknown module, or data of the wrong type or out of range, is refused with the node's path).",
	DataSourceDescription: "Reads a KAZOO callflow by id, by name or by one of its numbers.",
	Collection:            "callflows",
	Schema:                "callflows",
	Patch:                 true,
	Overrides: map[string]engine.Override{
		// Nodes name users, devices, groups, voicemail boxes, menus, media, other callflows…
		"flow": {JSON: true, RefersTo: []string{"*"}},
		// KAZOO stores numbers in E.164 (extensions stay as they are).
		"numbers":           {Normalize: "e164"},
		"ringback.early":    {RefersTo: []string{"media"}},
		"ringback.transfer": {RefersTo: []string{"media"}},
	},
	Additional: []engine.Additional{
		{Key: "name", Schema: &kazooschema.Schema{Type: []string{"string"}},
			Description: "A name for the callflow, shown in KAZOO's user interfaces."},
		{Key: "ringback", Schema: &kazooschema.Schema{Type: []string{"object"}, Properties: map[string]*kazooschema.Schema{
			"early":    {Type: []string{"string"}},
			"transfer": {Type: []string{"string"}},
		}}, Description: "Ringback KAZOO plays to callers instead of the default tone."},
		{Key: "metadata", Schema: &kazooschema.Schema{Type: []string{"object"}},
			Description: "What KAZOO knows of the documents the flow refers to (their names and types), as JSON keyed by document id. " +
				"KAZOO computes it on every read.",
			// KAZOO computes it from the documents the flow names: it changes with those ids only.
			Override: engine.Override{ComputedOnly: true, JSON: true,
				Recompute: &engine.Recompute{From: []string{"flow"}, Digest: flowReferences}}},
	},
	Descriptions: map[string]string{
		"flow": "The tree of steps KAZOO runs for a call, as JSON (write it with `jsonencode`). Each node has `module` " +
			"(the callflow module run at this step, such as `user`, `device`, `ring_group`, `voicemail` or `menu`), " +
			"`data` (that module's settings, such as `{ id = kazoo_user.alice.id, timeout = 20 }`; KAZOO stores `{}` when omitted) " +
			"and `children` (the next nodes keyed by branch; `_` is the default branch).",
		"ringback.early":    "Id of the media played to the caller while the call is being set up.",
		"ringback.transfer": "Id of the media played to the caller while the call is being transferred.",
	},
	Hooks: engine.Hooks{
		// KAZOO refuses a callflow that neither numbers nor patterns can reach.
		ConfigValidators: []resource.ConfigValidator{
			resourcevalidator.AtLeastOneOf(path.MatchRoot("numbers"), path.MatchRoot("patterns")),
		},
	},
	Lookups: []engine.Lookup{
		{Attr: "name", Filter: "name", SummaryKey: "name"},
		{Attr: "number", SummaryKey: "numbers", Normalize: "e164",
			Description: "One of the numbers of the callflow to look up."},
	},
}

// flowReferences returns what KAZOO builds a callflow's metadata from (cb_callflows
// get_metadata): the ids in each node's data ("id" and keys containing "_id") and the names of
// the branches (temporal rule ids), in order.
func flowReferences(doc map[string]any) any {
	seen := map[string]bool{}
	var walk func(node any, depth int)
	walk = func(node any, depth int) {
		n, ok := node.(map[string]any)
		if !ok || depth > 64 {
			return
		}
		if data, ok := n["data"].(map[string]any); ok {
			for k, v := range data {
				if id, ok := v.(string); ok && id != "" && (k == "id" || strings.Contains(k, "_id")) {
					seen[id] = true
				}
			}
		}
		children, _ := n["children"].(map[string]any)
		for branch, child := range children {
			if len(branch) > 1 {
				seen[branch] = true
			}
			walk(child, depth+1)
		}
	}
	walk(doc["flow"], 0)
	refs := make([]string, 0, len(seen))
	for id := range seen {
		refs = append(refs, id)
	}
	sort.Strings(refs)
	return refs
}

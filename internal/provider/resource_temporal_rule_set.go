package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// temporalRuleSetSpec is kazoo_temporal_rule_set: time-of-day rules grouped under one id.
var temporalRuleSetSpec = engine.Spec{
	TypeName: "temporal_rule_set",
	Description: "A named set of time-of-day rules (for example all public holidays) that matches when any of its rules does. " +
		"A `temporal_route` node of a `kazoo_callflow` can branch on the set's id like on a single rule's.",
	DataSourceDescription: "Reads a KAZOO set of time-of-day rules by id or by name.",
	Collection:            "temporal_rules_sets",
	Schema:                "temporal_rules_sets",
	Patch:                 true,
	Overrides: map[string]engine.Override{
		"temporal_rules": {RefersTo: []string{"temporal_rule"}},
	},
	Lookups: []engine.Lookup{
		{Attr: "name", Filter: "name", SummaryKey: "name"},
	},
}

package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// temporalRuleSpec is kazoo_temporal_rule, a time-of-day rule a callflow's temporal_route
// module branches on.
var temporalRuleSpec = engine.Spec{
	TypeName: "temporal_rule",
	Description: "A time-of-day rule (office hours, holidays): a repeating cycle of days and a window of time in the account's time zone. " +
		"A `temporal_route` node of a `kazoo_callflow` sends calls down the branch keyed by the id of the first rule that matches.",
	DataSourceDescription: "Reads a KAZOO time-of-day rule by id or by name.",
	Collection:            "temporal_rules",
	Schema:                "temporal_rules",
	Patch:                 true,
	Lookups: []engine.Lookup{
		{Attr: "name", Filter: "name", SummaryKey: "name"},
	},
}

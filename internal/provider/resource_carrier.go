package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// carrierSpec is kazoo_carrier: a document of KAZOO's `resources` collection (operators call
// them carriers), the account's own outbound route to a SIP provider.
var carrierSpec = engine.Spec{
	TypeName: "carrier",
	Description: "A carrier: a SIP provider the account sends outbound calls to, with its gateways, the numbers it takes " +
		"(`rules` or `classifiers`) and its preference among carriers. KAZOO calls these documents resources; this is " +
		"the account's own collection, `/v2/accounts/{account_id}/resources` (local carriers), not the system-wide " +
		"`/v2/resources`.",
	DataSourceDescription: "Reads a carrier (a document of KAZOO's `resources` collection) of an account by id or by name.",
	Collection:            "resources",
	Schema:                "resources",
	Patch:                 true,
	Lookups: []engine.Lookup{
		{Attr: "name", Filter: "name", SummaryKey: "name"},
	},
}

package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// webhookSpec is kazoo_webhook. KAZOO keeps webhooks in a database of their own but addresses
// them under the account like any collection.
var webhookSpec = engine.Spec{
	TypeName: "webhook",
	Description: "A webhook: KAZOO sends an HTTP request to `uri` whenever the account sees the event `hook` " +
		"(a call starting, being answered or ending, a document changing, and so on). KAZOO turns a hook off by itself " +
		"after repeated delivery failures; the next apply turns it on again when `enabled` is configured.",
	DataSourceDescription: "Reads a KAZOO webhook by id or by name.",
	Collection:            "webhooks",
	Schema:                "webhooks",
	Patch:                 true,
	Lookups: []engine.Lookup{
		{Attr: "name", SummaryKey: "name"},
	},
}

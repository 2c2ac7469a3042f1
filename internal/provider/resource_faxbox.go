package provider

import (
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// faxboxSpec is kazoo_faxbox. KAZOO makes up an email address for each box (email to fax)
// and returns it on reads; the resource mirrors it.
var faxboxSpec = engine.Spec{
	TypeName: "faxbox",
	Description: "A fax box: the identity printed on sent faxes, retries, and who is notified of sent and received faxes. " +
		"Faxes reach it through a `faxbox` node of a `kazoo_callflow`, or by email to `smtp_email_address`. " +
		"Write the notification `send_to` values with `jsonencode` (a single address or a list).",
	DataSourceDescription: "Reads a KAZOO fax box by id or by name.",
	Collection:            "faxboxes",
	Schema:                "faxbox",
	Patch:                 true,
	Additional: []engine.Additional{
		{Key: "smtp_email_address", Schema: &kazooschema.Schema{Type: []string{"string"}},
			Description: "Email address KAZOO made up for the box when creating it: mail sent there from an address in " +
				"`smtp_permission_list` is faxed out from the box.",
			Override: engine.Override{ComputedOnly: true}},
	},
	Lookups: []engine.Lookup{
		{Attr: "name", Filter: "name", SummaryKey: "name"},
	},
}

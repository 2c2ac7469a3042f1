package provider

import (
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// resourceTemplateSpec is kazoo_resource_template: a carrier template, a document with a
// carrier's fields that user interfaces offer as a starting point for new carriers. KAZOO 4.3
// checks nothing of it but a non-empty template_name (cb_resource_templates has no schema), so
// the carriers' schema gives the attributes without requiring what a carrier requires, and
// without the carriers' defaults, which KAZOO does not fill in for a template.
var resourceTemplateSpec = engine.Spec{
	TypeName: "resource_template",
	Description: "A carrier template (KAZOO's `resource_templates` collection): the fields of a `kazoo_carrier` saved under a " +
		"`template_name`, that user interfaces offer as a starting point for new carriers. KAZOO keeps templates in the " +
		"reseller's database and lets only the reseller's own credentials write them.",
	DataSourceDescription: "Reads a KAZOO carrier template by id or by name.",
	Collection:            "resource_templates",
	Schema:                "resources",
	Patch:                 true,
	NoDefaults:            true,
	Overrides: map[string]engine.Override{
		"name": {Optional: true},
		// Not computed, so that each gateway can take its password write-only (the framework
		// refuses write-only attributes under a computed list): left out of the configuration,
		// the gateways KAZOO holds are left alone and not mirrored.
		"gateways": {Optional: true, NotComputed: true},
	},
	Additional: []engine.Additional{
		{Key: "template_name", Required: true,
			Schema:      &kazooschema.Schema{Type: []string{"string"}, MinLength: ptr(1)},
			Description: "Name of the template, as user interfaces list it; KAZOO requires it."},
	},
	Lookups: []engine.Lookup{
		{Attr: "template_name", SummaryKey: "template_name"},
	},
}

package provider

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// phoneNumberSpec is kazoo_phone_number: a number in an account, addressed by the number
// itself (/phone_numbers/%2B15551234567). PUT adds it to the account; DELETE releases it.
var phoneNumberSpec = engine.Spec{
	TypeName: "phone_number",
	Description: "A phone number in an account, with its caller name (`cnam`) and emergency address (`e911`). " +
		"Creating it adds the number to the account (KAZOO may ask to accept charges: set `accept_charges`); " +
		"destroying it releases the number. A number that already belongs to another account cannot be added. " +
		"Callflows route calls to it through their `numbers`.",
	DataSourceDescription: "Reads a phone number of an account by the number.",
	Collection:            "phone_numbers",
	Schema:                "phone_numbers",
	Patch:                 true,
	Scope:                 engine.ScopeKeyed,
	KeyAttr:               "number",
	KeyDescription:        "The number in E.164 form, such as `+14155550100`. Changing it adds the new number and releases the old one.",
	// The account's phone_numbers listing filters the stored number documents, whose _id is
	// the number (cb_phone_numbers_v2 summary/1 loads the view with include_docs).
	KeyFilter: "_id",
	KeyValidators: []validator.String{
		stringvalidator.RegexMatches(regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`), "must be an E.164 number: \"+\", the country code and the number, digits only"),
	},
	Overrides: map[string]engine.Override{
		// Used on creation only; KAZOO neither returns nor stores it, so no listing filters by it.
		"create_with_state": {KeepWhenAbsent: true, NoListFilter: true},
		// Set by the carrier module that supplied the number.
		"carrier_name": {ComputedOnly: true},
	},
	Additional: []engine.Additional{
		computed("state", "string", "The number's state in KAZOO, such as `reserved` or `in_service`."),
		{Key: "used_by", Schema: &kazooschema.Schema{Type: []string{"string"}},
			Description: "The KAZOO application that routes the number (`callflow` once a callflow lists it).",
			// The stored document holds it as pvt_used_by (knm_phone_number:to_json/1), and
			// cb_phone_numbers_v2 renames only the state, assigned_to and locality filters.
			Override: engine.Override{ComputedOnly: true, ListFilter: "pvt_used_by"}},
		{Key: "features", Schema: &kazooschema.Schema{Type: []string{"array"}, Items: &kazooschema.Schema{Type: []string{"string"}}},
			Description: "The features active on the number (for example `cnam` or `e911`), as KAZOO reports them.",
			// Changing the number's settings (e911, cnam…) turns features on and off.
			Override: engine.Override{ComputedOnly: true, Recompute: &engine.Recompute{}}},
	},
}

package provider

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

// notificationSpec is kazoo_notification: an account's override of one of KAZOO's email
// templates, addressed by the template's name (/notifications/voicemail_to_email). 4.3 has no
// PUT on the item: PUT /notifications with the template's name as id makes the override;
// DELETE reverts to the system template, which KAZOO then answers without account_overridden.
var notificationSpec = engine.Spec{
	TypeName: "notification",
	Description: "An account's own version of one of KAZOO's notification emails (voicemail to email, missed call, " +
		"fax received…): sender, recipients, subject and whether it is sent. `template_id` names the template. " +
		"Destroying the resource reverts the account to the system's template.",
	DataSourceDescription: "Reads a notification template as the account sees it (its own version, or the one it inherits).",
	Collection:            "notifications",
	Schema:                "notifications",
	Scope:                 engine.ScopeKeyed,
	KeyAttr:               "template_id",
	KeyDescription: "The name of the notification template, such as `voicemail_to_email`, `missed_call` or `fax_inbound_to_email`. " +
		"Changing it reverts the old template and overrides the new one.",
	KeyValidators: []validator.String{
		stringvalidator.RegexMatches(regexp.MustCompile(`^[a-z0-9_]+$`), "must be a template name: lowercase letters, digits and underscores"),
	},
	KeyInBody: true,
	Overrides: map[string]engine.Override{
		// KAZOO copies the system template's macros into every save.
		"macros": {ComputedOnly: true},
	},
	Hooks: engine.Hooks{
		Gone: func(doc map[string]any) bool { return doc["account_overridden"] != true },
	},
}

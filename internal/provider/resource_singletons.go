package provider

import (
	"context"
	"encoding/json"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

// The singletons: one document per account, which Terraform neither creates nor deletes. A
// create writes the configured fields; a destroy gives them back to KAZOO's defaults.

// limitsSpec is kazoo_limits (/limits: GET and POST only).
var limitsSpec = engine.Spec{
	TypeName: "limits",
	Description: "The call limits of an account: how many trunks and simultaneous calls it may use, and whether it may " +
		"pay per minute. One per account; only a reseller or the system's administrators may change it. " +
		"Destroying the resource gives the fields it managed back to KAZOO's defaults.",
	DataSourceDescription: "Reads the call limits of an account.",
	Collection:            "limits",
	Schema:                "limits",
	Scope:                 engine.ScopeSingleton,
}

// whitelabelSpec is kazoo_whitelabel, plus the logo and icon uploaded from local files
// (POST /whitelabel/logo and /whitelabel/icon), re-uploaded when a file's content changes.
var whitelabelSpec = engine.Spec{
	TypeName: "whitelabel",
	Description: "The branding an account shows its users and sub-accounts in KAZOO's web interfaces: company name, " +
		"domain, logo and icon. One per account. Destroying the resource gives the fields it managed back to KAZOO's " +
		"defaults (the logo and icon stay until replaced).",
	DataSourceDescription: "Reads the branding of an account.",
	Collection:            "whitelabel",
	Schema:                "whitelabel",
	Scope:                 engine.ScopeSingleton,
	Locals: []engine.Local{
		{Name: "logo_file", Description: "Path of a local image (PNG, JPEG or GIF) uploaded as the account's logo. " +
			"A change of the file's content uploads it again."},
		{Name: "logo_hash", Description: "SHA-256 of the content of `logo_file` when it was last uploaded.",
			Derive: fileHash("logo_file"), DeriveFrom: "logo_file"},
		{Name: "icon_file", Description: "Path of a local image (ICO, PNG, JPEG or GIF) uploaded as the account's browser icon. " +
			"A change of the file's content uploads it again."},
		{Name: "icon_hash", Description: "SHA-256 of the content of `icon_file` when it was last uploaded.",
			Derive: fileHash("icon_file"), DeriveFrom: "icon_file"},
	},
	Hooks: engine.Hooks{
		AfterWrite: func(ctx context.Context, w engine.WriteContext) (json.RawMessage, error) {
			for _, part := range []string{"logo", "icon"} {
				if _, err := uploadChanged(ctx, w, w.Path+"/"+part, part+"_file", part+"_hash", byExtension(imageTypes)); err != nil {
					return nil, err
				}
			}
			return nil, nil // the uploads do not change the document
		},
	},
}

// metaflowsSpec is kazoo_metaflows: the account's in-call feature codes (/metaflows, kept on
// the account document).
var metaflowsSpec = engine.Spec{
	TypeName: "metaflows",
	Description: "The in-call features of an account (metaflows): the key that starts them during a call " +
		"(`binding_digit`) and the codes that follow it, such as `*2` to transfer or `*9` to record. One per account. " +
		"Destroying the resource removes the settings it managed.",
	DataSourceDescription: "Reads the in-call features (metaflows) of an account.",
	Collection:            "metaflows",
	Schema:                "metaflows",
	Scope:                 engine.ScopeSingleton,
}

// imageTypes are the content types of the images whitelabel takes, by file extension.
var imageTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".ico": "image/x-icon",
}

// accountSecuritySpec is kazoo_account_security: the account's authentication settings
// (/security, KAZOO's crossbar.auth account configuration). GET wraps the account's own
// settings beside what it inherits; writes take the settings themselves, and PATCH works.
var accountSecuritySpec = engine.Spec{
	TypeName: "account_security",
	Description: "How users of an account may log in to KAZOO's API (KAZOO's `security` endpoint): which login methods " +
		"are enabled, how long their tokens last, whether attempts are logged, and multi-factor authentication. " +
		"One per account; settings left out are inherited from the parent accounts and the system. Destroying the " +
		"resource removes the settings it managed, so the inherited ones apply again.",
	DataSourceDescription: "Reads the authentication settings an account sets for itself.",
	Collection:            "security",
	Schema:                "account_config.crossbar.auth",
	Scope:                 engine.ScopeSingleton,
	Patch:                 true,
	Hooks:                 engine.Hooks{ReadKey: "account"},
}

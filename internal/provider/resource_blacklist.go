package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoonorm"
)

// blacklistSpec is kazoo_blacklist. KAZOO keeps the numbers as a map from number to an empty
// object; the resource models them as a set. KAZOO rewrites each number to E.164 when storing
// it, so numbers are asked for in that spelling (another would plan a change forever).
var blacklistSpec = engine.Spec{
	TypeName: "blacklist",
	Description: "A blacklist: caller ID numbers whose calls the account refuses, and optionally calls without a caller ID. " +
		"It takes effect once listed in the `blacklists` of the `kazoo_account` (or of a device or user).",
	DataSourceDescription: "Reads a KAZOO blacklist by id or by name.",
	Collection:            "blacklists",
	Schema:                "blacklists",
	Patch:                 true,
	Overrides: map[string]engine.Override{
		"numbers": {KeySet: true},
	},
	Descriptions: map[string]string{
		"numbers": "Blocked caller ID numbers, in E.164 (`+14155550100`), the spelling KAZOO stores them in. KAZOO sets none when omitted.",
	},
	Hooks: engine.Hooks{
		ConfigValidators: []resource.ConfigValidator{e164Members{attr: "numbers"}},
	},
	Lookups: []engine.Lookup{
		{Attr: "name", Filter: "name", SummaryKey: "name"},
	},
}

// e164Members refuses, at plan time, members of a set of numbers that KAZOO would store in
// another spelling, and names the spelling to write instead.
type e164Members struct{ attr string }

func (v e164Members) Description(context.Context) string {
	return v.attr + " must be written the way KAZOO stores numbers (E.164)"
}

func (v e164Members) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v e164Members) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var numbers types.Set
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(v.attr), &numbers)...)
	if resp.Diagnostics.HasError() || numbers.IsNull() || numbers.IsUnknown() {
		return
	}
	for _, e := range numbers.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		if n := s.ValueString(); kazoonorm.E164(n) != n {
			resp.Diagnostics.AddAttributeError(path.Root(v.attr).AtSetValue(s), "Number not in KAZOO's spelling",
				fmt.Sprintf("KAZOO stores %q as %q; write %q so that the plan stays empty.", n, kazoonorm.E164(n), kazoonorm.E164(n)))
		}
	}
}

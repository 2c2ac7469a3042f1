package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
)

// The provider's list resources, actions and ephemeral resources (Terraform 1.10+ for
// ephemeral resources, 1.14+ for list resources and actions; older CLIs never ask for them).
var (
	_ provider.ProviderWithListResources      = (*kazooProvider)(nil)
	_ provider.ProviderWithActions            = (*kazooProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*kazooProvider)(nil)
)

// ListResources lists one list resource per engine resource type.
func (p *kazooProvider) ListResources(context.Context) []func() list.ListResource {
	return listResources()
}

// Actions lists the day-2 operations the provider can invoke.
func (p *kazooProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{newDeviceSyncAction}
}

// EphemeralResources lists the values the provider gives without storing them.
func (p *kazooProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{newAuthTokenEphemeral}
}

// clientFrom is the *client.Client a Configure method is handed, or nil (with an error in
// diags) when the provider hands something else.
func clientFrom(data any, diags *diag.Diagnostics) *client.Client {
	if data == nil {
		return nil // not configured yet (validation)
	}
	c, ok := data.(*client.Client)
	if !ok {
		diags.AddError("Unexpected Configure Type", fmt.Sprintf("Expected *client.Client, got %T; this is a bug in the provider, please report it.", data))
	}
	return c
}

// listResources lists the list resource of every engine resource type.
func listResources() []func() list.ListResource {
	var out []func() list.ListResource
	for _, e := range engines() {
		out = append(out, e.ListResource())
	}
	return out
}

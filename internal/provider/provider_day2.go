package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
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

// listResources lists the list resource of every engine resource type.
func listResources() []func() list.ListResource {
	var out []func() list.ListResource
	for _, e := range engines() {
		out = append(out, e.ListResource())
	}
	return out
}

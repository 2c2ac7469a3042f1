// Package provider implements the kazoo Terraform provider.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// New returns a constructor for the provider at the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &kazooProvider{version: version} }
}

type kazooProvider struct{ version string }

func (p *kazooProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "kazoo"
	resp.Version = p.version
}

func (p *kazooProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{Description: "Manage KAZOO accounts, users, devices and callflows through Crossbar."}
}

func (p *kazooProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *kazooProvider) Resources(context.Context) []func() resource.Resource { return resources() }

func (p *kazooProvider) DataSources(context.Context) []func() datasource.DataSource {
	return dataSources()
}

package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// resources lists every managed resource type the provider serves.
func resources() []func() resource.Resource { return nil }

// dataSources lists every data source type the provider serves.
func dataSources() []func() datasource.DataSource { return nil }

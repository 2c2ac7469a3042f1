package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

// RegisteredSpecs are the engine specs the provider serves, for acceptance tests that cover
// every resource type (identity, list resources) from one table.
func RegisteredSpecs() []engine.Spec { return append([]engine.Spec(nil), specs...) }

// ResourceSchema returns the schema of a registered resource type ("device").
func ResourceSchema(typeName string) rschema.Schema {
	for _, e := range engines() {
		if e.Spec().TypeName == typeName {
			r := e.Resource()()
			var resp resource.SchemaResponse
			r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
			return resp.Schema
		}
	}
	return rschema.Schema{}
}

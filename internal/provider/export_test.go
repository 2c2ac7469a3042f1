package provider

import "github.com/kazoo-community/terraform-provider-kazoo/internal/engine"

// RegisteredSpecs are the engine specs the provider serves, for acceptance tests that cover
// every resource type (identity, list resources) from one table.
func RegisteredSpecs() []engine.Spec { return append([]engine.Spec(nil), specs...) }

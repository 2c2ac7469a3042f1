package provider

import (
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoonorm"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider/descriptions"
)

// specs are the engine resources the provider serves; each has a resource and a data source.
var specs = []engine.Spec{
	accountSpec,
	userSpec,
	deviceSpec,
	callflowSpec,
	vmboxSpec,
	groupSpec,
	mediaSpec,
	menuSpec,
	temporalRuleSpec,
	temporalRuleSetSpec,
	directorySpec,
	conferenceSpec,
	faxboxSpec,
	listSpec,
	listEntrySpec,
	cccpSpec,
	blacklistSpec,
	carrierSpec,
}

func init() {
	engine.RegisterNormalizer("nospace", func(s string) string { return removeSpaces(s) })
	engine.RegisterNormalizer("mac", kazoonorm.MAC)
	engine.RegisterNormalizer("e164", kazoonorm.E164)
}

// engines derives every spec once per process.
var engines = sync.OnceValue(func() []*engine.Engine {
	out := make([]*engine.Engine, 0, len(specs))
	for _, s := range specs {
		out = append(out, engine.MustNew(s, engine.Options{Describe: descriptions.For}))
	}
	return out
})

// resources lists every managed resource type the provider serves.
func resources() []func() resource.Resource {
	var out []func() resource.Resource
	for _, e := range engines() {
		out = append(out, e.Resource())
	}
	return out
}

// dataSources lists every data source type the provider serves.
func dataSources() []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, e := range engines() {
		out = append(out, e.DataSource())
	}
	return out
}

func removeSpaces(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r != ' ' {
			out = append(out, r)
		}
	}
	return string(out)
}

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
	phoneNumberSpec,
	documentSpec,
	limitsSpec,
	whitelabelSpec,
	metaflowsSpec,
	accountSecuritySpec,
	notificationSpec,
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
	webhookSpec,
	connectivitySpec,
	clicktocallSpec,
	resourceTemplateSpec,
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
		if e.HasDataSource() {
			out = append(out, e.DataSource())
		}
	}
	for _, p := range plurals {
		out = append(out, engine.NewPlural(p))
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

// plurals are the data sources that list an account's documents.
var plurals = []engine.Plural{
	{TypeName: "users", Collection: "users", Description: "Lists the users of an account, optionally filtered by KAZOO's list filters."},
	{TypeName: "devices", Collection: "devices", Description: "Lists the devices of an account, optionally filtered by KAZOO's list filters."},
	{TypeName: "callflows", Collection: "callflows", Description: "Lists the callflows of an account, optionally filtered by KAZOO's list filters."},
	{TypeName: "phone_numbers", Collection: "phone_numbers", Description: "Lists the phone numbers of an account (each item's `id` is the number), optionally filtered by KAZOO's list filters (for example `{ state = \"in_service\" }`)."},
	{TypeName: "media_list", Collection: "media", Description: "Lists the media of an account, optionally filtered by KAZOO's list filters."},
	{TypeName: "documents", Description: "Lists the documents of any collection of an account (`collection`), optionally filtered by KAZOO's list filters: " +
		"the escape hatch for collections without a data source of their own."},
}

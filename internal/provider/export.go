package provider

import (
	"errors"
	"os"
	"strings"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

// Engines returns the engine of every resource the provider serves, in registry order, for
// tools that work from the same specs (kazoo-export).
func Engines() []*engine.Engine { return engines() }

// ClientConfigFromEnv is the client configuration a provider block without attributes would
// use: every setting from the KAZOO_* environment, checked the way the provider checks it.
func ClientConfigFromEnv() (client.Config, error) {
	r := resolve(providerModel{}, os.Getenv)
	cfg, diags := r.check(true)
	if diags.HasError() {
		var msgs []string
		for _, d := range diags.Errors() {
			msgs = append(msgs, d.Summary()+": "+d.Detail())
		}
		return cfg, errors.New(strings.Join(msgs, "\n"))
	}
	return cfg, nil
}

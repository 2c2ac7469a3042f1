package provider

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
)

// providerModel is the provider block.
type providerModel struct {
	URL                types.String  `tfsdk:"url"`
	AccountID          types.String  `tfsdk:"account_id"`
	APIKey             types.String  `tfsdk:"api_key"`
	Username           types.String  `tfsdk:"username"`
	Password           types.String  `tfsdk:"password"`
	AccountName        types.String  `tfsdk:"account_name"`
	AccountRealm       types.String  `tfsdk:"account_realm"`
	PhoneNumber        types.String  `tfsdk:"phone_number"`
	AuthToken          types.String  `tfsdk:"auth_token"`
	Timeout            types.String  `tfsdk:"timeout"`
	MaxRetries         types.Int64   `tfsdk:"max_retries"`
	RequestsPerSecond  types.Float64 `tfsdk:"requests_per_second"`
	Burst              types.Int64   `tfsdk:"burst"`
	TokenCache         types.Bool    `tfsdk:"token_cache"`
	InsecureSkipVerify types.Bool    `tfsdk:"insecure_skip_verify"`
	CACertFile         types.String  `tfsdk:"ca_cert_file"`
	AcceptCharges      types.Bool    `tfsdk:"accept_charges"`
}

// Environment variables, one per attribute, read only when the attribute is null.
const (
	envURL                = "KAZOO_URL"
	envAccountID          = "KAZOO_ACCOUNT_ID"
	envAPIKey             = "KAZOO_API_KEY"
	envUsername           = "KAZOO_USERNAME"
	envPassword           = "KAZOO_PASSWORD"
	envAccountName        = "KAZOO_ACCOUNT_NAME"
	envAccountRealm       = "KAZOO_ACCOUNT_REALM"
	envPhoneNumber        = "KAZOO_PHONE_NUMBER"
	envAuthToken          = "KAZOO_AUTH_TOKEN"
	envTimeout            = "KAZOO_TIMEOUT"
	envMaxRetries         = "KAZOO_MAX_RETRIES"
	envRequestsPerSecond  = "KAZOO_REQUESTS_PER_SECOND"
	envBurst              = "KAZOO_BURST"
	envTokenCache         = "KAZOO_TOKEN_CACHE"
	envInsecureSkipVerify = "KAZOO_INSECURE_SKIP_VERIFY"
	envCACertFile         = "KAZOO_CA_CERT_FILE"
	envAcceptCharges      = "KAZOO_ACCEPT_CHARGES"
)

// setting is one resolved attribute: its value and where it came from.
type setting struct {
	attr    string // attribute name
	value   string
	source  string // "" (unset), the attribute name, or an environment variable
	unknown bool
}

func (s setting) set() bool { return s.value != "" }

// where names the origin of a value for messages: `api_key` or `KAZOO_API_KEY`.
func (s setting) where() string {
	if s.source == s.attr {
		return s.attr
	}
	return s.source + " (environment)"
}

// resolved is the provider configuration after environment fallbacks.
type resolved struct {
	url, accountID, apiKey, username, password      setting
	accountName, accountRealm, phoneNumber, token   setting
	timeout, maxRetries, rps, insecure, caCert, acc setting
	burst, tokenCache                               setting
}

// stringSetting takes the config value, or the variable when the value is null.
func stringSetting(attr string, v types.String, env string, getenv func(string) string) setting {
	switch {
	case v.IsUnknown():
		return setting{attr: attr, unknown: true, source: attr}
	case !v.IsNull():
		return setting{attr: attr, value: v.ValueString(), source: attr}
	}
	if e := getenv(env); e != "" {
		return setting{attr: attr, value: e, source: env}
	}
	return setting{attr: attr}
}

func int64Setting(attr string, v types.Int64, env string, getenv func(string) string) setting {
	switch {
	case v.IsUnknown():
		return setting{attr: attr, unknown: true, source: attr}
	case !v.IsNull():
		return setting{attr: attr, value: strconv.FormatInt(v.ValueInt64(), 10), source: attr}
	}
	return stringSetting(attr, types.StringNull(), env, getenv)
}

func float64Setting(attr string, v types.Float64, env string, getenv func(string) string) setting {
	switch {
	case v.IsUnknown():
		return setting{attr: attr, unknown: true, source: attr}
	case !v.IsNull():
		return setting{attr: attr, value: strconv.FormatFloat(v.ValueFloat64(), 'f', -1, 64), source: attr}
	}
	return stringSetting(attr, types.StringNull(), env, getenv)
}

func boolSetting(attr string, v types.Bool, env string, getenv func(string) string) setting {
	switch {
	case v.IsUnknown():
		return setting{attr: attr, unknown: true, source: attr}
	case !v.IsNull():
		return setting{attr: attr, value: strconv.FormatBool(v.ValueBool()), source: attr}
	}
	return stringSetting(attr, types.StringNull(), env, getenv)
}

// resolve applies the environment fallbacks. Credentials are one group: when
// the configuration names any credential attribute, credential variables in
// the environment are ignored, so that a KAZOO_API_KEY left in a shell does
// not clash with a username and password written in the configuration.
func resolve(m providerModel, getenv func(string) string) resolved {
	credsInConfig := !m.APIKey.IsNull() || !m.Username.IsNull() || !m.Password.IsNull() || !m.AuthToken.IsNull()
	credEnv := getenv
	if credsInConfig {
		credEnv = func(string) string { return "" }
	}
	r := resolved{
		url:        stringSetting("url", m.URL, envURL, getenv),
		accountID:  stringSetting("account_id", m.AccountID, envAccountID, getenv),
		apiKey:     stringSetting("api_key", m.APIKey, envAPIKey, credEnv),
		username:   stringSetting("username", m.Username, envUsername, credEnv),
		password:   stringSetting("password", m.Password, envPassword, credEnv),
		token:      stringSetting("auth_token", m.AuthToken, envAuthToken, credEnv),
		timeout:    stringSetting("timeout", m.Timeout, envTimeout, getenv),
		maxRetries: int64Setting("max_retries", m.MaxRetries, envMaxRetries, getenv),
		rps:        float64Setting("requests_per_second", m.RequestsPerSecond, envRequestsPerSecond, getenv),
		burst:      int64Setting("burst", m.Burst, envBurst, getenv),
		tokenCache: boolSetting("token_cache", m.TokenCache, envTokenCache, getenv),
		insecure:   boolSetting("insecure_skip_verify", m.InsecureSkipVerify, envInsecureSkipVerify, getenv),
		caCert:     stringSetting("ca_cert_file", m.CACertFile, envCACertFile, getenv),
		acc:        boolSetting("accept_charges", m.AcceptCharges, envAcceptCharges, getenv),
	}
	// The account selectors only mean something for a username and password
	// login, so stray variables are ignored for the other methods.
	selectorEnv := getenv
	if !r.username.set() && !r.password.set() && !r.username.unknown && !r.password.unknown {
		selectorEnv = func(string) string { return "" }
	}
	r.accountName = stringSetting("account_name", m.AccountName, envAccountName, selectorEnv)
	r.accountRealm = stringSetting("account_realm", m.AccountRealm, envAccountRealm, selectorEnv)
	r.phoneNumber = stringSetting("phone_number", m.PhoneNumber, envPhoneNumber, selectorEnv)
	return r
}

func (r *resolved) all() []setting {
	return []setting{r.url, r.accountID, r.apiKey, r.username, r.password, r.accountName, r.accountRealm,
		r.phoneNumber, r.token, r.timeout, r.maxRetries, r.rps, r.burst, r.insecure, r.caCert, r.acc, r.tokenCache}
}

// addError reports a problem with one setting: on the attribute when it came
// from the configuration, otherwise naming the environment variable.
func addError(diags *diag.Diagnostics, s setting, summary, detail string) {
	if s.source == s.attr || s.source == "" {
		diags.AddAttributeError(path.Root(s.attr), summary, detail)
		return
	}
	diags.AddError(summary, detail+" The value comes from the environment variable "+s.source+".")
}

// check validates the resolved settings. With complete=false (plan-time
// validation) missing settings are not errors yet: they are reported by
// Configure, so that `terraform validate` works without credentials.
func (r *resolved) check(complete bool) (client.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	cfg := client.Config{
		URL: r.url.value, AccountID: r.accountID.value, APIKey: r.apiKey.value,
		Username: r.username.value, Password: r.password.value, AccountName: r.accountName.value,
		AccountRealm: r.accountRealm.value, PhoneNumber: r.phoneNumber.value, AuthToken: r.token.value,
		CACertFile: r.caCert.value,
	}

	// url
	switch {
	case r.url.set():
		if _, err := client.ParseBaseURL(r.url.value); err != nil {
			addError(&diags, r.url, "Invalid KAZOO URL",
				fmt.Sprintf("%s must be the address of the Crossbar API, such as http://kazoo.example.com:8000 (a trailing /v2 is accepted): %v.", r.url.where(), err))
		}
	case complete && !r.url.unknown:
		diags.AddAttributeError(path.Root("url"), "Missing KAZOO URL",
			"Set url in the provider block, or the "+envURL+" environment variable, to the address of the Crossbar API, such as http://kazoo.example.com:8000.")
	}

	// account_id
	if r.accountID.set() && !client.IsAccountID(r.accountID.value) {
		hint := ""
		if client.IsAccountID(strings.ToLower(r.accountID.value)) {
			hint = " KAZOO account IDs are lower case."
		}
		addError(&diags, r.accountID, "Invalid KAZOO account ID",
			fmt.Sprintf("%s must be a KAZOO account ID: 32 lowercase hexadecimal characters, such as 4f5c6e1a9b8d7c6e5f4a3b2c1d0e9f8a. Got %q.%s", r.accountID.where(), r.accountID.value, hint))
	}

	checkCredentials(r, complete, &diags)

	// Tuning.
	if r.timeout.set() {
		d, err := time.ParseDuration(r.timeout.value)
		if err != nil || d <= 0 {
			addError(&diags, r.timeout, "Invalid timeout",
				fmt.Sprintf("%s must be a positive duration such as 30s or 2m. Got %q.", r.timeout.where(), r.timeout.value))
		}
		cfg.Timeout = d
	}
	if r.maxRetries.set() {
		n, err := strconv.Atoi(r.maxRetries.value)
		if err != nil || n < 0 || n > 100 {
			addError(&diags, r.maxRetries, "Invalid max_retries",
				fmt.Sprintf("%s must be a whole number from 0 to 100. Got %q.", r.maxRetries.where(), r.maxRetries.value))
		}
		cfg.MaxRetries = n
		if n == 0 {
			cfg.MaxRetries = -1 // the client's zero means its default
		}
	}
	if r.rps.set() {
		f, err := strconv.ParseFloat(r.rps.value, 64)
		if err != nil || f < 0 {
			addError(&diags, r.rps, "Invalid requests_per_second",
				fmt.Sprintf("%s must be a number of requests per second, 0 or more (0 turns the client-side limit off). Got %q.", r.rps.where(), r.rps.value))
		}
		cfg.RequestsPerSecond = f
		if f == 0 {
			cfg.RequestsPerSecond = -1 // unlimited; the client's zero means its default
		}
	}
	if r.burst.set() {
		n, err := strconv.Atoi(r.burst.value)
		if err != nil || n < 1 || n > 100000 {
			addError(&diags, r.burst, "Invalid burst",
				fmt.Sprintf("%s must be a whole number of requests, 1 or more: the size of KAZOO's rate-limit bucket (100 unless Crossbar's max_bucket_tokens changes it). Got %q.", r.burst.where(), r.burst.value))
		}
		cfg.Burst = n
	}
	for _, b := range []*setting{&r.insecure, &r.acc, &r.tokenCache} {
		if !b.set() {
			continue
		}
		v, err := strconv.ParseBool(b.value)
		if err != nil {
			addError(&diags, *b, "Invalid "+b.attr, fmt.Sprintf("%s must be true or false. Got %q.", b.where(), b.value))
		}
		switch b.attr {
		case "insecure_skip_verify":
			cfg.InsecureSkipVerify = v
		case "token_cache":
			cfg.TokenCache = v
		default:
			cfg.AcceptCharges = v
		}
	}
	if r.caCert.set() && complete {
		if _, err := os.Stat(r.caCert.value); err != nil {
			addError(&diags, r.caCert, "Cannot read the CA certificate file", fmt.Sprintf("%s: %v.", r.caCert.where(), err))
		}
	}
	return cfg, diags
}

// checkCredentials enforces exactly one credential method.
func checkCredentials(r *resolved, complete bool, diags *diag.Diagnostics) {
	type method struct {
		name     string
		settings []setting
	}
	var methods []method
	if r.apiKey.set() || r.apiKey.unknown {
		methods = append(methods, method{"an API key", []setting{r.apiKey}})
	}
	if r.username.set() || r.password.set() || r.username.unknown || r.password.unknown {
		methods = append(methods, method{"a username and password", []setting{r.username, r.password}})
	}
	if r.token.set() || r.token.unknown {
		methods = append(methods, method{"an auth token", []setting{r.token}})
	}

	switch {
	case len(methods) > 1:
		var parts []string
		for _, m := range methods {
			var from []string
			for _, s := range m.settings {
				if s.source != "" {
					from = append(from, s.where())
				}
			}
			parts = append(parts, m.name+" ("+strings.Join(from, ", ")+")")
		}
		diags.AddError("Conflicting KAZOO credentials",
			"Configure exactly one way to log in: api_key; or username and password with one of account_name, account_realm or phone_number; or auth_token. Found "+
				strings.Join(parts, " and ")+".")
		return
	case len(methods) == 0:
		if complete {
			diags.AddError("Missing KAZOO credentials",
				"Configure one way to log in: api_key (or "+envAPIKey+"); or username and password (or "+envUsername+" and "+envPassword+
					") with one of account_name, account_realm or phone_number; or auth_token (or "+envAuthToken+").")
		}
		for _, s := range []setting{r.accountName, r.accountRealm, r.phoneNumber} {
			if s.set() {
				addError(diags, s, "Account selector without a username", s.attr+" only applies to a username and password login; set username and password too, or remove it.")
			}
		}
		return
	}

	selectors := []setting{r.accountName, r.accountRealm, r.phoneNumber}
	if methods[0].name != "a username and password" {
		for _, s := range selectors {
			if s.set() {
				addError(diags, s, "Account selector without a username",
					s.attr+" only applies to a username and password login, but "+methods[0].name+" is configured; remove "+s.attr+".")
			}
		}
		return
	}

	// username and password
	if !r.username.unknown && !r.username.set() {
		diags.AddAttributeError(path.Root("username"), "Missing username", "A password is configured without a username (username or "+envUsername+").")
	}
	if !r.password.unknown && !r.password.set() {
		diags.AddAttributeError(path.Root("password"), "Missing password", "A username is configured without a password (password or "+envPassword+").")
	}
	var chosen []string
	unknown := false
	for _, s := range selectors {
		if s.set() {
			chosen = append(chosen, s.where())
		}
		unknown = unknown || s.unknown
	}
	switch {
	case len(chosen) > 1:
		diags.AddError("Conflicting account selectors",
			"A username and password login finds its account by exactly one of account_name, account_realm or phone_number; found "+strings.Join(chosen, ", ")+".")
	case len(chosen) == 0 && !unknown && complete:
		diags.AddAttributeError(path.Root("account_name"), "Missing account for the username",
			"A username and password login needs the account to look the user up in: set one of account_name ("+envAccountName+"), account_realm ("+envAccountRealm+") or phone_number ("+envPhoneNumber+").")
	}
}

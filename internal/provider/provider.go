// Package provider implements the kazoo Terraform provider.
package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

// Ensure the provider implements the optional interfaces it relies on.
var (
	_ provider.Provider                   = (*kazooProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*kazooProvider)(nil)
)

// New returns a constructor for the provider at the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &kazooProvider{version: version, getenv: os.Getenv} }
}

type kazooProvider struct {
	version string
	// getenv reads the KAZOO_* fallbacks; tests replace it.
	getenv func(string) string
}

func (p *kazooProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "kazoo"
	resp.Version = p.version
}

func (p *kazooProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Manage KAZOO accounts, users, devices and callflows through Crossbar, KAZOO's REST API. " +
			"Log in with exactly one of: an API key; a username and password with the account they belong to; or a token obtained elsewhere. " +
			"Every setting may instead come from its KAZOO_* environment variable, read only when the setting is absent from the configuration.",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{
				Optional: true,
				Description: "Address of the Crossbar API, such as `http://kazoo.example.com:8000`, with or without a trailing `/v2`. " +
					"Environment variable: `" + envURL + "`.",
			},
			"account_id": schema.StringAttribute{
				Optional: true,
				Description: "ID of the account the provider works in (32 lowercase hexadecimal characters). Resources without their own " +
					"`account_id` are managed here. When absent, it is the account the credentials log in to; when set, it must be that " +
					"account. To manage a sub-account, set `account_id` on the resources instead. Environment variable: `" + envAccountID + "`.",
			},
			"api_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				Description: "API key of the account (64 characters), exchanged once per run for a token. " +
					"Environment variable: `" + envAPIKey + "`.",
			},
			"username": schema.StringAttribute{
				Optional: true,
				Description: "User name for a username and password login; needs `password` and one of `account_name`, `account_realm` " +
					"or `phone_number`. Environment variable: `" + envUsername + "`.",
			},
			"password": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				Description: "Password of `username`. Only its MD5 digest with the user name is sent, as KAZOO's login expects. " +
					"Environment variable: `" + envPassword + "`.",
			},
			"account_name": schema.StringAttribute{
				Optional:    true,
				Description: "Name of the account `username` belongs to. Environment variable: `" + envAccountName + "`.",
			},
			"account_realm": schema.StringAttribute{
				Optional:    true,
				Description: "SIP realm of the account `username` belongs to. Environment variable: `" + envAccountRealm + "`.",
			},
			"phone_number": schema.StringAttribute{
				Optional:    true,
				Description: "A phone number of the account `username` belongs to. Environment variable: `" + envPhoneNumber + "`.",
			},
			"auth_token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				Description: "A token obtained elsewhere, used as is. The provider cannot renew it: when it expires, runs fail until it is " +
					"replaced. Environment variable: `" + envAuthToken + "`.",
			},
			"timeout": schema.StringAttribute{
				Optional: true,
				Description: "Time limit of one HTTP request, as a duration such as `30s` or `2m`. Defaults to `60s`. " +
					"Environment variable: `" + envTimeout + "`.",
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				Description: "How many times a request that failed for a passing reason (429, 502, 503, 504, network error) is tried again, " +
					"with growing waits. A create is only retried when it provably never reached the server. Defaults to 5. " +
					"Environment variable: `" + envMaxRetries + "`.",
			},
			"requests_per_second": schema.Float64Attribute{
				Optional: true,
				Description: "Refill rate of KAZOO's rate-limit bucket, in requests per second. KAZOO keeps a bucket per client address " +
					"and account that holds `burst` requests and refills at this rate; a login costs 35. The provider keeps the same " +
					"buckets on its side: it sends a burst, then runs at this rate, and slows down for a while after a 429. Defaults to " +
					"KAZOO's 10; set Crossbar's `tokens_fill_rate` here if it differs, or less to leave room for other clients. " +
					"0 turns the provider's limit off. Environment variable: `" + envRequestsPerSecond + "`.",
			},
			"burst": schema.Int64Attribute{
				Optional: true,
				Description: "Size of KAZOO's rate-limit bucket: how many requests the provider sends at once before it runs at " +
					"`requests_per_second`. Defaults to KAZOO's 100 (Crossbar's `max_bucket_tokens`). Environment variable: `" + envBurst + "`.",
			},
			"token_cache": schema.BoolAttribute{
				Optional: true,
				Description: "Keep the token of a login in a file of the user's cache directory (`$XDG_CACHE_HOME/kazoo-tf/tokens` or " +
					"`~/.cache/kazoo-tf/tokens` on Linux), readable by its owner only, so that the next Terraform command reuses it instead of " +
					"logging in again (each costs 35 of KAZOO's rate-limit tokens). The file is named after a hash of the URL, the " +
					"account and the credential, and holds the token, never the credential. A reused token is checked with one read of " +
					"the account when the provider starts, so that a server that cannot be reached is reported once; a token KAZOO " +
					"refuses is replaced by one new login. Defaults to false. Environment variable: `" + envTokenCache + "` (`1` or `true`).",
			},
			"insecure_skip_verify": schema.BoolAttribute{
				Optional: true,
				Description: "Skip verification of the server's TLS certificate. Only for test servers. Defaults to false. " +
					"Environment variable: `" + envInsecureSkipVerify + "`.",
			},
			"ca_cert_file": schema.StringAttribute{
				Optional: true,
				Description: "Path of a PEM file of certificate authorities to trust besides the system's, for a server with a private " +
					"certificate. Environment variable: `" + envCACertFile + "`.",
			},
			"accept_charges": schema.BoolAttribute{
				Optional: true,
				Description: "Accept the charges of changes that add billable services. Without it KAZOO refuses such changes " +
					"(HTTP 402) and the run stops with the charges it would apply. Resources can override it. Defaults to false. " +
					"Environment variable: `" + envAcceptCharges + "`.",
			},
		},
	}
}

// ValidateConfig checks at plan time what can be checked without the server:
// the URL's form, the account ID's form, and that at most one credential
// method is configured. Missing settings are left to Configure, so that
// `terraform validate` works without credentials.
func (p *kazooProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r := resolve(m, p.env())
	_, diags := r.check(false)
	resp.Diagnostics.Append(diags...)
}

func (p *kazooProvider) env() func(string) string {
	if p.getenv == nil {
		return os.Getenv
	}
	return p.getenv
}

// Configure builds the client and logs in once, so that a wrong URL, wrong
// credentials or a wrong account stop the run before any resource is touched.
func (p *kazooProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r := resolve(m, p.env())
	for _, s := range r.all() {
		if s.unknown {
			resp.Diagnostics.AddAttributeError(path.Root(s.attr), "Unknown KAZOO provider setting",
				"The provider cannot log in to KAZOO while "+s.attr+" is only known after apply. Set it to a value known at plan time, "+
					"or use the matching KAZOO_* environment variable.")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	cfg, diags := r.check(true)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	cfg.UserAgent = fmt.Sprintf("terraform-provider-kazoo/%s (+https://registry.terraform.io/providers/kazoo-community/kazoo; %s %s)",
		p.version, "terraform", req.TerraformVersion)
	cfg.Logger = tflogHook(cfg.APIKey, cfg.Password, cfg.AuthToken)

	c, err := client.New(cfg)
	if err == nil {
		err = c.Login(ctx)
	}
	if err != nil {
		resp.Diagnostics.Append(loginDiagnostic(&r, err)...)
		return
	}
	tflog.Info(ctx, "Logged in to KAZOO", map[string]any{"url": c.BaseURL(), "account_id": c.AccountID()})

	resp.ResourceData = engine.ResourceData{Backend: engine.ClientBackend(c), TerraformVersion: req.TerraformVersion}
	resp.DataSourceData = c
	resp.EphemeralResourceData = c
	resp.ListResourceData = c
	resp.ActionData = c
}

func (p *kazooProvider) Resources(context.Context) []func() resource.Resource { return resources() }

func (p *kazooProvider) DataSources(context.Context) []func() datasource.DataSource {
	return dataSources()
}

// loginDiagnostic explains a failed login: each cause gets its own summary
// and says what to check.
func loginDiagnostic(r *resolved, err error) diag.Diagnostics {
	var diags diag.Diagnostics
	var apiErr *client.Error
	var loginErr *client.LoginError
	detail, answer := err.Error(), ""
	if errors.As(err, &loginErr) {
		detail = loginErr.Detail
		if errors.As(loginErr.Err, &apiErr) {
			answer = " (" + apiErr.Summary() + ")"
		}
	}
	credential := r.apiKey
	switch {
	case r.username.set():
		credential = r.username
	case r.token.set():
		credential = r.token
	}
	switch {
	case errors.Is(err, client.ErrAccountMismatch):
		addError(&diags, r.accountID, "KAZOO credentials belong to another account",
			fmt.Sprintf("The login worked, but %s%s. Remove account_id to work in the credentials' own account, or set it to that account. "+
				"To manage a sub-account, keep the provider on the credentials' account and set account_id on the resources.", detail, answer))
	case errors.Is(err, client.ErrTokenExpired):
		addError(&diags, r.token, "KAZOO auth token expired", strings.ToUpper(detail[:1])+detail[1:]+".")
	case errors.Is(err, client.ErrInvalidCredentials):
		summary := "KAZOO rejected the API key"
		what := "Check " + credential.where() + ": it must be the 64-character API key of the account (GET /v2/accounts/{account_id}/api_key shows it)."
		switch credential.attr {
		case "username":
			summary = "KAZOO rejected the username and password"
			what = "Check " + r.username.where() + ", " + r.password.where() + " and the account they belong to (account_name, account_realm or phone_number)."
		case "auth_token":
			summary = "KAZOO rejected the auth token"
			what = "Obtain a new token, or configure an API key or a username and password so that the provider logs in by itself."
		}
		addError(&diags, credential, summary, fmt.Sprintf("The server at %s refused the login: %s%s. %s", r.url.value, detail, answer, what))
	case errors.Is(err, client.ErrLocked):
		addError(&diags, credential, "KAZOO account locked",
			fmt.Sprintf("The login was refused because the account is expired or disabled%s. An administrator of a parent account can enable it again.", answer))
	case errors.Is(err, client.ErrUnreachable):
		cause := fmt.Sprint(errors.Unwrap(err))
		var te *client.TransportError
		if errors.As(err, &te) {
			cause = te.Cause()
		}
		addError(&diags, r.url, "Cannot reach the KAZOO server",
			fmt.Sprintf("The provider got no answer from the Crossbar API at %s: %s. Check %s: its scheme (http or https), host and port "+
				"(Crossbar listens on 8000 unless configured otherwise); check that Crossbar runs and that this machine can reach it.",
				r.url.value, cause, r.url.where()))
	case errors.As(err, &apiErr) && (apiErr.StatusCode == 404 || apiErr.StatusCode == 405 || !apiErr.IsEnvelope()):
		addError(&diags, r.url, "The URL is not a Crossbar API",
			fmt.Sprintf("The login at %s got %v. Check that %s is the base address of the Crossbar API, such as "+
				"http://kazoo.example.com:8000 (with or without /v2), not the address of a web interface or a proxy page.",
				r.url.value, err, r.url.where()))
	default:
		diags.AddError("Cannot log in to KAZOO", fmt.Sprintf("The login at %s failed: %v.", r.url.value, err))
	}
	return diags
}

// tflogHook connects the client's log entries to tflog. The client already
// redacts secrets; masking them again here is a second guard.
func tflogHook(secrets ...string) client.LogFunc {
	var masks []string
	for _, s := range secrets {
		if s != "" {
			masks = append(masks, s)
		}
	}
	return func(ctx context.Context, level client.LogLevel, msg string, fields map[string]any) {
		if len(masks) > 0 {
			ctx = tflog.MaskAllFieldValuesStrings(ctx, masks...)
			ctx = tflog.MaskMessageStrings(ctx, masks...)
		}
		switch level {
		case client.LevelTrace:
			tflog.Trace(ctx, msg, fields)
		case client.LevelDebug:
			tflog.Debug(ctx, msg, fields)
		case client.LevelInfo:
			tflog.Info(ctx, msg, fields)
		case client.LevelWarn:
			tflog.Warn(ctx, msg, fields)
		default:
			tflog.Error(ctx, msg, fields)
		}
	}
}

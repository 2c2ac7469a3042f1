package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
)

// kazoo_auth_token: the provider's own login, handed on to configure something else (a second
// kazoo provider alias, an http data source) without the token reaching the plan or the state.

var _ ephemeral.EphemeralResourceWithConfigure = (*authTokenEphemeral)(nil)

func newAuthTokenEphemeral() ephemeral.EphemeralResource { return &authTokenEphemeral{} }

type authTokenEphemeral struct{ client *client.Client }

type authTokenModel struct {
	Token     types.String `tfsdk:"token"`
	AccountID types.String `tfsdk:"account_id"`
	ExpiresAt types.String `tfsdk:"expires_at"`
}

func (e *authTokenEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_auth_token"
}

func (e *authTokenEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A KAZOO auth token from the provider's login (its API key, username and password, or token), for " +
			"configuring another provider or a request in the same run: a second `kazoo` provider alias (`auth_token`), or the " +
			"`X-Auth-Token` header of an `http` data source. Ephemeral: the token is never written to the plan or the state.",
		Attributes: map[string]schema.Attribute{
			"token": schema.StringAttribute{
				Computed:            true,
				Sensitive:           true,
				MarkdownDescription: "The auth token, sent by Crossbar clients in the `X-Auth-Token` header.",
			},
			"account_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The id of the account the token logs in to.",
			},
			"expires_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the token expires, as an RFC 3339 time (UTC); null when the token does not say.",
			},
		},
	}
}

func (e *authTokenEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (e *authTokenEphemeral) Open(ctx context.Context, _ ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	if e.client == nil {
		resp.Diagnostics.AddError("Provider not configured",
			"The kazoo provider was not configured before kazoo_auth_token was opened; this is a bug in the provider, please report it.")
		return
	}
	tok, exp, err := e.client.Token(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot obtain a KAZOO auth token",
			fmt.Sprintf("The provider could not log in to KAZOO: %v. Check the provider's credentials.", err))
		return
	}
	m := authTokenModel{Token: types.StringValue(tok), AccountID: types.StringValue(e.client.AccountID()), ExpiresAt: types.StringNull()}
	if !exp.IsZero() {
		m.ExpiresAt = types.StringValue(exp.UTC().Format(time.RFC3339))
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, m)...)
}

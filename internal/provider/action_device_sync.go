package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
)

// kazoo_device_sync: POST /v2/accounts/{account_id}/devices/{device_id}/sync, which has KAZOO
// send the phone a check-sync so that it reads its provisioning again. Usable with
// `terraform apply -invoke=action.kazoo_device_sync.x` and from an action_trigger.

var _ action.ActionWithConfigure = (*deviceSyncAction)(nil)

func newDeviceSyncAction() action.Action { return &deviceSyncAction{} }

type deviceSyncAction struct{ client *client.Client }

type deviceSyncModel struct {
	AccountID types.String `tfsdk:"account_id"`
	DeviceID  types.String `tfsdk:"device_id"`
}

func (a *deviceSyncAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_device_sync"
}

func (a *deviceSyncAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Asks a device to read its provisioning again: KAZOO sends the phone a SIP NOTIFY with the check-sync " +
			"event (`POST /v2/accounts/{account_id}/devices/{device_id}/sync`). Phones that honour check-sync fetch their " +
			"configuration, and many reboot to apply it. Nothing is stored in the state.",
		Attributes: map[string]schema.Attribute{
			"account_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The id of the account that holds the device. Defaults to the provider's account.",
				Validators:          []validator.String{hexID()},
			},
			"device_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The id of the device to sync (32 lowercase hexadecimal characters), such as `kazoo_device.desk.id`.",
				Validators:          []validator.String{hexID()},
			},
		},
	}
}

func (a *deviceSyncAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *deviceSyncAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	if a.client == nil {
		resp.Diagnostics.AddError("Provider not configured",
			"The kazoo provider was not configured before kazoo_device_sync ran; this is a bug in the provider, please report it.")
		return
	}
	var m deviceSyncModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	account := m.AccountID.ValueString()
	if account == "" {
		account = a.client.AccountID()
	}
	device := m.DeviceID.ValueString()
	_, err := a.client.Post(ctx, client.AccountPath(account, "devices", device, "sync"), map[string]any{})
	switch {
	case errors.Is(err, client.ErrNotFound):
		resp.Diagnostics.AddAttributeError(path.Root("device_id"), "Device not found",
			fmt.Sprintf("KAZOO has no device %s in account %s, so it cannot be synced. Check device_id (and account_id, "+
				"which defaults to the provider's account).", device, account))
	case errors.Is(err, client.ErrForbidden):
		resp.Diagnostics.AddError("Not allowed to sync the device",
			fmt.Sprintf("KAZOO refused to sync device %s in account %s: %v. The provider's credentials must be allowed to manage that account.", device, account, err))
	case err != nil:
		resp.Diagnostics.AddError("Could not sync the device",
			fmt.Sprintf("KAZOO did not accept the sync of device %s in account %s: %v. Try again; if it keeps failing, check that Crossbar's devices module is loaded.", device, account, err))
	default:
		if resp.SendProgress != nil {
			resp.SendProgress(action.InvokeProgressEvent{Message: "KAZOO sent check-sync to device " + device})
		}
	}
}

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

// hexID validates a KAZOO id: 32 lowercase hexadecimal characters.
func hexID() validator.String {
	return stringvalidator.RegexMatches(hex32, "must be a KAZOO id: 32 lowercase hexadecimal characters")
}

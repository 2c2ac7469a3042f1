package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// A create whose outcome is unknown (the connection dropped and the document could not be
// read back) may have stored the document. Two answers keep the next apply from making it
// twice; which one depends on the CLI (cliKeepsFailedCreates):
//   - keepUncertainCreate: the state keeps the id and Terraform marks it tainted. The next plan
//     reads that id: gone, it is created again; there, it is deleted and created anew.
//   - journalUncertainCreate: no state; the id goes to the journal of pending creates
//     (pending_creates.go), and the next create of the same document reuses it.

// firstCLIWithoutFailedCreateState is the first Terraform release that cannot be trusted with
// the state a failed create returns: Terraform 1.16 writes it first with the status of the
// absent prior object (ObjectStatus(0)) and marks it tainted only afterwards. A state snapshot
// Terraform persists in between (it does so while an apply with many resources runs) cannot be
// serialised ("has status ObjectStatus(0), which cannot be saved in state") and the apply fails
// on it.
var firstCLIWithoutFailedCreateState = version.Must(version.NewVersion("1.16.0"))

// cliKeepsFailedCreates reports whether the CLI of the given version (the provider's
// ConfigureRequest.TerraformVersion; empty when unknown) keeps the state of a failed create.
// OpenTofu reports its own version; no release of it has the fault.
func cliKeepsFailedCreates(v string) bool {
	parsed, err := version.NewVersion(v)
	if err != nil {
		return true
	}
	return parsed.Core().LessThan(firstCLIWithoutFailedCreateState)
}

// pendingKeyOf is the journal key of a create, "" when the document cannot be hashed.
func pendingKeyOf(collection string, doc map[string]any) string {
	key, err := pendingKey(collection, doc)
	if err != nil {
		return ""
	}
	return key
}

// reuseUncertainID gives a create the id an earlier create of the same document left in the
// journal, if any.
func reuseUncertainID(ctx context.Context, key string) (string, bool) {
	if key == "" {
		return "", false
	}
	id, ok := journal.claim(key, time.Now())
	if ok {
		tflog.Info(ctx, "reusing the id of an earlier create of this document whose outcome was unknown", map[string]any{"id": id})
	}
	return id, ok
}

// endCreate tells the journal how a create that may have used a journalled id ended.
func endCreate(ctx context.Context, key, id string, stored bool) {
	if key == "" {
		return
	}
	if err := journal.done(key, id, stored, time.Now()); err != nil {
		tflog.Warn(ctx, "could not update the journal of pending creates", map[string]any{"error": err.Error()})
	}
}

// answerUncertainCreate answers a create of unknown outcome in the way the CLI allows.
func (r *Resource) answerUncertainCreate(ctx context.Context, resp *resource.CreateResponse, plan tftypes.Value, id, key, item string) {
	if r.keepsFailedCreates {
		r.keepUncertainCreate(ctx, resp, plan, id)
		return
	}
	r.journalUncertainCreate(ctx, resp, id, key, item)
}

// keepUncertainCreate returns the planned state with the id; unknown values become null.
func (r *Resource) keepUncertainCreate(_ context.Context, resp *resource.CreateResponse, plan tftypes.Value, id string) {
	state, err := tftypes.Transform(plan, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.IsKnown() {
			return tftypes.NewValue(v.Type(), nil), nil
		}
		return v, nil
	})
	if err != nil {
		return
	}
	resp.State.Raw = withAttr(state, attrID, tftypes.NewValue(tftypes.String, id))
	r.e.setIdentity(resp.State.Raw, resp.Identity)
	resp.Diagnostics.AddWarning(r.typeName()+" may exist in KAZOO",
		fmt.Sprintf("KAZOO may have stored the document %s before the error. Terraform keeps its id, marked tainted: "+
			"the next apply deletes it if it exists and creates it again, so no duplicate is left.", id))
}

// journalUncertainCreate records the id for the next create of the same document.
func (r *Resource) journalUncertainCreate(ctx context.Context, resp *resource.CreateResponse, id, key, item string) {
	err := fmt.Errorf("the document cannot be hashed")
	if key != "" {
		err = journal.record(key, id, time.Now())
	}
	if err != nil {
		tflog.Warn(ctx, "could not journal a create of unknown outcome", map[string]any{"id": id, "error": err.Error()})
		resp.Diagnostics.AddWarning(r.typeName()+" may exist in KAZOO",
			fmt.Sprintf("KAZOO may have stored the document %s before the error, and the provider could not note its id (%v). "+
				"Once KAZOO answers again, check %s: if it exists, import it (terraform import) or delete it before the next apply, "+
				"which would otherwise create the object a second time.", id, err, item))
		return
	}
	resp.Diagnostics.AddWarning(r.typeName()+" may exist in KAZOO",
		fmt.Sprintf("KAZOO may have stored the document %s before the error. The provider noted its id in the user's cache "+
			"directory: the next apply from this machine with the same configuration creates it with that id, adopting the "+
			"document if it exists, so no duplicate is made. Applying from another machine first? Check %s and delete it if it exists.", id, item))
}

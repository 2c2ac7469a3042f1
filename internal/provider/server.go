package provider

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewProtocol6Server returns the provider's protocol 6 server factory for the plugin binary.
//
// It works around a memory leak of terraform-plugin-framework (v1.19): its server keeps the
// cancel function of every request's context until StopProvider, and with it the whole
// context of the request: terraform-plugin-log's loggers and fields, gRPC's stream. That
// is about 10 KB for each of the four or five calls Terraform makes per resource and graph
// walk, 50 MB in a plan of 1,000 resources, which the garbage collector keeps scanning.
// The wrapper hands the framework a context that forwards to the request's context while
// the call runs and lets go of it when the call returns (the stop function of its
// context.AfterFunc included, which holds the request's context too), so that what the
// framework keeps is a few hundred bytes. Cancellation (Terraform's StopProvider included) and logging
// behave as before.
func NewProtocol6Server(version string) func() tfprotov6.ProviderServer {
	inner := providerserver.NewProtocol6(New(version)())
	return func() tfprotov6.ProviderServer { return detachContexts(inner()) }
}

// fullServer is every server interface the framework implements, so that the wrapper
// hides none of the optional ones terraform-plugin-go looks for.
type fullServer interface {
	tfprotov6.ProviderServerWithListResource //nolint:staticcheck // tf6server still looks these optional interfaces up
	tfprotov6.ProviderServerWithActions      //nolint:staticcheck // idem
	tfprotov6.ProviderServerWithStateStores  //nolint:staticcheck // idem
}

// detachContexts wraps the framework's server; a server that is not the full framework
// server is returned as it is.
func detachContexts(s tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	full, ok := s.(fullServer)
	if !ok {
		return s
	}
	return detachingServer{full}
}

// detachingServer passes the calls Terraform makes per resource a detachable context.
type detachingServer struct{ fullServer }

// call runs f with a context that forgets ctx once f returns.
func call[Req, Resp any](ctx context.Context, req Req, f func(context.Context, Req) (Resp, error)) (Resp, error) {
	d := newDetachable(ctx)
	defer d.detach()
	return f(d, req)
}

func (s detachingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return call(ctx, req, s.fullServer.ValidateResourceConfig)
}

func (s detachingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return call(ctx, req, s.fullServer.UpgradeResourceState)
}

func (s detachingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return call(ctx, req, s.fullServer.ReadResource)
}

func (s detachingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return call(ctx, req, s.fullServer.PlanResourceChange)
}

func (s detachingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return call(ctx, req, s.fullServer.ApplyResourceChange)
}

func (s detachingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return call(ctx, req, s.fullServer.ImportResourceState)
}

func (s detachingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return call(ctx, req, s.fullServer.ValidateDataResourceConfig)
}

func (s detachingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return call(ctx, req, s.fullServer.ReadDataSource)
}

// detachable is a context that forwards to its parent until detach, then holds nothing
// of it: its values are gone and it reports itself cancelled.
type detachable struct {
	mu       sync.RWMutex
	parent   context.Context // nil once detached
	deadline time.Time
	hasDL    bool
	done     chan struct{}
	err      error
	stop     func() bool
	once     sync.Once
}

func newDetachable(parent context.Context) *detachable {
	d := &detachable{parent: parent, done: make(chan struct{})}
	d.deadline, d.hasDL = parent.Deadline()
	d.stop = context.AfterFunc(parent, func() { d.finish(parent.Err()) })
	if err := parent.Err(); err != nil {
		d.finish(err) // already over: no waiting for AfterFunc's goroutine
	}
	return d
}

// finish closes done once, with the error Err reports from then on.
func (d *detachable) finish(err error) {
	d.once.Do(func() {
		d.mu.Lock()
		d.err = err
		d.mu.Unlock()
		close(d.done)
	})
}

// detach forgets the parent; the context is cancelled from then on. The AfterFunc's stop
// function goes too: it holds the parent as well.
func (d *detachable) detach() {
	d.stop()
	d.finish(context.Canceled)
	d.mu.Lock()
	d.parent = nil
	d.stop = nil
	d.mu.Unlock()
}

func (d *detachable) Deadline() (time.Time, bool) { return d.deadline, d.hasDL }

func (d *detachable) Done() <-chan struct{} { return d.done }

func (d *detachable) Err() error {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.err
}

func (d *detachable) Value(key any) any {
	d.mu.RLock()
	p := d.parent
	d.mu.RUnlock()
	if p == nil {
		return nil
	}
	return p.Value(key)
}

package provider

import (
	"context"
	"errors"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type ctxKey struct{}

// retainingServer keeps every context it is called with, as terraform-plugin-framework's
// server does, and sees the request's values while the call runs.
type retainingServer struct {
	fullServer
	kept []context.Context
	seen []any
}

func (r *retainingServer) ReadResource(ctx context.Context, _ *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	r.kept = append(r.kept, ctx)
	r.seen = append(r.seen, ctx.Value(ctxKey{}))
	return &tfprotov6.ReadResourceResponse{}, ctx.Err()
}

// TestServerDetachesRequestContexts: during a call the framework sees the request's
// context (values, cancellation); after it, what the framework kept holds nothing of it.
func TestServerDetachesRequestContexts(t *testing.T) {
	if _, ok := NewProtocol6Server("test")().(detachingServer); !ok {
		t.Fatal("the framework's server no longer implements every server interface: the leak workaround is off")
	}
	inner := &retainingServer{}
	s := detachingServer{inner}
	ctx := context.WithValue(context.Background(), ctxKey{}, "request fields")
	if _, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{}); err != nil {
		t.Fatal(err)
	}
	if inner.seen[0] != "request fields" {
		t.Fatalf("during the call the context carried %v", inner.seen[0])
	}
	kept := inner.kept[0]
	if kept.Value(ctxKey{}) != nil {
		t.Fatal("the kept context still reaches the request's values")
	}
	select {
	case <-kept.Done():
	default:
		t.Fatal("the kept context is not done after the call")
	}
	if !errors.Is(kept.Err(), context.Canceled) {
		t.Fatalf("Err = %v", kept.Err())
	}

	// A request cancelled before the call (Terraform's interrupt) is cancelled inside it.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.ReadResource(cancelled, &tfprotov6.ReadResourceRequest{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want the request's cancellation", err)
	}
	// A framework-side child context, as the framework registers, ends with the call.
	child, stop := context.WithCancel(newDetachable(ctx))
	defer stop()
	if child.Value(ctxKey{}) != "request fields" {
		t.Fatal("a child does not see the request's values")
	}
}

package provider

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type ctxKey struct{}

// payloadKey holds a value only the request's context refers to.
type payloadKey struct{}

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

// TestServerLetsGoOfRequestContexts: what the framework keeps of a call does not keep the
// request's context reachable. In a real run that context carries terraform-plugin-log's
// loggers and gRPC's stream, about 50 KB a call, held until the provider stops.
func TestServerLetsGoOfRequestContexts(t *testing.T) {
	inner := &retainingServer{}
	s := detachingServer{inner}
	collected := make(chan struct{})
	func() {
		payload := new([1 << 16]byte)
		runtime.AddCleanup(payload, func(ch chan struct{}) { close(ch) }, collected)
		// A cancellable request context, as gRPC's; cancelled when the call is over.
		ctx, cancel := context.WithCancel(context.WithValue(context.Background(), payloadKey{}, payload))
		defer cancel()
		if _, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{}); err != nil {
			t.Fatal(err)
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		runtime.GC()
		select {
		case <-collected:
			runtime.KeepAlive(inner)
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
	runtime.KeepAlive(inner)
	t.Fatal("the context the framework kept still holds the request's context")
}

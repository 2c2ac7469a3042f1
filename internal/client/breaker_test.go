package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestDeadServerStopsEveryRequestAtOnce: once the server refuses
// connections, the breaker fails every request, in flight or new, within
// about a second, each saying "connection refused" and none "timeout".
func TestDeadServerStopsEveryRequestAtOnce(t *testing.T) {
	f := newFakeCrossbar(t)
	f.handle = func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{}})
	}
	// Default retries and waits: the breaker, not a short backoff, must end them.
	c := f.client(t, func(cfg *Config) { cfg.RetryWaitMin, cfg.RetryWaitMax = 0, 0 })
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	f.srv.Close() // the server dies: connections are refused

	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, 30)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Get(ctxT(t), AccountPath(testAccountID, "devices", "d"), nil)
		}()
	}
	wg.Wait()
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("30 requests to a dead server took %v", el)
	}
	if !c.breaker.open() {
		t.Fatal("the breaker did not open")
	}
	for _, err := range errs {
		if !errors.Is(err, ErrUnreachable) {
			t.Fatalf("err = %v, want ErrUnreachable", err)
		}
		mustContain(t, err.Error(), "connection refused", f.srv.URL, "Crossbar is running")
		if strings.Contains(err.Error(), "timeout") {
			t.Fatalf("a refused connection is worded as a timeout: %v", err)
		}
	}
	// Later requests are not even sent.
	before := c.Stats().Attempts
	_, err := c.Get(ctxT(t), AccountPath(testAccountID), nil)
	if !errors.Is(err, errBreakerOpen) || c.Stats().Attempts != before {
		t.Fatalf("after the breaker opened: err = %v, %d attempts", err, c.Stats().Attempts-before)
	}
	mustContain(t, err.Error(), "stopped answering", "connection refused")
}

// TestBreakerProbesAndCloses: after the cooldown one attempt goes through;
// an answer closes the breaker, a failure keeps it open.
func TestBreakerProbesAndCloses(t *testing.T) {
	var b breaker
	refused := &net.OpError{Op: "dial", Err: errors.New("connect: connection refused")}
	for range breakerThreshold - 1 {
		b.failed(refused)
	}
	if b.allow() != nil {
		t.Fatal("open before the threshold")
	}
	b.failed(refused)
	if b.allow() == nil {
		t.Fatal("closed after the threshold")
	}
	b.mu.Lock()
	b.probeAt = time.Now().Add(-time.Millisecond)
	b.mu.Unlock()
	if b.allow() != nil {
		t.Fatal("no probe after the cooldown")
	}
	if b.allow() == nil {
		t.Fatal("a second attempt went through beside the probe")
	}
	b.answered()
	if b.allow() != nil || b.open() {
		t.Fatal("an answer did not close the breaker")
	}
	// An HTTP answer between failures resets the count.
	b.failed(refused)
	b.failed(refused)
	b.answered()
	b.failed(refused)
	if b.open() {
		t.Fatal("failures separated by an answer opened the breaker")
	}
	// The caller giving up says nothing about the server.
	for range 5 {
		b.failed(ctxCanceledErr())
	}
	if b.open() {
		t.Fatal("cancelled requests opened the breaker")
	}
}

func ctxCanceledErr() error {
	ctx, cancel := contextWithCancel()
	cancel()
	return ctx.Err()
}

// TestTimeoutIsWordedAsTimeout: only an attempt that waited the whole
// timeout says so.
func TestTimeoutIsWordedAsTimeout(t *testing.T) {
	what, _ := describeTransport(&attemptTimeout{after: 30 * time.Second})
	mustContain(t, what, "no answer within 30s", "timeout")
	for _, err := range []error{
		&net.OpError{Op: "dial", Err: errors.New("connect: connection refused")},
		errors.New("read: connection reset by peer"),
	} {
		if what, _ := describeTransport(err); strings.Contains(what, "timeout") {
			t.Fatalf("%v worded as %q", err, what)
		}
	}
}

func contextWithCancel() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}

// TestTransportErrorSaysWhetherSent: a request whose every attempt was refused at connect or
// held back by the breaker reports NotSent (nothing can have changed); one whose connection
// was closed after the request went out does not (the server may have applied it).
func TestTransportErrorSaysWhetherSent(t *testing.T) {
	f := newFakeCrossbar(t)
	var closeIt bool
	var mu sync.Mutex
	f.handle = func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		mu.Lock()
		drop := closeIt
		mu.Unlock()
		if drop {
			// The request arrived; the answer is lost.
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{}})
	}
	c := f.client(t, func(cfg *Config) { cfg.RetryWaitMin, cfg.RetryWaitMax, cfg.MaxRetries = 0, 0, 1 })
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	closeIt = true
	mu.Unlock()
	_, err := c.Put(ctxT(t), AccountPath(testAccountID, "devices"), map[string]any{"id": "x"})
	var te *TransportError
	if !errors.As(err, &te) || te.NotSent {
		t.Fatalf("a PUT whose connection closed after sending: %#v, want a TransportError that may have been sent", err)
	}

	f.srv.Close() // connections are refused from now on
	for i := 0; i < breakerThreshold+2; i++ {
		_, err = c.Get(ctxT(t), AccountPath(testAccountID, "devices", "d"), nil)
		if !errors.As(err, &te) || !te.NotSent {
			t.Fatalf("request %d to a server refusing connections: %#v, want NotSent", i, err)
		}
	}
	if !c.breaker.open() {
		t.Fatal("the breaker did not open")
	}
	_, err = c.Put(ctxT(t), AccountPath(testAccountID, "devices"), map[string]any{"id": "y"})
	if !errors.As(err, &te) || !te.NotSent || !errors.Is(err, errBreakerOpen) {
		t.Fatalf("a PUT the breaker held back: %#v, want NotSent", err)
	}
}

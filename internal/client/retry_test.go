package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// failing answers the first n requests with status, then succeeds.
func failing(n int32, status int, header http.Header) (func(http.ResponseWriter, *http.Request, []byte), *atomic.Int32) {
	var calls atomic.Int32
	return func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if calls.Add(1) <= n {
			for k, vs := range header {
				w.Header()[k] = vs
			}
			writeJSON(w, status, errorEnvelope(status, "too_many_requests", map[string]any{"message": "try later"}))
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"status": "success", "data": map[string]any{"id": "x"}})
	}, &calls
}

func TestRetriesTransientAnswersForReadsAndUpdates(t *testing.T) {
	for _, status := range []int{429, 502, 503, 504} {
		for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete} {
			f := newFakeCrossbar(t)
			var calls *atomic.Int32
			f.handle, calls = failing(2, status, nil)
			c := f.client(t, nil)
			_, err := c.Do(ctxT(t), Request{Method: method, Path: AccountPath(testAccountID, "devices", "d1"), Data: map[string]any{"a": 1}})
			if err != nil {
				t.Fatalf("%s after two %d: %v", method, status, err)
			}
			if calls.Load() != 3 {
				t.Fatalf("%s %d: server saw %d attempts, want 3", method, status, calls.Load())
			}
		}
	}
}

func TestRetryReplaysTheSameBody(t *testing.T) {
	f := newFakeCrossbar(t)
	f.handle, _ = failing(2, 503, nil)
	c := f.client(t, nil)
	if _, err := c.Patch(ctxT(t), AccountPath(testAccountID, "users", "u1"), map[string]any{"first_name": "Ada"}); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.bodies) != 3 || f.bodies[0] != f.bodies[2] || f.bodies[0] != `{"data":{"first_name":"Ada"}}` {
		t.Fatalf("bodies = %q", f.bodies)
	}
}

func TestRetriesAreBoundedAndReportTheLastAnswer(t *testing.T) {
	f := newFakeCrossbar(t)
	var calls *atomic.Int32
	f.handle, calls = failing(1000, 503, nil)
	c := f.client(t, func(cfg *Config) { cfg.MaxRetries = 3 })
	_, err := c.Get(ctxT(t), AccountPath(testAccountID, "devices"), nil)
	if !errors.Is(err, ErrServer) {
		t.Fatalf("err = %v, want ErrServer", err)
	}
	if calls.Load() != 4 {
		t.Fatalf("attempts = %d, want 1 + 3 retries", calls.Load())
	}
}

func TestNoRetriesForClientErrors(t *testing.T) {
	f := newFakeCrossbar(t)
	var calls atomic.Int32
	f.handle = func(w http.ResponseWriter, r *http.Request, _ []byte) {
		calls.Add(1)
		writeJSON(w, 500, errorEnvelope(500, "unspecified_fault", map[string]any{"message": "boom"}))
	}
	c := f.client(t, nil)
	_, err := c.Get(ctxT(t), AccountPath(testAccountID, "devices"), nil)
	if !errors.Is(err, ErrServer) || calls.Load() != 1 {
		t.Fatalf("err = %v after %d attempts; a 500 is KAZOO's own fault and is not retried", err, calls.Load())
	}
}

// A PUT creates: when it may have reached the server it is never repeated.
func TestPutThatReachedTheServerIsNotRepeated(t *testing.T) {
	t.Run("5xx answer", func(t *testing.T) {
		for _, status := range []int{429, 502, 503, 504} {
			f := newFakeCrossbar(t)
			var calls *atomic.Int32
			f.handle, calls = failing(5, status, nil)
			c := f.client(t, nil)
			_, err := c.Put(ctxT(t), AccountPath(testAccountID, "devices"), map[string]any{"name": "d"})
			if err == nil || calls.Load() != 1 {
				t.Fatalf("status %d: err=%v attempts=%d, want an error after exactly 1 attempt", status, err, calls.Load())
			}
		}
	})
	t.Run("connection dropped after the body was read", func(t *testing.T) {
		f := newFakeCrossbar(t)
		var calls atomic.Int32
		f.handle = func(w http.ResponseWriter, r *http.Request, _ []byte) {
			calls.Add(1)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		}
		c := f.client(t, nil)
		_, err := c.Put(ctxT(t), AccountPath(testAccountID, "devices"), map[string]any{"name": "d"})
		if !errors.Is(err, ErrUnreachable) {
			t.Fatalf("err = %v, want ErrUnreachable", err)
		}
		if calls.Load() != 1 {
			t.Fatalf("PUT reached the server %d times, want 1", calls.Load())
		}
		// The same failure on a GET is retried, until the breaker finds the server gone:
		// the PUT's failure and the GET's make breakerThreshold in a row.
		calls.Store(0)
		_, err = c.Get(ctxT(t), AccountPath(testAccountID, "devices"), nil)
		if calls.Load() != int32(breakerThreshold-1) || !errors.Is(err, errBreakerOpen) {
			t.Fatalf("GET attempts = %d (err %v), want %d then the breaker", calls.Load(), err, breakerThreshold-1)
		}
	})
	t.Run("idempotent PUT with a client-chosen id is retried", func(t *testing.T) {
		f := newFakeCrossbar(t)
		var calls *atomic.Int32
		f.handle, calls = failing(1, 503, nil)
		c := f.client(t, nil)
		if _, err := c.Put(ctxT(t), AccountPath(testAccountID, "devices"), map[string]any{"id": "x"}, Idempotent()); err != nil {
			t.Fatal(err)
		}
		if calls.Load() != 2 {
			t.Fatalf("attempts = %d", calls.Load())
		}
	})
}

// flakyDialer fails its first dials before any connection exists.
type flakyDialer struct {
	failures atomic.Int32
	dialer   net.Dialer
}

func (d *flakyDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if d.failures.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
	}
	return d.dialer.DialContext(ctx, network, addr)
}

func TestPutIsRetriedWhenItProvablyNeverLeft(t *testing.T) {
	f := newFakeCrossbar(t)
	var calls atomic.Int32
	f.handle = func(w http.ResponseWriter, r *http.Request, _ []byte) {
		calls.Add(1)
		writeJSON(w, 201, map[string]any{"status": "success", "data": map[string]any{"id": "new"}})
	}
	d := &flakyDialer{}
	c := f.client(t, func(cfg *Config) {
		cfg.Transport = &http.Transport{DialContext: d.DialContext}
	})
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	c.http.HTTPClient.CloseIdleConnections()
	d.failures.Store(2)
	env, err := c.Put(ctxT(t), AccountPath(testAccountID, "devices"), map[string]any{"name": "d"})
	if err != nil {
		t.Fatal(err)
	}
	if env.StatusCode != 201 || calls.Load() != 1 {
		t.Fatalf("status=%d server saw %d PUTs, want 1", env.StatusCode, calls.Load())
	}
	if s := c.Stats(); s.Attempts != 1+3 {
		t.Fatalf("attempts = %d, want login + 2 failed dials + 1", s.Attempts)
	}
}

func TestUnreachableServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now
	c, err := New(Config{URL: "http://" + addr, APIKey: testAPIKey, MaxRetries: 1, RetryWaitMin: time.Millisecond, RequestsPerSecond: -1})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Login(ctxT(t))
	if !errors.Is(err, ErrUnreachable) || errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnreachable only", err)
	}
	mustContain(t, err.Error(), "cannot reach KAZOO at http://"+addr)
}

func TestRetryAfterIsHonoured(t *testing.T) {
	f := newFakeCrossbar(t)
	f.handle, _ = failing(1, 429, http.Header{"Retry-After": {"1"}})
	c := f.client(t, nil)
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := c.Get(ctxT(t), AccountPath(testAccountID), nil); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 900*time.Millisecond {
		t.Fatalf("waited %v, want about 1s as Retry-After says", waited)
	}
}

func TestBackoffGrowsWithJitterAndIsCapped(t *testing.T) {
	minW, maxW := 100*time.Millisecond, time.Second
	for attempt := range 8 {
		step := minW << attempt
		if step > maxW {
			step = maxW
		}
		for range 50 {
			d := backoff(minW, maxW, attempt, nil)
			if d < step/2 || d > step {
				t.Fatalf("attempt %d: wait %v outside [%v, %v]", attempt, d, step/2, step)
			}
		}
	}
}

func TestContextCancellationStopsRetries(t *testing.T) {
	f := newFakeCrossbar(t)
	f.handle, _ = failing(1000, 503, nil)
	c := f.client(t, func(cfg *Config) {
		cfg.RetryWaitMin, cfg.RetryWaitMax, cfg.MaxRetries = 10*time.Second, 10*time.Second, 10
	})
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Get(ctx, AccountPath(testAccountID), nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("took %v", time.Since(start))
	}
}

func TestTimeoutBoundsEachAttempt(t *testing.T) {
	f := newFakeCrossbar(t)
	var calls atomic.Int32
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	f.handle = func(w http.ResponseWriter, r *http.Request, _ []byte) {
		calls.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}
	c := f.client(t, func(cfg *Config) { cfg.Timeout, cfg.MaxRetries = 150*time.Millisecond, 2 })
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := c.Get(ctxT(t), AccountPath(testAccountID), nil)
	if !errors.Is(err, ErrUnreachable) || calls.Load() != 3 {
		t.Fatalf("err = %v after %d attempts, want a timeout after 3", err, calls.Load())
	}
	mustContain(t, err.Error(), "timeout")
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("took %v", el)
	}
	// A create that timed out may have been applied: it is not repeated.
	calls.Store(0)
	c = f.client(t, func(cfg *Config) { cfg.Timeout, cfg.MaxRetries = 150*time.Millisecond, 2 })
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	_, err = c.Put(ctxT(t), AccountPath(testAccountID, "devices"), map[string]any{"name": "d"})
	if err == nil || calls.Load() != 1 {
		t.Fatalf("PUT: err = %v after %d attempts, want 1", err, calls.Load())
	}
}

func TestWaitingForTheRateLimiterIsNotATimeout(t *testing.T) {
	f := newFakeCrossbar(t)
	c := f.client(t, func(cfg *Config) {
		cfg.Timeout, cfg.MaxRetries, cfg.RequestsPerSecond, cfg.Burst = 200*time.Millisecond, -1, 5, 1
	})
	start := time.Now()
	_, failed := runLoad(t, c, 6) // the login and 6 GETs at 5/s: the last waits over a second
	if failed != 0 {
		t.Fatalf("%d requests failed while queued behind the limiter", failed)
	}
	if el := time.Since(start); el < time.Second {
		t.Fatalf("took %v: the limiter did not hold requests back", el)
	}
}

func TestLoginRetriesLessThanRequests(t *testing.T) {
	f := newFakeCrossbar(t)
	d := &flakyDialer{}
	d.failures.Store(100)
	c := f.client(t, func(cfg *Config) {
		cfg.Transport = &http.Transport{DialContext: d.DialContext}
		cfg.MaxRetries = 10
	})
	err := c.Login(ctxT(t))
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v", err)
	}
	if n := c.Stats().Attempts; n != loginMaxRetries+1 {
		t.Fatalf("login attempts = %d, want %d", n, loginMaxRetries+1)
	}
}

func TestLoginBackoffWaitsForTheBucketAfter429(t *testing.T) {
	tooMany := &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{}}
	for attempt := range 3 {
		d := loginBackoff(500*time.Millisecond, 30*time.Second, attempt, tooMany)
		if d < loginRefill {
			t.Errorf("attempt %d: a login refused with 429 retried after %v, before KAZOO's bucket refills a login (%v)", attempt, d, loginRefill)
		}
	}
	// Bounded by the configured maximum, so tests and impatient users keep control.
	if d := loginBackoff(10*time.Millisecond, 100*time.Millisecond, 0, tooMany); d > 125*time.Millisecond {
		t.Errorf("login backoff %v exceeds the configured maximum wait by more than its jitter", d)
	}
	// A connection error keeps the short login backoff (a wrong URL fails fast).
	if d := loginBackoff(500*time.Millisecond, 30*time.Second, 0, nil); d > 500*time.Millisecond {
		t.Errorf("login backoff without an answer = %v, want at most the minimum wait", d)
	}
	// An explicit Retry-After wins.
	withHeader := &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{"Retry-After": []string{"1"}}}
	if d := loginBackoff(500*time.Millisecond, 30*time.Second, 0, withHeader); d != time.Second {
		t.Errorf("login backoff with Retry-After: 1 = %v, want 1s", d)
	}
}

package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoosim"
)

// These tests run the client against the Crossbar simulator, to show the two
// agree on the wire: logins, token expiry, the envelope, errors and paging.

const (
	simAccountID = "6a8f0c1e2d3b4a5968778695a4b3c2d1"
	simAPIKey    = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
	simPassword  = "pa55-w0rd-for-tests"
)

func startSim(t *testing.T, ttl time.Duration, bucket int) (*kazoosim.Server, string) {
	t.Helper()
	sim, err := kazoosim.New(kazoosim.Options{AccountID: simAccountID, APIKey: simAPIKey, Username: "admin",
		Password: simPassword, AccountName: "master", TokenTTL: ttl, BucketSize: bucket, BucketRate: 10})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(sim)
	t.Cleanup(func() { ts.Close(); _ = sim.Close() })
	return sim, ts.URL
}

func TestSimulatorAllLoginMethods(t *testing.T) {
	sim, u := startSim(t, time.Hour, 0)
	ctx := context.Background()
	apiKey, err := client.New(client.Config{URL: u, APIKey: simAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := apiKey.Login(ctx); err != nil || apiKey.AccountID() != simAccountID {
		t.Fatalf("api key login: %v, account %q", err, apiKey.AccountID())
	}
	creds, err := client.New(client.Config{URL: u + "/v2", Username: "admin", Password: simPassword, AccountName: "master"})
	if err != nil {
		t.Fatal(err)
	}
	if err := creds.Login(ctx); err != nil || creds.AccountID() != simAccountID {
		t.Fatalf("user login: %v, account %q", err, creds.AccountID())
	}
	env, err := apiKey.Put(ctx, "/v2/api_auth", map[string]any{"api_key": simAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	token, err := client.New(client.Config{URL: u, AuthToken: env.AuthToken})
	if err != nil {
		t.Fatal(err)
	}
	if err := token.Login(ctx); err != nil || token.AccountID() != simAccountID {
		t.Fatalf("token: %v, account %q", err, token.AccountID())
	}
	if got := sim.Stats().Logins; got != 3 {
		t.Fatalf("simulator logins = %d, want 3 (api key, credentials, the manual exchange)", got)
	}

	bad, _ := client.New(client.Config{URL: u, APIKey: "0000000000000000000000000000000000000000000000000000000000000000"})
	if err := bad.Login(ctx); !errors.Is(err, client.ErrInvalidCredentials) {
		t.Fatalf("unknown key: %v", err)
	}
	wrong, _ := client.New(client.Config{URL: u, Username: "admin", Password: "nope", AccountName: "master"})
	if err := wrong.Login(ctx); !errors.Is(err, client.ErrInvalidCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
}

func TestSimulatorDocumentLifecycleAndErrors(t *testing.T) {
	_, u := startSim(t, time.Hour, 0)
	ctx := context.Background()
	c, err := client.New(client.Config{URL: u, APIKey: simAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	const id = "0123456789abcdef0123456789abcdef"
	env, err := c.Put(ctx, client.AccountPath(c.AccountID(), "devices"), map[string]any{"id": id, "name": "desk phone"}, client.Idempotent())
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(env.Data, &doc); err != nil || doc["id"] != id || env.Revision == "" {
		t.Fatalf("created %s rev %q: %v", env.Data, env.Revision, err)
	}
	if _, err := c.Patch(ctx, client.AccountPath(c.AccountID(), "devices", id), map[string]any{"name": "renamed"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Put(ctx, client.AccountPath(c.AccountID(), "devices"), map[string]any{"name": "x", "sip": map[string]any{"username": "a"}}); !errors.Is(err, client.ErrBadRequest) {
		t.Fatalf("invalid device: %v", err)
	} else {
		var apiErr *client.Error
		errors.As(err, &apiErr)
		if len(apiErr.Validation) == 0 {
			t.Fatalf("no validation map in %v", err)
		}
	}
	if _, err := c.Delete(ctx, client.AccountPath(c.AccountID(), "devices", id)); err != nil {
		t.Fatal(err)
	}
	_, err = c.Get(ctx, client.AccountPath(c.AccountID(), "devices", id), nil)
	if !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("deleted device: %v", err)
	}
	t.Log(err)
	_, err = c.Patch(ctx, client.AccountPath(c.AccountID(), "media", id), map[string]any{})
	if !errors.Is(err, client.ErrMethodNotAllowed) && !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("PATCH media: %v", err)
	}
}

func TestSimulatorPagination(t *testing.T) {
	_, u := startSim(t, time.Hour, 0)
	ctx := context.Background()
	c, _ := client.New(client.Config{URL: u, APIKey: simAPIKey, RequestsPerSecond: -1})
	for i := range 7 {
		if _, err := c.Put(ctx, client.AccountPath(simAccountID, "groups"), map[string]any{"name": "group " + string(rune('a'+i)), "endpoints": map[string]any{}}); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for _, err := range c.List(ctx, client.AccountPath(simAccountID, "groups"), url.Values{"page_size": {"3"}}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 7 {
		t.Fatalf("listed %d groups over pages of 3, want 7", n)
	}
	if s := c.Stats(); s.Requests["GET"] != 3 {
		t.Fatalf("GETs = %d, want 3 pages", s.Requests["GET"])
	}
}

// TestSimulatorTokenExpiryMidRun lets the simulator's 2-second tokens expire
// while 50 requests run at once: exactly one new login follows.
func TestSimulatorTokenExpiryMidRun(t *testing.T) {
	sim, u := startSim(t, 2*time.Second, 0)
	ctx := context.Background()
	c, _ := client.New(client.Config{URL: u, APIKey: simAPIKey, RequestsPerSecond: -1})
	if err := c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2100 * time.Millisecond)
	if err := getConcurrently(ctx, c, 50); err != nil {
		t.Fatal(err)
	}
	if got := sim.Stats().Logins; got != 2 {
		t.Fatalf("simulator logins = %d, want 2", got)
	}
}

// TestSimulatorBucketWithDefaultLimiter runs a burst of work through the
// default client against the simulator's KAZOO bucket: no 429 reaches the
// caller and none is even sent back, since the limiter stays under the refill.
func TestSimulatorBucketWithDefaultLimiter(t *testing.T) {
	if testing.Short() {
		t.Skip("runs at KAZOO's real rate for about 5 s")
	}
	sim, u := startSim(t, time.Hour, 100)
	ctx := context.Background()
	c, _ := client.New(client.Config{URL: u, APIKey: simAPIKey, MaxRetries: -1})
	if err := getConcurrently(ctx, c, 50); err != nil {
		t.Fatalf("with retries off, a request failed: %v", err)
	}
	if sim.Stats().Logins != 1 {
		t.Fatalf("logins = %d", sim.Stats().Logins)
	}
}

// BenchmarkSimulatorCRUD runs create/read/update/delete cycles of a device
// against the simulator, 10 at a time, and reports what the server saw:
// requests per cycle by method, and logins in the whole run.
func BenchmarkSimulatorCRUD(b *testing.B) {
	sim, err := kazoosim.New(kazoosim.Options{AccountID: simAccountID, APIKey: simAPIKey, TokenTTL: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(sim)
	defer func() { ts.Close(); _ = sim.Close() }()
	c, err := client.New(client.Config{URL: ts.URL, APIKey: simAPIKey, RequestsPerSecond: -1})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var seq atomic.Int64
	b.SetParallelism(5)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := fmt.Sprintf("%032x", seq.Add(1))
			coll := client.AccountPath(simAccountID, "devices")
			item := client.AccountPath(simAccountID, "devices", id)
			if _, err := c.Put(ctx, coll, map[string]any{"id": id, "name": "bench " + id}, client.Idempotent()); err != nil {
				b.Error(err)
				return
			}
			if _, err := c.Get(ctx, item, nil); err != nil {
				b.Error(err)
				return
			}
			if _, err := c.Patch(ctx, item, map[string]any{"name": "renamed " + id}); err != nil {
				b.Error(err)
				return
			}
			if _, err := c.Delete(ctx, item); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	st := sim.Stats()
	per := func(method string) float64 {
		n := 0
		for k, v := range st.Requests {
			if strings.HasPrefix(k, method+" ") && !strings.HasSuffix(k, "_auth") {
				n += v
			}
		}
		return float64(n) / float64(b.N)
	}
	b.ReportMetric(float64(st.Total-st.Logins)/float64(b.N), "requests/op")
	b.ReportMetric(per("PUT"), "PUT/op")
	b.ReportMetric(per("GET"), "GET/op")
	b.ReportMetric(per("PATCH"), "PATCH/op")
	b.ReportMetric(per("DELETE"), "DELETE/op")
	b.ReportMetric(float64(st.Logins), "logins/run")
	if st.Logins != 1 {
		b.Fatalf("logins = %d, want 1", st.Logins)
	}
}

// TestSimulatorRefreshesATokenNearExpiry: a token close to its exp is
// renewed through PUT /v2/auth, not a second login.
func TestSimulatorRefreshesATokenNearExpiry(t *testing.T) {
	sim, u := startSim(t, time.Hour, 0)
	ctx := context.Background()
	c, _ := client.New(client.Config{URL: u, APIKey: simAPIKey, RequestsPerSecond: -1})
	if err := c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	client.ForceRenewal(c)
	for range 3 {
		if _, err := c.Get(ctx, client.AccountPath(simAccountID), nil); err != nil {
			t.Fatal(err)
		}
	}
	if s := c.Stats(); s.Refreshes != 1 || s.Logins != 1 {
		t.Fatalf("client stats = %+v, want one login and one refresh", s)
	}
	if got := sim.Stats().Logins; got != 1 {
		t.Fatalf("simulator logins = %d, want 1", got)
	}
}

// getConcurrently reads the account n times at once and returns the first error.
func getConcurrently(ctx context.Context, c *client.Client, n int) error {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Get(ctx, client.AccountPath(simAccountID), nil)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

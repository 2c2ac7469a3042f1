package client

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// kazooBucket is KAZOO's per client-address-and-account token bucket
// (kz_buckets): it holds 100 tokens, gains 10 each whole second, a request
// costs 1 and a login 35.
type kazooBucket struct {
	mu       sync.Mutex
	tokens   int
	lastFill time.Time
	rejected atomic.Int32
}

func newKazooBucket() *kazooBucket { return &kazooBucket{tokens: 100, lastFill: time.Now()} }

func (b *kazooBucket) take(cost int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if secs := int(time.Since(b.lastFill) / time.Second); secs > 0 {
		b.tokens = min(100, b.tokens+10*secs)
		b.lastFill = b.lastFill.Add(time.Duration(secs) * time.Second)
	}
	if b.tokens < cost {
		b.rejected.Add(1)
		return false
	}
	b.tokens -= cost
	return true
}

// bucketed wraps the fake so that every request, logins included, pays the bucket.
func bucketed(f *fakeCrossbar, b *kazooBucket) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.before = func(w http.ResponseWriter, r *http.Request) bool {
		cost := 1
		if r.URL.Path == "/v2/api_auth" || r.URL.Path == "/v2/user_auth" {
			cost = 35
		}
		if !b.take(cost) {
			writeJSON(w, http.StatusTooManyRequests, errorEnvelope(429, "too_many_requests", map[string]any{"message": "too many requests"}))
			return true
		}
		return false
	}
}

// runLoad sends n GETs from 10 workers (Terraform's default parallelism).
func runLoad(t *testing.T, c *Client, n int) (elapsed time.Duration, failed int) {
	t.Helper()
	var wg sync.WaitGroup
	var failures atomic.Int32
	jobs := make(chan int)
	start := time.Now()
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				if _, err := c.Get(ctxT(t), AccountPath(testAccountID, "devices", "d1"), nil); err != nil {
					failures.Add(1)
				}
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return time.Since(start), int(failures.Load())
}

// TestDefaultRateLimitStaysInsideKazooBucket runs 120 requests through the
// default client against KAZOO's default bucket: none may be refused, and
// the throughput is the configured 8/s.
func TestDefaultRateLimitStaysInsideKazooBucket(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 14 s of wall time: it runs at KAZOO's real rate")
	}
	f := newFakeCrossbar(t)
	b := newKazooBucket()
	bucketed(f, b)
	c, err := New(Config{URL: f.srv.URL, APIKey: testAPIKey, MaxRetries: -1}) // default rate limit, no retries to hide 429s
	if err != nil {
		t.Fatal(err)
	}
	const n = 120
	elapsed, failed := runLoad(t, c, n)
	rps := float64(n) / elapsed.Seconds()
	t.Logf("default limiter: %d requests + 1 login in %v = %.2f req/s, %d refused by the bucket", n, elapsed.Round(time.Millisecond), rps, b.rejected.Load())
	if failed != 0 || b.rejected.Load() != 0 {
		t.Fatalf("%d requests failed, %d refused with 429", failed, b.rejected.Load())
	}
	if rps > DefaultRequestsPerSecond*1.15 {
		t.Fatalf("%.2f req/s exceeds the configured rate", rps)
	}
	if rps < DefaultRequestsPerSecond*0.8 {
		t.Fatalf("%.2f req/s: the limiter is slower than configured", rps)
	}
}

// TestWithoutRateLimitTheBucketRefuses is the control: the same load with the
// limiter off storms KAZOO's bucket, which is why the limiter exists.
func TestWithoutRateLimitTheBucketRefuses(t *testing.T) {
	f := newFakeCrossbar(t)
	b := newKazooBucket()
	bucketed(f, b)
	c, err := New(Config{URL: f.srv.URL, APIKey: testAPIKey, MaxRetries: -1, RequestsPerSecond: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, failed := runLoad(t, c, 120)
	t.Logf("no limiter: %d of 120 requests refused with 429", failed)
	if failed == 0 {
		t.Fatal("expected 429s with the limiter off; the bucket model is broken")
	}
}

// TestRateLimitedRequestsRecoverByRetrying: with the limiter off, retries
// with backoff still get every request through a 429 storm.
func TestRateLimitedRequestsRecoverByRetrying(t *testing.T) {
	f := newFakeCrossbar(t)
	b := newKazooBucket()
	bucketed(f, b)
	c, err := New(Config{URL: f.srv.URL, APIKey: testAPIKey, RequestsPerSecond: -1, MaxRetries: 8,
		RetryWaitMin: 200 * time.Millisecond, RetryWaitMax: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, failed := runLoad(t, c, 90)
	if failed != 0 {
		t.Fatalf("%d requests failed despite retries (%d 429s)", failed, b.rejected.Load())
	}
	t.Logf("no limiter, retries on: 90 requests succeeded after %d 429s", b.rejected.Load())
}

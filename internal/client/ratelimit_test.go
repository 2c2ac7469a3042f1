package client

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// kazooBucket is KAZOO's token bucket per client address and account
// (kz_buckets), keyed as Crossbar 4.3 keys it: by the account the path names,
// logins in the bucket of requests that name none. A bucket holds 100 tokens
// and gains 10 at each whole second (the coarsest refill, the hardest for a
// client-side model); a request costs 1, a login 35, and an empty bucket
// refuses.
type kazooBucket struct {
	mu       sync.Mutex
	tokens   map[string]int
	lastFill map[string]time.Time
	rejected atomic.Int32
}

func newKazooBucket() *kazooBucket {
	return &kazooBucket{tokens: map[string]int{}, lastFill: map[string]time.Time{}}
}

func (b *kazooBucket) take(key string, cost int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.tokens[key]; !ok {
		b.tokens[key], b.lastFill[key] = 100, time.Now()
	}
	if secs := int(time.Since(b.lastFill[key]) / time.Second); secs > 0 {
		b.tokens[key] = min(100, b.tokens[key]+10*secs)
		b.lastFill[key] = b.lastFill[key].Add(time.Duration(secs) * time.Second)
	}
	if b.tokens[key] < 1 {
		b.rejected.Add(1)
		return false
	}
	b.tokens[key] = max(0, b.tokens[key]-cost)
	return true
}

// bucketed wraps the fake so that every request, logins included, pays its bucket.
func bucketed(f *fakeCrossbar, b *kazooBucket) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.before = func(w http.ResponseWriter, r *http.Request) bool {
		key, cost := bucketOf(r.URL.EscapedPath())
		if !b.take(key, cost) {
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

// TestDefaultBucketModelRunsAtKazooLimit runs 160 requests through the
// default client against KAZOO's default bucket: none may be refused, the
// burst goes out at once and the rest at the refill rate, so the whole takes
// about (160 - 100 + one second of margin) / 10 s.
func TestDefaultBucketModelRunsAtKazooLimit(t *testing.T) {
	f := newFakeCrossbar(t)
	b := newKazooBucket()
	bucketed(f, b)
	c, err := New(Config{URL: f.srv.URL, APIKey: testAPIKey, MaxRetries: -1}) // KAZOO's defaults, no retries to hide 429s
	if err != nil {
		t.Fatal(err)
	}
	const n = 160
	elapsed, failed := runLoad(t, c, n)
	t.Logf("default bucket model: %d requests + 1 login in %v, %d refused by the bucket", n, elapsed.Round(time.Millisecond), b.rejected.Load())
	if failed != 0 || b.rejected.Load() != 0 {
		t.Fatalf("%d requests failed, %d refused with 429", failed, b.rejected.Load())
	}
	bound := time.Duration(float64(n-DefaultBurst) / DefaultRequestsPerSecond * float64(time.Second))
	if elapsed < bound {
		t.Fatalf("%v: faster than KAZOO's bucket allows (%v)", elapsed, bound)
	}
	if elapsed > bound+2*time.Second {
		t.Fatalf("%v: the model does not use the burst (KAZOO allows %v)", elapsed, bound)
	}
}

// TestBucketsAreKeptPerAccount: two accounts' buckets are independent, as
// KAZOO's are, so a burst into one does not slow the other.
func TestBucketsAreKeptPerAccount(t *testing.T) {
	b := newBuckets(10, 20)
	ctx := ctxT(t)
	start := time.Now()
	for _, acct := range []string{"a", "b"} {
		for range 19 {
			if err := b.wait(ctx, acct, 1); err != nil {
				t.Fatal(err)
			}
		}
	}
	if el := time.Since(start); el > 300*time.Millisecond {
		t.Fatalf("two bursts into two accounts took %v", el)
	}
	if key, cost := bucketOf("/v2/accounts/" + testAccountID + "/devices/x"); key != testAccountID || cost != 1 {
		t.Fatalf("bucketOf(device) = %q, %d", key, cost)
	}
	if key, cost := bucketOf("/base/v2/api_auth"); key != noAccountBucket || cost != LoginCost {
		t.Fatalf("bucketOf(api_auth) = %q, %d", key, cost)
	}
}

// TestBucketAdaptsDownOn429AndBackUp: a 429 empties the bucket and halves its
// rate; accepted answers bring it back to the configured rate.
func TestBucketAdaptsDownOn429AndBackUp(t *testing.T) {
	b := newBuckets(10, 100)
	b.throttled("a")
	b.throttled("a") // the same burst of 429s counts once
	if r := b.rateOf("a"); r != 5 {
		t.Fatalf("rate after 429 = %v, want 5", r)
	}
	ab := b.get("a")
	if tok := ab.lim.Tokens(); tok > 1 {
		t.Fatalf("%v tokens left after a 429, want an empty bucket", tok)
	}
	ab.changed = time.Now().Add(-2 * adaptInterval)
	b.accepted("a")
	if r := b.rateOf("a"); r != 6 {
		t.Fatalf("rate after an accepted answer = %v, want 6", r)
	}
	for range 10 {
		ab.changed = time.Now().Add(-2 * adaptInterval)
		b.accepted("a")
	}
	if r := b.rateOf("a"); r != 10 {
		t.Fatalf("rate = %v, want back at 10", r)
	}
	if r := b.rateOf("other"); r != 10 {
		t.Fatalf("another account's rate = %v", r)
	}
}

// TestBucketModelSurvivesAnEmptiedServerBucket: another client emptied
// KAZOO's bucket; the model's first requests are refused, then it adapts and
// every request gets through with the default retries.
func TestBucketModelSurvivesAnEmptiedServerBucket(t *testing.T) {
	f := newFakeCrossbar(t)
	b := newKazooBucket()
	b.take(testAccountID, 100) // someone else used the burst
	bucketed(f, b)
	c, err := New(Config{URL: f.srv.URL, APIKey: testAPIKey, RetryWaitMin: 100 * time.Millisecond, RetryWaitMax: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, failed := runLoad(t, c, 60)
	if failed != 0 {
		t.Fatalf("%d requests failed (%d 429s)", failed, b.rejected.Load())
	}
	if b.rejected.Load() == 0 {
		t.Fatal("no 429: the test did not empty the bucket")
	}
	t.Logf("60 requests after an emptied bucket: %d 429s, all retried", b.rejected.Load())
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

package client

import (
	"context"
	"math"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// KAZOO keeps one token bucket per client address and account (Crossbar's
// kz_buckets, keyed by the account the request path names; requests that name
// none, logins among them, share a "no account" bucket). A request takes one
// token, a login LoginCost; an empty bucket answers 429. The client keeps the
// same buckets on its side so that it can use the whole burst and then run
// at the refill rate, never faster.
const (
	// LoginCost is what a login (api_auth, user_auth) takes from KAZOO's bucket.
	LoginCost = 35
	// noAccountBucket names the bucket of requests whose path names no account.
	noAccountBucket = ""
	// adaptInterval is the least time between two changes of a bucket's rate.
	adaptInterval = time.Second
)

// buckets is the client-side model of KAZOO's buckets, one per account the
// request paths name. Each is a token bucket of the configured burst filled at
// the configured rate; after a 429 (other clients share the bucket, or an
// earlier process of the same run emptied it) a bucket is emptied and its rate
// halved, then raised back by a tenth of the configured rate a second while
// the server accepts.
type buckets struct {
	target float64 // configured refill rate, tokens a second
	burst  int
	off    bool

	mu sync.Mutex
	m  map[string]*accountBucket
}

type accountBucket struct {
	lim *rate.Limiter

	mu      sync.Mutex
	rate    float64   // current, adapted rate
	changed time.Time // last adaptation
}

func newBuckets(rps float64, burst int) *buckets {
	if math.IsInf(rps, 1) {
		return &buckets{off: true}
	}
	// One second of refill is kept back: KAZOO may refill once a second rather
	// than continuously, and the server's bucket starts a little after ours.
	if margin := int(math.Ceil(rps)); burst > 2*margin {
		burst -= margin
	}
	return &buckets{target: rps, burst: max(burst, 1), m: map[string]*accountBucket{}}
}

func (b *buckets) get(key string) *accountBucket {
	b.mu.Lock()
	defer b.mu.Unlock()
	ab := b.m[key]
	if ab == nil {
		ab = &accountBucket{lim: rate.NewLimiter(rate.Limit(b.target), b.burst), rate: b.target}
		b.m[key] = ab
	}
	return ab
}

// wait blocks until the bucket of key can pay cost (at most its burst).
func (b *buckets) wait(ctx context.Context, key string, cost int) error {
	if b.off {
		return nil
	}
	return b.get(key).lim.WaitN(ctx, min(cost, b.burst))
}

// throttled records a 429 on key's bucket: the server's bucket is empty, so
// ours is emptied too, and the rate halved (at most once a second, so that the
// answers to one burst count once), down to a tenth of the configured rate.
func (b *buckets) throttled(key string) {
	if b.off {
		return
	}
	ab := b.get(key)
	now := time.Now()
	ab.mu.Lock()
	defer ab.mu.Unlock()
	if now.Sub(ab.changed) < adaptInterval {
		return
	}
	ab.changed = now
	ab.rate = max(ab.rate/2, b.target/10)
	ab.lim.SetLimitAt(now, rate.Limit(ab.rate))
	if t := ab.lim.TokensAt(now); t >= 1 {
		ab.lim.ReserveN(now, int(t))
	}
}

// accepted records an answer other than 429 on key's bucket: a slowed-down
// bucket regains a tenth of the configured rate, at most once a second.
func (b *buckets) accepted(key string) {
	if b.off {
		return
	}
	ab := b.get(key)
	ab.mu.Lock()
	defer ab.mu.Unlock()
	if ab.rate >= b.target {
		return
	}
	now := time.Now()
	if now.Sub(ab.changed) < adaptInterval {
		return
	}
	ab.changed = now
	ab.rate = min(b.target, ab.rate+b.target/10)
	ab.lim.SetLimitAt(now, rate.Limit(ab.rate))
}

// rateOf returns the current rate of key's bucket (tests).
func (b *buckets) rateOf(key string) float64 {
	if b.off {
		return math.Inf(1)
	}
	ab := b.get(key)
	ab.mu.Lock()
	defer ab.mu.Unlock()
	return ab.rate
}

// bucketOf returns the bucket an escaped request path charges and its cost:
// the account after /v2/accounts/, or the no-account bucket; a login costs
// LoginCost.
func bucketOf(escapedPath string) (key string, cost int) {
	i := strings.Index(escapedPath, "/v2/")
	if i < 0 {
		return noAccountBucket, 1
	}
	rest := escapedPath[i+len("/v2/"):]
	switch rest {
	case "api_auth", "user_auth":
		return noAccountBucket, LoginCost
	}
	if after, ok := strings.CutPrefix(rest, "accounts/"); ok {
		if j := strings.IndexByte(after, '/'); j >= 0 {
			after = after[:j]
		}
		return after, 1
	}
	return noAccountBucket, 1
}

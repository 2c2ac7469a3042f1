package kazoosim

import (
	"sync"
	"time"
)

// limiter is KAZOO's token bucket per "<client ip>/<account id>" (kz_buckets,
// cb_modules_util:bucket_name/1): size tokens, refilled at rate per second; a request takes its
// cost or is refused with 429. The account is the one the request path names, which Crossbar
// knows before it authenticates; requests naming none share "<ip>/no_account".
type limiter struct {
	size float64
	rate float64

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(size int, rate float64) *limiter {
	return &limiter{size: float64(size), rate: rate, buckets: map[string]*bucket{}}
}

// noAccount names the bucket of requests whose path names no account (logins among them).
const noAccount = "no_account"

// allowUntil is kz_buckets:consume_tokens_until/3: it takes up to cost tokens and refuses only
// when the bucket is empty.
func (l *limiter) allowUntil(key string, cost int) bool {
	if l.size <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(key)
	if b.tokens < 1 {
		return false
	}
	b.tokens -= min(b.tokens, float64(cost))
	return true
}

func (l *limiter) refill(key string) *bucket {
	now := time.Now()
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.size, last: now}
		l.buckets[key] = b
	}
	b.tokens += now.Sub(b.last).Seconds() * l.rate
	if b.tokens > l.size {
		b.tokens = l.size
	}
	b.last = now
	return b
}

// allow takes cost tokens from the key's bucket and reports whether there were enough. A
// size of 0 disables rate limiting.
func (l *limiter) allow(key string, cost int) bool {
	if l.size <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(key)
	if b.tokens < float64(cost) {
		return false
	}
	b.tokens -= float64(cost)
	return true
}

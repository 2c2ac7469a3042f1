package kazoosim

import (
	"sync"
	"time"
)

// limiter is KAZOO's token bucket per "<client ip>/<account id>" (kz_buckets): size tokens,
// refilled at rate per second; a request takes its cost or is refused with 429.
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

// allow takes cost tokens from the key's bucket and reports whether there were enough. A
// size of 0 disables rate limiting.
func (l *limiter) allow(key string, cost int) bool {
	if l.size <= 0 {
		return true
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
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
	if b.tokens < float64(cost) {
		return false
	}
	b.tokens -= float64(cost)
	return true
}

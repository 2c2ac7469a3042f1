package kazoosim

import (
	"math/rand"
	"sync"
)

type faultKind int

const (
	faultNone faultKind = iota
	fault500
	fault503
	fault429
	faultDrop
	// faultAfter500 and faultAfterDrop apply the request, then fail to answer it.
	faultAfter500
	faultAfterDrop
)

// faults draws injected faults from a seeded sequence, so a failing run can be replayed with
// the same seed and the same request order.
type faults struct {
	rate float64
	mu   sync.Mutex
	rnd  *rand.Rand
}

func newFaults(rate float64, seed int64) *faults {
	return &faults{rate: rate, rnd: rand.New(rand.NewSource(seed))}
}

var faultKinds = []faultKind{fault500, fault503, fault429, faultDrop, faultAfter500, faultAfterDrop}

func (f *faults) next() faultKind {
	if f.rate <= 0 {
		return faultNone
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rnd.Float64() >= f.rate {
		return faultNone
	}
	return faultKinds[f.rnd.Intn(len(faultKinds))]
}

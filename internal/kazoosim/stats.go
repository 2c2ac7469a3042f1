package kazoosim

import (
	"net/http"
	"sync"
)

// stats counts requests by method and route pattern, and logins, for /sim/stats.
type stats struct {
	mu       sync.Mutex
	requests map[string]int
	logins   int
	total    int
}

func newStats() *stats { return &stats{requests: map[string]int{}} }

func (s *stats) count(key string) {
	s.mu.Lock()
	s.requests[key]++
	s.total++
	s.mu.Unlock()
}

func (s *stats) login() {
	s.mu.Lock()
	s.logins++
	s.mu.Unlock()
}

// Stats is the body of GET /sim/stats.
type Stats struct {
	Requests map[string]int `json:"requests"`
	Logins   int            `json:"logins"`
	Total    int            `json:"total"`
}

func (s *stats) snapshot() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := Stats{Requests: make(map[string]int, len(s.requests)), Logins: s.logins, Total: s.total}
	for k, v := range s.requests {
		out.Requests[k] = v
	}
	return out
}

func (s *stats) reset() {
	s.mu.Lock()
	s.requests = map[string]int{}
	s.logins = 0
	s.total = 0
	s.mu.Unlock()
}

// Stats returns the request counts (for in-process tests).
func (s *Server) Stats() Stats { return s.stats.snapshot() }

// ResetStats clears the request counts.
func (s *Server) ResetStats() { s.stats.reset() }

func (s *Server) requireMaster(rc *reqCtx) bool {
	if rc.auth == nil || rc.auth.accountID != s.masterID {
		s.fail(rc, errForbidden)
		return false
	}
	return true
}

// handleStats is GET /sim/stats (master token only). The request itself is not counted.
func (s *Server) handleStats(rc *reqCtx, method string) {
	if method != http.MethodGet {
		s.fail(rc, errMethod)
		return
	}
	if !s.requireMaster(rc) {
		return
	}
	s.writeJSON(rc, http.StatusOK, s.stats.snapshot())
}

// handleStatsReset is POST /sim/stats/reset (master token only).
func (s *Server) handleStatsReset(rc *reqCtx, method string) {
	if method != http.MethodPost {
		s.fail(rc, errMethod)
		return
	}
	if !s.requireMaster(rc) {
		return
	}
	s.stats.reset()
	s.writeJSON(rc, http.StatusOK, s.stats.snapshot())
}

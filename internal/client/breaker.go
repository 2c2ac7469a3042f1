package client

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"time"
)

// The breaker stops every request of a client at once when the server is
// gone: after breakerThreshold attempts in a row got no HTTP answer (refused,
// reset, timed out), requests fail at once with the error that opened it
// instead of each spending its retries. Every breakerCooldown one attempt is
// let through to probe the server; any HTTP answer closes the breaker.
const (
	breakerThreshold = 3
	breakerCooldown  = 5 * time.Second
)

type breaker struct {
	mu      sync.Mutex
	fails   int   // attempts in a row without an HTTP answer
	cause   error // the failure that opened the breaker; nil when closed
	probeAt time.Time
}

// errBreakerOpen marks attempts the breaker refused to send.
var errBreakerOpen = errors.New("not sent: the server stopped answering")

// allow reports whether an attempt may go to the server; when the breaker is
// open it returns the error to fail with. Once per cooldown an attempt is let
// through as a probe.
func (b *breaker) allow() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cause == nil {
		return nil
	}
	now := time.Now()
	if now.After(b.probeAt) {
		b.probeAt = now.Add(breakerCooldown)
		return nil
	}
	return &breakerError{cause: b.cause}
}

// failed records an attempt that got no HTTP answer.
func (b *breaker) failed(err error) {
	if !countsAsDown(err) {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fails++
	if b.fails >= breakerThreshold {
		if b.cause == nil {
			b.cause = err
		}
		b.probeAt = time.Now().Add(breakerCooldown)
	}
}

// answered records an HTTP answer, whatever its status: the server is there.
func (b *breaker) answered() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fails, b.cause = 0, nil
}

// open reports whether the breaker is open (tests).
func (b *breaker) open() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.cause != nil
}

// countsAsDown reports whether a transport error says the server is gone, as
// opposed to the caller giving up or a configuration mistake (a certificate,
// a scheme) that no waiting fixes.
func countsAsDown(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, errRateLimitWait) || errors.Is(err, errBreakerOpen) {
		return false
	}
	return !permanentTransportError(err)
}

// breakerError is returned, without sending, while the breaker is open.
type breakerError struct{ cause error }

func (e *breakerError) Error() string {
	return fmt.Sprintf("%v; %d requests in a row got no answer, so the provider stopped sending requests to it", e.cause, breakerThreshold)
}

func (e *breakerError) Unwrap() []error { return []error{errBreakerOpen, e.cause} }

// attemptTimeout is an attempt that got no answer within the configured
// timeout: the only failure the client words as a timeout.
type attemptTimeout struct {
	after time.Duration
	err   error
}

func (e *attemptTimeout) Error() string {
	return fmt.Sprintf("no answer within %v", e.after)
}

func (e *attemptTimeout) Unwrap() error { return e.err }

// describeTransport words a network failure for an operator: what happened
// and what to check. Only a real timeout says "timeout".
func describeTransport(err error) (what, check string) {
	var (
		timeout  *attemptTimeout
		dnsErr   *net.DNSError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		open     *breakerError
	)
	if errors.As(err, &open) {
		err = open.cause
	}
	switch {
	case errors.As(err, &timeout):
		return fmt.Sprintf("no answer within %v (timeout)", timeout.after),
			"check that Crossbar is up and not overloaded, and that no firewall drops the traffic; a slow server may need a longer timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused",
			"nothing accepts connections at that address: check that Crossbar is running and that the url's host and port are right (Crossbar listens on 8000 unless configured otherwise)"
	case errors.As(err, &dnsErr):
		return "the host name does not resolve (" + dnsErr.Err + ")", "check the url's host name and this machine's DNS"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection was closed without an answer",
			"check that Crossbar is running and that nothing between this machine and it (a proxy, a load balancer) drops connections"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "no route to the host", "check the url's host and this machine's network"
	case errors.As(err, &unknown), errors.As(err, &hostname):
		return err.Error(), "check the server's certificate, or trust its authority with ca_cert_file"
	}
	return err.Error(), "check that Crossbar is running and that the url is right"
}

package client

import (
	"context"
	"testing"
	"time"
)

func TestTokenGivesTheLoginAndItsExpiry(t *testing.T) {
	token := makeToken(testAccountID, time.Now().Add(time.Hour), 1)
	c, err := New(Config{URL: "http://127.0.0.1:1", AuthToken: token})
	if err != nil {
		t.Fatal(err)
	}
	got, exp, err := c.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got != token {
		t.Fatalf("Token() = %q, want the configured token", got)
	}
	if exp.IsZero() || time.Until(exp) < 59*time.Minute {
		t.Fatalf("expiry %v, want about an hour from now", exp)
	}
}

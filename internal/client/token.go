package client

import (
	"context"
	"time"
)

// Token returns the token the client sends requests with, logging in first when there is none
// or it is about to expire, and when the token expires (zero when the token does not say). It
// is for handing the provider's login to another tool (the kazoo_auth_token ephemeral
// resource); the client keeps using and renewing the same token.
func (c *Client) Token(ctx context.Context) (string, time.Time, error) {
	tok, err := c.token(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	c.auth.mu.Lock()
	defer c.auth.mu.Unlock()
	if c.auth.token != tok {
		return tok, time.Time{}, nil
	}
	return tok, c.auth.expiresAt, nil
}

// Package client is a Go client for KAZOO's Crossbar REST API (v2).
//
// It knows nothing of Terraform. It logs in once (API key, user credentials or
// a pre-made token), shares the token across concurrent requests and renews it
// exactly once when it expires, wraps request bodies in Crossbar's
// {"data": …} envelope, decodes responses and errors into Go values, retries
// what is safe to retry, keeps under KAZOO's rate limit, pages through list
// endpoints and logs every exchange through a hook with secrets redacted.
//
//	c, err := client.New(client.Config{URL: "http://kazoo.example.com:8000", APIKey: key})
//	env, err := c.Get(ctx, client.AccountPath(c.AccountID(), "devices", id), nil)
//	if errors.Is(err, client.ErrNotFound) { … }
package client

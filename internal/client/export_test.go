package client

// ForceRenewal lets the external tests put a token in its renewal window.
func ForceRenewal(c *Client) { forceRenewal(c) }

package provider

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
)

// TestProviderLogsCarryNoSecrets drives a real login and requests through
// the client with the provider's tflog hook, then greps everything logged.
func TestProviderLogsCarryNoSecrets(t *testing.T) {
	ts := startSim(t, time.Hour)
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)

	hook := tflogHook(simAPIKey, simPassword)
	c, err := client.New(client.Config{URL: ts.URL, APIKey: simAPIKey, Logger: hook})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, client.AccountPath(c.AccountID()), nil); err != nil {
		t.Fatal(err)
	}
	u, err := client.New(client.Config{URL: ts.URL, Username: simUser, Password: simPassword, AccountName: simAccount, Logger: tflogHook(simPassword)})
	if err != nil {
		t.Fatal(err)
	}
	if err := u.Login(ctx); err != nil {
		t.Fatal(err)
	}
	// The hook itself masks what a careless caller might pass it.
	hook(ctx, client.LevelDebug, "message with "+simAPIKey, map[string]any{"field": "value " + simPassword})

	out := buf.String()
	if !strings.Contains(out, "KAZOO request") || !strings.Contains(out, `"status":201`) {
		t.Fatalf("expected request logs, got:\n%s", out)
	}
	for what, secret := range map[string]string{"api key": simAPIKey, "password": simPassword,
		"credentials": client.Credentials(simUser, simPassword)} {
		if strings.Contains(out, secret) {
			t.Errorf("the %s appears in the logs", what)
		}
	}
	// Tokens the simulator issued are JWTs: none may appear.
	if jwt := regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`).FindString(out); jwt != "" {
		t.Errorf("a token appears in the logs: %.24s…", jwt)
	}
	if _, err := tflogtest.MultilineJSONDecode(&buf); err != nil {
		t.Fatal(err)
	}
}

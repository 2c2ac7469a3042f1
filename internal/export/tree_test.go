package export_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"strings"
	"testing"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// uiMetadata is what MonsterUI stamps on every document it saves.
var uiMetadata = map[string]any{"origin": "voip", "ui": "monster-ui", "version": "4.3-139"}

// monsterTree is an account tree as MonsterUI leaves it: a reseller with two sub-accounts; in
// each, users with a desk phone and a voicemail box they own, a ring group of all users, a
// callflow per user ringing the user then the voicemail box, a ring-group callflow, and a main
// number (a phone number of the account): office hours (temporal rules) route to an IVR menu
// with a greeting (media), other times to the first user's voicemail box, whose unavailable
// greeting is a media too; a conference room, a directory and a fax box. The reseller also has
// limits and branding (whitelabel).
type monsterTree struct {
	Reseller string
	Accounts []string // the reseller, then its sub-accounts
	// Secrets are the SIP passwords, PINs and user passwords written.
	Secrets []string
	// Objects counts the documents made, accounts included; Singletons those of them that are
	// one per account (limits).
	Objects, Singletons int
	// InAccount counts the documents made inside each account (not the accounts themselves, nor
	// the reseller's limits and branding).
	InAccount []int
	// OwnerIDs and FlowIDs count the owner_id values and ids in callflow nodes; Refs counts
	// every id of a made document inside another one (those two included, account_id and
	// parent_id not).
	OwnerIDs, FlowIDs, Refs int
	// DirectoryEntries counts the users listed in directories (each names a callflow that
	// names the user back: a cycle the export breaks).
	DirectoryEntries int
	// Lists counts the match lists made: an export lists the entries of each.
	Lists int
}

// buildMonsterTree makes the tree with usersPerAccount users per account; t.Cleanup removes it.
func buildMonsterTree(t testing.TB, c *client.Client, usersPerAccount int) *monsterTree {
	t.Helper()
	ctx := context.Background()
	tag := acctest.RandomName("")[len("tf-acc-"):]
	tr := &monsterTree{}
	put := func(path string, doc map[string]any) string {
		t.Helper()
		doc["ui_metadata"] = uiMetadata
		env, err := c.Put(ctx, path, doc)
		if err != nil {
			t.Fatalf("PUT %s: %v", path, err)
		}
		var got struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(env.Data, &got); err != nil || got.ID == "" {
			t.Fatalf("PUT %s: no id in %s", path, env.Data)
		}
		tr.Objects++
		return got.ID
	}
	tr.Reseller = put(client.AccountPath(c.AccountID()), map[string]any{
		"name": "Wonderland Telecom " + tag, "realm": "wonderland-" + tag + ".sip.example.net", "timezone": "Europe/London"})
	t.Cleanup(func() {
		for i := len(tr.Accounts) - 1; i >= 0; i-- {
			_, _ = c.Delete(context.Background(), client.AccountPath(tr.Accounts[i]))
		}
	})
	tr.Accounts = append(tr.Accounts, tr.Reseller)
	// The reseller's limits (a document KAZOO keeps one of per account).
	if _, err := c.Post(ctx, client.AccountPath(tr.Reseller, "limits"), map[string]any{"twoway_trunks": 10, "inbound_trunks": 5}); err != nil {
		t.Fatalf("POST limits: %v", err)
	}
	tr.Objects++
	tr.Singletons++
	// Its branding (MonsterUI's branding app).
	if _, err := c.Put(ctx, client.AccountPath(tr.Reseller, "whitelabel"), map[string]any{
		"company_name": "Wonderland Telecom", "domain": "portal-" + tag + ".example.net", "hide_powered": true}); err != nil {
		t.Fatalf("PUT whitelabel: %v", err)
	}
	tr.Objects++
	tr.Singletons++
	// Promoting needs a super-administrator; where the credentials are not, the account stays
	// an ordinary parent, which changes nothing in the export.
	_, _ = c.Put(ctx, client.AccountPath(tr.Reseller, "reseller"), map[string]any{})
	for _, n := range []string{"Tea Party", "Looking Glass"} {
		id := put(client.AccountPath(tr.Reseller), map[string]any{
			"name": n + " " + tag, "realm": strings.ReplaceAll(strings.ToLower(n), " ", "-") + "-" + tag + ".sip.example.net"})
		tr.Accounts = append(tr.Accounts, id)
	}
	people := [][2]string{{"Alice", "Liddell"}, {"Bob", "Hatter"}, {"Carol", "Hare"}, {"Dan", "Dormouse"}, {"Eve", "Queen"}}
	for ai, acct := range tr.Accounts {
		before := tr.Objects
		var users, vmboxes, userFlows []string
		greeting := put(client.AccountPath(acct, "media"), map[string]any{
			"name": "Main greeting", "media_source": "upload", "description": "Welcome to Wonderland"})
		for i := 0; i < usersPerAccount; i++ {
			p := people[i%len(people)]
			first := p[0]
			if i >= len(people) {
				first = fmt.Sprintf("%s%d", p[0], i/len(people)+1)
			}
			ext := fmt.Sprintf("%d%02d", ai+1, i+1)
			username := strings.ToLower(first+"."+p[1]) + "@" + tag
			password := fmt.Sprintf("Us3r-pass-%s-%d-%d", tag, ai, i)
			user := put(client.AccountPath(acct, "users"), map[string]any{
				"first_name": first, "last_name": p[1], "username": username, "password": password,
				"email": username + ".example.com", "priv_level": "user",
				"caller_id": map[string]any{"internal": map[string]any{"name": first + " " + p[1], "number": ext}},
			})
			users = append(users, user)
			sipPass := fmt.Sprintf("s1p-%s-%d-%d", tag, ai, i)
			put(client.AccountPath(acct, "devices"), map[string]any{
				"name": first + " " + p[1] + " desk phone", "device_type": "sip_device", "owner_id": user,
				"sip":         map[string]any{"username": fmt.Sprintf("user_%s_%d_%d", tag, ai, i), "password": sipPass},
				"mac_address": fmt.Sprintf("00:04:f2:%02x:%02x:%02x", ai, i, len(tag)),
			})
			pin := fmt.Sprintf("%d%d%d%d", 7, ai, i%10, 9)
			vmbox := put(client.AccountPath(acct, "vmboxes"), map[string]any{
				"name": first + " " + p[1] + " VM", "mailbox": ext, "owner_id": user, "pin": pin,
				"media": map[string]any{"unavailable": greeting},
			})
			vmboxes = append(vmboxes, vmbox)
			tr.OwnerIDs += 2
			tr.Refs += 3
			userFlows = append(userFlows, put(client.AccountPath(acct, "callflows"), map[string]any{
				"name": first + " " + p[1] + " SmartPBX's Callflow", "numbers": []string{ext},
				"flow": map[string]any{"module": "user", "data": map[string]any{"id": user, "timeout": 20, "can_call_self": false},
					"children": map[string]any{"_": map[string]any{"module": "voicemail", "data": map[string]any{"id": vmbox}, "children": map[string]any{}}}},
			}))
			tr.FlowIDs += 2
			tr.Refs += 2
			tr.Secrets = append(tr.Secrets, password, sipPass, pin)
		}
		endpoints := map[string]any{}
		for _, u := range users {
			endpoints[u] = map[string]any{"type": "user"}
		}
		group := put(client.AccountPath(acct, "groups"), map[string]any{"name": "Everyone", "endpoints": endpoints})
		put(client.AccountPath(acct, "callflows"), map[string]any{
			"name": "Everyone ring group", "numbers": []string{fmt.Sprintf("%d00", ai+1)},
			"flow": map[string]any{"module": "ring_group", "data": map[string]any{
				"name": "Everyone", "strategy": "simultaneous", "timeout": 20,
				"endpoints": []any{map[string]any{"id": group, "endpoint_type": "group", "delay": 0, "timeout": 20}}},
				"children": map[string]any{}},
		})
		tr.FlowIDs++
		tr.Refs += len(users) + 1

		weekdays := put(client.AccountPath(acct, "temporal_rules"), map[string]any{
			"name": "Office hours", "cycle": "weekly", "interval": 1,
			"wdays":             []string{"monday", "tuesday", "wednesday", "thursday", "friday"},
			"time_window_start": 9 * 3600, "time_window_stop": 17 * 3600,
		})
		saturday := put(client.AccountPath(acct, "temporal_rules"), map[string]any{
			"name": "Saturday morning", "cycle": "weekly", "interval": 1, "wdays": []string{"saturday"},
			"time_window_start": 9 * 3600, "time_window_stop": 12 * 3600,
		})
		put(client.AccountPath(acct, "temporal_rules_sets"), map[string]any{
			"name": "Open", "temporal_rules": []string{weekdays, saturday}})
		menu := put(client.AccountPath(acct, "menus"), map[string]any{
			"name": "Main menu", "retries": 2, "timeout": 10000, "media": map[string]any{"greeting": greeting}})
		open := map[string]any{"module": "menu", "data": map[string]any{"id": menu}, "children": map[string]any{
			"1": map[string]any{"module": "ring_group", "data": map[string]any{"endpoints": []any{
				map[string]any{"id": users[0], "endpoint_type": "user"}}}},
			"_": map[string]any{"module": "voicemail", "data": map[string]any{"id": vmboxes[0]}},
		}}
		// The main number is one of the account's phone numbers (unique system-wide).
		sum := fnv.New32a()
		_, _ = sum.Write([]byte(tag))
		mainNumber := fmt.Sprintf("+1415%07d", (int(sum.Sum32())+ai)%10000000)
		if _, err := c.Put(ctx, client.AccountPath(acct, "phone_numbers", url.PathEscape(mainNumber)), map[string]any{}); err != nil {
			t.Fatalf("PUT phone_numbers/%s: %v", mainNumber, err)
		}
		tr.Objects++
		put(client.AccountPath(acct, "callflows"), map[string]any{
			"name": "Main number", "numbers": []string{mainNumber},
			"flow": map[string]any{"module": "temporal_route", "data": map[string]any{}, "children": map[string]any{
				weekdays: open, saturday: open,
				"_": map[string]any{"module": "voicemail", "data": map[string]any{"id": vmboxes[0]}},
			}},
		})
		// Two rule keys; under each a menu, a user and a voicemail box; the default voicemail box.
		tr.FlowIDs += 2 + 2*3 + 1
		tr.Refs += 2 /* rule set */ + 1 /* menu greeting */ + 2 + 2*3 + 1

		// A conference room owned by the first user, a company directory and a fax box.
		put(client.AccountPath(acct, "conferences"), map[string]any{
			"name": "Team meeting", "owner_id": users[0], "conference_numbers": []string{fmt.Sprintf("8%d00", ai+1)},
			"member": map[string]any{"join_muted": true}, "play_welcome": true,
		})
		tr.OwnerIDs++
		tr.Refs++
		directory := put(client.AccountPath(acct, "directories"), map[string]any{"name": "Company directory", "sort_by": "last_name"})
		// Every user is listed in it, reached through the user's callflow.
		for i, u := range users {
			if _, err := c.Patch(ctx, client.AccountPath(acct, "users", u), map[string]any{
				"directories": map[string]any{directory: userFlows[i]}}); err != nil {
				t.Fatalf("PATCH user directories: %v", err)
			}
			tr.Refs += 2
			tr.DirectoryEntries++
		}
		put(client.AccountPath(acct, "faxboxes"), map[string]any{
			"name": "Main fax", "caller_name": "Wonderland", "fax_header": "Wonderland Telecom", "retries": 2})
		// A match list with two entries, nested below it (where KAZOO serves lists: a stock
		// installation does not load cb_lists).
		list, err := c.Put(ctx, client.AccountPath(acct, "lists"), map[string]any{"name": "VIP callers", "ui_metadata": uiMetadata})
		var ce *client.Error
		switch {
		case errors.As(err, &ce) && ce.IsModuleMissing():
		case err != nil:
			t.Fatalf("PUT lists: %v", err)
		default:
			var got struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(list.Data, &got); err != nil || got.ID == "" {
				t.Fatalf("PUT lists: no id in %s", list.Data)
			}
			tr.Objects++
			tr.Lists++
			for i, number := range []string{"+14155550100", "+14155550101"} {
				put(client.AccountPath(acct, "lists", got.ID, "entries"), map[string]any{
					"number": number, "displayname": fmt.Sprintf("VIP %d", i+1)})
				tr.Refs++ // list_id
			}
		}
		tr.InAccount = append(tr.InAccount, tr.Objects-before)
	}
	return tr
}

// singletonKinds counts the provider's resources that are one document per account: an
// export reads each of them once per account.
func singletonKinds() int {
	n := 0
	for _, e := range provider.Engines() {
		if e.Spec().Scope == engine.ScopeSingleton {
			n++
		}
	}
	return n
}

package provider_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
)

// audioFile writes n random bytes after an MP3 frame header to a file in dir.
func audioFile(t *testing.T, dir, name string, n int) (string, []byte) {
	t.Helper()
	b := make([]byte, n)
	_, _ = rand.Read(b)
	b = append([]byte{0xff, 0xfb, 0x90, 0x64}, b...)
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, b
}

// mediaBytes asserts that KAZOO holds exactly want as the media's audio, of content type ct.
func mediaBytes(t *testing.T, want []byte, ct string) func(id string) error {
	return func(id string) error {
		c := acctest.Client(t)
		env, err := c.Do(context.Background(), client.Request{Method: "GET", Path: client.AccountPath(c.AccountID(), "media", id, "raw"), Accept: ct})
		if err != nil {
			return fmt.Errorf("downloading the audio of %s: %w", id, err)
		}
		if !bytes.Equal(env.Raw, want) {
			return fmt.Errorf("KAZOO holds %d bytes of audio for %s, not the %d bytes of the file", len(env.Raw), id, len(want))
		}
		return nil
	}
}

func TestAccMedia_upload(t *testing.T) {
	dir := t.TempDir()
	first, firstBytes := audioFile(t, dir, "greeting.mp3", 2048)
	second, secondBytes := audioFile(t, dir, "greeting-v2.mp3", 4096)
	name := "Greeting " + randomDigits(6)
	addr := "kazoo_media.test"
	lifecycle{
		Type:       "kazoo_media",
		Collection: "media",
		NoPatch:    true,
		Create: fmt.Sprintf(`
  name        = %q
  description = "Main greeting"
  language    = "en-us"
  source_file = %q`, name, first),
		CreateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("media_source"), knownvalue.StringExact("upload")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("content_type"), knownvalue.StringExact("audio/mpeg")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("content_length"), knownvalue.Int64Exact(int64(len(firstBytes)))),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("source_hash"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{64}$`))),
		},
		CreateCheck: mediaBytes(t, firstBytes, "audio/mpeg"),
		DataSource:  `data "kazoo_media" "by_name" { name = kazoo_media.test.name }`,
		DataSourceChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.kazoo_media.by_name", tfjsonpath.New("id"), addr, tfjsonpath.New("id"), compareSame),
		},
		// A new file (and a new description) re-uploads the audio.
		Update: fmt.Sprintf(`
  name        = %q
  description = "Main greeting, spring"
  language    = "fr-fr"
  source_file = %q`, name, second),
		UpdateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("content_length"), knownvalue.Int64Exact(int64(len(secondBytes)))),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("language"), knownvalue.StringExact("fr-fr")),
		},
		UpdateCheck: mediaBytes(t, secondBytes, "audio/mpeg"),
		Drift:       map[string]any{"description": "changed elsewhere"},
		Removed: fmt.Sprintf(`
  name        = %q
  source_file = %q`, name, second),
		RemovedChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("language"), knownvalue.StringExact("en-us")),
		},
		RemovedKeys:  []string{"description"},
		Invalid:      `name = "x"` + "\n" + `media_source = "fax"`,
		InvalidError: regexp.MustCompile(`(?s)media_source.*value must be one of`),
		ImportIgnore: []string{"source_file", "source_hash"},
		ApplyInvalid: `
resource "kazoo_media" "dup" {
  name        = "Copy"
  description = substr(kazoo_media.test.id, 0, 0)
}`,
		ApplyInvalidError: regexp.MustCompile(`(?s)kazoo_media.dup.*description.*string length must be between 1 and 128`),
	}.run(t)
}

// Changing only the file's content (same path) plans an update that uploads it again.
func TestAccMedia_changedContent(t *testing.T) {
	acctest.PreCheck(t)
	dir := t.TempDir()
	file, _ := audioFile(t, dir, "hold.mp3", 1024)
	var id string
	config := providerBlock + fmt.Sprintf(`resource "kazoo_media" "m" {
  name        = "Hold music %s"
  source_file = %q
}`, randomDigits(6), file)
	var changed []byte
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: resource.TestCheckResourceAttrWith("kazoo_media.m", "id", func(v string) error { id = v; return nil })},
			{
				PreConfig: func() { _, changed = audioFile(t, dir, "hold.mp3", 3000) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("kazoo_media.m", plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error { return mediaBytes(t, changed, "audio/mpeg")(id) },
			},
			// A file that cannot be read fails the plan on source_file.
			{Config: providerBlock + `resource "kazoo_media" "m" {
  name        = "x"
  source_file = "/nonexistent/greeting.mp3"
}`, PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)source_file.*cannot be read`)},
		},
	})
}

// A text-to-speech media applies and then plans no change.
func TestAccMedia_tts(t *testing.T) {
	config := providerBlock + fmt.Sprintf(`resource "kazoo_media" "tts" {
  name         = "After hours %s"
  media_source = "tts"
  tts = {
    text  = "Thank you for calling. Our office is closed."
    voice = "female/en-US"
  }
}`, randomDigits(6))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// source_file and tts do not go together.
			{Config: providerBlock + `resource "kazoo_media" "x" {
  name        = "x"
  source_file = "a.mp3"
  tts         = { text = "hi" }
}`, PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)source_file.*tts|tts.*source_file`)},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("kazoo_media.tts", tfjsonpath.New("media_source"), knownvalue.StringExact("tts")),
					statecheck.ExpectKnownValue("kazoo_media.tts", tfjsonpath.New("tts").AtMapKey("text"),
						knownvalue.StringExact("Thank you for calling. Our office is closed.")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// An upload KAZOO refuses (a text file is no audio: 415) fails the create whole: the media
// document made for it is deleted again, so nothing is left half made.
func TestAccMedia_refusedUpload(t *testing.T) {
	acctest.PreCheck(t)
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("not audio at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	name := "Refused " + randomDigits(8)
	config := providerBlock + fmt.Sprintf(`resource "kazoo_media" "m" {
  name        = %q
  source_file = %q
}`, name, notes)
	leftBehind := func() error {
		c := acctest.Client(t)
		for row, err := range c.List(context.Background(), client.AccountPath(c.AccountID(), "media"), url.Values{"filter_name": {name}}) {
			if err != nil {
				return err
			}
			return fmt.Errorf("a media document was left behind: %s", row)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, ExpectError: regexp.MustCompile(`(?s)Error creating kazoo_media.*415`)},
			// Nothing was left in KAZOO; the next apply plans the create again.
			{
				PreConfig: func() {
					if err := leftBehind(); err != nil {
						t.Fatal(err)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
		CheckDestroy: func(*terraform.State) error { return leftBehind() },
	})
}

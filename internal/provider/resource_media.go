package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

// mediaSpec is kazoo_media: the media document, plus its audio uploaded from a local file
// (POST /media/{id}/raw). KAZOO has no PATCH on media. The file's content hash is kept in the
// state, so a changed file plans an update that uploads it again.
var mediaSpec = engine.Spec{
	TypeName: "media",
	Description: "An audio file KAZOO plays to callers (a greeting, an IVR prompt, music on hold): either uploaded " +
		"from a local file (`source_file`) or spoken by KAZOO's text to speech (`media_source = \"tts\"` with `tts`).",
	DataSourceDescription: "Reads a KAZOO media document by id or by name.",
	Collection:            "media",
	Schema:                "media",
	Overrides: map[string]engine.Override{
		// Set by KAZOO when the audio arrives.
		"content_length": {ComputedOnly: true, Recompute: newAudio},
		"content_type":   {ComputedOnly: true, Recompute: newAudio},
		// Recording metadata KAZOO sets for call recordings.
		"source_id":   {ComputedOnly: true},
		"source_type": {ComputedOnly: true},
	},
	Locals: []engine.Local{
		{Name: "source_file", Description: "Path of a local audio file (MP3, WAV or Ogg) uploaded as the media's audio. " +
			"Its type is taken from the file name's extension. A change of the file's content uploads it again."},
		{Name: "source_hash", Description: "SHA-256 of the content of `source_file` when it was last uploaded.",
			Derive: fileHash("source_file"), DeriveFrom: "source_file"},
	},
	Hooks: engine.Hooks{
		ConfigValidators: []resource.ConfigValidator{
			resourcevalidator.Conflicting(path.MatchRoot("source_file"), path.MatchRoot("tts")),
		},
		// KAZOO's schema requires media_source although it has a default.
		BeforeWrite: func(_ context.Context, doc map[string]any, patch bool) error {
			if _, ok := doc["media_source"]; !ok && !patch {
				doc["media_source"] = "upload"
			}
			return nil
		},
		AfterWrite: func(ctx context.Context, w engine.WriteContext) (json.RawMessage, error) {
			return uploadChanged(ctx, w, w.Path+"/raw", "source_file", "source_hash", byExtension(audioTypes))
		},
	},
	Lookups: []engine.Lookup{{Attr: "name", SummaryKey: "name"}},
}

// fileHash derives the hex SHA-256 of the file a local attribute names ("" when unset).
func fileHash(attr string) func(map[string]string) (string, error) {
	return func(cfg map[string]string) (string, error) {
		name := cfg[attr]
		if name == "" {
			return "", nil
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return "", fmt.Errorf("%s cannot be read: %w", attr, err)
		}
		sum := sha256.Sum256(b)
		return hex.EncodeToString(sum[:]), nil
	}
}

// uploadChanged uploads the file named by the local fileAttr to path when its hash (the local
// hashAttr) differs from the last upload's, with the content type contentType gives.
func uploadChanged(ctx context.Context, w engine.WriteContext, path, fileAttr, hashAttr string,
	contentType func(name string, b []byte) string,
) (json.RawMessage, error) {
	name := w.Locals[fileAttr]
	if name == "" || w.Locals[hashAttr] == w.PriorLocals[hashAttr] {
		return nil, nil
	}
	up, ok := w.Backend.(engine.Uploader)
	if !ok {
		return nil, fmt.Errorf("this connection to KAZOO cannot upload files; this is a bug in the provider, please report it")
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("%s cannot be read: %w", fileAttr, err)
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != w.Locals[hashAttr] {
		return nil, fmt.Errorf("%s %s changed between plan and apply; run terraform apply again", fileAttr, name)
	}
	return up.Upload(ctx, path, contentType(name, b), b)
}

// audioTypes are the content types KAZOO accepts for audio, by file extension.
var audioTypes = map[string]string{
	".mp3": "audio/mpeg", ".wav": "audio/x-wav", ".ogg": "audio/ogg", ".oga": "audio/ogg",
	".mp4": "video/mp4", ".webm": "video/webm",
}

// byExtension gives a file's content type from its extension in types, else sniffed.
func byExtension(types map[string]string) func(name string, b []byte) string {
	return func(name string, b []byte) string {
		if t, ok := types[strings.ToLower(filepath.Ext(name))]; ok {
			return t
		}
		return http.DetectContentType(b)
	}
}

// newAudio: the audio's size and type change with a new upload, or when KAZOO speaks a new text.
var newAudio = &engine.Recompute{From: []string{"source_file", "source_hash", "media_source", "tts"}}

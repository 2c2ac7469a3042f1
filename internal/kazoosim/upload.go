package kazoosim

import (
	"encoding/base64"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// readUpload reads a binary upload the way api_util:get_req_data/4 does: the body up to
// crossbar.max_upload_size (413 beyond), base64 bodies (application/base64, or
// Content-Transfer-Encoding: base64) decoded, and an empty upload refused with missing as
// the message of the "file" validation error. It answers the stored media type and bytes.
func readUpload(r *http.Request, missing string) (string, []byte, *apiError) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body, err := io.ReadAll(io.LimitReader(r.Body, maxUploadSize+1))
	if err != nil {
		return "", nil, &apiError{400, "parse_error", map[string]any{"message": err.Error()}}
	}
	if len(body) > maxUploadSize {
		return "", nil, &apiError{413, "validation error", map[string]any{"file": map[string]any{"maxSize": map[string]any{
			"message": "Payload or Files must not be more than " + strconv.Itoa(maxUploadSize) + " bytes", "target": maxUploadSize}}}}
	}
	if mt == "application/base64" || mt == "application/x-base64" ||
		strings.EqualFold(r.Header.Get("Content-Transfer-Encoding"), "base64") {
		decodedType, decoded, ok := decodeBase64Upload(body)
		if !ok {
			// decode_base64/4 answers its validation error with 413.
			e := invalid("file", "encoding", "failed to decode base64 data", nil)
			e.status = http.StatusRequestEntityTooLarge
			return "", nil, e
		}
		if decodedType != "" {
			mt = decodedType
		} else if mt == "application/x-base64" {
			mt = "application/base64"
		}
		body = decoded
	}
	if len(body) == 0 {
		return "", nil, invalid("file", "required", missing, nil)
	}
	return mt, body, nil
}

// decodeBase64Upload is kz_attachment:decode_base64/1: a data URI gives its own media type
// ("application/base64" in one reads as application/octet-stream); bare base64 gives none.
func decodeBase64Upload(body []byte) (string, []byte, bool) {
	text := strings.TrimSpace(string(body))
	mediaType := ""
	if rest, ok := strings.CutPrefix(text, "data:"); ok {
		meta, data, found := strings.Cut(rest, ",")
		if !found {
			return "", nil, false
		}
		mediaType = strings.TrimSuffix(meta, ";base64")
		if mediaType == "application/base64" {
			mediaType = "application/octet-stream"
		}
		text = data
	}
	out, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return "", nil, false
	}
	return mediaType, out, true
}

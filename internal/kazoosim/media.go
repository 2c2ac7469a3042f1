package kazoosim

import (
	"encoding/base64"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// handleMediaRaw serves the binary of a media document (cb_media, path token "raw"): POST
// uploads it (the types of ?MEDIA_MIME_TYPES; the router answers 415 to others), base64
// bodies decoded; GET downloads it.
func (s *Server) handleMediaRaw(rc *reqCtx, method, acct, id string) {
	c := collections["media"]
	d, rev, ok := s.st.get(acct, id)
	if !ok || d["pvt_deleted"] == true || d["pvt_type"] != c.pvtType {
		s.fail(rc, errBadIdentifier(id))
		return
	}
	switch method {
	case http.MethodGet:
		a, ok := s.st.getAttachment(acct, id)
		if !ok {
			// load_media_binary/2: no attachment yet.
			s.fail(rc, &apiError{404, "bad identifier", []any{id}})
			return
		}
		h := rc.w.Header()
		h.Set("Content-Type", a.ContentType)
		h.Set("Content-Length", strconv.Itoa(len(a.Data)))
		h.Set("Content-Disposition", "attachment; filename="+id)
		rc.status = http.StatusOK
		rc.w.WriteHeader(http.StatusOK)
		_, _ = rc.w.Write(a.Data)
	case http.MethodPost:
		mt, _, _ := mime.ParseMediaType(rc.r.Header.Get("Content-Type"))
		body, err := io.ReadAll(io.LimitReader(rc.r.Body, maxUploadSize+1))
		if err != nil {
			s.fail(rc, &apiError{400, "parse_error", map[string]any{"message": err.Error()}})
			return
		}
		if len(body) > maxUploadSize {
			s.fail(rc, &apiError{413, "validation error", map[string]any{"file": map[string]any{"maxSize": map[string]any{
				"message": "Payload or Files must not be more than " + strconv.Itoa(maxUploadSize) + " bytes", "target": maxUploadSize}}}})
			return
		}
		if mt == "application/base64" || mt == "application/x-base64" ||
			strings.EqualFold(rc.r.Header.Get("Content-Transfer-Encoding"), "base64") {
			decodedType, decoded, ok := decodeBase64Upload(body)
			if !ok {
				e := invalid("file", "encoding", "failed to decode base64 data", nil)
				e.status = http.StatusRequestEntityTooLarge
				s.fail(rc, e)
				return
			}
			if decodedType != "" {
				mt = decodedType
			} else if mt == "application/x-base64" {
				mt = "application/base64"
			}
			body = decoded
		}
		if len(body) == 0 {
			// cb_media:error_missing_file/1.
			s.fail(rc, invalid("file", "required", "Please provide an media file", nil))
			return
		}
		if err := s.st.putAttachment(acct, id, &attachment{ContentType: mt, Data: body}); err != nil {
			s.fail(rc, storeError(err))
			return
		}
		unlock := s.lock(acct)
		d["content_type"] = mt
		d["content_length"] = len(body)
		d["media_source"] = "upload"
		d["pvt_modified"] = gregorianNow()
		newRev, err := s.st.put(acct, id, d, rev)
		unlock()
		if err != nil {
			s.fail(rc, storeError(err))
			return
		}
		s.reply(rc, http.StatusOK, s.present(acct, c, d), newRev)
	default:
		s.fail(rc, errMethod)
	}
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

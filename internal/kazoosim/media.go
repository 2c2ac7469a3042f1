package kazoosim

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// handleMediaRaw serves the binary of a media document: POST uploads it (audio/*, or
// application/octet-stream, or base64 in a JSON data URI), GET downloads it.
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
			s.fail(rc, errBadIdentifier(id))
			return
		}
		h := rc.w.Header()
		h.Set("Content-Type", a.ContentType)
		h.Set("Content-Length", strconv.Itoa(len(a.Data)))
		h.Set("Content-Disposition", "attachment; filename="+id)
		rc.status = http.StatusOK
		rc.w.WriteHeader(http.StatusOK)
		_, _ = rc.w.Write(a.Data)
	case http.MethodPost, http.MethodPut:
		ct := rc.r.Header.Get("Content-Type")
		mt, _, _ := mime.ParseMediaType(ct)
		if mt == "" || mt == "application/json" || mt == "application/x-json" {
			s.fail(rc, invalid("content_type", "invalid", "Expected an audio or binary Content-Type", ct))
			return
		}
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
		if err := s.st.putAttachment(acct, id, &attachment{ContentType: mt, Data: body}); err != nil {
			s.fail(rc, storeError(err))
			return
		}
		unlock := s.lock(acct)
		d["content_type"] = mt
		d["content_length"] = len(body)
		if !strings.HasPrefix(str(d["media_source"]), "tts") {
			d["media_source"] = firstNonEmpty(str(d["media_source"]), "upload")
		}
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

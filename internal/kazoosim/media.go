package kazoosim

import (
	"net/http"
	"strconv"
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
		// cb_media:error_missing_file/1's message.
		mt, body, e := readUpload(rc.r, "Please provide an media file")
		if e != nil {
			s.fail(rc, e)
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

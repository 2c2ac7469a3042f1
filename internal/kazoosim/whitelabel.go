package kazoosim

import (
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// The whitelabel's binaries (cb_whitelabel: logo, icon, welcome), stored as attachments of
// the whitelabel document.
var whitelabelBinaries = map[string]struct {
	accepts []string
	missing string
}{
	// ?WHITELABEL_MIME_TYPES = ?IMAGE_CONTENT_TYPES ++ ?BASE64_CONTENT_TYPES.
	"logo": {accepts: []string{"image/jpg", "image/jpeg", "image/png", "image/gif", "application/base64", "application/x-base64"},
		missing: "Please provide an image file"},
	// ?WHITELABEL_ICON_MIME_TYPES.
	"icon": {accepts: []string{"image/ico", "image/vnd.microsoft.icon", "image/x-icon", "image/icon",
		"image/jpg", "image/jpeg", "image/png", "image/gif", "application/base64", "application/x-base64"},
		missing: "Please provide an image file"},
	// ?WHITELABEL_WELCOME_MIME_TYPES.
	"welcome": {accepts: []string{"text/html"}, missing: "Please provide an html file"},
}

const whitelabelID = "whitelabel"

func whitelabelAttachmentID(kind string) string { return whitelabelID + "/" + kind }

// handleWhitelabelBinary is GET and POST /v2/accounts/{A}/whitelabel/{logo|icon|welcome}
// (cb_whitelabel validate_attachment/3, update_whitelabel_binary/3).
func (s *Server) handleWhitelabelBinary(rc *reqCtx, method, acct, kind string) {
	d, rev, ok := s.st.get(acct, whitelabelID)
	if !ok || d["pvt_deleted"] == true {
		s.fail(rc, errBadIdentifier(whitelabelID))
		return
	}
	switch method {
	case http.MethodGet:
		s.writeWhitelabelBinary(rc, acct, kind)
	case http.MethodPost:
		mt, body, e := readUpload(rc.r, whitelabelBinaries[kind].missing)
		if e != nil {
			s.fail(rc, e)
			return
		}
		if err := s.st.putAttachment(acct, whitelabelAttachmentID(kind), &attachment{ContentType: mt, Data: body}); err != nil {
			s.fail(rc, storeError(err))
			return
		}
		unlock := s.lock(acct)
		d["pvt_modified"] = gregorianNow()
		newRev, err := s.st.put(acct, whitelabelID, d, rev)
		unlock()
		if err != nil {
			s.fail(rc, storeError(err))
			return
		}
		s.reply(rc, http.StatusOK, publicView(d), newRev)
	default:
		s.fail(rc, errMethod)
	}
}

// writeWhitelabelBinary answers a stored binary, or 404 bad identifier naming its kind
// (load_whitelabel_binary/2).
func (s *Server) writeWhitelabelBinary(rc *reqCtx, acct, kind string) {
	a, ok := s.st.getAttachment(acct, whitelabelAttachmentID(kind))
	if !ok {
		s.fail(rc, &apiError{404, "bad identifier", []any{kind}})
		return
	}
	ext := ""
	if exts, _ := mime.ExtensionsByType(a.ContentType); len(exts) > 0 {
		ext = exts[0]
	}
	h := rc.w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(a.Data)))
	h.Set("Content-Disposition", "attachment; filename="+kind+"-"+kind+ext)
	rc.status = http.StatusOK
	rc.w.WriteHeader(http.StatusOK)
	_, _ = rc.w.Write(a.Data)
}

// whitelabelAccount finds the account whose whitelabel has this domain, case-insensitively
// (the accounts/list_by_whitelabel_domain view).
func (s *Server) whitelabelAccount(domain string) (string, bool) {
	domain = strings.ToLower(domain)
	for _, a := range s.liveAccounts() {
		id := str(a["_id"])
		if d, _, ok := s.st.peek(id, whitelabelID); ok && d["pvt_deleted"] != true && strings.ToLower(str(d["domain"])) == domain {
			return id, true
		}
	}
	return "", false
}

// handleWhitelabelDomain is GET /v2/whitelabel/{domain}[/{logo|icon|welcome}], which asks no
// credentials: a login page finds its branding by the domain it is served from
// (cb_whitelabel authenticate/2, authorize/3, find_whitelabel/2).
func (s *Server) handleWhitelabelDomain(rc *reqCtx, method, domain, kind string) {
	if method != http.MethodGet {
		s.fail(rc, errMethod)
		return
	}
	acct, ok := s.whitelabelAccount(domain)
	if !ok {
		s.fail(rc, &apiError{404, "bad_identifier", map[string]any{"cause": domain, "message": "bad identifier"}})
		return
	}
	if kind != "" {
		s.writeWhitelabelBinary(rc, acct, kind)
		return
	}
	d, rev, _ := s.st.get(acct, whitelabelID)
	s.reply(rc, http.StatusOK, publicView(d), rev)
}

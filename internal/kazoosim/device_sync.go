package kazoosim

import "net/http"

// POST /v2/accounts/{ACCOUNT_ID}/devices/{ID}/sync asks the phone to re-read its provisioning
// (cb_devices_v2 publishes a check-sync for the device). KAZOO 4.3 accepts only POST here,
// loads the device first (404 bad_identifier for an unknown one) and answers 202 with the
// message "sync request sent". The simulator has no SIP side: the request is only counted in
// /sim/stats under "POST /v2/accounts/{ACCOUNT_ID}/devices/{ID}/sync".

// deviceSyncRoute is the router's hook for the sync path of a device.
func (s *Server) deviceSyncRoute(r route, acct, id string) route {
	r.pattern = acctPrefix + "/devices/{ID}/sync"
	r.handler = func(rc *reqCtx, m string) { s.handleDeviceSync(rc, m, acct, id) }
	return r
}

func (s *Server) handleDeviceSync(rc *reqCtx, method, acct, id string) {
	if _, ok := s.account(acct); !ok {
		s.fail(rc, errBadIdentifier(acct))
		return
	}
	if method != http.MethodPost {
		s.fail(rc, errMethod)
		return
	}
	if !s.liveDoc(acct, collections["devices"], id) {
		s.fail(rc, errBadIdentifier(id))
		return
	}
	s.accepted(rc, "sync request sent")
}

// accepted is crossbar_util:response_202: HTTP 202, status "accepted", the message as data.
func (s *Server) accepted(rc *reqCtx, msg string) {
	s.writeJSON(rc, http.StatusAccepted, successEnvelope{
		Data:      msg,
		Revision:  "",
		Timestamp: timestamp(),
		Version:   Version,
		Node:      s.node,
		RequestID: rc.reqID,
		Status:    "accepted",
		AuthToken: rc.token,
	})
}

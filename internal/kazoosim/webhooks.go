package kazoosim

import "net/http"

// availableHooks are the hooks the webhooks application of 4.3 registers in the master
// account (applications/webhooks/src/modules/webhooks_*.erl ?METADATA: id, name,
// description; the modifiers of the object and notifications hooks are not modelled).
var availableHooks = []Doc{
	{"id": "channel_answer", "name": "Channel Answer", "description": "This webhook is triggered when a channel establishes two-way audio, such as a voicemail box or the called party answering"},
	{"id": "channel_bridge", "name": "Channel Bridge", "description": "This webhook is triggered when two channels are bridged together, such as two users/devices connected together"},
	{"id": "channel_create", "name": "Channel Create", "description": "This webhook is triggered when a new channel is created"},
	{"id": "channel_destroy", "name": "Channel Destroy", "description": "This webhook is triggered when a channel is destroyed, usually as a result of a hangup"},
	{"id": "mms", "name": "MMS", "description": "Receive notifications when mms is received"},
	{"id": "notifications", "name": "Notifications Webhook", "description": "Fire a webhook when a notification event is triggered in Kazoo"},
	{"id": "object", "name": "Object", "description": "Receive notifications when objects (like JSON document objects) in Kazoo are changed"},
	{"id": "parking", "name": "Call Parking", "description": "Events when calls get parked/retrieved"},
	{"id": "sms", "name": "SMS", "description": "Receive notifications when sms is received"},
}

// handleAvailableHooks is /v2/webhooks: a GET needs no credentials (cb_webhooks
// authenticate/3, authorize/3) and lists the available hooks (summary_available/1); any
// other method is refused, 401 without a token and 403 with one.
func (s *Server) handleAvailableHooks(rc *reqCtx, method string) {
	if method != http.MethodGet {
		if e := s.authenticate(rc); e != nil {
			s.fail(rc, e)
			return
		}
		s.fail(rc, errForbidden)
		return
	}
	rows := make([]listRow, 0, len(availableHooks))
	for _, h := range availableHooks {
		id := str(h["id"])
		rows = append(rows, listRow{key: "webhooks_" + id, id: id, doc: h, value: deepCopy(h)})
	}
	s.replyRows(rc, rows, true)
}

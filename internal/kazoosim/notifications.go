package kazoosim

import (
	"net/http"
	"sort"
)

// systemTemplate is one of the notification templates KAZOO 4.3 ships in system_config
// (applications/teletype/src/templates/teletype_*.erl: id/0, friendly_name/0, category/0).
type systemTemplate struct{ id, friendlyName, category string }

var systemTemplates = []systemTemplate{
	{"account_zone_change", "Account Zone Change", "account"},
	{"bill_reminder", "Payment Reminder", "account"},
	{"cnam_request", "CNAM Request", "account"},
	{"customer_update", "Customer update", "user"},
	{"denied_emergency_bridge", "Denied Emergency Bridge", "account"},
	{"deregister", "Deregister Notice", "registration"},
	{"emergency_bridge", "Emergency Bridge", "account"},
	{"fax_inbound_error_to_email", "Inbound Fax Negotiation Error to Email", "fax"},
	{"fax_inbound_error_to_email_filtered", "Inbound Fax Receive Error to Email", "fax"},
	{"fax_inbound_to_email", "Inbound Fax to Email", "fax"},
	{"fax_outbound_error_to_email", "Outbound Fax Error to Email", "fax"},
	{"fax_outbound_smtp_error_to_email", "Unable Processing Email-To-Fax", "fax"},
	{"fax_outbound_to_email", "Outbound Fax to Email", "fax"},
	{"first_occurrence", "First Occurrence", "sip"},
	{"low_balance", "Low Balance", "account"},
	{"missed_call", "Missed Call", "sip"},
	{"new_account", "New Account", "account"},
	{"new_user", "New User", "user"},
	{"number_feature_manual_action", "Number Feature Manual Action Required", "account"},
	{"password_recovery", "Password Recovery", "user"},
	{"port_cancel", "Port Cancel", "port_request"},
	{"port_comment", "Port Comment", "port_request"},
	{"port_pending", "Port Pending", "port_request"},
	{"port_rejected", "Port Rejected", "port_request"},
	{"port_request", "Port Request", "port_request"},
	{"port_request_admin", "Admin Port Request", "system"},
	{"port_scheduled", "Port Scheduled", "port_request"},
	{"port_unconfirmed", "Port Unconfirmed", "port_request"},
	{"ported", "Port Successful", "port_request"},
	{"service_added", "Service Change Invoice", "account"},
	{"system_alert", "System Notifications", "system"},
	{"topup", "Top Up", "account"},
	{"transaction", "Transaction Success", "account"},
	{"transaction_failed", "Transaction Problem", "account"},
	{"voicemail_deleted", "Deleted Voicemail To Email", "voicemail"},
	{"voicemail_full", "Full Voicemail Box", "voicemail"},
	{"voicemail_to_email", "Voicemail To Email", "voicemail"},
	{"webhook_disabled", "Webhook Auto-Disabled", "webhook"},
}

func findSystemTemplate(id string) (systemTemplate, bool) {
	for _, t := range systemTemplates {
		if t.id == id {
			return t, true
		}
	}
	return systemTemplate{}, false
}

// doc is the system template as cb_notifications answers it; macros are not modelled.
func (t systemTemplate) doc() Doc {
	return Doc{"id": t.id, "friendly_name": t.friendlyName, "category": t.category, "enabled": true, "macros": Doc{}}
}

// handleNotifications serves /notifications[/{id}] as cb_notifications does: an account
// holds only its overrides of the system templates. The listing is every system template
// (category "system" only for superduper admins), overridden ones marked
// account_overridden (summary_account/2, merge_available/2); a read of a template the
// account has not overridden answers the nearest ancestor's override up to the reseller,
// else the system template (read_account/3, maybe_read_from_parent/4); DELETE removes the
// override, so the system template shows again (delete_doc/2 hard-deletes).
func (s *Server) handleNotifications(rc *reqCtx, method, acct string, c *collection, id string) {
	switch {
	case id == "" && method == http.MethodGet:
		s.listNotifications(rc, acct)
	case id == "":
		s.handleCollection(rc, method, acct, c, nil)
	case method == http.MethodGet && !s.liveDoc(acct, c, id):
		s.readInheritedNotification(rc, acct, c, id)
	case method == http.MethodDelete && s.liveDoc(acct, c, id):
		q := rc.query
		q.Set("should_soft_delete", "false")
		s.handleDocument(rc, method, acct, c, id, nil)
	default:
		s.handleDocument(rc, method, acct, c, id, nil)
	}
}

func (s *Server) listNotifications(rc *reqCtx, acct string) {
	if _, ok := s.account(acct); !ok {
		s.fail(rc, errBadIdentifier(acct))
		return
	}
	overrides := map[string]Doc{}
	for _, d := range s.st.shared(acct) {
		if d["pvt_type"] == "notification" && d["pvt_deleted"] != true {
			overrides[str(d["_id"])] = d
		}
	}
	var rows []listRow
	for _, t := range systemTemplates {
		if t.category == "system" && !rc.auth.superduper {
			continue
		}
		value := t.doc()
		doc := value
		if o, ok := overrides[t.id]; ok {
			value = Doc{"id": t.id, "category": o["category"], "friendly_name": t.friendlyName, "macros": Doc{},
				"enabled": o["enabled"], "account_overridden": true}
			dropNils(value)
			doc = o
		}
		rows = append(rows, listRow{key: t.id, id: t.id, doc: doc, value: value})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].id < rows[j].id })
	filters, e := parseFilters(rc.query)
	if e != nil {
		s.fail(rc, e)
		return
	}
	out := []any{}
	for _, r := range rows {
		if filters.match(r.doc) {
			out = append(out, r.value)
		}
	}
	s.replyListEnvelope(rc, out, &pageInfo{size: len(out)})
}

func (s *Server) readInheritedNotification(rc *reqCtx, acct string, c *collection, id string) {
	a, ok := s.account(acct)
	if !ok {
		s.fail(rc, errBadIdentifier(acct))
		return
	}
	reseller := s.resellerOf(a)
	tree := strSlice(a["pvt_tree"])
	for i := len(tree) - 1; i >= 0 && acct != reseller; i-- {
		parent := tree[i]
		if d, rev, ok := s.st.get(parent, id); ok && d["pvt_type"] == c.pvtType && d["pvt_deleted"] != true {
			out := publicView(d)
			out["account_overridden"] = true
			s.reply(rc, http.StatusOK, out, rev)
			return
		}
		if parent == reseller {
			break
		}
	}
	t, ok := findSystemTemplate(id)
	if !ok {
		s.fail(rc, errBadIdentifier(id))
		return
	}
	s.reply(rc, http.StatusOK, t.doc(), "")
}

// dropNils removes null members, as a CouchDB view row omits fields the document lacks.
func dropNils(d Doc) {
	for k, v := range d {
		if v == nil {
			delete(d, k)
		}
	}
}

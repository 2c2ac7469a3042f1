package kazoosim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Voicemail messages (cb_vmboxes, path token "messages"). KAZOO keeps them in the account's
// month databases; the simulator keeps them beside the box, with the same ids and fields.

// messageUploadTypes is cb_vmboxes' ?UPLOAD_MIME_TYPES.
var messageUploadTypes = []string{"application/octet-stream", "audio/x-wav", "audio/wav", "audio/mpeg", "audio/mp3",
	"audio/ogg", "application/x-www-form-urlencoded", "multipart/form-data", "multipart/mixed",
	"application/json", "application/x-json"}

// handleVMBoxMessages serves /vmboxes/{B}/messages[/{M}[/raw]].
func (s *Server) handleVMBoxMessages(rc *reqCtx, method, acct, box, msg string, raw bool) {
	if !s.liveDoc(acct, collections["vmboxes"], box) {
		s.fail(rc, errBadIdentifier(box))
		return
	}
	switch {
	case msg == "" && method == http.MethodGet:
		s.listMessages(rc, acct, box)
	case msg == "" && method == http.MethodPut:
		s.createMessage(rc, acct, box)
	case msg != "" && method == http.MethodGet:
		d, _, ok := s.st.get(acct, msg)
		if !ok || d["pvt_type"] != "mailbox_message" || d["source_id"] != box || d["pvt_deleted"] == true {
			s.fail(rc, errBadIdentifier(msg))
			return
		}
		if raw {
			a, ok := s.st.getAttachment(acct, msg)
			if !ok {
				// load_message_binary/3.
				s.fail(rc, &apiError{404, "bad_identifier", map[string]any{"cause": "voicemail message does not have any audio file", "message": "bad identifier"}})
				return
			}
			h := rc.w.Header()
			h.Set("Content-Type", a.ContentType)
			h.Set("Content-Disposition", "attachment; filename="+msg)
			rc.status = http.StatusOK
			rc.w.WriteHeader(http.StatusOK)
			_, _ = rc.w.Write(a.Data)
			return
		}
		s.reply(rc, http.StatusOK, d["metadata"], "")
	default:
		s.fail(rc, errMethod)
	}
}

// listMessages answers the box's messages' metadata (load_message_summary/2, the
// mailbox_messages/listing_by_mailbox view's values).
func (s *Server) listMessages(rc *reqCtx, acct, box string) {
	var rows []listRow
	for _, d := range s.st.shared(acct) {
		if d["pvt_type"] != "mailbox_message" || d["pvt_deleted"] == true || d["source_id"] != box {
			continue
		}
		meta, _ := d["metadata"].(map[string]any)
		id := str(d["_id"])
		rows = append(rows, listRow{key: asString(meta["timestamp"]), id: id, doc: meta, value: deepCopy(meta)})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].id < rows[j].id })
	s.replyRows(rc, rows, true)
}

// createMessage is PUT /vmboxes/{B}/messages (validate_new_message/2,
// create_new_message_document/2, maybe_save_attachment/1): the metadata (JSON body, or the
// JSON part of a multipart body) is checked against vm_message_metadata; the message gets a
// month-prefixed id that is also its media_id, and an audio part or body becomes its
// recording.
func (s *Server) createMessage(rc *reqCtx, acct, box string) {
	data, file, e := readMessageUpload(rc.r)
	if e != nil {
		s.fail(rc, e)
		return
	}
	errs, ae := s.validate("vm_message_metadata", data)
	if ae != nil {
		s.fail(rc, ae)
		return
	}
	if len(errs) > 0 {
		s.fail(rc, validationError(errs))
		return
	}
	boxDoc, _, _ := s.st.get(acct, box)
	now := time.Now().UTC()
	ts := json.Number(itoa(now.Unix() + gregorianOffset))
	if t, ok := data["timestamp"]; ok {
		ts = json.Number(asString(t))
	}
	id := fmt.Sprintf("%04d%02d-%s", now.Year(), int(now.Month()), newID())
	realm := "nodomain"
	if a, ok := s.account(acct); ok {
		realm = firstNonEmpty(str(a["realm"]), realm)
	}
	boxNum := asString(boxDoc["mailbox"])
	number := firstNonEmpty(str(data["caller_id_number"]), "anonymous")
	from := firstNonEmpty(str(data["from"]), number)
	to := firstNonEmpty(str(data["to"]), boxNum)
	length := data["length"]
	if length == nil {
		length = json.Number("1")
	}
	meta := Doc{"media_id": id, "call_id": firstNonEmpty(str(data["call_id"]), randomHex(12)),
		"caller_id_name": firstNonEmpty(str(data["caller_id_name"]), number), "caller_id_number": number,
		"from": from + "@" + realm, "to": to + "@" + realm, "length": length, "timestamp": ts,
		"folder": firstNonEmpty(str(data["folder"]), "new")}
	doc := Doc{"name": "mailbox " + boxNum + " message", "description": "voicemail message with media",
		"source_type": "voicemail", "source_id": box, "media_source": "recording", "streamable": true,
		"utc_seconds": ts, "metadata": meta, "pvt_type": "mailbox_message", "pvt_account_id": acct,
		"pvt_created": gregorianNow(), "pvt_modified": gregorianNow()}
	if file != nil {
		doc["media_filename"] = id + extensionOf(file.ContentType)
		if err := s.st.putAttachment(acct, id, file); err != nil {
			s.fail(rc, storeError(err))
			return
		}
	}
	rev, err := s.st.put(acct, id, doc, "")
	if err != nil {
		s.fail(rc, storeError(err))
		return
	}
	s.reply(rc, http.StatusCreated, publicView(doc), rev)
}

func extensionOf(contentType string) string {
	if exts, _ := mime.ExtensionsByType(contentType); len(exts) > 0 {
		return exts[0]
	}
	return ""
}

// readMessageUpload splits a message upload into its metadata and its audio: a JSON body is
// the metadata; a multipart body's JSON part is, and its other part the audio; any other body
// is the audio (api_util:get_req_data/4, extract_multipart/3).
func readMessageUpload(r *http.Request) (Doc, *attachment, *apiError) {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case mt == "" || mt == "application/json" || mt == "application/x-json":
		_, data, e := readObjectEnvelope(r)
		return publicFields(data), nil, e
	case strings.HasPrefix(mt, "multipart/"):
		mr := multipart.NewReader(io.LimitReader(r.Body, maxUploadSize+1), params["boundary"])
		data := Doc{}
		var file *attachment
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, nil, &apiError{400, "parse_error", map[string]any{"message": "failed to parse request body"}}
			}
			body, _ := io.ReadAll(part)
			pt, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
			if pt == "application/json" || pt == "application/x-json" {
				req, _ := http.NewRequestWithContext(r.Context(), http.MethodPut, "/", bytes.NewReader(body))
				_, d, e := readObjectEnvelope(req)
				if e != nil {
					return nil, nil, e
				}
				data = publicFields(d)
				continue
			}
			file = &attachment{ContentType: firstNonEmpty(pt, "application/octet-stream"), Data: body}
		}
		return data, file, nil
	default:
		ct, body, e := readUpload(r, "Please provide an audio file")
		if e != nil {
			return nil, nil, e
		}
		return Doc{}, &attachment{ContentType: ct, Data: body}, nil
	}
}

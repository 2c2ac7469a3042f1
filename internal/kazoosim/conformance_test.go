package kazoosim

import (
	"regexp"
	"strings"
	"testing"
)

// conformance is one behaviour of KAZOO 4.3's Crossbar, checked black-box over HTTP. source
// names the 4.3 file and function (branch 4.3 of 2600hz/kazoo) the behaviour follows.
type conformance struct {
	name   string
	source string
	opts   Options
	run    func(t *testing.T, st *simT)
}

// TestConformance43 runs the simulator through the behaviours read from KAZOO 4.3's source.
// Each case starts its own simulator, so cases cannot lean on one another.
func TestConformance43(t *testing.T) {
	for _, c := range conformanceCases {
		t.Run(c.name, func(t *testing.T) {
			if c.source == "" {
				t.Fatal("a conformance case must cite the 4.3 source it follows")
			}
			st := newSim(t, c.opts)
			c.run(t, st)
		})
	}
}

var hex32Re = regexp.MustCompile(`^[0-9a-f]{32}$`)

var conformanceCases = []conformance{
	// Envelope and HTTP.
	{name: "request id made up as 32 hex characters when the client sends none",
		source: "applications/crossbar/src/api_resource.erl get_request_id/1 (kz_datamgr:get_uuid/0)",
		run: func(t *testing.T, st *simT) {
			r := st.as("GET", st.acct(""), nil).want(200)
			if !hex32Re.MatchString(r.env.RequestID) || r.header.Get("X-Request-ID") != r.env.RequestID {
				t.Fatalf("request id %q, header %q", r.env.RequestID, r.header.Get("X-Request-ID"))
			}
			r = st.do("GET", st.acct(""), st.token, nil, "X-Request-ID", "mine-1").want(200)
			if r.env.RequestID != "mine-1" || r.header.Get("X-Request-ID") != "mine-1" {
				t.Fatalf("client request id not echoed: %s", r.raw)
			}
		}},
	{name: "a document answer carries its revision as ETag",
		source: "applications/crossbar/src/crossbar_doc.erl rev_to_etag/1; api_resource.erl generate_etag/2",
		run: func(t *testing.T, st *simT) {
			r := st.as("PUT", st.acct("/menus"), obj{"name": "m"}).want(201)
			if !strings.HasPrefix(r.env.Revision, "1-") || r.header.Get("ETag") != `"`+r.env.Revision+`"` {
				t.Fatalf("revision %q, ETag %q", r.env.Revision, r.header.Get("ETag"))
			}
		}},
	{name: "a non-empty list answer has an automatic ETag, the md5 of the answer, as its revision",
		source: "applications/crossbar/src/crossbar_doc.erl rev_to_etag/1 ('automatic'); api_resource.erl generate_etag/2",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/menus"), obj{"name": "m"}).want(201)
			r := st.as("GET", st.acct("/menus"), nil).want(200)
			if !hex32Re.MatchString(r.env.Revision) || r.header.Get("ETag") != `"`+r.env.Revision+`"` {
				t.Fatalf("revision %q, ETag %q", r.env.Revision, r.header.Get("ETag"))
			}
		}},
	{name: "an empty list answer has no ETag and no revision",
		source: "applications/crossbar/src/crossbar_doc.erl rev_to_etag/1 ([] -> undefined); api_util.erl do_create_resp_envelope/1",
		run: func(t *testing.T, st *simT) {
			r := st.as("GET", st.acct("/menus"), nil).want(200)
			if r.header.Get("ETag") != "" || strings.Contains(string(r.raw), `"revision"`) {
				t.Fatalf("empty list: ETag %q, body %s", r.header.Get("ETag"), r.raw)
			}
		}},
	{name: "a write without Content-Type is tagged X-RFC2616",
		source: "applications/crossbar/src/api_resource.erl known_content_type/3",
		run: func(t *testing.T, st *simT) {
			r := st.do("PUT", st.acct("/menus"), st.token, obj{"data": obj{"name": "m"}}).want(201)
			if r.header.Get("X-RFC2616") != "Section 14.17 (Try it, you'll like it)" {
				t.Fatalf("X-RFC2616 %q", r.header.Get("X-RFC2616"))
			}
			r = st.do("PUT", st.acct("/menus"), st.token, obj{"data": obj{"name": "n"}}, "Content-Type", "application/json").want(201)
			if r.header.Get("X-RFC2616") != "" {
				t.Fatal("X-RFC2616 set although the request had a Content-Type")
			}
			r = st.do("GET", st.acct("/menus"), st.token, nil).want(200)
			if r.header.Get("X-RFC2616") != "" {
				t.Fatal("X-RFC2616 set on a GET")
			}
		}},
	{name: "a write whose Content-Type the resource does not accept answers 415",
		source: "applications/crossbar/src/api_util.erl is_known_content_type/4 (crossbar.hrl ?CONTENT_ACCEPTED)",
		run: func(t *testing.T, st *simT) {
			st.do("PUT", st.acct("/menus"), st.token, `{"data":{"name":"m"}}`, "Content-Type", "text/plain").want(415)
			st.do("PUT", st.acct("/menus"), st.token, `{"data":{"name":"m"}}`, "Content-Type", "application/json; charset=utf-8").want(201)
		}},
	{name: "jsonp wraps the answer in the named function, errors included",
		source: "applications/crossbar/src/api_util.erl create_resp_content/2 (?JSONP_CONTENT_TYPE)",
		run: func(t *testing.T, st *simT) {
			r := st.do("GET", st.acct("")+"?jsonp=cb", st.token, nil).want(200)
			if r.header.Get("Content-Type") != "application/javascript" || !strings.HasPrefix(string(r.raw), `cb({`) ||
				!strings.HasSuffix(string(r.raw), `});`) {
				t.Fatalf("jsonp answer %q (%s)", r.raw, r.header.Get("Content-Type"))
			}
			r = st.do("GET", st.acct("/menus/nope")+"?jsonp=cb", st.token, nil).want(404)
			if !strings.HasPrefix(string(r.raw), `cb({`) {
				t.Fatalf("jsonp error %q", r.raw)
			}
		}},
	{name: "Accept: text/csv answers a list as CSV, a column per flattened field",
		source: "applications/crossbar/src/api_resource.erl to_csv/2; api_util.erl create_csv_resp_content/2; core/kazoo_csv/src/kz_csv.erl jobjs_to_file/1, cell_to_binary/1",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/menus"), obj{"name": `say "hi"`}).want(201)
			r := st.do("GET", st.acct("/menus"), st.token, nil, "Accept", "text/csv").want(200)
			if r.header.Get("Content-Type") != "text/csv" || !strings.HasPrefix(r.header.Get("Content-Disposition"), `attachment; filename="`) {
				t.Fatalf("headers %v", r.header)
			}
			lines := strings.Split(strings.TrimSpace(string(r.raw)), "\n")
			if len(lines) != 2 || !strings.Contains(lines[0], `"ID"`) || !strings.Contains(lines[0], `"name"`) ||
				!strings.Contains(lines[1], `"say ""hi"""`) {
				t.Fatalf("csv %q", r.raw)
			}
			st.do("GET", st.acct("/menus")+"?accept=csv", st.token, nil).want(200)
		}},
	{name: "api_auth validates its input before looking at the key: a missing key is 400, not 401",
		source: "applications/crossbar/src/modules/cb_api_auth.erl validate/1 (cb_context:validate_request_data api_auth, then on_successful_validation/1)",
		run: func(t *testing.T, st *simT) {
			st.do("PUT", "/v2/api_auth", "", obj{"data": obj{}}).hasError("api_key", "required")
			st.do("PUT", "/v2/api_auth", "", obj{"data": obj{"api_key": ""}}).hasError("api_key", "minLength")
			st.do("PUT", "/v2/api_auth", "", obj{"data": obj{"api_key": strings.Repeat("a", 64), "x": 1}}).hasError("x", "additionalProperties")
			r := st.do("PUT", "/v2/api_auth", "", obj{"data": obj{"api_key": strings.Repeat("a", 64)}}).want(404)
			if r.env.Message != "bad identifier" || string(r.env.Data) != `["`+strings.Repeat("a", 64)+`"]` {
				t.Fatalf("unknown key: %s", r.raw)
			}
		}},
	{name: "a module KAZOO does not load by default answers 404 not_found",
		source: "applications/crossbar/src/crossbar.hrl ?DEFAULT_MODULES (no cb_lists, no cb_cccps); api_resource.erl maybe_allow_method/4",
		run: func(t *testing.T, st *simT) {
			r := st.as("GET", st.acct("/lists"), nil).want(404)
			if r.env.Message != "not_found" {
				t.Fatalf("not loaded: %s", r.raw)
			}
			st.as("PUT", st.acct("/cccps"), obj{"cid": "4155550100"}).want(404)
		}},
	{name: "a module named in ExtraModules is served",
		source: "applications/crossbar/src/crossbar_config.erl autoload_modules/1",
		opts:   Options{ExtraModules: []string{"cb_lists", "cccps"}},
		run: func(t *testing.T, st *simT) {
			st.as("GET", st.acct("/lists"), nil).want(200)
			st.as("GET", st.acct("/cccps"), nil).want(200)
		}},

	{name: "the first page has no start_key; a later page echoes its start_key and page_size counts its rows",
		source: "applications/crossbar/src/crossbar_doc.erl update_pagination_envelope_params/5, handle_datamgr_pagination_success/2",
		run: func(t *testing.T, st *simT) {
			for i := 0; i < 3; i++ {
				st.as("PUT", st.acct("/menus"), obj{"name": "m" + itoa(int64(i))}).want(201)
			}
			r := st.as("GET", st.acct("/menus?page_size=2"), nil).want(200)
			if strings.Contains(string(r.raw), `"start_key"`) || *r.env.PageSize != 2 || r.env.NextStartKey == "" {
				t.Fatalf("first page: %s", r.raw)
			}
			r2 := st.as("GET", st.acct("/menus?page_size=2&start_key="+r.env.NextStartKey), nil).want(200)
			if r2.env.StartKey != r.env.NextStartKey || *r2.env.PageSize != 1 || r2.env.NextStartKey != "" {
				t.Fatalf("second page: %s", r2.raw)
			}
		}},
	{name: "a page_size that is not a positive integer falls back to the default on crossbar_doc listings",
		source: "applications/crossbar/src/cb_context.erl pagination_page_size/2",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/menus"), obj{"name": "m"}).want(201)
			for _, v := range []string{"0", "-3", "abc"} {
				if r := st.as("GET", st.acct("/menus?page_size="+v), nil).want(200); *r.env.PageSize != 1 {
					t.Fatalf("page_size=%s: %s", v, r.raw)
				}
			}
		}},
	{name: "a start_key that is not an encoded key is used as a raw view key, not refused",
		source: "applications/crossbar/src/api_util.erl decode_start_key/1; api_resource.erl maybe_decode_start_key/1",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/menus"), obj{"name": "m"}).want(201)
			st.as("GET", st.acct("/menus?start_key=not-a-key"), nil).want(200)
		}},
	{name: "crossbar_view listings refuse a bad page_size with 404 faulty_request",
		source: "applications/crossbar/src/crossbar_view.erl get_page_size_from_request/1, build_general_load_params/3",
		run: func(t *testing.T, st *simT) {
			for v, msg := range map[string]string{"abc": "invalid page size", "0": "page size must be at least 1"} {
				r := st.as("GET", st.acct("/webhooks?page_size="+v), nil).want(404)
				if r.env.Message != "faulty_request" || !strings.Contains(string(r.env.Data), msg) {
					t.Fatalf("page_size=%s: %s", v, r.raw)
				}
			}
		}},

	// Objects.
	{name: "media /raw accepts KAZOO's audio, video and base64 types only, 415 otherwise",
		source: "applications/crossbar/src/modules/cb_media.erl content_types_accepted_for_upload/2 (?MEDIA_MIME_TYPES)",
		run: func(t *testing.T, st *simT) {
			id := st.as("PUT", st.acct("/media"), obj{"name": "greeting", "media_source": "upload"}).want(201).data()["id"].(string)
			for _, ct := range []string{"audio/mpeg", "audio/x-wav", "video/mp4"} {
				st.do("POST", st.acct("/media/"+id+"/raw"), st.token, []byte("bytes"), "Content-Type", ct).want(200)
			}
			for _, ct := range []string{"application/json", "text/plain", "audio/flac", "multipart/form-data; boundary=x"} {
				st.do("POST", st.acct("/media/"+id+"/raw"), st.token, []byte("bytes"), "Content-Type", ct).want(415)
			}
		}},
	{name: "media /raw before any upload is 404 bad identifier naming the media",
		source: "applications/crossbar/src/modules/cb_media.erl load_media_binary/2 (crossbar_util:response_bad_identifier/2)",
		run: func(t *testing.T, st *simT) {
			id := st.as("PUT", st.acct("/media"), obj{"name": "greeting", "media_source": "upload"}).want(201).data()["id"].(string)
			r := st.as("GET", st.acct("/media/"+id+"/raw"), nil).want(404)
			if r.env.Message != "bad identifier" || string(r.env.Data) != `["`+id+`"]` {
				t.Fatalf("raw before upload: %s", r.raw)
			}
		}},
	{name: "media /raw takes base64 bodies and stores the decoded bytes",
		source: "applications/crossbar/src/api_util.erl get_req_data/4 (application/base64 -> decode_base64/3)",
		run: func(t *testing.T, st *simT) {
			id := st.as("PUT", st.acct("/media"), obj{"name": "greeting", "media_source": "upload"}).want(201).data()["id"].(string)
			st.do("POST", st.acct("/media/"+id+"/raw"), st.token, "data:audio/mpeg;base64,SUQzAwAAAA==", "Content-Type", "application/base64").want(200)
			r := st.do("GET", st.acct("/media/"+id+"/raw"), st.token, nil).want(200)
			if r.header.Get("Content-Type") != "audio/mpeg" || string(r.raw) != "ID3\x03\x00\x00\x00" {
				t.Fatalf("decoded upload %q %s", r.raw, r.header.Get("Content-Type"))
			}
		}},
}

package provider

import (
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

// deviceSpec is kazoo_device. KAZOO refuses a device update that does not carry the stored
// device_type, so every update sends it back.
var deviceSpec = engine.Spec{
	TypeName: "device",
	Description: "A device of a KAZOO account: a SIP phone, softphone, cell phone or other endpoint calls ring. " +
		"KAZOO returns the SIP password, so `sip.password` is kept in the state as a sensitive value unless `sip_password_wo` is used.",
	DataSourceDescription: "Reads a KAZOO device by id, by name or by SIP username.",
	Collection:            "devices",
	Schema:                "devices",
	Patch:                 true,
	Overrides: map[string]engine.Override{
		// KAZOO drops sip.realm when it is the account's own realm.
		"sip.realm": {KeepWhenAbsent: true},
		// KAZOO stores MAC addresses as bare lower-case hex digits.
		"mac_address":            {Normalize: "mac"},
		"owner_id":               {RefersTo: []string{"user"}},
		"music_on_hold.media_id": {RefersTo: []string{"media"}},
		// The users hotdesked on the device: KAZOO keeps an empty object per user id.
		"hotdesk.users": {KeySet: true, RefersTo: []string{"user"}},
	},
	AlwaysSend: []string{"device_type"},
	Lookups: []engine.Lookup{
		{Attr: "name", Filter: "name", SummaryKey: "name"},
		{Attr: "sip_username", Filter: "sip.username", SummaryKey: "username",
			Description: "The SIP username of the device to look up (`sip.username`)."},
	},
}

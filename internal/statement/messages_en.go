package statement

var messagesEN = map[string]string{
	"wrong_state":        "This statement is %s; that cannot be done now.",
	"own_statement":      "You wrote this statement, so someone else has to approve it.",
	"already_approved":   "You have already approved this version.",
	"empty_core":         "The statement has no text.",
	"unknown_template":   "There is no template %q in the crisis plan.",
	"reject_comment":     "Say why you reject the statement, so the author can fix it.",
	"unknown_channel":    "There is no channel %q.",
	"not_approved":       "Only an approved statement can be published.",
	"empty_link":         "Give the link where the statement was published.",
	"bad_platform":       "Unknown platform %q.",
	"bad_lang":           "Unknown language %q.",
	"bad_form":           "Unknown form of address %q.",
	"no_channels":        "Choose at least one channel.",
	"unfilled_variables": "Fill in every variable first: %s.",
	"account_name":       "Give the account a name.",
	"account_handle":     "The handle %q is neither a handle such as gemeente.bsky.social nor a DID such as did:plc:….",
	"account_service":    "The server address %q is not an http(s) address without a user name or password.",
	"account_password":   "Give the account's app password; create one in Bluesky under Settings, Privacy and security, App passwords.",
}

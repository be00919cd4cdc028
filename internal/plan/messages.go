package plan

// catalog is every text the plan package shows a user, in one language. The texts themselves live in
// messages_en.go and messages_nl.go, one file per language.
type catalog struct {
	lang           string
	badEmail       string
	noEmail        string
	multiDoc       string
	rootMatch      string
	badPlaceholder string
	syntax         string
	empty          string
	unknownField   string
	didYouMean     string
	wantMapping    string
	wantList       string
	wantText       string
	wantNumber     string
	wantBool       string
	alias          string
	required       string
	positive       string
	notNegative    string
	oneOf          string
	duplicate      string
	unknownRef     string
	badZone        string
	badTime        string
	endBeforeStart string
	secretClear    string
	secretRef      string
	missingLevel   string
	noTarget       string
	deleteAction   string
	tooLarge       string
	position       string
	refKinds       map[string]string
	// The sources (sources.go).
	tooLong      string
	badSourceURL string
	badLangCode  string
	badInterval  string
	// The template checks and steps (templates.go).
	tplDraftApproved   string
	tplBadApprovedAt   string
	tplGrantInYAML     string
	tplTextChanged     string
	tplUnchanged       string
	tplOwn             string
	tplAlreadyApproved string
}

// Kinds of reference, for unknownRef.
const (
	refPerson   = "person"
	refSchedule = "schedule"
	refPolicy   = "policy"
	refChannel  = "channel"
	refTemplate = "template"
)

// messages returns the catalog for lang: Dutch for "nl", English otherwise.
func messages(lang string) *catalog {
	if lang == "nl" {
		return &nlText
	}
	return &enText
}

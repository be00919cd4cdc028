package incident

import (
	"fmt"
	"slices"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/respond"
)

// Crisis types of Situational Crisis Communication Theory (Coombs). The type decides how much
// responsibility the public attributes to the organisation, and so which response protects its
// reputation without breaking trust.
const (
	TypeRumour                    = "rumour"
	TypeNaturalDisaster           = "natural_disaster"
	TypeProductTampering          = "product_tampering"
	TypeWorkplaceViolence         = "workplace_violence"
	TypeChallenge                 = "challenge"
	TypeTechnicalErrorAccident    = "technical_error_accident"
	TypeTechnicalErrorProductHarm = "technical_error_product_harm"
	TypeHumanErrorAccident        = "human_error_accident"
	TypeHumanErrorProductHarm     = "human_error_product_harm"
	TypeOrganisationalMisdeed     = "organisational_misdeed"
)

// Clusters of crisis types, by the responsibility attributed to the organisation, lowest first.
type Cluster int

// The three SCCT clusters.
const (
	ClusterVictim Cluster = iota + 1
	ClusterAccidental
	ClusterPreventable
)

// String is the cluster's identifier.
func (c Cluster) String() string {
	switch c {
	case ClusterVictim:
		return "victim"
	case ClusterAccidental:
		return "accidental"
	case ClusterPreventable:
		return "preventable"
	}
	return fmt.Sprintf("Cluster(%d)", int(c))
}

var typeClusters = map[string]Cluster{
	TypeRumour: ClusterVictim, TypeNaturalDisaster: ClusterVictim, TypeProductTampering: ClusterVictim,
	TypeWorkplaceViolence: ClusterVictim,
	TypeChallenge:         ClusterAccidental, TypeTechnicalErrorAccident: ClusterAccidental,
	TypeTechnicalErrorProductHarm: ClusterAccidental,
	TypeHumanErrorAccident:        ClusterPreventable, TypeHumanErrorProductHarm: ClusterPreventable,
	TypeOrganisationalMisdeed: ClusterPreventable,
}

// CrisisTypes is every crisis type, grouped by cluster.
func CrisisTypes() []string {
	return []string{TypeRumour, TypeNaturalDisaster, TypeProductTampering, TypeWorkplaceViolence,
		TypeChallenge, TypeTechnicalErrorAccident, TypeTechnicalErrorProductHarm,
		TypeHumanErrorAccident, TypeHumanErrorProductHarm, TypeOrganisationalMisdeed}
}

// ClusterOf returns the cluster of a crisis type, and false for an unknown type.
func ClusterOf(crisisType string) (Cluster, bool) {
	c, ok := typeClusters[crisisType]
	return c, ok
}

// Intensifiers: what makes the public attribute more responsibility than the crisis type alone.
const (
	IntensifierHistory    = "crisis_history"
	IntensifierReputation = "unfavourable_reputation"
)

// Intensifiers is the fixed set of intensifiers.
func Intensifiers() []string { return []string{IntensifierHistory, IntensifierReputation} }

// Postures: the primary response strategies. An advice has exactly one, so deny is never mixed with
// diminish or rebuild.
const (
	// PostureBase is instructing and adjusting information alone, for victims of a crisis.
	PostureBase     = "base"
	PostureDeny     = "deny"
	PostureDiminish = "diminish"
	PostureRebuild  = "rebuild"
)

// Tactics: the response strategies an advice combines.
const (
	TacticInstructing = "instructing" // what people must do to protect themselves
	TacticAdjusting   = "adjusting"   // concern, sympathy and corrective action
	TacticDenial      = "denial"
	TacticCorrection  = "correction" // facts that show the rumour or challenge is untrue
	TacticExcuse      = "excuse"
	TacticJustify     = "justification"
	TacticApology     = "apology"
	TacticCompensate  = "compensation"
	TacticReminder    = "reminder" // bolster: past good works
	TacticIngratiate  = "ingratiation"
)

// Advice is the SCCT recommendation for one classification.
type Advice struct {
	CrisisType   string
	Intensifiers []string
	Base         Cluster // the crisis type's own cluster
	Cluster      Cluster // after the intensifiers
	Posture      string
	// Tactics always start with instructing and adjusting information.
	Tactics []string
	// Bolster is the supplement of reminding people of past good works; it never stands alone.
	Bolster []string
	// TemplateKinds are the respond template kinds that carry this advice, first statement first.
	TemplateKinds []string
	// Reasons explain the advice, one sentence per rule applied, in the order they apply.
	Reasons []Reason
}

// Reason is one sentence of an advice's explanation, in both languages.
type Reason struct {
	Rule string
	Text Text
}

// Explain returns the explanation in lang as one paragraph.
func (a Advice) Explain(lang string) string {
	parts := make([]string, len(a.Reasons))
	for i, r := range a.Reasons {
		parts[i] = r.Text.In(lang)
	}
	return strings.Join(parts, " ")
}

// ClassificationError is a crisis type or intensifier that SCCT does not know.
type ClassificationError struct {
	Field, Value string
}

func (e *ClassificationError) Error() string { return e.Message("en") }

// Message says what is wrong in lang, with the values that are valid.
func (e *ClassificationError) Message(lang string) string {
	c := catalogFor(lang)
	if e.Field == "intensifier" {
		return fmt.Sprintf(c.unknownIntensifier, e.Value, c.list(Intensifiers(), c.intensifiers))
	}
	return fmt.Sprintf(c.unknownCrisisType, e.Value, c.list(CrisisTypes(), c.crisisTypes))
}

// Advise applies the SCCT guidelines to a crisis type and its intensifiers:
//   - every response starts with instructing and adjusting information;
//   - an intensifier (either one, or both) moves the crisis one cluster up;
//   - rumours are denied, and challenges are denied unless an intensifier makes them preventable;
//   - otherwise a victim crisis gets the base response, an accidental one diminish, a preventable
//     one rebuild;
//   - bolster is only ever a supplement, offered when the prior reputation is not unfavourable,
//     because reminding people of good works they do not believe in backfires;
//   - deny is never mixed with diminish or rebuild, which the single posture guarantees.
func Advise(crisisType string, intensifiers []string) (Advice, error) {
	base, ok := typeClusters[crisisType]
	if !ok {
		return Advice{}, &ClassificationError{Field: "crisis_type", Value: crisisType}
	}
	var ins []string
	for _, in := range intensifiers {
		if !slices.Contains(Intensifiers(), in) {
			return Advice{}, &ClassificationError{Field: "intensifier", Value: in}
		}
		if !slices.Contains(ins, in) {
			ins = append(ins, in)
		}
	}
	slices.Sort(ins)
	a := Advice{CrisisType: crisisType, Intensifiers: ins, Base: base, Cluster: base,
		Tactics: []string{TacticInstructing, TacticAdjusting}}
	a.reason("cluster", base.String())
	if len(ins) > 0 && base < ClusterPreventable {
		a.Cluster = base + 1
		a.reason("intensified", a.Cluster.String())
	} else if len(ins) > 0 {
		a.reason("intensified_top", "")
	}
	a.reason("instructing", "")
	switch {
	case crisisType == TypeRumour:
		a.Posture = PostureDeny
	case crisisType == TypeChallenge && a.Cluster == ClusterAccidental:
		a.Posture = PostureDeny
	case a.Cluster == ClusterVictim:
		a.Posture = PostureBase
	case a.Cluster == ClusterAccidental:
		a.Posture = PostureDiminish
	default:
		a.Posture = PostureRebuild
	}
	switch a.Posture {
	case PostureDeny:
		a.Tactics = append(a.Tactics, TacticDenial, TacticCorrection)
		a.TemplateKinds = []string{respond.KindHolding, respond.KindCorrection, respond.KindUpdate}
		a.reason("deny_"+crisisType, "")
	case PostureBase:
		a.TemplateKinds = []string{respond.KindHolding, respond.KindUpdate, respond.KindResolution}
		a.reason("base", "")
	case PostureDiminish:
		a.Tactics = append(a.Tactics, TacticExcuse, TacticJustify)
		a.TemplateKinds = []string{respond.KindHolding, respond.KindAcknowledgement, respond.KindUpdate,
			respond.KindResolution}
		a.reason("diminish", "")
	case PostureRebuild:
		a.Tactics = append(a.Tactics, TacticApology, TacticCompensate)
		a.TemplateKinds = []string{respond.KindHolding, respond.KindApology, respond.KindUpdate,
			respond.KindResolution}
		if base < ClusterPreventable {
			a.reason("rebuild_intensified", "")
		} else {
			a.reason("rebuild_preventable", "")
		}
	}
	if a.Posture == PostureDeny && (crisisType == TypeRumour && len(ins) > 0) {
		a.reason("deny_despite", "")
	}
	if slices.Contains(ins, IntensifierReputation) {
		a.reason("no_bolster", "")
	} else {
		a.Bolster = []string{TacticReminder, TacticIngratiate}
		a.reason("bolster", "")
	}
	a.reason("never_mix", "")
	return a, nil
}

// reason appends the explanation of rule, filling in arg (a cluster) in both languages.
func (a *Advice) reason(rule, arg string) {
	t := Text{NL: nlText.scct[rule], EN: enText.scct[rule]}
	if arg != "" {
		t.NL = fmt.Sprintf(t.NL, nlText.clusters[arg])
		t.EN = fmt.Sprintf(t.EN, enText.clusters[arg])
	}
	a.Reasons = append(a.Reasons, Reason{Rule: rule, Text: t})
}

// Templates returns the templates that carry the advice in lang (and, for Dutch, in form u or jij, or
// every form when form is empty), in the order of TemplateKinds.
func (a Advice) Templates(ts []respond.Template, lang, form string) []respond.Template {
	var out []respond.Template
	for _, kind := range a.TemplateKinds {
		for _, t := range ts {
			if t.Kind == kind && string(t.Lang) == lang && (form == "" || t.Form == "" || string(t.Form) == form) {
				out = append(out, t)
			}
		}
	}
	return out
}

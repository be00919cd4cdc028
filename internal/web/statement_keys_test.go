package web

import (
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/statement"
)

// statementKeys are the message keys the composer's pages build from a value: states, audit actions,
// template kinds, platforms, length units and the notices of each step.
func statementKeys() map[string]string {
	used := map[string]string{}
	add := func(prefix string, ids []string, why string) {
		for _, id := range ids {
			used["statement."+prefix+id] = why
		}
	}
	add("state_", []string{statement.StateDraft, statement.StateInReview, statement.StateApproved, statement.StatePublished}, "statement states")
	add("action_", []string{statement.ActionDrafted, statement.ActionEdited, statement.ActionSubmitted, statement.ActionApproved,
		statement.ActionLegalApproved, statement.ActionRejected, statement.ActionPublished, statement.ActionPublishFailed}, "statement audit")
	add("kind_", []string{respond.KindHolding, respond.KindAcknowledgement, respond.KindApology, respond.KindUpdate,
		respond.KindCorrection, respond.KindResolution, respond.KindComplaintReply}, "template kinds")
	var ps []string
	for _, p := range respond.Platforms() {
		ps = append(ps, string(p))
	}
	add("platform_", ps, "composer platforms")
	add("unit_", []string{respond.UnitChars, respond.UnitGraphemes, respond.UnitWeighted}, "length units")
	add("done_", statementNotices, "statement notices")
	add("tpl_change_", []string{plan.TemplateAdded, plan.TemplateEdited, plan.TemplateApproval, plan.TemplateChanged, plan.TemplateRemoved}, "template history")
	add("tpl_done_", []string{"edited", "approved"}, "template notices")
	for _, d := range publishingNotices {
		used["settings.publishing_done_"+d] = "publishing account notices"
	}
	return used
}

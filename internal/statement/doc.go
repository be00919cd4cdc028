// Package statement owns the public statements of an incident: drafting one from a pre-approved
// template, the per-platform variants with their lint findings and consistency check, the approval
// workflow and publishing to the selected channels.
//
// A statement moves draft → in_review → approved → published. Rejecting one in review sends it back to
// draft with a comment. Only a draft can be edited; every edit is a new content version, kept in the
// history. Four eyes: nobody who wrote a version of a statement approves it. Lint findings do not
// block a submission, since a reviewer may accept a warning knowingly; an unfilled template variable
// does, since it would be published as {{name}}. When the incident's severity is at
// or above Config.LegalUpTo (1 and 2 by default), a legal approval is needed as well: an approval by a
// user whose crisis-plan person (matched by e-mail) has the legal role. A legal approver's approval
// counts as both. An admin counts as legal only when the plan names no legal person with an e-mail,
// so an organisation that has not filled in its legal team is not locked out, and one that has is
// never bypassed.
//
// Every step is written to the statement's audit log in the store and, for drafted, approved and
// published, to the incident's timeline in the same transaction (the incident service builds the
// entry, the store writes both), so the two never disagree.
//
// The templates offered are the plan's approved ones unless drafts are asked for; a template's own
// approval workflow lives in package plan. Bluesky is published through publishing accounts (Accounts)
// whose app passwords are sealed with package secret.
//
// Publishing is idempotent per (statement id, content version, channel): the attempt is stored as
// pending before the publisher is called, a published attempt is never repeated, and a pending one
// (in flight, or its outcome unknown after a crash) is left for a person to check instead of posting
// again. Only a failed attempt is retried, with the same idempotency key, which the publishers honour
// too. A manual channel per platform gives the copy-ready text and is marked published with its link.
package statement

// Package incident owns the incident room's domain: an incident declared from alerts or by hand, its
// severity (1–4) and status machine (investigating → responding → monitoring → resolved → reviewed),
// the roles on it, the SCCT advice on how to respond, the playbooks and the checklist tasks made from
// them, the append-only timeline, the facts and rumours register, the response clocks and the export
// as Markdown and HTML.
//
// Service applies every action through a small Store (implemented by the sqlite and postgres stores):
// each change and the timeline entries that record it are written in one transaction, so the timeline
// is a complete audit trail. Every text shown to a user is in messages_nl.go and messages_en.go.
package incident

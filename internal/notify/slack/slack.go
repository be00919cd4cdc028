// Package slack is the integration for Slack-compatible incoming webhooks: Slack itself (Block Kit),
// Mattermost and Rocket.Chat (text with an attachment, the format both accept from Slack's older
// API). The webhook URL is the secret that grants posting, so only its host is ever shown.
package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/notify"
)

// Flavours of the payload.
const (
	Slack      = "slack"
	Mattermost = "mattermost"
	RocketChat = "rocketchat"
)

// Config is one incoming webhook.
type Config struct {
	URL     string
	Flavour string // slack (the default), mattermost or rocketchat
}

// Webhook posts to one incoming webhook.
type Webhook struct {
	cfg    Config
	client *http.Client
}

// New returns the integration. A nil client is http.DefaultClient.
func New(cfg Config, client *http.Client) (*Webhook, error) {
	if !strings.HasPrefix(cfg.URL, "https://") && !strings.HasPrefix(cfg.URL, "http://") {
		return nil, fmt.Errorf("slack: url of %s: want http:// or https://", notify.Host(cfg.URL))
	}
	switch cfg.Flavour {
	case "":
		cfg.Flavour = Slack
	case Slack, Mattermost, RocketChat:
	default:
		return nil, fmt.Errorf("slack: flavour %q: want slack, mattermost or rocketchat", cfg.Flavour)
	}
	if client == nil {
		client = http.DefaultClient
	}
	return &Webhook{cfg: cfg, client: client}, nil
}

// Notify posts m. Slack answers 400 invalid_payload, 403, 404 no_service or 410 channel_is_archived
// for mistakes that a retry cannot fix, and 429 or 5xx for ones it can.
func (w *Webhook) Notify(ctx context.Context, m notify.Message) (bool, error) {
	body, err := json.Marshal(Payload(w.cfg.Flavour, m))
	if err != nil {
		return false, fmt.Errorf("slack: encode: %w", err)
	}
	return notify.PostJSON(ctx, w.client, w.cfg.URL, body, nil)
}

// Colours of the attachment bar by severity.
var colours = map[string]string{"low": "#6c757d", "medium": "#f0ad4e", "high": "#e8590c", "critical": "#c92a2a"}

// Payload is the JSON document for a flavour.
func Payload(flavour string, m notify.Message) map[string]any {
	r := notify.Render(m, nil)
	if m.Status == "updated" || m.Status == "resolved" {
		return followUp(flavour, r, m)
	}
	mention := ""
	if m.To != "" {
		if flavour == Slack {
			mention = "<@" + m.To + "> " // a Slack member id, as Slack's mention syntax wants
		} else {
			mention = "@" + strings.TrimPrefix(m.To, "@") + " "
		}
	}
	var facts []string
	for _, f := range r.Facts {
		facts = append(facts, f[0]+": "+f[1])
	}
	if flavour != Slack {
		text := r.Summary + "\n" + strings.Join(facts, " · ")
		if m.AckLink != "" {
			// Both render Markdown links in an attachment's text.
			text += fmt.Sprintf("\n[%s](%s) · [%s](%s)", r.AckLabel, m.AckLink, r.OpenLabel, m.Link)
		}
		if r.AckNote != "" {
			text += "\n" + r.AckNote
		}
		return map[string]any{
			"text": mention + r.Subject,
			"attachments": []map[string]any{{
				"fallback": r.Subject, "color": colours[m.Severity], "title": r.Title, "title_link": m.Link, "text": text,
			}},
		}
	}
	esc := mrkdwn.Replace
	blocks := []map[string]any{
		{"type": "header", "text": map[string]any{"type": "plain_text", "text": r.Title}},
		{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": mention + esc(r.Summary)}},
		{"type": "context", "elements": []map[string]any{{"type": "mrkdwn", "text": esc(strings.Join(facts, " · "))}}},
	}
	buttons := []map[string]any{}
	if m.AckLink != "" {
		buttons = append(buttons, map[string]any{
			"type": "button", "style": "primary", "url": m.AckLink,
			"text": map[string]any{"type": "plain_text", "text": r.AckLabel},
		})
	}
	if m.Link != "" {
		buttons = append(buttons, map[string]any{
			"type": "button", "url": m.Link, "text": map[string]any{"type": "plain_text", "text": r.OpenLabel},
		})
	}
	if len(buttons) > 0 {
		blocks = append(blocks, map[string]any{"type": "actions", "elements": buttons})
	}
	if r.AckNote != "" {
		blocks = append(blocks, map[string]any{"type": "context", "elements": []map[string]any{{"type": "mrkdwn", "text": esc(r.AckNote)}}})
	}
	// text is the notification preview and the fallback where blocks do not show.
	return map[string]any{"text": mention + esc(r.Subject), "blocks": blocks}
}

// followUp is an update or a resolution: one short line with a link, mentioning nobody, since the
// room already has the page and the alert's details.
func followUp(flavour string, r notify.Rendered, m notify.Message) map[string]any {
	if flavour != Slack {
		text := r.Subject
		if m.Link != "" {
			text += fmt.Sprintf(" · [%s](%s)", r.OpenLabel, m.Link)
		}
		return map[string]any{"text": text}
	}
	text := mrkdwn.Replace(r.Subject)
	if m.Link != "" {
		text += " · <" + m.Link + "|" + mrkdwn.Replace(r.OpenLabel) + ">"
	}
	return map[string]any{"text": text}
}

// mrkdwn escapes the three characters Slack's mrkdwn gives meaning to, so a post's text cannot
// mention @channel or forge a link.
var mrkdwn = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

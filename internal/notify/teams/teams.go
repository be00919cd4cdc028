// Package teams is the integration for Microsoft Teams workflow webhooks (the Workflows app's "When a
// Teams webhook request is received" trigger, which replaced Office 365 connectors). It posts a
// message with one Adaptive Card attachment. The workflow URL carries its signature, so only its host
// is ever shown.
package teams

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/notify"
)

// Webhook posts to one workflow URL.
type Webhook struct {
	url    string
	client *http.Client
}

// New returns the integration. A nil client is http.DefaultClient.
func New(url string, client *http.Client) (*Webhook, error) {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return nil, fmt.Errorf("teams: url of %s: want http:// or https://", notify.Host(url))
	}
	if client == nil {
		client = http.DefaultClient
	}
	return &Webhook{url: url, client: client}, nil
}

// Notify posts m as an Adaptive Card. A workflow answers 202 Accepted when it took the request.
func (w *Webhook) Notify(ctx context.Context, m notify.Message) (bool, error) {
	body, err := json.Marshal(Payload(m))
	if err != nil {
		return false, fmt.Errorf("teams: encode: %w", err)
	}
	return notify.PostJSON(ctx, w.client, w.url, body, nil)
}

// Card colours by severity, from the Adaptive Card TextBlock colour names.
var colours = map[string]string{"low": "Default", "medium": "Warning", "high": "Attention", "critical": "Attention"}

// Payload is the message document: type message with one attachment of content type
// application/vnd.microsoft.card.adaptive, version 1.4, which Teams renders.
func Payload(m notify.Message) map[string]any {
	r := notify.Render(m, nil)
	if m.Status == "updated" || m.Status == "resolved" {
		// An update or a resolution is one short line with a link: the channel already has the page.
		actions := []map[string]any{}
		if m.Link != "" {
			actions = append(actions, map[string]any{"type": "Action.OpenUrl", "title": r.OpenLabel, "url": m.Link})
		}
		return message([]map[string]any{{"type": "TextBlock", "text": r.Subject, "wrap": true}}, actions)
	}
	facts := []map[string]any{}
	for _, f := range r.Facts {
		facts = append(facts, map[string]any{"title": f[0], "value": f[1]})
	}
	body := []map[string]any{
		{"type": "TextBlock", "text": r.Title, "weight": "Bolder", "size": "Medium", "color": colours[m.Severity], "wrap": true},
		{"type": "TextBlock", "text": r.Summary, "wrap": true},
		{"type": "FactSet", "facts": facts},
	}
	if r.ForLine != "" {
		body = append(body, map[string]any{"type": "TextBlock", "text": r.ForLine, "isSubtle": true, "wrap": true})
	}
	if r.AckNote != "" {
		body = append(body, map[string]any{"type": "TextBlock", "text": r.AckNote, "isSubtle": true, "size": "Small", "wrap": true})
	}
	actions := []map[string]any{}
	if m.AckLink != "" {
		actions = append(actions, map[string]any{"type": "Action.OpenUrl", "title": r.AckLabel, "url": m.AckLink, "style": "positive"})
	}
	if m.Link != "" {
		actions = append(actions, map[string]any{"type": "Action.OpenUrl", "title": r.OpenLabel, "url": m.Link})
	}
	return message(body, actions)
}

// message wraps an Adaptive Card's body and actions in the message document a workflow takes.
func message(body, actions []map[string]any) map[string]any {
	card := map[string]any{
		"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
		"type":    "AdaptiveCard",
		"version": "1.4",
		"body":    body,
		"actions": actions,
	}
	return map[string]any{
		"type": "message",
		"attachments": []map[string]any{{
			"contentType": "application/vnd.microsoft.card.adaptive",
			"contentUrl":  nil,
			"content":     card,
		}},
	}
}

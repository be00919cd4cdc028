package x

import (
	"context"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/source"
)

func TestPublish(t *testing.T) {
	h := newHarness(t)
	pub, err := NewPublisher(h.client(testToken), source.NewMemoryPublishLog())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st := source.Statement{Text: "@annadevries Er is een leiding gesprongen; we verwachten rond 12:00 klaar te zijn.",
		ReplyTo: "1859200000000000001", IdempotencyKey: "approval-7/x"}
	got, err := pub.Publish(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "1859300000000000001" || got.URL != "https://x.com/i/web/status/1859300000000000001" {
		t.Errorf("published %+v", got)
	}
	if r := h.fx.created[0]["reply"].(map[string]any); r["in_reply_to_tweet_id"] != "1859200000000000001" {
		t.Errorf("request %v", h.fx.created[0])
	}
	// A retry returns the first post; X would have refused the duplicate text.
	if again, err := pub.Publish(ctx, st); err != nil || again != got || len(h.fx.created) != 1 {
		t.Errorf("retry %+v, %v, %d created", again, err, len(h.fx.created))
	}

	thread, err := source.PublishThread(ctx, pub, "approval-9/x", []source.Statement{
		{Text: "1/2 Update over de waterstoring in Deventer"}, {Text: "2/2 Flessen water bij het winkelcentrum"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := h.fx.created[1]["reply"]; ok || len(thread) != 2 {
		t.Errorf("first part is a reply: %v", h.fx.created[1])
	}
	if r := h.fx.created[2]["reply"].(map[string]any); r["in_reply_to_tweet_id"] != thread[0].ID {
		t.Errorf("second part replies to %v, want %s", r, thread[0].ID)
	}

	// Without the log X refuses the same text again, and says why.
	other, _ := NewPublisher(h.client(testToken), source.NewMemoryPublishLog())
	_, err = other.Publish(ctx, source.Statement{Text: st.Text, IdempotencyKey: "another"})
	if err == nil || !source.IsPermanent(err) || !strings.Contains(err.Error(), "duplicate content") {
		t.Errorf("duplicate = %v", err)
	}
	if _, err := pub.Publish(ctx, source.Statement{Text: "x", IdempotencyKey: "k", ReplyTo: "at://did:plc:x"}); !source.IsPermanent(err) {
		t.Errorf("reply to a non-tweet id = %v", err)
	}
	bad, _ := NewPublisher(h.client("wrong"), source.NewMemoryPublishLog())
	if _, err := bad.Publish(ctx, source.Statement{Text: "x", IdempotencyKey: "k2"}); !IsStatus(err, 401) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("bad token = %v", err)
	}
}

package email_test

import (
	"crypto/tls"
	"mime"
	"net/mail"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/notify/email"
	"github.com/crisisdesk/crisisdesk/internal/notify/notifytest"
)

// TestFollowUpsReplyToThePage: a page starts the alert's thread; an update and a resolution reply
// to that page by its Message-ID, so mail clients show them under it.
func TestFollowUpsReplyToThePage(t *testing.T) {
	srv := notifytest.NewSMTPServer(t, notifytest.SMTPOptions{})
	ml, err := email.New(email.Config{Addr: srv.Addr, From: "crisisdesk <alerts@example.org>", TLS: &tls.Config{RootCAs: srv.RootCAs}})
	if err != nil {
		t.Fatal(err)
	}
	page := message("en")
	update := message("en")
	update.Status, update.Step, update.AckLink, update.IdempotencyKey, update.InReplyTo, update.Update = "updated", -3, "", "updatekey", page.IdempotencyKey, 1
	resolved := message("en")
	resolved.Status, resolved.Step, resolved.AckLink, resolved.IdempotencyKey, resolved.InReplyTo = "resolved", -1, "", "resolvedkey", page.IdempotencyKey
	if _, err := ml.Notify(t.Context(), page); err != nil {
		t.Fatal(err)
	}
	if _, err := ml.Notify(t.Context(), update); err != nil {
		t.Fatal(err)
	}
	if _, err := ml.Notify(t.Context(), resolved); err != nil {
		t.Fatal(err)
	}
	mails := srv.Mails()
	if len(mails) != 3 {
		t.Fatalf("%d mails, want 3", len(mails))
	}
	pageID := "<" + page.IdempotencyKey + "@crisisdesk>"
	tests := []struct {
		subjectPrefix, messageID, inReplyTo, references string
	}{
		{"[high]", pageID, "<alert-al-42@crisisdesk>", "<alert-al-42@crisisdesk>"},
		{"Update: [high]", "<updatekey@crisisdesk>", pageID, "<alert-al-42@crisisdesk> " + pageID},
		{"Resolved: [high]", "<resolvedkey@crisisdesk>", pageID, "<alert-al-42@crisisdesk> " + pageID},
	}
	for i, tt := range tests {
		msg, err := mail.ReadMessage(strings.NewReader(string(mails[i].Data)))
		if err != nil {
			t.Fatal(err)
		}
		h := msg.Header
		subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(subject, tt.subjectPrefix) || h.Get("Message-Id") != tt.messageID ||
			h.Get("In-Reply-To") != tt.inReplyTo || h.Get("References") != tt.references {
			t.Errorf("mail %d: subject %q, Message-ID %q, In-Reply-To %q, References %q; want %+v", i, subject,
				h.Get("Message-Id"), h.Get("In-Reply-To"), h.Get("References"), tt)
		}
	}
}

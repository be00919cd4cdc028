package statement

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// ManualPrefix starts the id of a manual channel: manual:x, manual:linkedin, ...
const ManualPrefix = "manual:"

// Channel is a place a statement can be published.
type Channel struct {
	ID       string // a source id, or ManualPrefix + platform
	Name     string
	Platform respond.Platform
	// Publisher posts to the channel; nil for a manual channel, which a person publishes by hand.
	Publisher source.Publisher
}

// Manual reports whether a person publishes on the channel by hand.
func (c Channel) Manual() bool { return c.Publisher == nil }

// Channels lists the channels a statement can be published to. cmd/crisisdesk builds one from the
// configured sources that can publish.
type Channels interface {
	Channels(ctx context.Context) ([]Channel, error)
}

// ManualChannels is a manual channel for every platform in ps.
func ManualChannels(ps []respond.Platform) []Channel {
	out := make([]Channel, len(ps))
	for i, p := range ps {
		out[i] = Channel{ID: ManualPrefix + string(p), Name: string(p), Platform: p}
	}
	return out
}

// Result is what happened on one channel.
type Result struct {
	Channel     string
	Publication store.Publication
	// Repeated: the channel had been published, or is being published, before; nothing was posted now.
	Repeated bool
	Err      error
}

// Key is the idempotency key of publishing a version of a statement on a channel.
func Key(statementID, version int64, channel string) string {
	return "statement/" + strconv.FormatInt(statementID, 10) + "/v" + strconv.FormatInt(version, 10) + "/" + channel
}

// Publish posts the approved statement's variants to each channel in channelIDs that has a publisher,
// each as a thread where the variant has more than one part. A manual channel is skipped here: it is
// published with MarkPublished. It returns a result per channel; an error only when nothing could be
// tried. A statement already published can be published to more channels, or retried on failed ones.
func (s *Service) Publish(ctx context.Context, id int64, chs Channels, channelIDs []string, by Actor) ([]Result, error) {
	if len(channelIDs) == 0 {
		return nil, refuse("no_channels")
	}
	st, err := s.store.StatementByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("statement %d: publish: %w", id, err)
	}
	if st.State != StateApproved && st.State != StatePublished {
		return nil, refuse("not_approved")
	}
	all, err := chs.Channels(ctx)
	if err != nil {
		return nil, fmt.Errorf("statement %d: publish: channels: %w", id, err)
	}
	var todo []Channel
	for _, cid := range channelIDs {
		i := slices.IndexFunc(all, func(c Channel) bool { return c.ID == cid })
		if i < 0 {
			return nil, refuse("unknown_channel", cid)
		}
		if !all[i].Manual() {
			todo = append(todo, all[i])
		}
	}
	variants := Variants(st)
	audit, err := s.store.StatementAuditLog(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("statement %d: publish: %w", id, err)
	}
	at := approvedAt(st, audit)
	var out []Result
	published := 0
	for _, ch := range todo {
		if err := ctx.Err(); err != nil {
			return out, fmt.Errorf("statement %d: publish: %w", id, err)
		}
		r := s.publishOne(ctx, st, variants, ch, at, by)
		if r.Publication.Status == store.PublicationPublished && !r.Repeated {
			published++
		}
		out = append(out, r)
	}
	if published > 0 {
		if err := s.markState(ctx, id, by); err != nil {
			return out, err
		}
	}
	return out, nil
}

func (s *Service) publishOne(ctx context.Context, st store.Statement, variants []respond.Variant, ch Channel, at time.Time, by Actor) Result {
	r := Result{Channel: ch.ID}
	i := slices.IndexFunc(variants, func(v respond.Variant) bool { return v.Platform == ch.Platform })
	if i < 0 {
		r.Err = refuse("bad_platform", string(ch.Platform))
		return r
	}
	v := variants[i]
	p, claimed, err := s.store.BeginPublication(ctx, store.Publication{StatementID: st.ID, Version: st.Version,
		Channel: ch.ID, Platform: string(ch.Platform), Actor: by.Email, StartedAt: s.clk.Now()})
	if err != nil {
		r.Err = fmt.Errorf("statement %d: publish on %s: %w", st.ID, ch.ID, err)
		return r
	}
	if !claimed {
		r.Publication, r.Repeated = p, true
		return r
	}
	parts := make([]source.Statement, len(v.Parts))
	for k, t := range v.Parts {
		parts[k] = source.Statement{Text: t, Lang: st.Lang, CreatedAt: at}
	}
	// The attempt is bounded: when it runs out, the publisher's call is cancelled and the attempt is
	// recorded as failed below, so it can be retried; the retry posts under the same idempotency key.
	pctx, cancel := context.WithTimeout(ctx, s.cfg.PublishTimeout*time.Duration(len(parts)))
	got, perr := source.PublishThread(pctx, ch.Publisher, Key(st.ID, st.Version, ch.ID), parts)
	cancel()
	for _, g := range got {
		p.Links = append(p.Links, g.URL)
	}
	p.FinishedAt = s.clk.Now()
	p.Status = store.PublicationPublished
	if perr != nil {
		// The record and the API show the failure in words; the error itself, which can name internal
		// addresses or what answered there, goes only to the log.
		p.Status, p.Error = store.PublicationFailed, FailureMessage(perr, "en")
		s.logger.Warn("statement not published", "statement", st.ID, "channel", ch.ID, "err", perr)
	}
	// The outcome is written with a context that outlives a cancelled request: the post may be out.
	if err := s.store.FinishPublication(context.WithoutCancel(ctx), p); err != nil {
		r.Err = fmt.Errorf("statement %d: publish on %s: record outcome: %w", st.ID, ch.ID, err)
		return r
	}
	action := ActionPublished
	if perr != nil {
		action = ActionPublishFailed
		r.Err = fmt.Errorf("statement %d: publish on %s: %w", st.ID, ch.ID, perr)
	}
	s.posts.WithLabelValues(string(ch.Platform), p.Status).Inc()
	r.Publication = p
	kind := ""
	if perr == nil {
		kind = incident.EntryStatementPublished
	}
	if err := s.audit(ctx, st.ID, by, action, ch.ID+" "+strings.Join(p.Links, " "), kind, ch.Name); err != nil && r.Err == nil {
		r.Err = err
	}
	return r
}

// FailureMessage words the error of a publication attempt in lang (nl or en) for the people and API
// clients who see it. A refusal is its own message; a connection that was refused by the address
// guard, timed out or failed says only that; an answer of the platform (such as a refused password)
// is shown as it is.
func FailureMessage(err error, lang string) string {
	if e, ok := IsRefusal(err); ok {
		return e.Message(lang)
	}
	var ne net.Error
	var ue *url.Error
	switch {
	case errors.Is(err, source.ErrBlockedAddress):
		return (&Error{Code: "publish_blocked"}).Message(lang)
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return (&Error{Code: "publish_timeout"}).Message(lang)
	case errors.Is(err, context.Canceled):
		return (&Error{Code: "publish_cancelled"}).Message(lang)
	case errors.As(err, &ue):
		return (&Error{Code: "publish_unreachable"}).Message(lang)
	}
	return err.Error()
}

// approvedAt is when st's current version was approved: the time its posts carry. It must not change
// between attempts, because Bluesky derives a post's record key from it, so that a retry finds the post
// an earlier attempt made instead of making a second one.
func approvedAt(st store.Statement, audit []store.StatementAudit) time.Time {
	var at time.Time
	for _, e := range audit {
		if e.Version == st.Version && (e.Action == ActionApproved || e.Action == ActionLegalApproved) {
			at = e.At
		}
	}
	if at.IsZero() {
		return st.CreatedAt
	}
	return at
}

// MarkPublished records that a person published the approved statement by hand on a manual channel,
// at link.
func (s *Service) MarkPublished(ctx context.Context, id int64, channel, link string, by Actor) (store.Publication, error) {
	link = strings.TrimSpace(link)
	if link == "" {
		return store.Publication{}, refuse("empty_link")
	}
	st, err := s.store.StatementByID(ctx, id)
	if err != nil {
		return store.Publication{}, fmt.Errorf("statement %d: mark published: %w", id, err)
	}
	if st.State != StateApproved && st.State != StatePublished {
		return store.Publication{}, refuse("not_approved")
	}
	now := s.clk.Now()
	var p store.Publication
	platform, manual := strings.CutPrefix(channel, ManualPrefix)
	if manual {
		if _, err := respond.ParsePlatform(platform); err != nil {
			return store.Publication{}, refuse("bad_platform", platform)
		}
		var claimed bool
		p, claimed, err = s.store.BeginPublication(ctx, store.Publication{StatementID: id, Version: st.Version,
			Channel: channel, Platform: platform, Actor: by.Email, StartedAt: now})
		if err != nil {
			return store.Publication{}, fmt.Errorf("statement %d: mark published on %s: %w", id, channel, err)
		}
		if !claimed && p.Status == store.PublicationPublished {
			return p, nil
		}
	} else {
		// A source channel is marked by hand only when its attempt is pending: the post may have gone
		// out before a crash, and a person who found it on the platform records where.
		pubs, err := s.store.Publications(ctx, id)
		if err != nil {
			return store.Publication{}, fmt.Errorf("statement %d: mark published on %s: %w", id, channel, err)
		}
		i := slices.IndexFunc(pubs, func(q store.Publication) bool {
			return q.Version == st.Version && q.Channel == channel && q.Status == store.PublicationPending
		})
		if i < 0 {
			return store.Publication{}, refuse("unknown_channel", channel)
		}
		p, platform = pubs[i], pubs[i].Platform
	}
	p.Status, p.Links, p.FinishedAt, p.Actor = store.PublicationPublished, []string{link}, now, by.Email
	if err := s.store.FinishPublication(ctx, p); err != nil {
		return store.Publication{}, fmt.Errorf("statement %d: mark published on %s: %w", id, channel, err)
	}
	s.posts.WithLabelValues(platform, "manual").Inc()
	if err := errors.Join(s.audit(ctx, id, by, ActionPublished, channel+" "+link, incident.EntryStatementPublished, platform),
		s.markState(ctx, id, by)); err != nil {
		return p, err
	}
	return p, nil
}

// markState moves an approved statement to published, retrying when another step saved it meanwhile.
func (s *Service) markState(ctx context.Context, id int64, by Actor) error {
	for range 5 {
		st, err := s.store.StatementByID(ctx, id)
		if err != nil {
			return fmt.Errorf("statement %d: mark published: %w", id, err)
		}
		if st.State == StatePublished {
			return nil
		}
		st.State, st.UpdatedAt = StatePublished, s.clk.Now()
		err = s.store.SaveStatement(ctx, store.StatementChange{Statement: &st})
		if !errors.Is(err, store.ErrConflict) {
			if err != nil {
				return fmt.Errorf("statement %d: mark published: %w", id, err)
			}
			return nil
		}
	}
	return fmt.Errorf("statement %d: mark published: %w", id, store.ErrConflict)
}

// audit appends an entry to the statement's audit log without changing the statement, and, when kind
// is set, the timeline entry of that kind on channel in the same transaction.
func (s *Service) audit(ctx context.Context, id int64, by Actor, action, comment, kind, channel string) error {
	for range 5 {
		st, err := s.store.StatementByID(ctx, id)
		if err != nil {
			return fmt.Errorf("statement %d: audit %s: %w", id, action, err)
		}
		now := s.clk.Now()
		err = s.save(ctx, store.StatementChange{Statement: &st,
			Audit: &store.StatementAudit{At: now, Actor: by.Email, Action: action, Version: st.Version, Comment: comment}},
			false, kind, by.Email, channel, now)
		if !errors.Is(err, store.ErrConflict) {
			if err != nil {
				return fmt.Errorf("statement %d: audit %s: %w", id, action, err)
			}
			return nil
		}
	}
	return fmt.Errorf("statement %d: audit %s: %w", id, action, store.ErrConflict)
}

package x

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"

	"github.com/crisisdesk/crisisdesk/internal/query"
)

// Rule is one filtered-stream rule. crisisdesk tags each rule with the id of the monitor it came from.
type Rule struct {
	ID    string `json:"id,omitempty"`
	Value string `json:"value"`
	Tag   string `json:"tag,omitempty"`
}

// RulesPath is the endpoint of the filtered stream's rules.
const RulesPath = "/2/tweets/search/stream/rules"

// RulesFromMonitors translates each monitor into a rule tagged with the monitor's id. Monitors X cannot
// express are left out and returned in refused, keyed by monitor id, so the UI can say why.
func RulesFromMonitors(monitors []query.Monitor, maxLen int) (rules []Rule, refused map[string]*TranslateError) {
	refused = make(map[string]*TranslateError)
	for _, m := range monitors {
		v, err := Translate(m.Query, maxLen)
		var te *TranslateError
		if errors.As(err, &te) {
			refused[m.ID] = te
			continue
		}
		rules = append(rules, Rule{Value: v, Tag: m.ID})
	}
	return rules, refused
}

// Rules lists the stream's current rules.
func (c *Client) Rules(ctx context.Context) ([]Rule, error) {
	var out struct {
		Data []Rule `json:"data"`
	}
	if err := c.getJSON(ctx, "list rules", RulesPath, nil, &out); err != nil {
		return nil, err
	}
	return out.Data, nil
}

// RulesError is a rules change that X refused in part: the rules in Problems were not created.
type RulesError struct{ Problems []Problem }

func (e *RulesError) Error() string {
	s := fmt.Sprintf("x: %d rules refused", len(e.Problems))
	for _, p := range e.Problems {
		s += "; " + p.String()
	}
	return s
}

// rulesAnswer is the answer to a POST on the rules endpoint.
type rulesAnswer struct {
	Data []Rule `json:"data"`
	Meta struct {
		Summary struct {
			Created    int `json:"created"`
			NotCreated int `json:"not_created"`
			Deleted    int `json:"deleted"`
			NotDeleted int `json:"not_deleted"`
		} `json:"summary"`
	} `json:"meta"`
	Errors []Problem `json:"errors"`
}

func rulesQuery(dryRun bool) url.Values {
	if !dryRun {
		return nil
	}
	return url.Values{"dry_run": {"true"}}
}

// AddRules adds rules and returns them with the ids X gave them. With dryRun, X only validates them. If
// some are refused, the created ones are returned along with a *RulesError.
func (c *Client) AddRules(ctx context.Context, rules []Rule, dryRun bool) ([]Rule, error) {
	if len(rules) == 0 {
		return nil, nil
	}
	add := make([]Rule, len(rules))
	for i, r := range rules {
		add[i] = Rule{Value: r.Value, Tag: r.Tag}
	}
	var out rulesAnswer
	err := c.doJSON(ctx, "add rules", "POST", RulesPath, rulesQuery(dryRun), map[string]any{"add": add}, &out)
	if err != nil {
		return nil, err
	}
	if len(out.Errors) > 0 {
		return out.Data, &RulesError{Problems: out.Errors}
	}
	return out.Data, nil
}

// DeleteRules deletes rules by id. With dryRun, X only checks that they exist.
func (c *Client) DeleteRules(ctx context.Context, ids []string, dryRun bool) error {
	if len(ids) == 0 {
		return nil
	}
	var out rulesAnswer
	body := map[string]any{"delete": map[string]any{"ids": ids}}
	if err := c.doJSON(ctx, "delete rules", "POST", RulesPath, rulesQuery(dryRun), body, &out); err != nil {
		return err
	}
	if len(out.Errors) > 0 {
		return &RulesError{Problems: out.Errors}
	}
	return nil
}

// SyncResult says what SyncRules changed, or would change with dryRun.
type SyncResult struct {
	Added   []Rule
	Deleted []Rule
	Kept    []Rule
}

// SyncRules makes the stream's rules equal to want, matching by value and tag: rules that are no longer
// wanted are deleted first, which frees room under the plan's rule cap, then missing ones are added.
// Rules already there are kept untouched, so the stream does not miss posts while they are replaced.
func (c *Client) SyncRules(ctx context.Context, want []Rule, dryRun bool) (SyncResult, error) {
	have, err := c.Rules(ctx)
	if err != nil {
		return SyncResult{}, err
	}
	var res SyncResult
	same := func(a, b Rule) bool { return a.Value == b.Value && a.Tag == b.Tag }
	var del []string
	for _, h := range have {
		if slices.ContainsFunc(want, func(w Rule) bool { return same(w, h) }) {
			res.Kept = append(res.Kept, h)
		} else {
			res.Deleted = append(res.Deleted, h)
			del = append(del, h.ID)
		}
	}
	var add []Rule
	for _, w := range want {
		if !slices.ContainsFunc(have, func(h Rule) bool { return same(w, h) }) &&
			!slices.ContainsFunc(add, func(a Rule) bool { return same(w, a) }) {
			add = append(add, w)
		}
	}
	if err := c.DeleteRules(ctx, del, dryRun); err != nil {
		return res, err
	}
	res.Added, err = c.AddRules(ctx, add, dryRun)
	return res, err
}

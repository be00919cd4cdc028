package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source/supervisor"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// planSources is what a plan import did to the sources, for its report on stdout.
type planSources struct {
	Created   []string `json:"created"`
	Updated   []string `json:"updated"`
	Deleted   []string `json:"deleted"`
	Unchanged []string `json:"unchanged"`
	NeedToken []string `json:"need_token,omitempty"`
}

func specsOf(srcs []plan.Source) []supervisor.Spec {
	out := make([]supervisor.Spec, len(srcs))
	for i, s := range srcs {
		out[i] = supervisor.Spec{ID: s.ID, Kind: s.Kind, Name: s.Name, Enabled: s.Enabled, Settings: supervisor.Settings{
			URL: s.URL, Langs: s.Langs, Stream: s.Stream, Hashtag: s.Hashtag, Interval: s.Interval,
			SyncRules: s.SyncRules, Engagement: s.Engagement}}
	}
	return out
}

func planSourcesOf(specs []supervisor.Spec) []plan.Source {
	out := make([]plan.Source, len(specs))
	for i, s := range specs {
		out[i] = plan.Source{ID: s.ID, Kind: s.Kind, Name: s.Name, Enabled: s.Enabled, URL: s.Settings.URL, Langs: s.Settings.Langs,
			Stream: s.Settings.Stream, Hashtag: s.Settings.Hashtag, Interval: s.Settings.Interval,
			SyncRules: s.Settings.SyncRules, Engagement: s.Settings.Engagement}
	}
	return out
}

// sourceManager is the manager a plan command changes sources through: no supervisor runs in this
// process; a running serve follows within its sync interval.
func sourceManager(c *cli, st store.Store) (*supervisor.Manager, error) {
	key, err := loadSecretKey(c.cfg, c.logger)
	if err != nil {
		return nil, err
	}
	box, err := secret.NewBox(key)
	if err != nil {
		return nil, err
	}
	allow, err := parseBool("SOURCES_ALLOW_PRIVATE", c.env.get("SOURCES_ALLOW_PRIVATE"))
	if err != nil {
		return nil, err
	}
	m, err := supervisor.NewManager(st, box, nil, clock.Real{})
	if err != nil {
		return nil, err
	}
	m.AllowPrivate(allow)
	return m, nil
}

// checkPlanSources refuses a plan whose sources the manager would refuse, before anything is stored,
// one line per problem as FILE: sources[i] (id): message. A source the plan omits while it holds a
// token entered in the web app is refused too, unless opts allow deleting it.
func checkPlanSources(ctx context.Context, c *cli, m *supervisor.Manager, name string, p *plan.Plan, opts supervisor.ApplyOptions, lang string) bool {
	if p.Sources == nil {
		return true
	}
	err := m.CheckAll(ctx, specsOf(p.Sources), opts)
	if err == nil {
		return true
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var se *supervisor.SpecError
		var ce *supervisor.CredentialsError
		switch {
		case errors.As(e, &se):
			fmt.Fprintf(c.stderr, "%s: sources[%d] (%s): %v\n", name, se.Index, se.ID, se.Err)
		case errors.As(e, &ce):
			fmt.Fprintf(c.stderr, "%s: sources: %s\n", name, keptSourceMessage(ce, lang))
		default:
			fmt.Fprintf(c.stderr, "%s: sources: %v\n", name, e)
		}
	}
	return false
}

// keptSourceMessage says why a plan that omits a source with a stored token is refused, and what to
// do about it.
func keptSourceMessage(ce *supervisor.CredentialsError, lang string) string {
	if lang == "nl" {
		return fmt.Sprintf("bron %q (%s) staat niet in het plan, maar heeft een opgeslagen token of geheim; verwijderen zou dat voorgoed wissen. "+
			"Neem de bron op in het plan (exporteer het plan om hem te zien), of importeer met --delete-sources om hem toch te verwijderen.", ce.ID, ce.Name)
	}
	return fmt.Sprintf("source %q (%s) is not in the plan but holds a stored token or secret; deleting it would destroy that for good. "+
		"Keep the source in the plan (export the plan to see it), or import with --delete-sources to delete it anyway.", ce.ID, ce.Name)
}

// applyPlanSources makes the configured sources those of the stored plan p, when it names any. The
// changes are stored in one transaction, so a failure leaves the sources as they were.
func applyPlanSources(ctx context.Context, m *supervisor.Manager, p *plan.Plan, opts supervisor.ApplyOptions) (*planSources, error) {
	if p.Sources == nil {
		return nil, nil
	}
	res, err := m.ApplyAll(ctx, specsOf(p.Sources), opts)
	if err != nil {
		return nil, fmt.Errorf("plan stored, but its sources were not applied: %w", err)
	}
	return &planSources{Created: res.Created, Updated: res.Updated, Deleted: res.Deleted, Unchanged: res.Unchanged, NeedToken: res.NeedToken}, nil
}

// exportSources puts the configured sources into the plan document src, so the export shows them as
// they are now, changed in the web app or not. A plan that never named sources, in an installation
// without any, is written as it is.
func exportSources(ctx context.Context, st store.Store, src []byte) ([]byte, error) {
	srcs, err := st.Sources(ctx)
	if err != nil {
		return nil, err
	}
	p, err := plan.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("export plan: the stored plan does not parse: %w", err)
	}
	if len(srcs) == 0 && p.Sources == nil {
		return src, nil
	}
	specs := make([]supervisor.Spec, 0, len(srcs))
	for _, s := range srcs {
		set, err := supervisor.ParseSettings(s.Settings)
		if err != nil {
			return nil, fmt.Errorf("export plan: source %q: %w", s.ID, err)
		}
		specs = append(specs, supervisor.Spec{ID: s.ID, Kind: s.Kind, Name: s.Name, Enabled: s.Enabled, Settings: set})
	}
	var list []plan.Source
	if len(specs) > 0 {
		list = planSourcesOf(specs)
	}
	return plan.WithSources(src, list)
}

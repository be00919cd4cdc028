package main

import (
	"log/slog"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/source/bluesky"
)

// newProfiles returns what fills in Bluesky authors before posts are stored: their handles and
// follower counts from the AppView at appView (the public one when empty), or nil when appView is
// "off". It dials through the same address guard as the sources.
func newProfiles(appView string, allowPrivate bool, clk clock.Clock, logger *slog.Logger) (ingest.Enricher, error) {
	if strings.EqualFold(appView, "off") {
		return nil, nil
	}
	pr, err := bluesky.NewProfiles(bluesky.ProfilesConfig{URL: appView, HTTPClient: source.Guard{AllowPrivate: allowPrivate}.HTTPClient(),
		Clock: clk, Logger: logger})
	if err != nil {
		return nil, err
	}
	return pr, nil
}

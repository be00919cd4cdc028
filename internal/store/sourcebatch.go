package store

import "context"

// SourceChanges is a whole list of source changes that must be stored together or not at all, as a
// plan import makes them.
type SourceChanges struct {
	// Create are new sources; an existing ID is ErrAlreadyExists.
	Create []Source
	// Update writes the name, settings, enabled flag and updated_at of existing sources. Their
	// credentials are left as stored, so a token entered in the web app in the meantime survives.
	Update []Source
	// Delete removes sources and their resume cursors.
	Delete []string
}

// SourceBatches stores a SourceChanges in one transaction (sourcebatch.go in each store).
type SourceBatches interface {
	// ApplySources stores every change in ch or none: the first that fails (an unknown id is
	// ErrNotFound, a taken one ErrAlreadyExists) rolls all of them back.
	ApplySources(ctx context.Context, ch SourceChanges) error
}

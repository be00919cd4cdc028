package store

import "context"

// PostKey names a stored post: posts are idempotent by (platform, id).
type PostKey struct {
	Platform string
	ID       string
}

// MaxPostKeys bounds one PostsByKeys call.
const MaxPostKeys = 500

// PostLookup reads stored posts by key, so an alert's explanation, which names its top posts, can show
// what they said, who wrote them and where they are (postlookup.go in each store).
type PostLookup interface {
	// PostsByKeys returns the stored posts named by keys with their analysis and monitors, in the
	// order of keys. Keys of posts that are not stored are left out, and a key named twice is returned
	// once. More than MaxPostKeys keys is an error.
	PostsByKeys(ctx context.Context, keys []PostKey) ([]StoredPost, error)
}

package detect

// platformOf is the platform of a tracked post: the one it was last spread on, or, for a post whose
// metrics grew without a reference to it, the one it was seen on among the recent posts.
func (m *monitor) platformOf(id string, v *viral) string {
	if v.platform != "" {
		return v.platform
	}
	for i := range min(m.refNext, refLen) {
		if m.refs[i].ID == id {
			return m.refs[i].Platform
		}
	}
	return ""
}

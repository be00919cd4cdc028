package auth

import "testing"

func TestCan(t *testing.T) {
	tests := []struct {
		role Role
		perm Permission
		want bool
	}{
		{Viewer, ReadPosts, true},
		{Viewer, IngestPosts, false},
		{Viewer, ManageTokens, false},
		{Viewer, ManageUsers, false},
		{Responder, ReadPosts, true},
		{Responder, IngestPosts, true},
		{Responder, ManageTokens, true},
		{Responder, ManageUsers, false},
		{Admin, ReadPosts, true},
		{Admin, IngestPosts, true},
		{Admin, ManageTokens, true},
		{Admin, ManageUsers, true},
		{Viewer, ManageMonitors, false},
		{Responder, ManageMonitors, true},
		{Responder, ManageSettings, false},
		{Viewer, HandleAlerts, false},
		{Responder, HandleAlerts, true},
		{Viewer, ManageSources, false},
		{Responder, ManageSources, true},
		{Admin, ManageSources, true},
		{Admin, ManageSettings, true},
		{Role("root"), ReadPosts, false},
		{Role(""), ReadPosts, false},
		{Admin, Permission("launch_rockets"), false},
	}
	for _, tt := range tests {
		if got := Can(tt.role, tt.perm); got != tt.want {
			t.Errorf("Can(%q, %q) = %v, want %v", tt.role, tt.perm, got, tt.want)
		}
	}
}

func TestRoleOrder(t *testing.T) {
	tests := []struct {
		r, min Role
		want   bool
	}{
		{Viewer, Viewer, true},
		{Viewer, Responder, false},
		{Responder, Viewer, true},
		{Admin, Responder, true},
		{Responder, Admin, false},
		{Role("x"), Viewer, false},
		{Admin, Role("x"), false},
	}
	for _, tt := range tests {
		if got := tt.r.AtLeast(tt.min); got != tt.want {
			t.Errorf("%q.AtLeast(%q) = %v, want %v", tt.r, tt.min, got, tt.want)
		}
	}
}

func TestParseRole(t *testing.T) {
	for _, s := range []string{"viewer", "responder", "admin"} {
		if r, err := ParseRole(s); err != nil || string(r) != s {
			t.Errorf("ParseRole(%q) = %q, %v", s, r, err)
		}
	}
	for _, s := range []string{"", "Admin", "root", " viewer"} {
		if _, err := ParseRole(s); err == nil {
			t.Errorf("ParseRole(%q) succeeded", s)
		}
	}
}

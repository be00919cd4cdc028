package statement

import "testing"

func TestExcerpt(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"Short.", 80, "Short."},
		{"  spaces\n and\tlines  ", 80, "spaces and lines"},
		{"We know there is a fault in online banking", 20, "We know there is a…"},
		{"Ééééééééééééééééééééééé", 5, "Ééééé…"},
	}
	for _, tt := range tests {
		if got := excerpt(tt.in, tt.n); got != tt.want {
			t.Errorf("excerpt(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

package cli

import "testing"

func TestRejectsNumbered(t *testing.T) {
	for _, c := range []struct {
		path string
		n    int
		want string
	}{
		{"rejects.csv", 1, "rejects.csv"},
		{"rejects.csv", 2, "rejects-2.csv"},
		{"out/rejects.csv", 3, "out/rejects-3.csv"},
		{"rejects", 2, "rejects-2"},
		{"r.csv.gz", 2, "r-2.csv.gz"},
		{"dir.v1/rejects", 2, "dir.v1/rejects-2"},
		{".rejects", 2, ".rejects-2"},
	} {
		if got := numbered(c.path, c.n); got != c.want {
			t.Errorf("numbered(%q, %d) = %q, want %q", c.path, c.n, got, c.want)
		}
	}
}

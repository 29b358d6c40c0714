package dateformat

import (
	"testing"

	"github.com/llamashare/llamashare/pkg/period"
)

func TestParse(t *testing.T) {
	tests := []struct {
		layout, in, want, err string
	}{
		{"MM/DD/YYYY", "03/15/2025", "2025-03-15", ""},
		{"MM/DD/YYYY", "3/15/2025", "", `invalid date "3/15/2025" (want MM/DD/YYYY)`},
		{"MM/DD/YYYY", "03/15/2025 ", "", `invalid date "03/15/2025 " (want MM/DD/YYYY)`},
		{"M/D/YYYY", "3/5/2025", "2025-03-05", ""},
		{"M/D/YYYY", "12/25/2025", "2025-12-25", ""},
		{"M/D/YYYY", "123/5/2025", "", `invalid date "123/5/2025" (want M/D/YYYY)`},
		{"DD.MM.YYYY", "29.02.2024", "2024-02-29", ""},
		{"DD.MM.YYYY", "29.02.2025", "", `invalid date "29.02.2025" (want DD.MM.YYYY)`},
		{"DD.MM.YYYY", "00.02.2025", "", `invalid date "00.02.2025" (want DD.MM.YYYY)`},
		{"YYYYMMDD", "20250102", "2025-01-02", ""},
		{"D MMM YYYY", "7 DEC 2025", "2025-12-07", ""},
		{"D MMM YYYY", "7 Dez 2025", "", `invalid date "7 Dez 2025" (want D MMM YYYY)`},
		{"MMM D, YYYY", "Sep 3, 2026", "2026-09-03", ""},
		{"MMM D, YYYY", "Sep 3, 26", "", `invalid date "Sep 3, 26" (want MMM D, YYYY)`},
	}
	for _, tt := range tests {
		l, err := Compile(tt.layout)
		if err != nil {
			t.Fatalf("%s: %v", tt.layout, err)
		}
		got, err := l.Parse(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s %q: error %v, want %q", tt.layout, tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || period.FormatDate(got) != tt.want {
			t.Errorf("%s %q = %v, %v; want %s", tt.layout, tt.in, got, err, tt.want)
		}
	}
	for layout, want := range map[string]string{
		"YY-MM-DD":    `invalid date_format "YY-MM-DD": it has an unknown token "YY" (tokens: YYYY MM DD M D MMM)`,
		"MMMM D":      `invalid date_format "MMMM D": it has more than one month`,
		"YYYY-MM":     `invalid date_format "YYYY-MM": it has no day (DD or D)`,
		"YYYY-MM-MM":  `invalid date_format "YYYY-MM-MM": it has more than one month`,
		"MDYYYY":      `invalid date_format "MDYYYY": it needs a separator between M and D`,
		"YYYYMD":      `invalid date_format "YYYYMD": it needs a separator between YYYY and M`,
		"YYYY-MM-DDT": `invalid date_format "YYYY-MM-DDT": it has an unknown token "T" (tokens: YYYY MM DD M D MMM)`,
	} {
		if _, err := Compile(layout); err == nil || err.Error() != want {
			t.Errorf("%s: error %v, want %q", layout, err, want)
		}
	}
}

func TestCheck(t *testing.T) {
	for s, want := range map[string]string{
		"YYYY-MM-DD":  "",
		"MM/DD/YYYY":  "",
		"D.M.YYYY":    "",
		"MMM D, YYYY": "",
		"YYYYMMDD":    "",
		"DMMMYYYY":    "",
		"YYYY-MM":     "has no day (DD or D)",
		"MM/DD":       "has no year (YYYY)",
		"YYYY-DD":     "has no month (MM, M or MMM)",
		"YYYY-MMMM-D": "has more than one month",
		"YYYY-MM-DDT": `has an unknown token "T" (tokens: YYYY MM DD M D MMM)`,
		"YYYYMD":      "needs a separator between YYYY and M",
		"YYYY-MD":     "needs a separator between M and D",
		"MDDYYYY":     "needs a separator between M and DD",
	} {
		if got := Check(s); got != want {
			t.Errorf("Check(%q) = %q, want %q", s, got, want)
		}
	}
}

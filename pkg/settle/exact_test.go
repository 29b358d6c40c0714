package settle

import "testing"

// TestExactAtTheEdges settles 41-digit amounts, one grouped and quoted, at
// a rate of 0.0000001%, through the reader's fast path (which hands such
// amounts to the general parser): every digit survives.
func TestExactAtTheEdges(t *testing.T) {
	ag := head + `      - from: 2025-01-01
        rates: [{rate: 0.0000001%}]
`
	csv := "date,host,product,gross\n" +
		"2025-01-05,h,a,12345678901234567890123456789012345678901.25\n" +
		"2025-01-06,h,a,\"1,000,000,000,000,000,000,000,000,000,000,000,000,000.75\"\n"
	res := run(t, ag, "", csv)
	s := res.Settlements[0]
	// 13345678901234567890123456789012345678902.00 × 10^-9
	// = 13345678901234567890123456789012.345678902, half-up to the cent.
	if got := s.Gross.StringFixed(2); got != "13345678901234567890123456789012345678902.00" {
		t.Errorf("gross %s", got)
	}
	if got := s.Share.StringFixed(2); got != "13345678901234567890123456789012.35" {
		t.Errorf("share %s", got)
	}
	if got := s.Payable.StringFixed(2); got != "13345678901234567890123456789012.35" {
		t.Errorf("payable %s", got)
	}
}

package agreement

import (
	"strings"
	"testing"
)

// TestHostileRefused: what YAML allows but an agreement must not carry is
// refused with its position (issue 13 item 13): tags, which would change
// how a value is read, and partner product ids that collide once case and
// spaces are ignored (the rename would depend on key order).
func TestHostileRefused(t *testing.T) {
	formats := func(products string) string {
		return valid + `formats:
  p:
    host: aws
    columns: {date: d, product: p, gross: g}
    products: ` + products + "\n"
	}
	tests := []struct{ name, in, want string }{
		{"core tag on an amount", strings.Replace(valid, "12.5%", "!!float 12.5", 1),
			"agreement.yaml:9:19: yaml tags are not supported (!!float): write the value without it"},
		{"local tag", strings.Replace(valid, "currency: USD", "currency: !foo USD", 1),
			"agreement.yaml:2:11: yaml tags are not supported (!foo): write the value without it"},
		{"tag on a mapping", strings.Replace(valid, "  aws:\n", "  aws: !!map\n", 1),
			"agreement.yaml:5:8: yaml tags are not supported (!!map): write the value without it"},
		{"renames colliding by case", formats("{a: bbb, A: ccc}"),
			`agreement.yaml:14:24: partner product id "A" is the same as "a" (line 14) when case and spaces are ignored`},
		{"renames colliding by spaces", formats(`{"Llama ": bbb, llama: bbb}`),
			`agreement.yaml:14:31: partner product id "llama" is the same as "Llama " (line 14) when case and spaces are ignored`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Decode("agreement.yaml", []byte(tt.in))
			if err == nil || a != nil {
				t.Fatalf("accepted; want %s", tt.want)
			}
			if got := err.Error(); !strings.Contains(got, tt.want) {
				t.Errorf("got\n%s\nwant a line\n%s", got, tt.want)
			}
		})
	}
	// Distinct ids still decode.
	if _, err := Decode("agreement.yaml", []byte(formats("{a: bbb, b: ccc}"))); err != nil {
		t.Fatal(err)
	}
}

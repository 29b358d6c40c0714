package report

import "strconv"

// appendLine appends l as WriteJSON's json.Encoder writes it indented
// under prefix, without the final newline: the share lines are most of a
// large document, and encoding/json's reflection and re-indenting were a
// fifth of a 100k-product run. ok is false when a string of l is not
// plain printable ASCII without quotes or backslashes (which encoding/json
// would escape); the caller then encodes l with encoding/json.
func appendLine(b []byte, l *Line, prefix string) ([]byte, bool) {
	for _, s := range [...]string{l.Rule, l.Product, l.Basis, l.Units, l.Share} {
		if !plainJSON(s) {
			return b, false
		}
	}
	for _, s := range [...]*string{l.Rate, l.Price, l.Per} {
		if s != nil && !plainJSON(*s) {
			return b, false
		}
	}
	in := prefix + "  "
	str := func(key, v string, last bool) {
		b = append(b, in...)
		b = append(b, '"')
		b = append(b, key...)
		b = append(b, `": "`...)
		b = append(b, v...)
		b = append(b, '"')
		if !last {
			b = append(b, ',')
		}
		b = append(b, '\n')
	}
	opt := func(key string, v *string) {
		if v == nil {
			b = append(b, in...)
			b = append(b, '"')
			b = append(b, key...)
			b = append(b, "\": null,\n"...)
			return
		}
		str(key, *v, false)
	}
	b = append(b, "{\n"...)
	str("rule", l.Rule, false)
	str("product", l.Product, false)
	b = append(b, in...)
	b = append(b, `"band": `...)
	if l.Band == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(*l.Band), 10)
	}
	b = append(b, ",\n"...)
	str("basis", l.Basis, false)
	str("units", l.Units, false)
	opt("rate", l.Rate)
	opt("price", l.Price)
	opt("per", l.Per)
	str("share", l.Share, true)
	b = append(b, prefix...)
	b = append(b, '}')
	return b, true
}

// plainJSON reports whether encoding/json writes s between quotes as is.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

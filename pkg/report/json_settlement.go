package report

// appendSettlementHead appends s, indented under prefix as json.Encoder
// writes it, up to and with the `"lines": [` that its share lines follow
// (s.Lines is not written): a document of 1000 hosts has 4000
// settlements, and encoding/json's reflection and re-indenting were most
// of their writing. ok is false when a string of s is not plain
// printable ASCII (json.Encoder would escape it) or a slice is nil; the
// caller then encodes s with encoding/json.
func appendSettlementHead(b []byte, s *Settlement, prefix string) ([]byte, bool) {
	plain := true
	check := func(v string) string {
		if !plainJSON(v) {
			plain = false
		}
		return v
	}
	in := prefix + "  "
	str := func(b []byte, in, key, v string) []byte {
		b = append(b, in...)
		b = append(b, '"')
		b = append(b, key...)
		b = append(b, `": "`...)
		b = append(b, check(v)...)
		return append(b, "\",\n"...)
	}
	opt := func(b []byte, in, key string, v *string) []byte {
		if v == nil {
			b = append(b, in...)
			b = append(b, '"')
			b = append(b, key...)
			return append(b, "\": null,\n"...)
		}
		return str(b, in, key, *v)
	}
	if s.Currencies == nil || (s.Adjustments != nil && *s.Adjustments == nil) {
		return b, false
	}
	b = append(b, "{\n"...)
	for _, f := range [...]struct{ k, v string }{
		{"host", s.Host}, {"host_name", s.HostName}, {"period", s.Period},
		{"period_start", s.PeriodStart}, {"period_end", s.PeriodEnd}, {"currency", s.Currency},
		{"gross", s.Gross}, {"refunds", s.Refunds}, {"taxes", s.Taxes}, {"fees", s.Fees},
		{"credits", s.Credits}, {"basis", s.Basis}, {"share", s.Share},
		{"minimum_topup", s.MinimumTopup}, {"cap_reduction", s.CapReduction},
		{"advance_recouped", s.AdvanceRecouped}, {"advance_remaining", s.AdvanceRemaining},
		{"carried_in", s.CarriedIn}, {"carried_out", s.CarriedOut},
	} {
		b = str(b, in, f.k, f.v)
	}
	if s.PriorAdjustments != nil {
		b = str(b, in, "prior_adjustments", *s.PriorAdjustments)
	}
	b = str(b, in, "payable", s.Payable)
	b = opt(b, in, "due_date", s.DueDate)
	if s.Adjustments != nil {
		b = appendArray(b, in, "adjustments", len(*s.Adjustments), func(b []byte, in string, i int) []byte {
			a := &(*s.Adjustments)[i]
			b = str(b, in, "period", a.Period)
			b = str(b, in, "settled", a.Settled)
			b = str(b, in, "restated", a.Restated)
			return lastField(str(b, in, "adjustment", a.Adjustment))
		})
	}
	b = appendArray(b, in, "currencies", len(s.Currencies), func(b []byte, in string, i int) []byte {
		c := &s.Currencies[i]
		b = str(b, in, "currency", c.Currency)
		b = str(b, in, "gross", c.Gross)
		b = str(b, in, "basis", c.Basis)
		b = str(b, in, "converted_gross", c.ConvertedGross)
		b = str(b, in, "converted_basis", c.ConvertedBasis)
		return lastField(opt(b, in, "rate", c.Rate))
	})
	b = append(b, in...)
	b = append(b, `"lines": [`...)
	return b, plain
}

// appendArray appends an array field of n objects (each made by obj,
// its fields indented under the in it is given) and its comma.
func appendArray(b []byte, in, key string, n int, obj func(b []byte, in string, i int) []byte) []byte {
	b = append(b, in...)
	b = append(b, '"')
	b = append(b, key...)
	b = append(b, `": [`...)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		b = append(b, in...)
		b = append(b, "  {\n"...)
		b = obj(b, in+"    ", i)
		b = append(b, in...)
		b = append(b, "  }"...)
	}
	if n > 0 {
		b = append(b, '\n')
		b = append(b, in...)
	}
	return append(b, "],\n"...)
}

// lastField drops the comma after an object's last field.
func lastField(b []byte) []byte {
	return append(b[:len(b)-2], '\n')
}

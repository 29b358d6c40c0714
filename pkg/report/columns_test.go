package report

import (
	"reflect"
	"strings"
	"testing"
)

// TestSettlementFieldsFollowJSON holds the column model to the JSON
// document: the same scalar keys in the same order (SPEC 6), so CSV,
// Excel and the tables lay out what the JSON says.
func TestSettlementFieldsFollowJSON(t *testing.T) {
	var keys []string
	st := reflect.TypeOf(Settlement{})
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		switch f.Type.Kind() {
		case reflect.Slice, reflect.Struct:
			continue // lines, currencies: not scalar
		}
		if strings.HasSuffix(f.Tag.Get("json"), ",omitempty") {
			continue // prior_adjustments, adjustments: ledger runs only (SPEC 9)
		}
		keys = append(keys, strings.Split(f.Tag.Get("json"), ",")[0])
	}
	var got []string
	for _, f := range settlementFields {
		got = append(got, f.key)
	}
	if !reflect.DeepEqual(got, keys) {
		t.Errorf("settlementFields keys\n%v\nwant the JSON's scalar keys\n%v", got, keys)
	}
	// Sample a settlement whose fields all differ: each getter reads its own.
	s := Settlement{}
	v := reflect.ValueOf(&s).Elem()
	for i := 0; i < v.NumField(); i++ {
		switch fv := v.Field(i); fv.Kind() {
		case reflect.String:
			fv.SetString("v" + st.Field(i).Name)
		case reflect.Pointer:
			if fv.Type().Elem().Kind() == reflect.String {
				x := "v" + st.Field(i).Name
				fv.Set(reflect.ValueOf(&x))
			}
		}
	}
	for i, f := range settlementFields {
		field, _ := st.FieldByNameFunc(func(n string) bool {
			sf, _ := st.FieldByName(n)
			return strings.Split(sf.Tag.Get("json"), ",")[0] == f.key
		})
		if got := fieldRow(settlementFields, &s)[i]; got != "v"+field.Name {
			t.Errorf("%s reads %q, want %q", f.key, got, "v"+field.Name)
		}
	}
}

package agreement

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/invopop/jsonschema"
)

// The types below mirror the agreement file's shape for `llamashare
// schema` only: decoding goes through yaml.Node (decode.go), which keeps
// amounts exact and positions on every error. TestSchemaTypesMatchDecoder
// checks that each type's keys and enumerated values are the decoder's
// (keys.go), and the schema test validates every example agreement against
// the result, so the two cannot drift apart unnoticed.

// amount is written as a number or a string of digits: 1000000,
// "1000000.10", 10_000_000.
type amount struct{}

// percent is written as a percentage string: "12.5%".
type percent struct{}

// date is written as YYYY-MM-DD.
type date struct{}

// text is free text (a name, an alias, a column header): the decoder reads
// any scalar as written, so `name: 2025` is the text 2025, as a YAML
// editor's plain number or true/false would be.
type text string

type fileAgreement struct {
	Schema   string                `yaml:"schema" jsonschema:"required,enum=llamashare/v1,description=Format version of the agreement file"`
	Name     text                  `yaml:"name,omitempty" jsonschema:"description=Printed on statements"`
	Licensor text                  `yaml:"licensor,omitempty" jsonschema:"description=Printed on statements"`
	Currency string                `yaml:"currency" jsonschema:"required,pattern=^[A-Z]{3}$,description=Settlement currency (ISO 4217)"`
	Period   string                `yaml:"period" jsonschema:"required,enum=month,enum=quarter,enum=year"`
	Rounding *fileRounding         `yaml:"rounding,omitempty"`
	FX       *fileFX               `yaml:"fx,omitempty"`
	Hosts    map[string]fileHost   `yaml:"hosts" jsonschema:"required,description=Hosts by id (lowercase letters\\, digits and -)"`
	Formats  map[string]fileFormat `yaml:"formats,omitempty" jsonschema:"description=Partner report layouts by name"`
}

type fileRounding struct {
	Mode  string `yaml:"mode,omitempty" jsonschema:"enum=half-up,enum=half-even,enum=down,enum=up,default=half-up"`
	Scale *int   `yaml:"scale,omitempty" jsonschema:"minimum=0,maximum=20,description=Default: the currency's minor unit"`
}

type fileFX struct {
	Rates  text   `yaml:"rates" jsonschema:"required,description=CSV with columns date\\,currency\\,rate; relative to the agreement file"`
	Method string `yaml:"method,omitempty" jsonschema:"enum=daily,enum=period-end,enum=period-average,default=daily"`
}

type fileHost struct {
	Name    text        `yaml:"name,omitempty"`
	Aliases []text      `yaml:"aliases,omitempty" jsonschema:"description=Other spellings accepted in the host column (case-insensitive)"`
	Terms   []fileTerms `yaml:"terms" jsonschema:"required,minItems=1"`
}

type fileTerms struct {
	From    date        `yaml:"from" jsonschema:"required,description=First day of a period"`
	To      *date       `yaml:"to,omitempty" jsonschema:"description=Last day of a period; omit for open-ended"`
	Deduct  []string    `yaml:"deduct,omitempty" jsonschema:"uniqueItems=true,enum=refunds,enum=taxes,enum=fees,enum=credits"`
	Rates   []fileRule  `yaml:"rates" jsonschema:"required,minItems=1"`
	Minimum *fileLimit  `yaml:"minimum,omitempty"`
	Cap     *fileCap    `yaml:"cap,omitempty"`
	Advance *fileAdv    `yaml:"advance,omitempty"`
	Payout  *filePayout `yaml:"payout,omitempty"`
	Reports string      `yaml:"reports,omitempty" jsonschema:"enum=expected,enum=none-expected,default=expected,description=none-expected: the host may legitimately send no rows for a period (no missing-report warning)"`
}

type fileRule struct {
	Name      text         `yaml:"name,omitempty"`
	DeMinimis *amount      `yaml:"de_minimis,omitempty"`
	Products  []text       `yaml:"products,omitempty" jsonschema:"minItems=1,description=Globs\\, case-insensitive; default [\"*\"]"`
	Rate      *percent     `yaml:"rate,omitempty"`
	Tiers     *fileTiers   `yaml:"tiers,omitempty"`
	PerUnit   *filePerUnit `yaml:"per_unit,omitempty"`
}

type fileTiers struct {
	Mode   string     `yaml:"mode,omitempty" jsonschema:"enum=graduated,enum=volume,default=graduated"`
	Window string     `yaml:"window,omitempty" jsonschema:"enum=period,enum=year,enum=lifetime,default=period"`
	Scope  string     `yaml:"scope,omitempty" jsonschema:"enum=rule,enum=product,default=rule"`
	Bands  []fileBand `yaml:"bands" jsonschema:"required,minItems=1"`
}

type fileBand struct {
	UpTo *amount `yaml:"up_to,omitempty"`
	Rate percent `yaml:"rate" jsonschema:"required"`
}

type filePerUnit struct {
	Price amount  `yaml:"price" jsonschema:"required"`
	Per   *amount `yaml:"per,omitempty"`
}

type fileLimit struct {
	Amount amount `yaml:"amount" jsonschema:"required"`
	Per    string `yaml:"per" jsonschema:"required,enum=period,enum=year"`
}

type fileCap struct {
	Amount amount `yaml:"amount" jsonschema:"required"`
	Per    string `yaml:"per" jsonschema:"required,enum=period,enum=year,enum=lifetime"`
}

type fileAdv struct {
	Amount   amount `yaml:"amount" jsonschema:"required"`
	Received *date  `yaml:"received,omitempty"`
}

type filePayout struct {
	Threshold *amount `yaml:"threshold,omitempty"`
	DueDays   *int    `yaml:"due_days,omitempty" jsonschema:"minimum=0,default=30"`
}

type fileFormat struct {
	Host         text              `yaml:"host,omitempty"`
	Delimiter    string            `yaml:"delimiter,omitempty" jsonschema:"enum=\\,,enum=;,enum=\t,enum=|"`
	Columns      map[string]text   `yaml:"columns,omitempty"`
	DateFormat   string            `yaml:"date_format,omitempty"`
	Decimal      string            `yaml:"decimal,omitempty" jsonschema:"enum=.,enum=\\,"`
	Negate       []string          `yaml:"negate,omitempty" jsonschema:"enum=refunds,enum=taxes,enum=fees,enum=credits,enum=gross,enum=units"`
	Products     map[string]text   `yaml:"products,omitempty"`
	Amount       text              `yaml:"amount,omitempty"`
	Kind         text              `yaml:"kind,omitempty"`
	Kinds        map[string]string `yaml:"kinds,omitempty"`
	SkipLines    *int              `yaml:"skip_lines,omitempty" jsonschema:"minimum=0"`
	IgnorePrefix text              `yaml:"ignore_prefix,omitempty"`
	// IgnoreColumns mirrors Format.IgnoreColumns.
	IgnoreColumns []text `yaml:"ignore_columns,omitempty" jsonschema:"description=Partner headers the format does not read and that draw no warning"`
}

// Schema returns the JSON Schema of the agreement file, indented.
func Schema() ([]byte, error) {
	r := &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		RequiredFromJSONSchemaTags: true,
		Namer: func(t reflect.Type) string {
			n := strings.TrimPrefix(t.Name(), "file")
			if n == "" {
				return t.Name()
			}
			return strings.ToUpper(n[:1]) + n[1:]
		},
		Mapper: func(t reflect.Type) *jsonschema.Schema {
			switch t {
			case reflect.TypeOf(amount{}):
				return &jsonschema.Schema{
					OneOf: []*jsonschema.Schema{
						{Type: "number"},
						{Type: "string", Pattern: `^-?[0-9]+(_[0-9]+)*(\.[0-9]+(_[0-9]+)*)?$`},
					},
					Description: "An amount, read exactly from its text: 1000000, \"1000000.10\", 10_000_000",
				}
			case reflect.TypeOf(percent{}):
				return &jsonschema.Schema{Type: "string", Pattern: `^\s*-?[0-9]*\.?[0-9]+\s*%\s*$`, Description: "A percentage such as \"12.5%\", 0% to 100%"}
			case reflect.TypeOf(text("")):
				return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Type: "string"}, {Type: "number"}, {Type: "boolean"}}}
			case reflect.TypeOf(date{}):
				return &jsonschema.Schema{Type: "string", Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, Description: "YYYY-MM-DD"}
			}
			return nil
		},
	}
	s := r.Reflect(&fileAgreement{})
	// Map keys and values as the decoder reads them; the reflector has no
	// tag for them: host ids (hostIDPattern), a format's columns (Fields)
	// and its kinds' meanings (kindMeanings).
	if a, ok := s.Definitions["Agreement"]; ok {
		if h, ok := a.Properties.Get("hosts"); ok && h != nil {
			h.PropertyNames = &jsonschema.Schema{Pattern: hostIDPattern.String()}
		}
	}
	if f, ok := s.Definitions["Format"]; ok {
		if c, ok := f.Properties.Get("columns"); ok && c != nil {
			c.PropertyNames = &jsonschema.Schema{Enum: anySlice(Fields)}
		}
		if k, ok := f.Properties.Get("kinds"); ok && k != nil {
			k.AdditionalProperties = &jsonschema.Schema{Type: "string", Enum: anySlice(kindMeanings)}
		}
	}
	s.ID = "https://llamashare.dev/schema/agreement-v1.json"
	s.Title = "llamashare agreement (llamashare/v1)"
	data, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, data, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// anySlice is a JSON Schema enum of strings.
func anySlice(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}

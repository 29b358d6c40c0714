package fx

import (
	"fmt"

	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// LoadFor is LoadFrom for an agreement settling in currency: a rates file
// that has a rate for the settlement currency itself is refused, naming
// the first such row. Such a rate is 1 by definition; any other value
// would be silently ignored (revenue already in the settlement currency
// is never converted), so the file says something that is not applied.
func LoadFor(src workdir.Source, path, method, currency string) (*Table, error) {
	t, err := LoadFrom(src, path, method)
	if err != nil {
		return nil, err
	}
	if err := t.checkSettlement(currency); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Table) checkSettlement(currency string) error {
	line, ok := t.first[currency]
	if !ok {
		return nil
	}
	return diag.Problem{Path: t.path, Line: line, Column: t.curCol,
		Msg:  fmt.Sprintf("a rate for %s, the settlement currency: its rate is 1 by definition", currency),
		Hint: "remove the settlement currency's rows from the rates file"}
}

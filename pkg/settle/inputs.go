package settle

import (
	"fmt"

	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// BadRowsError fails a run that found bad rows and had no Reject: it
// lists them (the first diag.MaxListed, then a count) and carries every
// input's reconciliation, which the command line prints with it.
type BadRowsError struct {
	*diag.Limited
	Inputs []Input
}

// UnknownHostError is a requested host (Options.Hosts, Request.Hosts)
// that is not an id or alias of the agreement's hosts. The command line
// checks its --host values first and words its own message.
type UnknownHostError struct {
	Host      string // as requested
	Agreement string // the agreement's path
}

func (e *UnknownHostError) Error() string {
	return fmt.Sprintf("host %q: no such host in %s", e.Host, e.Agreement)
}

// duplicates refuses an input given twice (SPEC 8): its rows would count
// twice and every payable built on them would double. Paths are compared
// before anything is read, cleaned, made absolute and with symbolic links
// resolved; contents are compared by sha256 as each file is read (seen).
type duplicates struct {
	byHash map[string]string // sha256 -> the path first read with it
}

// samePath returns the first pair of files that name the same file.
func samePath(src workdir.Source, files []string) error {
	return src.OnceEach(files, "input", "rows", "name each report once")
}

// seen records a file's sha256 and refuses a second file with the same
// bytes.
func (d *duplicates) seen(in Input) error {
	if in.SHA256 == "" {
		return nil
	}
	if d.byHash == nil {
		d.byHash = map[string]string{}
	}
	if prev, ok := d.byHash[in.SHA256]; ok {
		return diag.Problem{Path: in.Path,
			Msg:  fmt.Sprintf("same content as %s (sha256 %s…): a report given twice would count its rows twice", prev, in.SHA256[:12]),
			Hint: "name each report once; a copy under another name is the same report"}
	}
	d.byHash[in.SHA256] = in.Path
	return nil
}

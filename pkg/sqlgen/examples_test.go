package sqlgen_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/cli"
)

// TestScaleOutQueries: the queries shown in examples/scale-out/queries
// (named FORMAT.ENGINE.sql) are what `llamashare sql` prints today, run
// from the repository root with the agreement of
// examples/llama-hosts/reports and the source named in the query's third
// line. Regenerate them with the command in examples/scale-out/README.md.
func TestScaleOutQueries(t *testing.T) {
	repo, err := filepath.Abs("../..")
	must(t, err)
	files, err := filepath.Glob(filepath.Join(repo, "examples/scale-out/queries/*.sql"))
	must(t, err)
	if len(files) == 0 {
		t.Fatal("no examples/scale-out/queries/*.sql")
	}
	t.Chdir(repo) // the paths in the queries are relative to the repository root
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want, err := os.ReadFile(f)
			must(t, err)
			name := strings.TrimSuffix(filepath.Base(f), ".sql")
			format, engine, ok := strings.Cut(name, ".")
			if !ok {
				t.Fatalf("%s: want FORMAT.ENGINE.sql", f)
			}
			lines := strings.SplitN(string(want), "\n", 4)
			if len(lines) < 4 {
				t.Fatalf("%s: not a query of llamashare sql", f)
			}
			_, from, ok := strings.Cut(lines[2], "; source ")
			if !ok {
				t.Fatalf("%s: third line %q names no source", f, lines[2])
			}
			var out, errb bytes.Buffer
			code := cli.Main([]string{"sql", "--config", os.DevNull, "-a", "examples/llama-hosts/reports/agreement.yaml",
				"--engine", engine, "--format", format, "--from", from},
				&cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb,
					Getenv: func(string) string { return "" }, WorkingDir: repo})
			if code != 0 {
				t.Fatalf("sql: exit %d: %s", code, errb.String())
			}
			if out.String() != string(want) {
				t.Errorf("%s is not what `llamashare sql` prints now; regenerate it (examples/scale-out/README.md)\n got:\n%s", f, out.String())
			}
		})
	}
}

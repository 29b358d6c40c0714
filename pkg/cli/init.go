package cli

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/llamashare/llamashare/pkg/atomicfile"
)

//go:embed starter/agreement.yaml
var starterAgreement []byte

//go:embed starter/revenue.csv
var starterRevenue []byte

// initOpts holds the flags and argument of `init`.
type initOpts struct {
	g     *globals
	dir   string
	force bool
}

func newInitCmd(g *globals) *cobra.Command {
	o := &initOpts{g: g}
	cmd := &cobra.Command{
		Use:         "init [DIR]",
		Annotations: map[string]string{noConfig: "yes"},
		Short:       "Write a commented starter agreement.yaml and a sample revenue CSV",
		Long: `Init writes agreement.yaml and revenue.csv into DIR (default: the
current folder): a commented agreement for two hosts and a quarter of sample
revenue that settle as written. Existing files are left alone unless --force.`,
		Example: `  llamashare init contracts && cd contracts && llamashare settle revenue.csv`,
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.dir = "."
			if len(args) == 1 {
				o.dir = args[0]
			}
			return runInit(o)
		},
	}
	cmd.Flags().BoolVar(&o.force, "force", false, "overwrite existing files")
	return cmd
}

func runInit(o *initOpts) error {
	dir, force, g := o.dir, o.force, o.g
	files := []struct {
		name string
		data []byte
	}{{"agreement.yaml", starterAgreement}, {"revenue.csv", starterRevenue}}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if _, err := g.io.dir().Stat(p); err == nil && !force {
			return fmt.Errorf("%s exists; use --force to overwrite it", p)
		}
	}
	// Both files land, or neither (nor the folder).
	set := &atomicfile.Set{Dir: g.io.dir()}
	defer set.Abort()
	if err := set.MkdirAll(dir); err != nil {
		return err
	}
	for _, f := range files {
		w, err := set.Create("init", filepath.Join(dir, f.name))
		if err != nil {
			return err
		}
		if _, err := w.Write(f.data); err != nil {
			return err
		}
	}
	if err := set.Commit(); err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintf(g.io.ErrOut, "wrote %s\n", filepath.Join(dir, f.name))
	}
	return nil
}

func unwrapErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

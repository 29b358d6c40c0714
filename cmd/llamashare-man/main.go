// Command llamashare-man writes llamashare's man pages into a folder:
//
//	go run ./cmd/llamashare-man man
//
// The pages carry a fixed date (cli.ManDate) and no generation tag, so the
// same sources give the same files.
package main

import (
	"fmt"
	"os"

	"github.com/llamashare/llamashare/pkg/cli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: llamashare-man DIR")
		os.Exit(2)
	}
	if err := cli.GenManPages(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "error: "+err.Error())
		os.Exit(2)
	}
}

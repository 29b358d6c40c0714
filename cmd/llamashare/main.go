// Command llamashare settles model-licensing revenue shares.
package main

import (
	"os"

	"github.com/llamashare/llamashare/pkg/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.System()))
}

package cli

import (
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/viper"
)

// ManDate is the date printed in the man pages' footer. It is fixed, not
// the day they are generated, so that `make man` gives the same files on
// every run; change it with the text of the commands.
var ManDate = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// GenManPages writes a man page for llamashare and each of its commands
// (section 1) into dir: llamashare.1, llamashare-settle.1, …
func GenManPages(dir string) error {
	g := &globals{io: System(), v: viper.New()}
	root := newRoot(g)
	root.DisableAutoGenTag = true
	walk(root, func(c *cobra.Command) { c.DisableAutoGenTag = true })
	date := ManDate
	// No Title: each page is titled after its command (LLAMASHARE-SETTLE).
	// No version in Source: pages generated at two commits differ only
	// where the commands do.
	header := &doc.GenManHeader{
		Section: "1",
		Date:    &date,
		Source:  "llamashare",
		Manual:  "llamashare manual",
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return doc.GenManTree(root, header, dir)
}

func walk(c *cobra.Command, f func(*cobra.Command)) {
	f(c)
	for _, sub := range c.Commands() {
		walk(sub, f)
	}
}

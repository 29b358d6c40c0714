package cli

import (
	"github.com/schollz/progressbar/v3"
)

// progressMin is the size from which reading a file shows a progress bar.
const progressMin = 64 << 20

// progress returns the settle option that shows a bar on stderr while a
// large file is read — only when stderr is a terminal, so that pipes and
// files never receive its frames.
func (g *globals) progress() func(path string, size int64) func(int64) {
	if !g.io.StderrTTY {
		return nil
	}
	return func(path string, size int64) func(int64) {
		if size < progressMin {
			return nil
		}
		bar := progressbar.NewOptions64(size,
			progressbar.OptionSetWriter(g.io.ErrOut),
			progressbar.OptionSetDescription(path),
			progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100_000_000), // 100 ms
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30),
			// Draw the empty bar now: its clock starts here, and the first
			// frame with bytes read comes a throttle period later. Drawn
			// on the first update instead, that frame measured a speed
			// over a few microseconds ("254 GB/s").
			progressbar.OptionSetRenderBlankState(true),
		)
		return func(read int64) {
			_ = bar.Set64(read)
			if read >= size {
				_ = bar.Finish()
			}
		}
	}
}

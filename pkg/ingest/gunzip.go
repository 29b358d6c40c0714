package ingest

import (
	"io"

	"github.com/klauspost/compress/gzip"
)

// gunzip decompresses a .gz input with klauspost/compress's gzip, a
// drop-in for compress/gzip (same API, same errors: "gzip: invalid
// header", multistream by default) whose inflater does the same work in
// about 11% less CPU (issue 17: 0.68 s against 0.76 s per 190 MB, median
// of five paired runs, GOMAXPROCS=1). Inflating is serial and on the
// reader's goroutine, the one a .gz input waits on, so the saving is
// wall time. The module was already in the build (parquet-go uses it):
// it costs no new dependency.
func gunzip(r io.Reader) (io.Reader, error) {
	return gzip.NewReader(r)
}

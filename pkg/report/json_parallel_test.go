package report

import (
	"bytes"
	"testing"

	"pgregory.net/rapid"
)

// Settlements made side by side (json_parallel.go) are written with the
// bytes of json.Encoder's indented document, whatever the batches: from
// the first settlement, texts larger and smaller than a batch's budget.
func TestWriteJSONSideBySideIsEncoders(t *testing.T) {
	defer func(from, size int) { parFrom, parBytes = from, size }(parFrom, parBytes)
	rapid.Check(t, func(t *rapid.T) {
		doc := drawDocument(t)
		// Many settlements: the drawn ones over and over.
		for len(doc.Settlements) > 0 && len(doc.Settlements) < 24 {
			doc.Settlements = append(doc.Settlements, doc.Settlements...)
		}
		parFrom = rapid.IntRange(0, 8).Draw(t, "from")
		parBytes = rapid.IntRange(1, 1<<14).Draw(t, "batch bytes")
		var want, got bytes.Buffer
		if err := encodeWhole(&want, doc); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&got, doc); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Fatalf("JSON written side by side differs:\n%s\nwant:\n%s", got.String(), want.String())
		}
	})
}

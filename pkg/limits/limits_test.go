package limits

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

func TestReaderCaps(t *testing.T) {
	r := &Reader{R: strings.NewReader(strings.Repeat("x", 100)), Max: 50, What: "a test file"}
	_, err := io.ReadAll(r)
	if !errors.Is(err, ErrTooLarge) || err.Error() != "file is larger than 50 bytes, the most llamashare reads of a test file" {
		t.Errorf("over the size: %v", err)
	}
	r = &Reader{R: strings.NewReader("ab\ncd\n" + strings.Repeat("y", 10)), Max: 1000, MaxLine: 4, What: "a test file"}
	_, err = io.ReadAll(r)
	if err == nil || !strings.HasPrefix(err.Error(), "line 3 is longer than 4 bytes") {
		t.Errorf("over a line: %v", err)
	}
	r = &Reader{R: strings.NewReader("ab\ncd\n"), Max: 6, MaxLine: 2, What: "a test file"}
	if b, err := io.ReadAll(r); err != nil || string(b) != "ab\ncd\n" {
		t.Errorf("at the caps: %q, %v", b, err)
	}
}

// TestDevZero: /dev/zero is read to the cap (and barely past it), not
// forever.
func TestDevZero(t *testing.T) {
	f, err := os.Open("/dev/zero")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	r := &Reader{R: f, Max: 1 << 20, What: "a test file"}
	if _, err := io.ReadAll(r); !errors.Is(err, ErrTooLarge) {
		t.Errorf("/dev/zero: %v", err)
	}
	if r.n > 1<<20+1 {
		t.Errorf("read %d bytes for a cap of %d", r.n, 1<<20)
	}
}

package settle

import (
	"errors"
	"io/fs"
	"syscall"
	"testing/fstest"

	"github.com/llamashare/llamashare/pkg/workdir"
)

// memFiles holds a test's files (inputs, fx rates) in memory, by name:
// the engine's tests create no file. A name that is missing fails as on
// disk (ENOENT), so messages read as a user's would.
func memFiles(files map[string]string) workdir.Source {
	m := fstest.MapFS{}
	for name, text := range files {
		m[name] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
	}
	return workdir.Source{FS: enoent{m}}
}

type enoent struct{ fs.FS }

func (e enoent) Open(name string) (fs.File, error) {
	f, err := e.FS.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.ENOENT}
	}
	return f, err
}

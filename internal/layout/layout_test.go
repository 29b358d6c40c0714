// Package layout holds the test that enforces the repository's layout rules
// (issue 11): no non-test Go file over maxFileLines lines and no function
// over maxFuncLines lines, outside generated code.
package layout

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const (
	maxFileLines = 500
	maxFuncLines = 80
)

// exceptions are the files and functions allowed over the limits for now,
// each with its reason. The list only shrinks: when one is split, delete its
// line (the test fails on an entry that no longer needs to be here, so the
// list stays true). Keys are "path" for a file and "path:Func" (methods as
// "path:Type.Method") for a function, paths relative to the repository root.
var exceptions = map[string]string{}

// TestLayout walks cmd/, internal/ and pkg/ and reports every non-test file
// and function over the limits that is not an exception, and every exception
// that is no longer needed.
func TestLayout(t *testing.T) {
	root := filepath.Join("..", "..")
	over, err := measure(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range over {
		if _, ok := exceptions[o.key]; !ok {
			t.Errorf("%s: %d lines, over the limit of %d: split it (or, with a reason, add it to exceptions)", o.key, o.lines, o.limit)
		}
	}
	seen := map[string]bool{}
	for _, o := range over {
		seen[o.key] = true
	}
	for k := range exceptions {
		if !seen[k] {
			t.Errorf("exception %q is within the limits now (or gone): delete it from the list", k)
		}
	}
}

type overLimit struct {
	key          string
	lines, limit int
}

func measure(root string) ([]overLimit, error) {
	var over []overLimit
	fset := token.NewFileSet()
	for _, top := range []string{"cmd", "internal", "pkg"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			if d.IsDir() {
				if d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
			if err != nil {
				return err
			}
			if ast.IsGenerated(f) {
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			if n := fset.File(f.Pos()).LineCount(); n > maxFileLines {
				over = append(over, overLimit{rel, n, maxFileLines})
			}
			for _, decl := range f.Decls {
				fn, ok := decl.(*ast.FuncDecl)
				if !ok || fn.Body == nil {
					continue
				}
				n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
				if n > maxFuncLines {
					over = append(over, overLimit{rel + ":" + funcName(fn), n, maxFuncLines})
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Slice(over, func(i, j int) bool { return over[i].key < over[j].key })
	return over, nil
}

func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if ix, ok := t.(*ast.IndexExpr); ok {
		t = ix.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fmt.Sprint(fn.Name.Name)
}
